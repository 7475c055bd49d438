"""PyTorch's and Keras's layouts of the weights, both ways.

PyTorch (the storage convention, ``model.params``): per layer k
``weight_ih_lk`` (G·H, I), ``weight_hh_lk`` (G·H, H), ``bias_ih_lk`` and
``bias_hh_lk`` (G·H,), row blocks in ``notation.ROW_ORDER`` (LSTM i, f, g, o;
GRU r, z, n); an output layer ``out.weight`` (O, H), ``out.bias`` (O,).

Keras 3 (``layer.get_weights()``): per layer ``kernel`` (I, G·H) = W_ihᵀ,
``recurrent_kernel`` (H, G·H) = W_hhᵀ, column blocks in ``notation.KERAS_ORDER``
(LSTM i, f, c, o; GRU z, r, h), and one ``bias``: (G·H,) = b_ih + b_hh, or for
the GRU (2, 3H) = [b_ih, b_hh] (``reset_after=True``).

The model classes reach these through ``LSTM.from_torch(…)``, ``model.to_torch()``,
``from_keras`` and ``to_keras``; the functions here take the class (or the
model) as their first argument, so this module imports no model.
"""
from __future__ import annotations

import numpy as np

from ..errors import WeightError
from ..notation import CELL_KINDS, KERAS_ORDER, ROW_ORDER
from .vocab import check_vocab

KERAS_LAYER = {"lstm": ("lstm", "lstm_cell"), "gru": ("gru", "gru_cell"), "rnn": ("simple_rnn", "simple_rnn_cell")}
_BLOCKS = {len(ROW_ORDER[k]): k for k in CELL_KINDS}   # row blocks G → cell kind: 4 lstm, 3 gru, 1 rnn


def shape_list(d):
    return ", ".join(f"{k} {tuple(np.shape(v))}" for k, v in d.items()) or "nothing"


# ===================================================================== PyTorch
def refuse_projection(sd):
    """WeightError naming proj_size when an LSTM's state dict has projections (``weight_hr_l{k}``)."""
    proj = sorted(k for k in sd if k.rsplit(".", 1)[-1].startswith("weight_hr_l"))
    if proj:
        P, H = np.shape(sd[proj[0]])[:2] if np.ndim(sd[proj[0]]) == 2 else ("?", "?")
        raise WeightError(f"this LSTM has projections (proj_size={P}, {proj[0]} of shape ({P}, {H})): after "
                          "every step h is multiplied down to proj_size values, which this tool does not run. "
                          "Train or save the LSTM without proj_size to look inside it here",
                          key="proj_size", proj_size=P, name=proj[0])


def from_torch(cls, state_dict, nonlinearity="tanh", output="softmax", meta=None):
    """A ``cls`` model (``LSTM``, ``GRU`` or ``RNN``) from a PyTorch state dict;
    see ``Recurrent.from_torch``. Bare names (the recurrent module's own), with
    ``_reverse`` twins for a bidirectional module, ``embed.weight`` (V, I) and
    ``out.weight`` / ``out.bias``."""
    sd = {str(k): np.asarray(v) for k, v in state_dict.items()}
    refuse_projection(sd)
    if "weight_hh_l0" not in sd or "weight_ih_l0" not in sd:
        raise WeightError("expected PyTorch names weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0 "
                          f"(then _l1 …); found {shape_list(sd)}")
    whh = sd["weight_hh_l0"]
    if whh.ndim != 2 or whh.shape[0] != cls.gates * whh.shape[1]:
        raise WeightError(f"{cls.kind.upper()} expects weight_hh_l0 of shape ({cls.gates}·H, H); "
                          f"found {tuple(whh.shape)}")
    H = whh.shape[1]
    if sd["weight_ih_l0"].ndim != 2:
        raise WeightError(f"weight_ih_l0 must be 2-D ({cls.gates}·H, I); found {sd['weight_ih_l0'].shape}")
    input_size = sd["weight_ih_l0"].shape[1]
    num_layers = 0
    while f"weight_ih_l{num_layers}" in sd:
        num_layers += 1
    sfxs = ("", "_reverse") if "weight_hh_l0_reverse" in sd else ("",)
    dtype = np.result_type(*[v.dtype for v in sd.values()], np.float32)
    if not np.issubdtype(dtype, np.floating):
        raise WeightError(f"weights must be real floating-point numbers; found {dtype}")
    p = {}
    if "embed.weight" in sd:
        p["embed.weight"] = np.ascontiguousarray(sd["embed.weight"], dtype=dtype)
    for k in range(num_layers):
        for sfx in sfxs:
            for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                key = f"{name}_l{k}{sfx}"
                if key in sd:
                    p[key] = np.ascontiguousarray(sd[key], dtype=dtype)
                elif name.startswith("bias"):
                    p[key] = np.zeros(cls.gates * H, dtype)
    if "out.weight" in sd:
        p["out.weight"] = np.ascontiguousarray(sd["out.weight"], dtype=dtype)
        p["out.bias"] = np.ascontiguousarray(sd.get("out.bias", np.zeros(sd["out.weight"].shape[0], dtype)),
                                             dtype=dtype)
    model = cls.from_params(p, input_size, H, num_layers, nonlinearity,
                            output if "out.weight" in p else None, meta)
    check_fits(model, p, sd)
    if model.vocab:
        check_vocab(model, list(model.vocab))
    return model


