"""Interpretable-unit finder: which unit tracks a task's latent variable?

Run the model on a batch of sequences, take one state value per unit — the
cell state c for an LSTM, the hidden state h otherwise — and correlate it
with the latent variable (bracket depth, parity, steps since the symbol…)
over every (step, sequence) pair:

    r_j = Σ (v_j − mean v_j)(z − mean z) / √(Σ (v_j − mean v_j)² · Σ (z − mean z)²)

where v_j (T·B,) is unit j's value and z (T·B,) the latent. Units are ranked
by |r_j|; a unit that never varies gets r = 0.
"""
import numpy as np


def correlations(values, latent):
    """Pearson r of each column of ``values`` (N, H) with ``latent`` (N,) → (H,)."""
    v = np.asarray(values, np.float64)
    z = np.asarray(latent, np.float64).reshape(-1)
    if v.ndim != 2 or v.shape[0] != z.shape[0]:
        raise ValueError(f"values must be (N, H) and latent (N,); found {v.shape} and {z.shape}")
    v = v - v.mean(0)
    z = z - z.mean()
    den = np.sqrt((v * v).sum(0) * (z @ z))
    num = z @ v
    return np.divide(num, den, out=np.zeros_like(num), where=den > 1e-12)


def find_units(model, task=None, inputs=None, latent=None, value=None, n=256, seed=0, layer=-1, top=None):
    """Rank the units of ``model`` by |correlation| with a latent variable.

    Either give ``task`` (a ``lstm_core.training.tasks.Task``; ``n`` sequences are
    drawn with ``seed``), or ``inputs`` (T, B, I) with ``latent`` (T, B).
    value: "cell" (default for an LSTM) or "hidden" (default otherwise).

    Returns {"value", "latent", "best", "r", "ranking"}: the best unit, its
    signed r, and [(unit, r), …] sorted by |r| (the first ``top`` units).
    """
    name = None
    if task is not None:
        if not task.latent_name:
            raise ValueError(f"task {task.name!r} has no latent variable")
        b = task.strict().sample(np.random.default_rng(seed), n)
        inputs, latent, name = b.inputs, b.latent, task.latent_name
    if inputs is None or latent is None:
        raise ValueError("give a task, or inputs (T, B, I) and latent (T, B)")
    inputs = np.asarray(inputs)
    if inputs.ndim == 2:
        inputs = inputs[:, None]
    latent = np.asarray(latent, np.float64).reshape(inputs.shape[:2])
    value = value or ("cell" if model.kind == "lstm" else "hidden")
    tr = model.forward(inputs.astype(model.dtype))
    lv = tr.layers[layer]
    if value not in lv:
        raise ValueError(f"a {model.kind.upper()} has no value {value!r}; choose one of {', '.join(lv)}")
    v = np.asarray(lv[value]).reshape(-1, model.hidden_size)
    r = correlations(v, latent.reshape(-1))
    order = np.argsort(-np.abs(r), kind="stable")
    ranking = [(int(j), float(r[j])) for j in order[:top]]
    return {"value": value, "latent": name or (model.meta.get("latent") if model.meta else None),
            "best": ranking[0][0], "r": ranking[0][1], "ranking": ranking}


def separation(values, labels):
    """How far apart the classes sit on each unit: the standard deviation of the
    per-class means of v_j, values (N, H), labels (N,) integers → (H,).

    A unit whose value at the answer step differs most between the right
    answers is the one the output layer can read the answer from.
    """
    v = np.asarray(values, np.float64)
    y = np.asarray(labels).reshape(-1)
    means = np.stack([v[y == k].mean(0) for k in np.unique(y)])
    return means.std(0)


def memory_units(model, task, n=256, seed=0, value=None):
    """For recall-like tasks (one answer, scored at one step): rank units by how
    far apart the answers sit on their value just before the scored step.

    Returns {"value", "best", "spread", "ranking": [(unit, spread), …]}.
    """
    b = task.strict().sample(np.random.default_rng(seed), n)
    value = value or ("cell" if model.kind == "lstm" else "hidden")
    tr = model.forward(b.inputs.astype(model.dtype))
    t = int(np.nonzero(b.mask[:, 0])[0][0]) - 1           # the step before the scored one
    S = separation(np.asarray(tr[value])[t], b.targets[t + 1])
    order = np.argsort(-S, kind="stable")
    return {"value": value, "best": int(order[0]), "spread": float(S[order[0]]),
            "ranking": [(int(j), float(S[j])) for j in order]}
