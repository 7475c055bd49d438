"""Experiments that train (or run trained models) to measure memory: recall against the gap.

``lstm_core.analysis`` measures a model it is given; these make the models
first, by training (``recall_accuracy_vs_gap``) or from the trained presets
(``recall_from_presets``), and return the same format, which the long-term
memory page plots: {"results": {kind: {"gaps": [...], "accuracy": [...]}},
"chance": 1/symbols, "settings": {...}}.
"""
from __future__ import annotations

import numpy as np

from .. import presets
from .losses import accuracy
from .tasks import make_task
from .trainer import Trainer


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


RECALL_PRESETS = {"rnn": "recall_rnn", "gru": "recall_gru", "lstm": "recall_lstm"}


def recall_from_presets(gaps=(1, 2, 5, 10, 20, 50, 100), n=512, seed=0):
    """Recall accuracy against the gap, measured on the trained presets (no training).

    The presets ``recall_rnn`` / ``recall_gru`` / ``recall_lstm``
    (``lstm_core/presets/presets.json``) were each trained on recall with
    gaps drawn from 1 to 100. Here each is tested at one fixed gap at a time:
    ``n`` fresh sequences of ``Recall(gap, symbols)`` (letter, ``gap`` dots,
    "?"), accuracy = share of "?" steps whose largest logit is the letter.

    Returns the format of ``recall_accuracy_vs_gap`` with "settings" naming
    the presets, or None when the presets are not there.
    """
    known = {p["name"]: p for p in presets.manifest()}
    if not all(name in known for name in RECALL_PRESETS.values()):
        return None
    symbols = known["recall_lstm"]["params"]["symbols"]
    results = {}
    for kind, name in RECALL_PRESETS.items():
        model = presets.load(name)
        acc = []
        for gap in gaps:
            b = make_task("recall", gap=int(gap), symbols=symbols).sample(np.random.default_rng([seed, int(gap)]), n)
            tr = model.forward(b.inputs.astype(model.dtype))
            acc.append(accuracy(tr.logits, b.targets, b.mask))
        results[kind] = {"gaps": [int(g) for g in gaps], "accuracy": acc}
    trained = known["recall_lstm"]["params"]
    settings = {"source": "presets", "presets": dict(RECALL_PRESETS), "symbols": symbols, "n": n,
                "trained_gaps": (trained.get("min_gap", 1), trained["gap"]), "hidden": known["recall_lstm"]["hidden"]}
    return {"results": results, "chance": 1.0 / symbols, "settings": settings}
