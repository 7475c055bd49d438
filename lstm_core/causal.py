"""Causal experiments on a trained model: change something, measure what follows.

Pure NumPy over ``model.forward`` (and its overrides ``clamp`` / ``silence``).
The causal lab page wires these; every function is usable on its own::

    from lstm_core import causal, presets
    model = presets.load("recall_lstm")
    task = causal.task_of(model)                   # the task the model was trained on
    batch = causal.heldout(task)                   # 256 sequences it never trained on
    causal.score(model, batch)                     # accuracy, its spread, chance
    causal.rank_units(model, batch)                # silence each unit in turn
    causal.intervene(model, batch, "forget", 1.0, units=[30])   # … beside random units

Shapes: T steps, B sequences, I inputs, H units, O outputs. Steps are 0-based
and ranges half-open (``steps=(a, b)`` is a … b−1), as in ``lstm_core.clamp``.

Scoring follows the task (``lstm_core.training.tasks``): a step counts as right
when the largest output is the target class (softmax tasks) or when the output
lies within the task's tolerance of the target ("linear": the adding problem).
A sequence's score is the share of its scored steps that are right; the
accuracy is the mean over sequences, its spread the standard error of that
mean, std/√B. Chance is the accuracy of the best constant answer on the same
sequences (the most frequent target; the mean target for "linear").

Experiments (each returns a plain dict of numbers and arrays):

=================  =====================================================
``edit``           one token changed, inserted or deleted: c and h after it, and the answers
``rank_units``     silence each unit over a range of steps: accuracy drop per unit
``intervene``      clamp a gate / silence units; the same on random units
``patch``          copy c and/or h of some units from a second sequence at step t
``patch_batch``    the same on many pairs: how often the answer follows the donor
=================  =====================================================
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import numpy as np

from .cells.trace import clamp, silence
from .training.tasks import task_from_meta

WORKERS = 2                # threads that share a sweep of reruns (``_Runs.scores``)
WINDOW = 1 << 21           # numbers per gate a rerun computes at a time (16 MB in float64)
HELDOUT_SEED = 424_242     # not the trainer's seeds (0 …) nor its evaluation seed (987 654)
N_HELDOUT = 256
EDITS = ("change", "insert", "delete")
INTERVENTIONS = {              # name → (target, value) of the override
    "forget0": ("forget", 0.0),
    "forget1": ("forget", 1.0),
    "input0": ("input", 0.0),
    "silence": ("silence", 0.0),
}


# ------------------------------------------------------------------ the model's task and data
def task_of(model):
    """The task ``model`` was trained on (``model.meta["task"]``), or None when it carries none."""
    try:
        return task_from_meta(model.meta or {})
    except (ValueError, TypeError):
        return None


def heldout(task, n=N_HELDOUT, seed=HELDOUT_SEED):
    """``n`` sequences of ``task`` as it is measured (``task.strict()``: recall and temporal order at
    their full gap), drawn with a seed training never uses. A task that keeps a text apart for
    measuring (``task.heldout()``: the language models) gives windows of that text, which the model
    never trained on."""
    strict = task.strict()
    apart = getattr(strict, "heldout", None)
    if callable(apart):
        try:
            strict = apart()
        except (OSError, ValueError):      # no separate text shipped: the training text's windows
            pass
    return strict.sample(np.random.default_rng(seed), n)


def check(model):
    """ValueError unless ``model`` can be measured here: one direction and an output layer."""
    if getattr(model, "directions", 1) != 1:
        raise ValueError("the causal experiments take a one-direction model")
    if not model.output:
        raise ValueError("this model has no output layer, so it gives no answer to measure")


def _lift(xs, dtype):
    xs = np.asarray(xs, dtype=dtype)
    return xs if xs.ndim == 3 else xs[:, None, :]


def correct(outputs, targets, mask, output="softmax", tolerance=0.04):
    """1.0 where a scored step is right, 0.0 where it is wrong, NaN where it is not scored; (T, B)."""
    z = np.asarray(outputs)
    if output == "linear":
        y = np.asarray(targets, dtype=np.float64).reshape(z.shape)
        ok = (np.abs(z - y) < tolerance).all(-1)
    else:
        ok = z.argmax(-1) == np.asarray(targets)
    out = ok.astype(np.float64)
    out[np.asarray(mask) <= 0] = np.nan
    return out


def per_sequence(outputs, batch, output="softmax", tolerance=0.04):
    """Each sequence's share of scored steps that are right, (B,)."""
    ok = correct(outputs, batch.targets, batch.mask, output, tolerance)
    return np.nanmean(ok, axis=0)