def check_fits(model, p, given):
    """WeightError unless the parameters ``p`` have exactly ``model.expected_shapes()`` and are finite."""
    want = model.expected_shapes()
    missing = [k for k in want if k not in p]
    wrong = [k for k in want if k in p and tuple(p[k].shape) != want[k]]
    unknown = [k for k in given if k not in want]
    if missing or wrong or unknown:
        exp = ", ".join(f"{k} {v}" for k, v in want.items())
        raise WeightError(f"these weights do not fit a {model.kind.upper()} with hidden size "
                          f"{model.hidden_size}, input size {model.input_size} and "
                          f"{model.num_layers} layer(s). Expected {exp}; found {shape_list(given)}", key="do_not_fit")
    for k, v in p.items():
        if not np.all(np.isfinite(v)):
            raise WeightError(f"{k} holds NaN or infinite values")


def to_torch(model):
    """The parameters as a PyTorch-named dict of NumPy arrays (copies)."""
    return {k: v.copy() for k, v in model.params.items()}


# ======================================================================= Keras
def _keras_perm(kind):
    """Permutation from Keras's column blocks to PyTorch's row blocks (None: the same order)."""
    perm = tuple(KERAS_ORDER[kind].index(n) for n in ROW_ORDER[kind])
    return None if perm == tuple(range(len(perm))) else perm


def _keras_rows(cls, a, H):
    perm = _keras_perm(cls.kind)
    if perm is None:
        return np.array(a)
    blocks = [a[j * H:(j + 1) * H] for j in range(cls.gates)]
    return np.concatenate([blocks[j] for j in perm])


def _keras_bias_in(cls, b, H, reset_after):
    """(b_ih, b_hh) from a Keras bias: one vector (G·H,) is b_ih, with b_hh = 0;
    the GRU's (2, 3H) holds both (and only ``reset_after=True`` has an equivalent)."""
    if cls.kind == "gru":
        if not reset_after or (b is not None and np.ndim(b) == 1):
            raise WeightError("a Keras GRU with reset_after=False applies the reset gate before the "
                              "recurrent matrix; PyTorch's GRU (and this tool) applies it after, so "
                              "there is no exact equivalent. Rebuild the layer with reset_after=True "
                              "(the Keras default).")
        if b is None:
            return np.zeros(3 * H), np.zeros(3 * H)
        b = np.asarray(b)
        if b.shape != (2, 3 * H):
            raise WeightError(f"Keras GRU expects a bias of shape (2, {3 * H}); found {b.shape}")
        return b[0], b[1]
    GH = cls.gates * H
    if b is None:
        return np.zeros(GH), np.zeros(GH)
    b = np.asarray(b)
    if b.shape != (GH,):
        raise WeightError(f"Keras {cls.kind.upper()} expects a bias of shape ({GH},); found {b.shape}")
    return b, np.zeros(GH)


