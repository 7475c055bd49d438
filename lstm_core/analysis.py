"""Measurements the teaching pages show: gradient flow, state change, memory.

Pure NumPy on top of ``model.forward`` / ``model.backward``. Shapes: T steps,
I inputs, H units. Every function takes one sequence ``xs`` of shape (T, I)
and measures the top layer. Nothing here trains: the experiments that train
a model to measure it (recall against the gap) are ``lstm_core.training.experiments``.

    >>> import numpy as np, lstm_core
    >>> from lstm_core import analysis
    >>> m = lstm_core.LSTM.init(3, 4, seed=0)
    >>> flow = analysis.gradient_flow(m, np.eye(3)[[0, 1, 2, 1]])
    >>> flow["grad_hidden"].shape, flow["forget_product"].shape
    ((4,), (4,))
"""
from __future__ import annotations

import numpy as np

from .models import CELLS, LSTM
from .notation import CELL_KINDS, ROW_ORDER, SIGMOID_VALUES, TRACE_VALUES

# the gates (sigmoid values) of each cell, in trace order: LSTM forget, input, output; GRU reset, update
SATURATION_GATES = {k: tuple(n for n in TRACE_VALUES[k] if n in SIGMOID_VALUES) for k in CELL_KINDS}


# ------------------------------------------------------------ gradient flow
def readout(hidden_size, dtype=np.float64):
    """The fixed readout w of ``gradient_flow``'s loss: w = (1, …, 1) / √H, so ‖w‖ = 1."""
    return np.full(hidden_size, 1.0 / np.sqrt(hidden_size), dtype)


def scaled(model, weight_scale):
    """A copy of ``model`` whose recurrent weights W_hh (every layer) are multiplied by ``weight_scale``."""
    m = model.copy()
    for name in [n for n in m.params if n.startswith("weight_hh_l")]:   # both directions of every layer
        m.params[name] = m.params[name] * weight_scale
    return m


def forget_product(forget):
    """Running product of forget gates from step t to the end.

        P[t, j] = ∏_{s=t+1}^{T-1} f[s, j]         (T, H), P[T-1] = 1

    Along the cell path c_s = f_s ⊙ c_{s-1} + …, this is ∂c_{T-1}/∂c_t with
    the other paths cut: how much of c_t survives to the last step.
    """
    f = np.asarray(forget, dtype=np.float64)
    P = np.ones_like(f)
    for t in range(f.shape[0] - 2, -1, -1):
        P[t] = P[t + 1] * f[t + 1]
    return P


def gradient_flow(model, xs, weight_scale=1.0):
    """How much of a loss at the last step reaches each earlier step.

    Loss: L = w · h_{T-1}, the top layer's last hidden state read by the fixed
    vector w = (1, …, 1)/√H (``readout``). The model's own output layer is not
    used, so the three cells are measured the same way. BPTT gives

        grad_hidden[t] = ‖∂L/∂h_t‖                     (T,)
        grad_cell[t]   = ‖∂L/∂c_t‖   (LSTM, else None)  (T,)

    (total derivatives through every later step, from ``backward``'s
    ``d_hidden`` / ``d_cell``). For the LSTM, ``forget_units`` = P (T, H)
    from ``forget_product`` and ``forget_product`` its mean over units (T,).
    ``weight_scale`` multiplies W_hh of a copy of the model (``scaled``):
    below 1 gradients vanish faster, above 1 they can explode.
    """
    m = scaled(model, weight_scale) if weight_scale != 1.0 else model
    xs = np.asarray(xs, dtype=m.dtype)
    trace = m.forward(xs)
    T, H = trace["hidden"].shape
    d_h = np.zeros((T, H), m.dtype)
    d_h[-1] = readout(H, m.dtype)
    g = m.backward(trace, d_hidden=d_h)
    out = {"cell": m.kind, "weight_scale": float(weight_scale), "trace": trace,
           "grad_hidden": np.linalg.norm(g["d_hidden"], axis=-1),
           "grad_cell": None, "forget_product": None, "forget_units": None}
    if m.kind == "lstm":
        P = forget_product(trace["forget"])
        out.update(grad_cell=np.linalg.norm(g["d_cell"], axis=-1), forget_units=P, forget_product=P.mean(-1))
    out["weight_grad_norm"] = float(np.sqrt(sum(float(np.vdot(g[k], g[k])) for k in m.params if k in g)))
    return out