def summary(scores):
    """{"accuracy": mean, "spread": standard error std/√n, "n": n} of per-sequence scores."""
    s = np.asarray(scores, dtype=np.float64)
    n = int(s.size)
    spread = float(s.std(ddof=1) / np.sqrt(n)) if n > 1 else 0.0
    return {"accuracy": float(s.mean()), "spread": spread, "n": n}


def chance(batch, output="softmax", tolerance=0.04):
    """Accuracy of the best constant answer on ``batch``: the most frequent target class, or for
    "linear" the mean target (scored as the task scores it)."""
    m = np.asarray(batch.mask) > 0
    if output == "linear":
        y = np.asarray(batch.targets, dtype=np.float64)
        y = y.reshape(*m.shape, -1)
        guess = np.broadcast_to(y[m].mean(0), y.shape)
        return float(np.nanmean(per_sequence(guess, batch, output, tolerance)))
    y = np.asarray(batch.targets)[m]
    y = y[y >= 0]                          # −1: an answer no output can name (counted wrong for every guess)
    if y.size == 0:
        return 0.0
    counts = np.bincount(y.ravel())
    best = int(counts.argmax())
    guess = np.full(np.asarray(batch.targets).shape, best)
    ok = (guess == np.asarray(batch.targets)).astype(np.float64)
    ok[~m] = np.nan
    return float(np.nanmean(np.nanmean(ok, axis=0)))


def _kind(model, task=None):
    out = model.output or "softmax"
    tol = getattr(task, "tolerance", None) or (model.meta or {}).get("tolerance", 0.04)
    return out, float(tol)


def _outputs(trace):
    return trace.logits if trace.logits is not None else trace.y


def score(model, batch, overrides=None, task=None):
    """Accuracy of ``model`` on ``batch`` (with ``overrides``, if any) → ``summary`` plus "chance"
    and "scores" (per sequence)."""
    check(model)
    out, tol = _kind(model, task)
    tr = model.forward(_lift(batch.inputs, model.dtype), overrides=overrides, probabilities=False)
    s = per_sequence(_outputs(tr), batch, out, tol)
    return {**summary(s), "chance": chance(batch, out, tol), "scores": s}


def _within(ov, s, e):
    """``ov`` for a run of steps s … e − 1 alone (its steps counted from s), or None if it acts on none."""
    if ov.steps is None:
        return ov
    lo, hi = max(ov.steps[0], s), min(ov.steps[1], e)
    return replace(ov, steps=(lo - s, hi - s)) if hi > lo else None


