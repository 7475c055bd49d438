"""Experiments that train (or run trained models) to measure memory: recall against the gap.

``lstm_core.analysis`` measures a model it is given; these make the models
first, by training (``recall_accuracy_vs_gap``, ``recall_sweep``) or from the
trained presets (``recall_from_presets``), and return the same format, which
the long-term memory page plots: {"results": {kind: {"gaps": [...],
"accuracy": [...]}}, "chance": 1/symbols, "settings": {...}}. A sweep over
seeds adds "low", "high", "std" and "per_seed" per kind; it is trained once
by ``python -m lstm_core.presets.build --recall-sweep`` and shipped as
``lstm_core/presets/recall_sweep.json`` (``shipped_recall_sweep``), so a page
shows it without training and without the noise of a single short run.

``text_accuracy`` measures a character model on a text it never saw.
"""
from __future__ import annotations

import json
import math

import numpy as np

from .. import presets
from .losses import accuracy
from .tasks import make_task
from .trainer import EVAL_SEED, Trainer

SWEEP_FILE = presets.HERE / "recall_sweep.json"


# ------------------------------------------------------------ recall vs gap
def recall_accuracy_vs_gap(gaps=(5, 15, 30, 60), kinds=("rnn", "gru", "lstm"), hidden=16, steps=800,
                           seed=0, symbols=4, forget_bias=2.0, lr=1e-2, batch=32, max_seconds=None,
                           progress=None):
    """A quick run: train each cell on the recall task at each gap, then test it.

    Task (``lstm_core.training.tasks.Recall``): one of ``symbols`` letters, ``gap``
    dots, then "?"; the answer at "?" is the letter (chance = 1/symbols).
    For every (kind, gap) a fresh model (same ``hidden`` and ``seed``) is
    trained for ``steps`` Adam steps of ``batch`` sequences (``Trainer``; at
    most ``max_seconds`` each), then its accuracy is measured on 512 held-out
    sequences. One seed and a short run: the curve shows a trend,
    not a benchmark. ``progress(done, total)`` is called after each model.

    Returns {"results": {kind: {"gaps": [...], "accuracy": [...]}},
    "chance": 1/symbols, "settings": the arguments}.
    """
    gaps, kinds = [int(g) for g in gaps], list(kinds)
    results = {k: {"gaps": gaps, "accuracy": []} for k in kinds}
    total, done = len(gaps) * len(kinds), 0
    for gap in gaps:
        task = make_task("recall", gap=gap, symbols=symbols)
        for kind in kinds:
            tr = Trainer(task, cell=kind, hidden=hidden, seed=seed, lr=lr, batch=batch, forget_bias=forget_bias)
            results[kind]["accuracy"].append(float(tr.fit(steps, max_seconds=max_seconds)["accuracy"]))
            done += 1
            if progress is not None:
                progress(done, total)
    settings = {"gaps": gaps, "kinds": kinds, "hidden": hidden, "steps": steps, "seed": seed,
                "symbols": symbols, "forget_bias": forget_bias, "lr": lr, "batch": batch}
    return {"results": results, "chance": 1.0 / symbols, "settings": settings}


