"""One run → the trace player's data: every value of every step, packed small.

Pure NumPy and the string catalogue; no Streamlit. ``player_data`` builds the
dict the browser player (``ui/player/assets/player.js``) draws from, and that
``ui.player.export`` writes into a standalone HTML file; ``decode`` turns it
back into arrays (tests, and anyone checking the numbers).

Packing (``quantize``): each array (one value of one layer, T × H, time-major)
is mapped affinely onto 16-bit codes 0 … 65534 between its own finite minimum
``lo`` and maximum ``hi``::

    code = round((v − lo) / step),   step = (hi − lo) / 65534,   v' = lo + code · step

sent as little-endian uint16, base64. Code 65535 marks a value that was NaN or
infinite (shown as "—"). **Quantization error:** |v' − v| ≤ step / 2 =
(hi − lo) / 131068 for every finite value; for a gate in 0 … 1 that is
≤ 7.7e-6, for a value spanning −1 … 1 ≤ 1.6e-5, for a cell state spanning
−10 … 10 ≤ 1.6e-4. So the hover's three decimals and the arithmetic's two
are the exact value's rounding except when the exact value lies within that
distance of a rounding boundary (then the last digit may differ by one).
``max_error(data)`` gives the bound of a payload; ``data["quant_err"]`` holds
it too.

**Derived values** (``DERIVED``): a value the cell computes from one other by a
fixed function — a gate z = σ(a) from its pre-activation a, the candidate
z = tanh(a), tanh(c) from c, an RNN's h = tanh(a) or max(0, a) — is not sent;
the browser (and ``decode``) applies the function to the decoded source. σ
shrinks an error 4×, tanh and max(0, ·) never grow it, so a derived value is
within its source's bound; ``player_data`` checks, on the run itself, that every
derived value is within ``data["quant_err"]`` of the exact one (else it sends
the array, e.g. a gate clamped by an intervention). ``layer_data["derived"]``
names them: {name: [function, source]}.

Size: 2 bytes per value, 4/3 for base64, so an LSTM's 6 sent arrays (the four
pre-activations, c and h; its 5 other values derived) at T = 200, H = 64 are
~205 kB, at T = 2,000, H = 250 ~8 MB, and the payload grows linearly in T · H.
"""
from __future__ import annotations

import base64
import hashlib

import numpy as np

from lstm_core import notation

from ..figures.arithmetic import initial_state
from ..i18n import catalogue, normalize_lang
from ..parsing import display_token

FORMAT = 2            # 2: layer_data["derived"] (values computed in the browser from another)
QMAX = 65534          # largest code of a finite value
NONFINITE = 65535     # code of NaN / ±inf
TOKEN_CHARS = 24      # a longer token is cut with "…" (the strip, ticks and hover show it)

# What the heatmaps stack, top to bottom, per cell kind (the primer's order of the stages).
STACK = {
    "lstm": ("forget", "input", "output", "candidate", "cell", "cell_tanh", "hidden"),
    "gru": ("reset", "update", "candidate", "hidden"),
    "rnn": ("hidden",),
}
# What the cell diagram and the arithmetic also need (pre-activations).
EXTRA = {
    "lstm": ("pre_forget", "pre_input", "pre_candidate", "pre_output"),
    "gru": ("pre_reset", "pre_update", "pre_candidate", "candidate_recurrent"),
    "rnn": ("pre_hidden",),
}
# What the browser computes instead of receiving: name → (function, source), when the run agrees (see above).
DERIVED = {
    "lstm": {"forget": ("sigmoid", "pre_forget"), "input": ("sigmoid", "pre_input"),
             "output": ("sigmoid", "pre_output"), "candidate": ("tanh", "pre_candidate"),
             "cell_tanh": ("tanh", "cell")},
    "gru": {"reset": ("sigmoid", "pre_reset"), "update": ("sigmoid", "pre_update"),
            "candidate": ("tanh", "pre_candidate")},
    "rnn": {"hidden": (None, "pre_hidden")},          # None: the RNN's own nonlinearity, tanh or relu
}
FUNCTIONS = {"sigmoid": lambda a: 0.5 * np.tanh(0.5 * a) + 0.5, "tanh": np.tanh, "relu": lambda a: np.maximum(a, 0.0)}
SIGMOID = frozenset(notation.SIGMOID_VALUES)   # gates: 0 … 1
SIGNED = frozenset({"candidate", "cell_tanh", "hidden"})    # −1 … 1 by construction (tanh); ReLU widens