def from_keras(cls, kernel, recurrent_kernel, bias=None, nonlinearity="tanh", reset_after=True,
               output=None, meta=None):
    """A ``cls`` model from Keras 3 weights, one layer or lists of them; see ``Recurrent.from_keras``."""
    ks = kernel if isinstance(kernel, (list, tuple)) else [kernel]
    rs = recurrent_kernel if isinstance(recurrent_kernel, (list, tuple)) else [recurrent_kernel]
    bs = bias if isinstance(bias, (list, tuple)) else [bias] * len(ks)
    if not (len(ks) == len(rs) == len(bs)):
        raise WeightError("give as many kernels, recurrent kernels and biases (one per layer)")
    sd = {}
    for k, (W, U, b) in enumerate(zip(ks, rs, bs)):
        W, U = np.asarray(W), np.asarray(U)
        if W.ndim != 2 or U.ndim != 2 or U.shape[1] != cls.gates * U.shape[0] or W.shape[1] != U.shape[1]:
            raise WeightError(f"Keras {cls.kind.upper()} expects kernel (I, {cls.gates}·H) and "
                              f"recurrent_kernel (H, {cls.gates}·H); found {W.shape} and {U.shape}")
        H = U.shape[0]
        b_ih, b_hh = (np.asarray(v, dtype=np.result_type(W, U)) for v in _keras_bias_in(cls, b, H, reset_after))
        sd[f"weight_ih_l{k}"] = _keras_rows(cls, W.T, H)
        sd[f"weight_hh_l{k}"] = _keras_rows(cls, U.T, H)
        sd[f"bias_ih_l{k}"] = _keras_rows(cls, b_ih, H)
        sd[f"bias_hh_l{k}"] = _keras_rows(cls, b_hh, H)
    return cls.from_torch(sd, nonlinearity=nonlinearity, output=output or "softmax", meta=meta)


def to_keras(model):
    """Keras 3 weights: per layer the list ``layer.get_weights()`` gives, [kernel,
    recurrent_kernel, bias] (a bidirectional layer: the forward direction's three,
    then the backward's, as Keras' ``Bidirectional`` lists them)."""
    H, out = model.hidden_size, []
    perm = _keras_perm(model.kind)
    inv = None if perm is None else np.argsort(perm)

    def cols(a):
        if inv is None:
            return np.array(a)
        blocks = [a[j * H:(j + 1) * H] for j in range(model.gates)]
        return np.concatenate([blocks[j] for j in inv])
    for k in range(model.num_layers):
        layer = []
        for sfx in ("", "_reverse")[:model.directions]:
            p = {n: model.params[f"{n}_l{k}{sfx}"] for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")}
            if model.kind == "gru":
                bias = np.stack([cols(p["bias_ih"]), cols(p["bias_hh"])])
            else:
                bias = cols(p["bias_ih"] + p["bias_hh"])
            layer += [cols(p["weight_ih"]).T, cols(p["weight_hh"]).T, bias]
        out.append(layer)
    return out


# ========================================================= names inside a file
def named_arrays(model, naming="torch"):
    """The model's weights under PyTorch or Keras 3 names (see ``lstm_core.files``)."""
    if naming == "torch":
        return model.to_torch()
    if naming != "keras":
        raise ValueError(f"naming must be 'torch' or 'keras', not {naming!r}")
    base, cell = KERAS_LAYER[model.kind]
    out = {}
    if model.has_embedding:
        out["embedding/embeddings"] = model.params["embed.weight"].copy()
    for k, ws in enumerate(to_keras(model)):
        if model.directions == 1:
            prefix = f"{base}_{k}" if k else base
            halves = [(f"{prefix}/{cell}", ws)]
        else:
            wrapper = f"bidirectional_{k}" if k else "bidirectional"
            halves = [(f"{wrapper}/forward_{base}/{cell}", ws[:3]), (f"{wrapper}/backward_{base}/{cell}", ws[3:])]
        for prefix, (W, U, b) in halves:
            out.update({f"{prefix}/kernel": W, f"{prefix}/recurrent_kernel": U, f"{prefix}/bias": b})
    if model.output:
        out["dense/kernel"] = model.params["out.weight"].T.copy()
        out["dense/bias"] = model.params["out.bias"].copy()
    return out


def kind_from(rec_shape, cols_are_blocks, where):
    """Cell kind from the recurrent matrix: torch (G·H, H), keras (H, G·H)."""
    if len(rec_shape) == 2 and min(rec_shape) > 0:
        rows, cols = rec_shape if not cols_are_blocks else rec_shape[::-1]
        if rows % cols == 0 and rows // cols in _BLOCKS:
            return _BLOCKS[rows // cols]
    want = "(4H, H) for an LSTM, (3H, H) for a GRU or (H, H) for a plain RNN"
    if cols_are_blocks:
        want = "(H, 4H) for an LSTM, (H, 3H) for a GRU or (H, H) for a plain RNN"
    raise WeightError(f"{where} has shape {tuple(rec_shape)}; expected {want}", key="do_not_fit")