def gradient_clipping(flow, max_norm=1.0):
    """What clipping by the global norm does to ``gradient_flow``'s gradient.

    The trainer (``lstm_core.training``, default ``clip=1.0``) scales the
    gradient of all weights together before each update:

        s = min(1, max_norm / ‖∂L/∂θ‖),   ∂L/∂θ ← s · ∂L/∂θ

    Every weight gradient is a sum over steps of terms linear in ∂L/∂h_t, so
    clipping multiplies every step's ‖∂L/∂h_t‖ (and ‖∂L/∂c_t‖) by the same s:
    an exploding update is cut to ``max_norm``, and the shape over time (which
    steps get how much) is unchanged; a vanishing gradient stays vanished.

    Returns {"norm": ‖∂L/∂θ‖ before, "scale": s, "clipped_norm": s·‖∂L/∂θ‖,
    "grad_hidden", "grad_cell" (scaled, or None), "forget_product" (unchanged)}.
    """
    if not max_norm > 0:
        raise ValueError(f"max_norm must be above 0; got {max_norm!r}")
    norm = float(flow["weight_grad_norm"])
    s = min(1.0, max_norm / norm) if norm > 0 else 1.0
    cell = flow.get("grad_cell")
    return {"norm": norm, "scale": s, "clipped_norm": s * norm, "cell": flow.get("cell"),
            "grad_hidden": s * np.asarray(flow["grad_hidden"]),
            "grad_cell": None if cell is None else s * np.asarray(cell),
            "forget_product": flow.get("forget_product")}


# ------------------------------------------------------------ state change
def state_change(trace):
    """Step-to-step change of the top layer's states, with the initial state as step -1.

        hidden[t] = ‖h_t − h_{t−1}‖                    (T,)
        cell[t]   = ‖c_t − c_{t−1}‖  (LSTM, else None)  (T,)

    h = z^o ⊙ tanh(c) is squashed, so it is smaller than c; to compare the
    two fairly each is also given relative to its own typical size:

        hidden_rel[t] = hidden[t] / mean_s ‖h_s‖,   cell_rel[t] = cell[t] / mean_s ‖c_s‖

    The primer's claim "c changes slowly, h a lot", measured.
    """
    def diffs(seq, start):
        seq = np.asarray(seq, dtype=np.float64)
        prev = np.concatenate([np.asarray(start, np.float64)[None], seq[:-1]])
        d = np.linalg.norm(seq - prev, axis=-1)
        size = np.linalg.norm(seq, axis=-1).mean()
        return d, d / size if size > 0 else np.zeros_like(d)
    h, h_rel = diffs(trace["hidden"], trace.h0[-1])
    out = {"hidden": h, "hidden_rel": h_rel, "cell": None, "cell_rel": None}
    if trace.cell == "lstm":
        out["cell"], out["cell_rel"] = diffs(trace["cell"], trace.c0[-1])
    return out