class _Runs:
    """``model`` on ``batch`` run once untouched and then again under many overrides that all act
    within ``steps`` = (a, b): up to step a − 1 every run is the untouched one, so each rerun starts
    at step a from the untouched states there (the same numbers a whole run gives) and its answers
    before a are the untouched ones. A rerun goes ``WINDOW`` numbers per gate at a time, carrying its
    states from one stretch of steps to the next (the same numbers again; its arrays stay small and
    in cache: 0.7x the time of one long run at T = 1,000). ``scores`` spreads the reruns over
    ``WORKERS`` threads (NumPy and BLAS let go of the GIL while they work on a step's arrays)."""

    def __init__(self, model, batch, task=None, steps=None):
        check(model)
        self.model, self.batch = model, batch
        self.kind = _kind(model, task)
        X = _lift(batch.inputs, model.dtype)
        T, B = X.shape[:2]
        self.a = 0 if steps is None else min(max(int(steps[0]), 0), T - 1)
        base = model.forward(X, probabilities=False)
        self.ok = correct(_outputs(base), batch.targets, batch.mask, *self.kind)      # (T, B)
        s = np.nanmean(self.ok, axis=0)
        self.base = {**summary(s), "chance": chance(batch, *self.kind), "scores": s}
        self.X, self.h0, self.c0 = X[self.a:], None, None
        if self.a:                                        # the untouched states at step a − 1, (L, B, H)
            self.h0, self.c0 = _states(base, self.a - 1, np.asarray)
        self.window = max(1, WINDOW // (B * model.gates * model.hidden_size))

    def score(self, overrides):
        """``score`` under ``overrides`` (acting within ``steps``)."""
        for o in overrides:
            if o.steps is not None and o.steps[0] < self.a:
                raise ValueError(f"an override from step {o.steps[0]} acts before step {self.a}, "
                                 "where the reruns start")
        targets, mask = np.asarray(self.batch.targets), np.asarray(self.batch.mask)
        ok = self.ok.copy()
        h, c = self.h0, self.c0
        T = self.a + self.X.shape[0]
        for s in range(self.a, T, self.window):
            e = min(T, s + self.window)
            tr = self.model.forward(self.X[s - self.a:e - self.a], h, c,
                                    [w for w in (_within(o, s, e) for o in overrides) if w is not None],
                                    probabilities=False)
            ok[s:e] = correct(_outputs(tr), targets[s:e], mask[s:e], *self.kind)
            h, c = _states(tr, -1, np.asarray)
        s = np.nanmean(ok, axis=0)
        return {**summary(s), "chance": self.base["chance"], "scores": s}

    def scores(self, settings):
        """``score`` of each list of overrides in ``settings``, in order."""
        settings = list(settings)
        if WORKERS < 2 or len(settings) < 2:
            return [self.score(o) for o in settings]
        with ThreadPoolExecutor(WORKERS) as pool:
            return list(pool.map(self.score, settings))


# ------------------------------------------------------------------ predictions as tokens
def output_labels(model):
    """A label per output: ``meta["classes"]``, else the vocabulary when it has one label per output,
    else "#0", "#1" …; None without an output layer."""
    O = model.output_size
    if O is None:
        return None
    meta = model.meta or {}
    for key in ("classes", "vocab"):
        labels = meta.get(key)
        if labels and len(labels) == O:
            return [str(s) for s in labels]
    return [f"#{k}" for k in range(O)]


def top_k(probs, labels=None, k=5):
    """The ``k`` most likely outputs at every step: a list (one per step) of [(label, p), …], most
    likely first (ties: the lower index first). ``probs`` (T, O) are the softmax outputs y;
    ``labels`` one string per output (default "#0" …)."""
    p = np.asarray(probs, dtype=np.float64)
    if p.ndim != 2:
        raise ValueError(f"probs must be (T, O); found shape {p.shape}")
    O = p.shape[1]
    labels = [f"#{j}" for j in range(O)] if labels is None else list(labels)
    if len(labels) != O:
        raise ValueError(f"{len(labels)} labels for {O} outputs")
    k = max(1, min(int(k), O))
    order = np.argsort(-p, axis=1, kind="stable")[:, :k]
    return [[(labels[j], float(p[t, j])) for j in order[t]] for t in range(p.shape[0])]


def answers(model, trace):
    """The model's answer at every step: the label of the largest output (softmax), or the
    output's value(s) (linear). A list of T strings / floats; None without an output layer."""
    if trace.y is None:
        return None
    y = np.asarray(trace.y)
    if y.ndim != 2:
        raise ValueError("answers() reads one sequence, not a batch")
    if model.output == "linear":
        return [float(v[0]) if v.size == 1 else [float(a) for a in v] for v in y]
    labels = output_labels(model)
    return [labels[j] for j in y.argmax(-1)]


def answer_shares(model, batch, k=3):
    """What a softmax model answers at the scored steps of ``batch``: [(label, share)] of its ``k``
    commonest answers, commonest first; [] for a linear output."""
    check(model)
    if model.output == "linear":
        return []
    z = model.forward(_lift(batch.inputs, model.dtype), probabilities=False).logits
    picked = np.asarray(z).argmax(-1)[np.asarray(batch.mask) > 0]
    if picked.size == 0:
        return []
    labels = output_labels(model)
    counts = np.bincount(picked, minlength=len(labels))
    order = np.argsort(-counts, kind="stable")[:k]
    return [(labels[j], float(counts[j] / picked.size)) for j in order if counts[j]]


def below_chance(summary_, chance_, z=2.0):
    """True when an accuracy lies more than ``z`` standard errors under chance."""
    return summary_["accuracy"] + z * summary_["spread"] < chance_


def expected(task, tokens, inputs=None):
    """The answer ``task`` expects at every step of one typed sequence, None where it scores nothing
    (or where the sequence breaks the task's rules). ``tokens``: T strings; ``inputs`` (T, I) for the
    adding problem (values and markers).

    recall: at "?" the first letter; temporal order: at "E" the order of the first two X/Y;
    brackets: the depth after each step; parity: even/odd of the 1s so far; charlm: the next
    character; adding: at the last step the sum of the marked values.
    """
    toks = [str(s) for s in tokens]
    T = len(toks)
    out = [None] * T
    name = getattr(task, "name", "")
    if name == "recall":
        if toks and toks[0] in task.classes:
            for t, s in enumerate(toks):
                if s == "?" and t > 0:
                    out[t] = toks[0]
                    break
    elif name == "temporal_order":
        seen = []
        for t, s in enumerate(toks):
            if s in ("X", "Y"):
                seen.append(s)
            elif s == "E" and len(seen) >= 2:
                out[t] = seen[0] + seen[1]
                break
    elif name == "brackets":
        depth = 0
        for t, s in enumerate(toks):
            depth += (s == "(") - (s == ")")
            if depth < 0 or depth > task.max_depth:
                break
            out[t] = str(depth)
    elif name == "parity":
        ones = 0
        for t, s in enumerate(toks):
            if s not in ("0", "1"):
                break
            ones += s == "1"
            out[t] = task.classes[ones % 2]
    elif name == "charlm":
        for t in range(T - 1):
            out[t] = toks[t + 1]
    elif name == "adding" and inputs is not None:
        x = np.asarray(inputs, dtype=np.float64)
        if x.ndim == 2 and x.shape[1] >= 2 and T:
            out[T - 1] = float((x[:, 0] * (x[:, 1] > 0.5)).sum())
    return out


# ------------------------------------------------------------------ 1. edit one token
def edited(tokens, kind, position, new=None):
    """``tokens`` with one token changed to ``new``, ``new`` inserted before ``position``, or the token
    at ``position`` deleted (0-based)."""
    toks = list(tokens)
    if kind not in EDITS:
        raise ValueError(f"edit must be one of {', '.join(EDITS)}; got {kind!r}")
    hi = len(toks) if kind == "insert" else len(toks) - 1
    if not 0 <= position <= hi:
        raise ValueError(f"position must lie in 0..{hi}; got {position}")
    if kind == "change":
        toks[position] = new
    elif kind == "insert":
        toks.insert(position, new)
    else:
        if len(toks) < 2:
            raise ValueError("deleting the only token leaves nothing to run")
        del toks[position]
    return toks


def aligned_steps(length, kind, position):
    """Pairs (step before, step after) of the steps from the edit on that both runs share: a change at
    p pairs p… with p…; an insert at p pairs p… with p+1…; a delete at p pairs p+1… with p…."""
    p = int(position)
    if kind == "change":
        return [(s, s) for s in range(p, length)]
    if kind == "insert":
        return [(s, s + 1) for s in range(p, length)]
    if kind == "delete":
        return [(s + 1, s) for s in range(p, length - 1)]
    raise ValueError(f"edit must be one of {', '.join(EDITS)}; got {kind!r}")


def edit(model, xs_before, xs_after, kind, position, layer=-1):
    """Run both sequences and compare them step by step from the edit on.

    Returns {"pairs": [(step before, step after)], "d_cell", "d_hidden": (K, H) after − before
    (d_cell None without a cell state), "before", "after": the two traces, "answers_before",
    "answers_after": the answers at the paired steps (None without an output layer), "changed":
    (K,) bool, where the answer differs}.
    """
    a = model.forward(np.asarray(xs_before, dtype=model.dtype))
    b = model.forward(np.asarray(xs_after, dtype=model.dtype))
    pairs = aligned_steps(a.steps, kind, position)
    ia = np.array([p[0] for p in pairs], dtype=int)
    ib = np.array([p[1] for p in pairs], dtype=int)
    la, lb = a.layers[layer], b.layers[layer]
    out = {"pairs": pairs, "before": a, "after": b, "d_cell": None,
           "d_hidden": np.asarray(lb["hidden"])[ib] - np.asarray(la["hidden"])[ia],
           "answers_before": None, "answers_after": None, "changed": None}
    if "cell" in la:
        out["d_cell"] = np.asarray(lb["cell"])[ib] - np.asarray(la["cell"])[ia]
    if a.y is not None:
        ans_a, ans_b = answers(model, a), answers(model, b)
        out["answers_before"] = [ans_a[i] for i in ia]
        out["answers_after"] = [ans_b[i] for i in ib]
        if model.output == "linear":
            tol = _kind(model)[1]
            out["changed"] = np.array([abs(np.asarray(x) - np.asarray(y)).max() >= tol
                                       for x, y in zip(out["answers_before"], out["answers_after"])], dtype=bool)
        else:
            out["changed"] = np.array([x != y for x, y in zip(out["answers_before"], out["answers_after"])],
                                      dtype=bool)
    return out


# ------------------------------------------------------------------ 2. which units matter
def rank_units(model, batch, steps=None, layer=-1, task=None, units=None):
    """Silence each unit (its c and h held at 0; ``lstm_core.silence``) over ``steps`` in turn and
    score the model on ``batch`` each time.

    Returns {"base": ``score`` untouched, "units": (U,) the units tried, "accuracy": (U,) with each
    silenced, "spread": (U,) their standard errors, "drop": base − accuracy, "order": indices into
    "units" by drop, largest first (ties: the lower unit first), "n", "chance"}.
    """
    check(model)
    H = model.hidden_size
    units = np.arange(H) if units is None else np.asarray(units, dtype=int)
    runs = _Runs(model, batch, task, steps)
    base = runs.base
    done = runs.scores([silence([int(u)], steps=steps, layer=layer)] for u in units)
    acc = np.array([s["accuracy"] for s in done], dtype=np.float64)
    spread = np.array([s["spread"] for s in done], dtype=np.float64)
    drop = base["accuracy"] - acc
    order = np.lexsort((units, -np.round(drop, 12)))
    return {"base": base, "units": units, "accuracy": acc, "spread": spread, "drop": drop, "order": order,
            "n": base["n"], "chance": base["chance"], "steps": steps}


# ------------------------------------------------------------------ 3. intervene
def overrides_for(kind, units=None, steps=None, layer=-1):
    """The override records of one intervention (``INTERVENTIONS``) on ``units`` (None: all)."""
    if kind not in INTERVENTIONS:
        raise ValueError(f"intervention must be one of {', '.join(INTERVENTIONS)}; got {kind!r}")
    target, value = INTERVENTIONS[kind]
    units = None if units is None else tuple(int(u) for u in units)
    if target == "silence":
        return [silence(units, steps=steps, layer=layer)]
    return [clamp(target, value, units=units, steps=steps, layer=layer)]


def intervene(model, batch, kind, units=None, steps=None, layer=-1, draws=5, seed=0, task=None):
    """Accuracy on ``batch`` before and after intervention ``kind`` on ``units`` over ``steps``, beside
    the same intervention on as many units drawn at random from the others, ``draws`` times.

    Returns {"base", "after": ``score`` dicts, "random": {"accuracy": (draws,), "mean", "spread"
    (std over draws), "units": [[…] per draw]} or None (all units chosen, or none left to draw), "n",
    "chance"}.
    """
    check(model)
    H = model.hidden_size
    runs = _Runs(model, batch, task, steps)
    base = runs.base
    drawn = []
    if units is not None and 0 < len(units) and len(set(units)) < H:
        chosen = sorted(set(int(u) for u in units))
        others = np.setdiff1d(np.arange(H), chosen)
        m = min(len(chosen), len(others))
        rng = np.random.default_rng(seed)
        drawn = [[int(u) for u in np.sort(rng.choice(others, size=m, replace=False))] for _ in range(int(draws))]
    after, *random_runs = runs.scores(overrides_for(kind, u, steps, layer) for u in [units, *drawn])
    rand = None
    if drawn:
        accs = np.array([r["accuracy"] for r in random_runs])
        rand = {"accuracy": accs, "mean": float(accs.mean()),
                "spread": float(accs.std(ddof=1)) if len(accs) > 1 else 0.0, "units": drawn}
    return {"base": base, "after": after, "random": rand, "n": base["n"], "chance": base["chance"],
            "kind": kind, "units": None if units is None else [int(u) for u in units], "steps": steps}


# ------------------------------------------------------------------ 4. patch states
PATCHABLE = {"lstm": ("cell", "hidden"), "gru": ("hidden",), "rnn": ("hidden",)}


def _states(trace, step, lift):
    """(h, c) of every layer at ``step``: (L, B, H) each (c None without one)."""
    L = trace.num_layers
    h = np.stack([lift(trace.layers[k]["hidden"])[step] for k in range(L)])
    c = np.stack([lift(trace.layers[k]["cell"])[step] for k in range(L)]) if trace.c0 is not None else None
    return h, c


def patched_forward(model, xs, donor, step, units, what=("cell", "hidden"), layer=-1):
    """Run ``xs`` to ``step`` (0-based, inclusive), replace the ``what`` states of ``units`` in
    ``layer`` by their values in the run of ``donor`` at the same step, and run on from there.

    ``xs`` and ``donor``: (T, I) or (T, B, I), ``donor`` at least ``step`` + 1 steps long.
    Returns {"cell", "hidden": (T, [B,] H) of ``layer``, "y": (T, [B,] O) or None, "base": the
    untouched trace, "donor": the donor's trace}; steps before ``step`` are the untouched run's,
    and the patched values show at ``step`` itself.
    """
    check(model)
    what = tuple(what)
    bad = [w for w in what if w not in PATCHABLE[model.kind]]
    if bad or not what:
        raise ValueError(f"a {model.kind.upper()} can patch {', '.join(PATCHABLE[model.kind])}; got {what}")
    X, D = np.asarray(xs, dtype=model.dtype), np.asarray(donor, dtype=model.dtype)
    one = X.ndim == 2
    T, t = X.shape[0], int(step)
    if not 0 <= t < T or D.shape[0] <= t:
        raise ValueError(f"step must lie in 0..{min(T, D.shape[0]) - 1}; got {step}")
    if D.ndim != X.ndim or (not one and D.shape[1] != X.shape[1]):
        raise ValueError("xs and donor must hold the same number of sequences")
    units = np.asarray(units, dtype=int)
    L = model.num_layers
    k = layer if layer >= 0 else L + layer
    if not 0 <= k < L:
        raise ValueError(f"layer {layer} is outside 0..{L - 1}")
    lift = (lambda a: np.asarray(a)[:, None]) if one else np.asarray
    base, don = model.forward(X), model.forward(D)
    h, c = _states(base, t, lift)
    dh, dc = _states(don, t, lift)
    h, c = h.copy(), None if c is None else c.copy()
    if "hidden" in what:
        h[k][:, units] = dh[k][:, units]
    if "cell" in what:
        c[k][:, units] = dc[k][:, units]
    lay = base.layers[k]
    cell = np.array(lift(lay["cell"])) if "cell" in lay else None
    hidden = np.array(lift(lay["hidden"]))
    y = None if base.y is None else np.array(lift(base.y))
    hidden[t] = h[k]
    if cell is not None:
        cell[t] = c[k]
    if y is not None and "hidden" in what and k == L - 1:       # the patched h is read out at step t
        y[t] = _readout(model, h[k] @ model.params["out.weight"].T + model.params["out.bias"])
    if t + 1 < T:
        drop = (lambda a: a[:, 0]) if one else (lambda a: a)
        rest = model.forward(X[t + 1:], h0=drop(h), c0=None if c is None else drop(c))
        hidden[t + 1:] = lift(rest.layers[k]["hidden"])
        if cell is not None:
            cell[t + 1:] = lift(rest.layers[k]["cell"])
        if y is not None:
            y[t + 1:] = lift(rest.y)
    sq = (lambda a: a[:, 0]) if one else (lambda a: a)
    return {"cell": None if cell is None else sq(cell), "hidden": sq(hidden), "y": None if y is None else sq(y),
            "base": base, "donor": don}


def _readout(model, z):
    if model.output == "linear":
        return z
    z = z - z.max(-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(-1, keepdims=True)


def patch(model, xs, donor, step, units, what=("cell", "hidden"), layer=-1):
    """``patched_forward`` on one sequence, compared with the untouched run from ``step`` on.

    Returns {"step", "d_cell", "d_hidden": (T − step, H) patched − untouched, "answers_before",
    "answers_after", "answers_donor": the answers at those steps, "changed": (T − step,) bool, and
    the arrays of ``patched_forward``}.
    """
    p = patched_forward(model, xs, donor, step, units, what, layer)
    base = p["base"]
    t = int(step)
    k = layer if layer >= 0 else model.num_layers + layer
    lay = base.layers[k]
    out = dict(p, step=t, d_hidden=p["hidden"][t:] - np.asarray(lay["hidden"])[t:], d_cell=None,
               answers_before=None, answers_after=None, answers_donor=None, changed=None)
    if p["cell"] is not None:
        out["d_cell"] = p["cell"][t:] - np.asarray(lay["cell"])[t:]
    if p["y"] is not None:
        before = answers(model, base)[t:]
        out["answers_before"] = before
        donor_answers = answers(model, p["donor"])[t:t + len(before)]
        out["answers_donor"] = donor_answers + [None] * (len(before) - len(donor_answers))
        if model.output == "linear":
            after = [float(v[0]) for v in p["y"][t:]]
            out["changed"] = np.abs(np.array(after) - np.array(before, dtype=float)) >= _kind(model)[1]
        else:
            labels = output_labels(model)
            after = [labels[j] for j in p["y"][t:].argmax(-1)]
            out["changed"] = np.array([x != y for x, y in zip(before, after)], dtype=bool)
        out["answers_after"] = after
    return out


def patch_batch(model, batch, donors, step, units, what=("cell", "hidden"), layer=-1):
    """``patched_forward`` on every sequence of ``batch`` with the same-index sequence of ``donors``
    (a batch of the same task and length). Over the scored steps after ``step``, the share where the
    patched model's answer is the recipient's own untouched answer ("own"), the donor's untouched
    answer ("donor"), and where it is right for the recipient's targets ("accuracy", a ``summary``).

    Only softmax outputs. Returns {"own", "donor": shares, "accuracy": summary, "base": ``score``,
    "n", "chance", "scored": how many steps were compared, "differ": the share of those where the
    two untouched answers differ (only there can "donor" and "own" be told apart)}.
    """
    if model.output != "softmax":
        raise ValueError("patch_batch compares class answers; this model's output is not a softmax")
    if np.shape(donors.inputs)[:2] != np.shape(batch.inputs)[:2]:
        raise ValueError("donors must be as many sequences of the same length as the batch")
    p = patched_forward(model, batch.inputs, donors.inputs, step, units, what, layer)
    t = int(step)
    mask = np.asarray(batch.mask, dtype=bool).copy()
    mask[:t + 1 if "hidden" not in what else t] = False       # the steps the patch can change
    own = np.asarray(p["base"].y).argmax(-1)
    don = np.asarray(p["donor"].y).argmax(-1)
    new = p["y"].argmax(-1)
    n_scored = int(mask.sum())
    differ = mask & (own != don)
    res = {"scored": n_scored, "differ": float(differ.sum() / n_scored) if n_scored else 0.0,
           "own": float(((new == own) & differ).sum() / differ.sum()) if differ.any() else float("nan"),
           "donor": float(((new == don) & differ).sum() / differ.sum()) if differ.any() else float("nan")}
    ok = (new == np.asarray(batch.targets)).astype(np.float64)
    ok[~mask] = np.nan
    with np.errstate(invalid="ignore"):
        seq = np.nanmean(ok, axis=0)
    seq = seq[np.isfinite(seq)]
    res["accuracy"] = summary(seq) if seq.size else {"accuracy": float("nan"), "spread": 0.0, "n": 0}
    res["base"] = score(model, batch)
    res["n"] = int(np.asarray(batch.mask).shape[1])
    res["chance"] = res["base"]["chance"]
    return res


# ------------------------------------------------------------------ "c changes slowly, h a lot", measured
def state_change(model, batch, layer=-1):
    """The primer's claim on held-out sequences: the mean relative step-to-step change of c and of h
    (``analysis.state_change``: ‖s_t − s_{t−1}‖ over the typical ‖s‖, each state against its own size),
    averaged over every step of every sequence of ``batch``.

    Returns {"cell": mean for c (None without one), "hidden": mean for h, "ratio": hidden / cell (None
    without c), "holds": h moves more than c (None without c), "n": sequences, "steps": T}.
    """
    tr = model.forward(_lift(batch.inputs, model.dtype))
    k = layer if layer >= 0 else tr.num_layers + layer
    lay = tr.layers[k]

    def relative(seq, start):                     # ‖s_t − s_{t−1}‖ / mean_t ‖s_t‖, (T, B)
        seq = np.asarray(seq, dtype=np.float64)
        prev = np.concatenate([np.asarray(start, np.float64)[None], seq[:-1]])
        size = np.linalg.norm(seq, axis=-1).mean()
        d = np.linalg.norm(seq - prev, axis=-1)
        return d / size if size > 0 else np.zeros_like(d)
    out = {"hidden": float(relative(lay["hidden"], tr.h0[k]).mean()), "cell": None, "ratio": None, "holds": None,
           "n": int(np.asarray(batch.inputs).shape[1]), "steps": int(np.asarray(batch.inputs).shape[0])}
    if "cell" in lay:
        out["cell"] = float(relative(lay["cell"], tr.c0[k]).mean())
        out["ratio"] = out["hidden"] / out["cell"] if out["cell"] > 0 else None
        out["holds"] = out["hidden"] > out["cell"]
    return out


# ------------------------------------------------------------------ rankings kept on disk
def ranking_record(r):
    """``rank_units``'s result as plain JSON-ready numbers (what a shipped ranking file holds)."""
    b = r["base"]
    return {"units": [int(u) for u in r["units"]], "accuracy": [float(a) for a in r["accuracy"]],
            "spread": [float(s) for s in r["spread"]], "steps": None if r["steps"] is None else list(r["steps"]),
            "base": {"accuracy": b["accuracy"], "spread": b["spread"], "n": b["n"]}, "chance": r["chance"],
            "n": r["n"]}


def ranking_from_record(rec):
    """The inverse of ``ranking_record``: the dict ``rank_units`` returns (without per-sequence scores)."""
    units = np.array(rec["units"], dtype=int)
    acc = np.array(rec["accuracy"], dtype=np.float64)
    drop = rec["base"]["accuracy"] - acc
    return {"base": dict(rec["base"], chance=rec["chance"]), "units": units, "accuracy": acc,
            "spread": np.array(rec["spread"], dtype=np.float64), "drop": drop,
            "order": np.lexsort((units, -np.round(drop, 12))), "n": rec["n"], "chance": rec["chance"],
            "steps": None if rec["steps"] is None else tuple(rec["steps"])}