# ------------------------------------------------------------------ packing
def quantize(a) -> dict:
    """``a`` (any shape) → {"b64", "lo", "step", "shape"}; see the module docstring."""
    v = np.asarray(a, dtype=np.float64)
    finite = np.isfinite(v)
    if finite.any():
        lo, hi = float(v[finite].min()), float(v[finite].max())
    else:
        lo = hi = 0.0
    step = (hi - lo) / QMAX if hi > lo else 0.0
    codes = np.zeros(v.shape, dtype="<u2")
    if step > 0:
        codes[finite] = np.rint((v[finite] - lo) / step).astype(np.int64).clip(0, QMAX)
    codes[~finite] = NONFINITE
    return {"b64": base64.b64encode(np.ascontiguousarray(codes).tobytes()).decode("ascii"),
            "lo": lo, "step": step, "shape": list(v.shape)}


def dequantize(q: dict) -> np.ndarray:
    """The values a packed array stands for (NaN where the original was not finite)."""
    codes = np.frombuffer(base64.b64decode(q["b64"]), dtype="<u2").reshape(q["shape"])
    out = q["lo"] + codes.astype(np.float64) * q["step"]
    out[codes == NONFINITE] = np.nan
    return out


def error_bound(q: dict) -> float:
    """The largest |decoded − original| of one packed array."""
    return q["step"] / 2


def derive(fn: str, source):
    """A derived value from its (decoded) source: ``FUNCTIONS[fn]``, NaN kept."""
    with np.errstate(over="ignore", invalid="ignore"):
        return FUNCTIONS[fn](np.asarray(source, dtype=np.float64))


def pack_layer(lay, cell: str, rnn_act: str | None = None) -> tuple[dict, dict]:
    """(values: {name: packed}, derived: {name: [function, source]}) of one layer's STACK + EXTRA values:
    every source packed, each candidate for ``DERIVED`` derived only where the run agrees within the
    payload's bound (the largest of the packed arrays'), else packed too."""
    names = STACK[cell] + EXTRA[cell]
    rules = {n: (fn or rnn_act or "tanh", src) for n, (fn, src) in DERIVED[cell].items()}
    values = {n: quantize(lay[n]) for n in names if n not in rules}
    bound = max(error_bound(q) for q in values.values())
    derived = {}
    for name, (fn, src) in rules.items():
        got = derive(fn, dequantize(values[src]))
        exact = np.asarray(lay[name], dtype=np.float64)
        same_gaps = np.array_equal(np.isfinite(got), np.isfinite(exact))
        if same_gaps and np.all(np.abs(got - exact)[np.isfinite(exact)] <= bound):
            derived[name] = [fn, src]
        else:
            values[name] = quantize(exact)
    return {n: values[n] for n in names if n in values}, {n: derived[n] for n in names if n in derived}


# ------------------------------------------------------------------ helpers
def _short(s: str, n: int = TOKEN_CHARS) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def _layer_index(L: int, layer: int) -> int:
    k = layer if layer >= 0 else L + layer
    if not 0 <= k < L:
        raise IndexError(f"layer {layer} is outside 0..{L - 1}")
    return k


def _absmax(a) -> float:
    v = np.asarray(a, dtype=np.float64)
    v = v[np.isfinite(v)]
    return float(np.abs(v).max()) if v.size else 0.0


def color_range(name: str, values) -> list:
    """[lo, hi] of the colour scale: gates 0 … 1; candidate, tanh(c) and h −1 … 1 (wider,
    symmetric, if the data overflows, as a ReLU RNN's h does); the cell state and
    pre-activations symmetric around 0, ±max|v| but at least ±1."""
    if name in SIGMOID:
        return [0.0, 1.0]
    m = max(1.0, _absmax(values))
    if name in SIGNED and m <= 1.0 + 1e-9:
        return [-1.0, 1.0]
    return [-m, m]


def symbol(name: str, cell: str) -> list:
    """The primer's symbol as [base, superscript]: z^f → ["z", "f"], tanh(c) → ["tanh(c)", ""]."""
    s = notation.symbol(name, cell).replace(r"\tanh", "tanh").replace(r"\tilde{n}", "ñ")
    base, _, sup = s.partition("^")
    return [base, sup.strip("{}")]


def strings(lang: str) -> dict:
    """Every ``player.*`` string of ``lang``, without the prefix."""
    return {k[len("player."):]: v for k, v in catalogue(normalize_lang(lang)).items() if k.startswith("player.")}