# ---------------------------------------------------- first token influence
def influence_matrix(model, xs, batch_rows=128):
    """J[t, s] = ‖∂h_t/∂x_s‖_F for s ≤ t (0 above the diagonal), shape (T, T).

    Exact, by BPTT. The sequence is run once as a batch of G·H copies
    (G = max(1, batch_rows // H)). Backward is called for G target steps at
    a time: copy (g, k) is seeded with ∂L/∂h_t = e_k at its target step t,
    so its input gradient holds ∂h_t[k]/∂x_s for every s; the Frobenius norm
    sums over the H units k and the I inputs. About T/G backward passes.
    """
    xs = np.asarray(xs, dtype=model.dtype)
    T, H = xs.shape[0], model.hidden_size
    G = max(1, min(T, batch_rows // H))
    trace = model.forward(np.repeat(xs[:, None, :], G * H, axis=1))      # (T, G·H, ·)
    eye = np.eye(H, dtype=model.dtype)
    J = np.zeros((T, T))
    for start in range(0, T, G):
        targets = range(start, min(T, start + G))
        d_h = np.zeros((T, G * H, H), model.dtype)
        for g, t in enumerate(targets):
            d_h[t, g * H:(g + 1) * H] = eye                             # copy (g, k) asks for h_t[k]
        dX = model.backward(trace, d_hidden=d_h)["input"].astype(np.float64)   # (T, G·H, I)
        sq = (dX ** 2).reshape(T, G, H, -1).sum(axis=(2, 3))            # (T, G)
        for g, t in enumerate(targets):
            J[t, : t + 1] = np.sqrt(sq[: t + 1, g])
    return J


def influence_matrix_perturb(model, xs, eps=1e-6):
    """Check of ``influence_matrix``'s first column by central differences.

        ∂h_t/∂x_0[i] ≈ (h_t(x_0 + ε e_i) − h_t(x_0 − ε e_i)) / 2ε    for all t at once

    One batched forward of 2I sequences; returns ‖∂h_t/∂x_0‖_F, shape (T,).
    """
    xs = np.asarray(xs, dtype=np.float64)
    I = xs.shape[1]
    batch = np.repeat(xs[:, None, :], 2 * I, axis=1)
    batch[0, np.arange(I), np.arange(I)] += eps
    batch[0, I + np.arange(I), np.arange(I)] -= eps
    h = model.astype(np.float64).forward(batch)["hidden"]               # (T, 2I, H)
    jac = (h[:, :I] - h[:, I:]) / (2 * eps)                             # (T, I, H)
    return np.sqrt((jac ** 2).sum(axis=(1, 2)))


def first_token_influence(model, xs):
    """How strongly the first input still moves the state at every later step.

        norm[t]  = ‖∂h_t/∂x_0‖_F                               (T,)
        share[t] = ‖∂h_t/∂x_0‖_F / Σ_{s≤t} ‖∂h_t/∂x_s‖_F        (T,), share[0] = 1

    ``share`` is the first token's part of everything that moves h_t; it
    fades as t moves away from the first token. ``matrix`` is the full J
    from ``influence_matrix`` (T, T).
    """
    J = influence_matrix(model, xs)
    total = J.sum(axis=1)
    share = np.divide(J[:, 0], total, out=np.zeros_like(total), where=total > 0)
    return {"norm": J[:, 0].copy(), "share": share, "matrix": J}


# ------------------------------------------------------------- saturation
def gate_saturation(trace, low=0.1, high=0.9, layer=-1):
    """How often each gate unit is saturated (Karpathy et al. 2015, fig. 4).

    For every gate g of the cell (LSTM: forget, input, output; GRU: reset,
    update; the RNN has none) and unit j, over all steps (and batch rows):

        left[g][j]  = mean_t [ g_t[j] < low ]           (H,)
        right[g][j] = mean_t [ g_t[j] > high ]          (H,)

    Returns {gate: {"left": (H,), "right": (H,)}}. A unit with right ≈ 1
    is a gate that is almost always open (e.g. a forget gate that remembers).
    """
    values = trace.layers[layer]
    out = {}
    for gate in SATURATION_GATES[trace.cell]:
        v = np.asarray(values[gate])
        v = v.reshape(-1, v.shape[-1])
        out[gate] = {"left": (v < low).mean(axis=0), "right": (v > high).mean(axis=0)}
    return out


# --------------------------------------------------------------- compare
def compare_cells(input_size, hidden_size, seed, xs, weight_scale=1.0, forget_bias=1.0,
                  kinds=("rnn", "gru", "lstm"), influence=True, output_size=None):
    """RNN, GRU and LSTM with the same sizes and seed, measured on the same ``xs``.

    Returns {kind: {"model", "trace", "gradient" (``gradient_flow``),
    "change" (``state_change``), "influence" (``first_token_influence`` or
    None), "params" (``param_count()``)}}. ``forget_bias`` is the LSTM's
    initial forget bias (see ``LSTM._after_init``); ``output_size`` adds a
    softmax output layer y = softmax(W' h) (not used by the measurements).
    """
    out = {}
    for kind in kinds:
        kw = {"forget_bias": forget_bias} if kind == "lstm" else {}
        model = CELLS[kind].init(input_size, hidden_size, seed=seed, output_size=output_size, **kw)
        trace = model.forward(xs)
        out[kind] = {
            "model": model, "trace": trace,
            "gradient": gradient_flow(model, xs, weight_scale),
            "change": state_change(trace),
            "influence": first_token_influence(model, xs) if influence else None,
            "params": model.param_count(),
        }
    return out


def intervention_effect(model, xs, overrides):
    """Run ``xs`` with and without ``overrides`` and measure what changes.

        memory[t] = ‖s'_t − s_t‖  with s = c for the LSTM, h otherwise   (T,)
        memory_size[t] = ‖s_t‖  (the untouched run, for scale)           (T,)
        hidden[t] = ‖h'_t − h_t‖                                          (T,)
        output[t] = ‖y'_t − y_t‖_1 / 2 (total variation of the softmax;
                    ‖·‖ of the raw output for "linear"; None without one)  (T,)

    Returns those with both traces ("base", "changed").
    """
    base = model.forward(xs)
    changed = model.forward(xs, overrides=overrides)
    mem = "cell" if model.kind == "lstm" else "hidden"
    out = {"base": base, "changed": changed,
           "memory": np.linalg.norm(changed[mem] - base[mem], axis=-1),
           "memory_size": np.linalg.norm(base[mem], axis=-1),
           "hidden": np.linalg.norm(changed["hidden"] - base["hidden"], axis=-1), "output": None}
    if base.y is not None:
        d = np.asarray(changed.y) - np.asarray(base.y)
        out["output"] = np.abs(d).sum(-1) / 2 if model.output == "softmax" else np.linalg.norm(d, axis=-1)
    return out


# ------------------------------------------------------------ hand-set cell
def hand_set_lstm(units, seed=0, forget=1.0, input=0.0, candidate=0.0, output=0.0, input_size=1):
    """A small LSTM for stepping by hand: seeded weights, gate biases set exactly.

    Weights W_ih (4H, I), W_hh (4H, H) come from ``LSTM.init(input_size, units,
    seed)``; the total bias b_ih + b_hh of every unit is ``forget`` for z^f,
    ``input`` for z^i, ``candidate`` for z and ``output`` for z^o (b_hh = 0).
    """
    m = LSTM.init(input_size, units, seed=seed, forget_bias=None)
    H = units
    total = {"input": input, "forget": forget, "candidate": candidate, "output": output}
    b = np.concatenate([np.full(H, float(total[g])) for g in ROW_ORDER["lstm"]])   # PyTorch i, f, g, o
    m.params["bias_ih_l0"] = b
    m.params["bias_hh_l0"] = np.zeros(4 * H)
    return m


def weight_rows(model):
    """The LSTM's joint matrix W = [W_ih | W_hh] (4H, I + H) and bias b (4H,), rows in the
    primer's order z^f, z^i, z, z^o (unit by unit inside each block), with the row names."""
    H = model.hidden_size
    W = np.hstack([model.params["weight_ih_l0"], model.params["weight_hh_l0"]])
    b = model.params["bias_ih_l0"] + model.params["bias_hh_l0"]
    order = [(g, ROW_ORDER["lstm"].index(g)) for g in ("forget", "input", "candidate", "output")]
    rows = np.concatenate([np.arange(k * H, (k + 1) * H) for _, k in order])
    names = [(gate, j) for gate, _ in order for j in range(H)]
    return W[rows], b[rows], names


def param_counts(input_size, hidden_size, num_layers=1):
    """``param_count()`` of an RNN, GRU and LSTM of these sizes (no output layer).

    Per layer: G·(H·I_k + H·H + 2H), G = 1, 3, 4 and I_k = I for the first layer, H above.
    """
    out = {}
    for k in ("rnn", "gru", "lstm"):
        shell = CELLS[k]({}, input_size, hidden_size, num_layers)
        # read-only zero views of the right shapes: param_count() of the real layout, no memory spent
        shell.params = {n: np.broadcast_to(np.float32(0), s) for n, s in shell.expected_shapes().items()}
        out[k] = shell.param_count()
    return out
