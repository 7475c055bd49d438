"""The numbers behind the cell diagram: one step, one unit, with its arithmetic.

Pure NumPy (no plotting). For an LSTM step t and unit j (primer's symbols)::

    z^f = σ(a_f)   z^i = σ(a_i)   z = tanh(a_g)   z^o = σ(a_o)      a = W [x^t, h^{t-1}] + b
    c^t = z^f · c^{t-1} + z^i · z                                  (select and memorize)
    h^t = z^o · tanh(c^t)                                          (output)

GRU: r = σ(a_r), u = σ(a_u), ñ = tanh(a_n,x + r · a_n,h), h^t = (1 − u) · ñ + u · h^{t-1}.
RNN: h^t = tanh(a) (or max(0, a)).
"""
from __future__ import annotations

from typing import Mapping

import numpy as np

MINUS = "−"


def _layer_index(trace, layer):
    L = trace.num_layers
    k = layer if layer >= 0 else L + layer
    if not 0 <= k < L:
        raise IndexError(f"layer {layer} is outside 0..{L - 1}")
    return k


def initial_state(states, k, directions=1):
    """Layer k's initial state over its whole width: a bidirectional layer's two directions side by side
    (PyTorch keeps them as rows 2k and 2k + 1 of h0 / c0)."""
    s = np.asarray(states, dtype=np.float64)
    return s[k] if directions == 1 else np.concatenate([s[2 * k], s[2 * k + 1]])


def previous_step(t: int, unit: int, steps: int, width: int, directions: int = 1):
    """The step whose state ``unit`` reads at step ``t`` (0-based): t − 1, or t + 1 for a unit of the
    reverse direction of a bidirectional layer (units width/2 … width − 1, which read the sequence
    backwards); None where that direction starts (its initial state)."""
    if directions == 2 and unit >= width // 2:
        return t + 1 if t + 1 < steps else None
    return t - 1 if t > 0 else None


def cell_step(trace, t: int, unit: int, layer: int = -1) -> dict:
    """Every quantity of step ``t`` (0-based) for one ``unit`` of one layer.

    Scalars (floats) for the unit: ``h_prev``, ``hidden`` and, by cell kind,
    LSTM ``c_prev, forget, input, candidate, output, cell, cell_tanh,
    pre_forget, pre_input, pre_candidate, pre_output``; GRU ``reset, update,
    candidate, pre_reset, pre_update, pre_candidate, candidate_recurrent``;
    RNN ``pre_hidden``. Vectors: ``x_t`` (the layer's input at t, (I,)), and
    ``y`` / ``logits`` ((O,), top layer of a model with an output layer).
    Also ``cell`` kind as ``kind``, ``t``, ``unit``, ``layer`` (0-based index).
    """
    if trace.batched:
        raise ValueError("cell_step reads a single sequence, not a batch")
    k = _layer_index(trace, layer)
    L = trace.layers[k]
    T, H = L["hidden"].shape
    if not 0 <= t < T:
        raise IndexError(f"step {t} is outside 0..{T - 1}")
    if not 0 <= unit < H:
        raise IndexError(f"unit {unit} is outside 0..{H - 1}")
    x = trace.inputs[t] if k == 0 else trace.layers[k - 1]["hidden"][t]
    out = {"kind": trace.cell, "t": t, "unit": unit, "layer": k, "x_t": np.array(x)}
    D = int(getattr(trace, "directions", 1))
    prev = previous_step(t, unit, T, H, D)
    out["h_prev"] = float(initial_state(trace.h0, k, D)[unit] if prev is None else L["hidden"][prev][unit])
    if trace.cell == "lstm":
        out["c_prev"] = float(initial_state(trace.c0, k, D)[unit] if prev is None else L["cell"][prev][unit])
    for name, arr in L.items():
        out[name] = float(arr[t][unit])
    if k == trace.num_layers - 1 and trace.y is not None:
        out["y"] = np.array(trace.y[t])
        out["logits"] = np.array(trace.logits[t])
    return out


# ------------------------------------------------------------ formatting
def fmt(v: float, digits: int = 2) -> str:
    """Fixed-point text with a true minus sign; −0.00 shows as 0.00."""
    s = f"{v:.{digits}f}"
    if float(s) == 0:
        s = s.lstrip("-")
    return s.replace("-", MINUS)


def _factor(v: float, digits: int) -> str:
    """A factor inside a product: negatives in parentheses, 0.12×(−0.77)."""
    s = fmt(v, digits)
    return f"({s})" if s.startswith(MINUS) else s