def _describe(trace, model: dict | None) -> dict:
    d = dict(model or {})
    return {
        "cell": trace.cell,
        "hidden": int(d.get("hidden_size", trace.hidden_size)),
        "layers": int(d.get("num_layers", trace.num_layers)),
        "inputs": int(d.get("input_size", trace.inputs.shape[-1])),
        "params": d.get("params"),
        "nonlinearity": d.get("nonlinearity"),
        "output": d.get("output"),
    }


def _nonlinearity(trace, k, desc):
    """"tanh" or "relu" for an RNN (from the model, else read off the trace)."""
    if desc.get("nonlinearity") in ("tanh", "relu"):
        return desc["nonlinearity"]
    lay = trace.layers[k]
    pre, h = np.asarray(lay["pre_hidden"], np.float64), np.asarray(lay["hidden"], np.float64)
    return "tanh" if np.allclose(np.tanh(pre), h, atol=1e-5) else "relu"


# ------------------------------------------------------------------ the payload
def player_data(run=None, *, trace=None, tokens=None, model=None, lang: str = "en", layer: int = -1,
                unit: int = 0, t: int = 1, color_by: str = "hidden", title: str | None = None,
                predictions=None, expected=None) -> dict:
    """The player's data for one layer of one forward pass.

    Pass a ``ui.model_source.Run`` (``.trace``, ``.tokens``, ``.model``), or
    ``trace`` (an ``lstm_core.Trace`` of one sequence) with ``tokens`` (T
    strings) and optionally ``model`` (``model.describe()``). ``layer`` is the
    layer shown (negative counts from the top), ``unit`` (0-based) and ``t``
    (1-based, as in the URL) where the player starts; both are clamped.
    ``predictions`` (one list per step of (label, probability), most likely
    first, as ``lstm_core.causal.top_k`` gives) and ``expected`` (the answer the
    task expects at each step, or None) show the output layer's y^t as tokens.
    """
    if run is not None:
        trace, tokens, model = run.trace, run.tokens, getattr(run, "model", None)
    if trace is None or tokens is None:
        raise ValueError("player_data needs a run, or a trace and its tokens")
    if trace.batched:
        raise ValueError("the player shows one sequence, not a batch")
    cell, T, H, L = trace.cell, trace.steps, trace.hidden_size, trace.num_layers
    if len(tokens) != T:
        raise ValueError(f"{len(tokens)} tokens for {T} steps")
    lang = normalize_lang(lang)
    k = _layer_index(L, layer)
    lay = trace.layers[k]
    desc = _describe(trace, model)
    D = int(getattr(trace, "directions", 1))   # 2: units 0..H/2-1 read left to right (→), the rest right to left (←)

    names = STACK[cell]
    rnn_act = _nonlinearity(trace, k, desc) if cell == "rnn" else None
    values, derived = pack_layer(lay, cell, rnn_act)
    x = np.asarray(trace.inputs if k == 0 else trace.layers[k - 1]["hidden"], dtype=np.float64)
    head = min(3, x.shape[1])
    layer_block = {
        "values": values,
        "derived": derived,
        "h0": [float(v) for v in initial_state(trace.h0, k, D)],
        "c0": [float(v) for v in initial_state(trace.c0, k, D)] if trace.c0 is not None else None,
        "x": {"size": int(x.shape[1]), "norm": quantize(np.linalg.norm(x, axis=1)), "head": quantize(x[:, :head])},
    }
    y = None
    if k == L - 1 and trace.y is not None:
        yy = np.asarray(trace.y, dtype=np.float64)
        y = {"size": int(yy.shape[1]), "argmax": [int(i) for i in np.argmax(yy, axis=1)],
             "max": quantize(yy.max(axis=1))}
    ranges = {n: color_range(n, lay[n]) for n in names + EXTRA[cell]}
    if cell == "lstm":   # c^{t-1} and c^t share one scale, which must also hold c0
        m = max(ranges["cell"][1], _absmax(trace.c0[k]))
        ranges["cell"] = [-m, m]

    tok = [_short(display_token(str(s))) for s in tokens]
    digest = hashlib.sha1()
    for n in sorted(values):
        digest.update(values[n]["b64"].encode())
    digest.update("\x1f".join(tok).encode("utf-8"))
    digest.update(f"{cell}/{k}/{L}".encode())

    strs = strings(lang)
    params = desc["params"]
    desc["text"] = strs["model"].format(cell=cell.upper(), hidden=desc["hidden"], layers=desc["layers"],
                                        inputs=desc["inputs"], params=f"{params:,}" if params is not None else "?")
    if L > 1:
        desc["text"] += " · " + strs["layer"].format(n=k + 1, L=L)
    data = {
        "format": FORMAT,
        "id": digest.hexdigest()[:16],
        "lang": lang,
        "cell": cell,
        "T": T, "H": H, "L": L,
        "layer": k,
        "t": int(min(max(int(t), 1), T)),
        "unit": int(min(max(int(unit), 0), H - 1)),
        "color_by": color_by if color_by in names else "hidden",
        "rows": None,             # the units the heatmaps show, in order; None: all (ui.player.component sets it)
        "directions": D,          # 2: the first H/2 units are → (previous step t−1), the last H/2 ← (previous t+1)
        "names": list(names),
        "gates": [n for n in names if n in SIGMOID],
        "symbols": {n: symbol(n, cell) for n in names},
        "ranges": ranges,
        "rnn_act": rnn_act,
        "tokens": tok,
        "model": desc,
        "title": title,
        "layer_data": layer_block,
        "y": y,
        "strings": strs,
    }
    data["predict"] = _predict(predictions, expected, T)
    data["quant_err"] = max_error(data)
    return data