def recall_sweep(gaps=(5, 10, 20, 50, 100), kinds=("rnn", "gru", "lstm"), seeds=(0, 1, 2, 3, 4), hidden=32,
                 symbols=8, steps=1000, target=0.99, eval_every=25, progress=None):
    """Recall accuracy against the gap over several seeds: the spread shows what is noise.

    Each (kind, gap, seed) is the command line's default run,
    ``python -m lstm_core.train --task recall --gap G --cell K --hidden H --seed S``:
    trained on gaps drawn from 1 to G, at most ``steps`` steps, stopping once
    accuracy on 512 held-out sequences at the full gap G reaches ``target``
    (checked every ``eval_every`` steps); then measured on those 512 at gap G.
    ``progress(done, total)`` after each run.

    Returns {"results": {kind: {"gaps", "accuracy" (mean over seeds), "low", "high" (min, max), "std",
    "per_seed" ([gap][seed]), "steps" ([gap][seed]), "seconds" ([gap][seed])}}, "chance", "settings"}.
    """
    gaps, kinds, seeds = [int(g) for g in gaps], list(kinds), [int(s) for s in seeds]
    results = {k: {"gaps": gaps, "per_seed": [], "steps": [], "seconds": []} for k in kinds}
    total, done = len(gaps) * len(kinds) * len(seeds), 0
    for kind in kinds:
        for gap in gaps:
            accs, nsteps, secs = [], [], []
            for seed in seeds:
                tr = Trainer(make_task("recall", gap=gap, symbols=symbols, min_gap=1), cell=kind, hidden=hidden,
                             seed=seed)
                res = tr.fit(steps, eval_every=eval_every, target_accuracy=target)
                accs.append(round(float(res["accuracy"]), 4))
                nsteps.append(int(res["steps"]))
                secs.append(round(float(res["seconds"]), 2))
                done += 1
                if progress is not None:
                    progress(done, total)
            for key, v in (("per_seed", accs), ("steps", nsteps), ("seconds", secs)):
                results[kind][key].append(v)
    for r in results.values():
        a = np.array(r["per_seed"], dtype=float)
        r.update(accuracy=a.mean(1).round(4).tolist(), low=a.min(1).tolist(), high=a.max(1).tolist(),
                 std=a.std(1).round(4).tolist())
    settings = {"gaps": gaps, "kinds": kinds, "seeds": seeds, "hidden": hidden, "symbols": symbols, "steps": steps,
                "target": target, "eval_every": eval_every, "min_gap": 1, "n": 512}
    return {"results": results, "chance": 1.0 / symbols, "settings": settings}


def shipped_recall_sweep():
    """The sweep shipped in ``lstm_core/presets/recall_sweep.json`` (None if it was never built):
    ``recall_sweep``'s format plus "command" (what made it) and "seconds" (how long that took)."""
    if not SWEEP_FILE.exists():
        return None
    return json.loads(SWEEP_FILE.read_text(encoding="utf-8"))


RECALL_PRESETS = {"rnn": "recall_rnn", "gru": "recall_gru", "lstm": "recall_lstm"}


def below_chance(acc, chance, n):
    """True when ``acc`` on ``n`` answers lies more than 3 standard errors under ``chance``: too far
    to be a guess that came out unlucky, so the model answers wrong on purpose, as it were."""
    return acc < chance - 3 * math.sqrt(chance * (1 - chance) / n)


def sign_flips(model, gap, symbols):
    """How the state that tells the letters apart moves over the dots, for a below-chance diagnosis.

    Runs "X" + ``gap`` dots + "?" for every letter X, takes the unit whose h differs most between the
    letters at the last dot, and the two letters farthest apart there; returns {"unit", "letters",
    "flips": share of dots at which the sign of their difference in that unit changes}. Near 1: the
    memory alternates at every step, so what it reads at "?" depends on whether the gap is odd or even.
    """
    task = make_task("recall", gap=int(gap), symbols=symbols)
    X = np.stack([task.encode(c + "." * int(gap) + "?") for c in task.classes], 1)
    h = np.asarray(model.forward(X.astype(model.dtype))["hidden"], float)       # (T, letters, H)
    last = h[-2]                                                                 # the last dot
    unit = int(last.std(0).argmax())
    a, b = int(last[:, unit].argmax()), int(last[:, unit].argmin())
    d = np.sign(h[1:-1, a, unit] - h[1:-1, b, unit])                             # over the dots
    flips = float(np.mean(d[1:] != d[:-1])) if len(d) > 1 else 0.0
    return {"unit": unit, "letters": [task.classes[a], task.classes[b]], "flips": flips}