def _sum(terms, digits):
    """'0.31 − 0.09' from the rounded terms."""
    parts = [fmt(terms[0], digits)]
    for v in terms[1:]:
        s = fmt(v, digits)
        parts.append(f"{MINUS} {s[1:]}" if s.startswith(MINUS) else f"+ {s}")
    return " ".join(parts)


def _product_line(lhs, pairs, result, digits):
    """lhs = a×b + c×d = p + q = r with every number the exact value rounded:
    p + q is within 1.5 units of the last digit of r, and a×b within
    rounding of p (half a unit per factor, times the other factor)."""
    shown = " + ".join(f"{_factor(a, digits)}×{_factor(b, digits)}" for a, b in pairs)
    prods = [a * b for a, b in pairs]
    return f"{lhs} = {shown} = {_sum(prods, digits)} = {fmt(result, digits)}"


def arithmetic_lines(trace, t: int, unit: int, layer: int = -1, digits: int = 2,
                     nonlinearity: str | None = None) -> list:
    """(stage key, plain text) lines of step ``t`` for ``unit`` with the real numbers.

    LSTM keys: forget, input, candidate, output_gate, memorize, output.
    GRU keys: reset, update, candidate, mix. RNN key: hidden.
    Example: ("memorize", "c = 0.77×0.40 + 0.12×(−0.77) = 0.31 − 0.09 = 0.22").
    Every number is the exact value rounded to ``digits``; so the printed
    terms add up to the printed result within 1.5 units of the last digit
    (the exact values belong in hover text).
    """
    s = cell_step(trace, t, unit, layer)
    f = lambda v: fmt(v, digits)  # noqa: E731
    if s["kind"] == "lstm":
        return [
            ("forget", f"z^f = σ({f(s['pre_forget'])}) = {f(s['forget'])}"),
            ("input", f"z^i = σ({f(s['pre_input'])}) = {f(s['input'])}"),
            ("candidate", f"z = tanh({f(s['pre_candidate'])}) = {f(s['candidate'])}"),
            ("output_gate", f"z^o = σ({f(s['pre_output'])}) = {f(s['output'])}"),
            ("memorize", _product_line("c", [(s["forget"], s["c_prev"]), (s["input"], s["candidate"])],
                                       s["cell"], digits)),
            ("output", f"h = {_factor(s['output'], digits)}×tanh({f(s['cell'])}) = "
                       f"{_factor(s['output'], digits)}×{_factor(s['cell_tanh'], digits)} = {f(s['hidden'])}"),
        ]
    if s["kind"] == "gru":
        ax = s["pre_candidate"] - s["reset"] * s["candidate_recurrent"]
        keep = 1.0 - s["update"]
        return [
            ("reset", f"r = σ({f(s['pre_reset'])}) = {f(s['reset'])}"),
            ("update", f"u = σ({f(s['pre_update'])}) = {f(s['update'])}"),
            ("candidate", f"ñ = tanh({f(ax)} + {_factor(s['reset'], digits)}×"
                          f"{_factor(s['candidate_recurrent'], digits)}) = tanh({f(s['pre_candidate'])}) = "
                          f"{f(s['candidate'])}"),
            ("mix", _product_line("h", [(keep, s["candidate"]), (s["update"], s["h_prev"])],
                                  s["hidden"], digits)),
        ]
    pre, h = s["pre_hidden"], s["hidden"]
    if nonlinearity is None:
        nonlinearity = "tanh" if abs(np.tanh(pre) - h) <= 1e-6 * max(1.0, abs(h)) else "relu"
    if nonlinearity == "relu":
        return [("hidden", f"h = max(0, {f(pre)}) = {f(h)}")]
    return [("hidden", f"h = tanh({f(pre)}) = {f(h)}")]


# ---------------------------------------------------------- unit ranking
def top_units(layer_values: Mapping, k: int, by: str = "variation", names=None) -> list:
    """Indices of the ``k`` most interesting units, best first.

    by "activity": mean over time of |v|; by "variation": standard deviation
    over time of v; each averaged over ``names`` (default ``("hidden",)``) of
    the (T, H) arrays in ``layer_values``. Ties keep the lower index first.
    """
    if by not in ("activity", "variation"):
        raise ValueError(f"by must be 'activity' or 'variation'; got {by!r}")
    names = tuple(names or ("hidden",))
    score = 0.0
    for n in names:
        v = np.asarray(layer_values[n], dtype=np.float64)
        score = score + (np.abs(v).mean(axis=0) if by == "activity" else v.std(axis=0))
    score = np.asarray(score)
    k = max(0, min(int(k), score.shape[0]))
    return [int(i) for i in np.argsort(-score, kind="stable")[:k]]