def _predict(predictions, expected, T):
    """The output layer's top outputs per step as labels (probabilities to 3 decimals), or None."""
    if predictions is None:
        return None
    if len(predictions) != T or (expected is not None and len(expected) != T):
        raise ValueError(f"predictions for {len(predictions)} steps, expected {T}")
    top = [[[_short(display_token(str(label))), round(float(p), 3)] for label, p in step] for step in predictions]
    exp = None if expected is None else [None if e is None else _short(display_token(str(e))) for e in expected]
    return {"top": top, "expected": exp}


def max_error(data: dict) -> float:
    """The largest quantization error of any value in ``data``, derived ones included (see the module
    docstring: ``player_data`` derives a value only where it stays within this)."""
    return max(error_bound(q) for q in data["layer_data"]["values"].values())


def _with_derived(data: dict, sent: dict) -> dict:
    """``sent`` ({name: array} of the packed values) plus the derived ones, in the order of STACK + EXTRA."""
    out = dict(sent)
    for name, (fn, src) in data["layer_data"].get("derived", {}).items():
        out[name] = derive(fn, sent[src])
    order = STACK[data["cell"]] + EXTRA[data["cell"]]
    return {n: out[n] for n in order if n in out}


def decode(data: dict) -> dict:
    """The arrays ``data`` stands for: {"values": {name: (T, H)}, "x_norm": (T,), "x_head": (T, ≤3),
    "h0", "c0": (H,), "y_max": (T,) or None}; what the browser decodes, in NumPy."""
    blk = data["layer_data"]
    return {
        "values": _with_derived(data, {n: dequantize(q) for n, q in blk["values"].items()}),
        "x_norm": dequantize(blk["x"]["norm"]),
        "x_head": dequantize(blk["x"]["head"]),
        "h0": np.asarray(blk["h0"]),
        "c0": None if blk["c0"] is None else np.asarray(blk["c0"]),
        "y_max": None if data["y"] is None else dequantize(data["y"]["max"]),
    }


def payload_bytes(data: dict) -> int:
    """Bytes of ``data`` as JSON, what Streamlit sends to the browser."""
    import json
    return len(json.dumps(data, ensure_ascii=False).encode("utf-8"))


def _code_at(b64: str, i: int) -> int:
    """The i-th uint16 code of a base64 string, decoding only the 4-character groups that hold it."""
    b = 2 * i
    start = (b // 3) * 4
    chunk = base64.b64decode(b64[start:start + 8])
    off = b % 3
    return chunk[off] | (chunk[off + 1] << 8)


def value_at(q: dict, index: int) -> float:
    """One value of a packed array (flat, time-major index) without decoding the rest."""
    code = _code_at(q["b64"], index)
    return float("nan") if code == NONFINITE else q["lo"] + code * q["step"]


def step_values(data: dict, t: int, unit: int) -> dict:
    """Every value of ``unit`` at 1-based step ``t``, read straight from the payload (the static view)."""
    H = data["H"]
    s = min(max(int(t), 1), data["T"]) - 1
    sent = {n: value_at(q, s * H + int(unit)) for n, q in data["layer_data"]["values"].items()}
    return {n: float(v) for n, v in _with_derived(data, sent).items()}