def _recall_answers(model, gap, symbols, n, seed):
    """(accuracy, predicted class per sequence) of ``model`` on ``n`` recall sequences at ``gap``."""
    b = make_task("recall", gap=int(gap), symbols=symbols).sample(np.random.default_rng([seed, int(gap)]), n)
    tr = model.forward(b.inputs.astype(model.dtype))
    pred = np.asarray(tr.logits)[-1].argmax(-1)
    return accuracy(tr.logits, b.targets, b.mask), pred


def recall_from_presets(gaps=(1, 2, 5, 10, 20, 50, 100), n=512, seed=0):
    """Recall accuracy against the gap, measured on the trained presets (no training).

    The presets ``recall_rnn`` / ``recall_gru`` / ``recall_lstm``
    (``lstm_core/presets/presets.json``) were each trained on recall with
    gaps drawn from 1 to 100. Here each is tested at one fixed gap at a time:
    ``n`` fresh sequences of ``Recall(gap, symbols)`` (letter, ``gap`` dots,
    "?"), accuracy = share of "?" steps whose largest logit is the letter.

    Where a cell scores below chance (``below_chance``), its entry gets "why":
    {gap: {"answers": the letters it gave there, "neighbours": {gap ± 1: accuracy}, and
    ``sign_flips``' "unit", "letters", "flips"}} — measured, so the page can say what the
    model does instead of guessing. (The plain RNN preset, for one, keeps a trace of the
    letter whose sign flips at every dot: at odd gaps it reads it backwards and is always wrong.)

    Returns the format of ``recall_accuracy_vs_gap`` with "settings" naming
    the presets, or None when the presets are not there.
    """
    known = {p["name"]: p for p in presets.manifest()}
    if not all(name in known for name in RECALL_PRESETS.values()):
        return None
    symbols = known["recall_lstm"]["params"]["symbols"]
    results = {}
    letters = make_task("recall", gap=1, symbols=symbols).classes
    for kind, name in RECALL_PRESETS.items():
        model = presets.load(name)
        acc, why = [], {}
        for gap in gaps:
            a, pred = _recall_answers(model, gap, symbols, n, seed)
            acc.append(a)
            if below_chance(a, 1.0 / symbols, n):
                near = {g: _recall_answers(model, g, symbols, n, seed)[0]
                        for g in (int(gap) - 1, int(gap) + 1) if g >= 1}
                why[int(gap)] = {"answers": [letters[k] for k in sorted(set(pred.tolist()))], "neighbours": near,
                                 **sign_flips(model, gap, symbols)}
        results[kind] = {"gaps": [int(g) for g in gaps], "accuracy": acc}
        if why:
            results[kind]["why"] = why
    trained = known["recall_lstm"]["params"]
    settings = {"source": "presets", "presets": dict(RECALL_PRESETS), "symbols": symbols, "n": n,
                "trained_gaps": (trained.get("min_gap", 1), trained["gap"]), "hidden": known["recall_lstm"]["hidden"]}
    return {"results": results, "chance": 1.0 / symbols, "settings": settings}


# ------------------------------------------------------------ a text the model never saw
def text_accuracy(model, task, n=512, seed=EVAL_SEED):
    """Next-character accuracy of ``model`` on ``n`` windows of ``task`` (e.g. ``CharLM.heldout()``), drawn as
    ``Trainer.evaluate`` draws them. A target the vocabulary lacks (−1) counts as wrong.

    Returns {"accuracy", "chance" (share of the most common next character there), "unknown" (share of
    targets outside the vocabulary), "chars" (length of the text)}.
    """
    b = task.sample(np.random.default_rng(seed), n)
    tr = model.forward(b.inputs.astype(model.dtype))
    y = np.asarray(b.targets).ravel()
    known = y[y >= 0]
    chance = float(np.bincount(known).max() / y.size) if known.size else 0.0
    return {"accuracy": accuracy(tr.logits, b.targets, b.mask), "chance": chance,
            "unknown": float((y < 0).mean()), "chars": len(task.text)}
