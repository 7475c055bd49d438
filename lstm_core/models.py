"""RNN, LSTM and GRU models: parameters, initial values, forward, backward, overrides.

A model holds its parameters in PyTorch's names and layout
(``weight_ih_l0``, ``weight_hh_l0``, ``bias_ih_l0``, ``bias_hh_l0``, then
``_l1`` …) plus an optional output layer ``out.weight`` (O, H), ``out.bias``
(O,) that gives the primer's y^t = softmax(W' h^t) (or W' h^t for regression).
The per-layer arithmetic lives in ``cells/lstm.py``, ``cells/gru.py`` and
``cells/rnn.py``; names and gate orders in ``notation``; PyTorch's and Keras's
layouts in ``files/convert.py`` and weight files in ``files/``
(``from_torch``, ``to_keras``, ``save`` … here only hand the work over).
"""
from __future__ import annotations

import functools
from types import MappingProxyType

import numpy as np

from .cells import gru as _gru
from .cells import lstm as _lstm
from .cells import rnn as _rnn
from .cells.activations import softmax
from .cells.trace import Override, Trace, frozen, make_layer
from .files import convert, writer
from .notation import CELL_KINDS, ROW_ORDER, SIGMOID_VALUES

OUTPUT_KINDS = ("softmax", "linear")


def _later(pre_activations, X, args, h0, v, sq):
    """The pre-activations of one layer, (T, H) or (T, B, H) like the other values."""
    return {n: sq(a) for n, a in pre_activations(X, *args, h0, v).items()}


class Recurrent:
    """Shared machinery of the three cells. Use ``RNN``, ``LSTM`` or ``GRU``."""

    kind = ""
    gates = 1            # weight blocks stacked in the rows: len(notation.ROW_ORDER[kind])
    gate_names = ()      # the gates a clamp can hold, in PyTorch's row order
    kernel = None        # the cell's module in ``lstm_core.cells`` (forward, pre_activations, backward)

    def __init__(self, params, input_size, hidden_size, num_layers=1, nonlinearity="tanh",
                 output=None, meta=None):
        self.params = dict(params)
        self.input_size = int(input_size)
        self.hidden_size = int(hidden_size)
        self.num_layers = int(num_layers)
        self.nonlinearity = nonlinearity
        self.output = output if "out.weight" in self.params else None
        self.meta = dict(meta or {})

    # ------------------------------------------------------------------ facts
    @property
    def dtype(self):
        return self.params["weight_hh_l0"].dtype

    @property
    def output_size(self):
        w = self.params.get("out.weight")
        return None if w is None else w.shape[0]

    def param_count(self):
        """Number of trainable numbers (PyTorch counts both bias vectors too)."""
        return int(sum(np.size(v) for v in self.params.values()))

    def describe(self):
        return {"cell": self.kind, "input_size": self.input_size, "hidden_size": self.hidden_size,
                "num_layers": self.num_layers, "nonlinearity": self.nonlinearity,
                "output": self.output, "output_size": self.output_size,
                "params": self.param_count()}

    def __repr__(self):
        d = self.describe()
        return (f"{type(self).__name__}(input_size={d['input_size']}, hidden_size={d['hidden_size']}, "
                f"num_layers={d['num_layers']}, output={d['output']!r}, dtype={self.dtype})")

    def astype(self, dtype):
        return type(self)({k: v.astype(dtype) for k, v in self.params.items()}, self.input_size,
                          self.hidden_size, self.num_layers, self.nonlinearity, self.output, self.meta)

    def copy(self):
        return self.astype(self.dtype)

    def expected_shapes(self):
        G, H, I = self.gates, self.hidden_size, self.input_size
        out = {}
        for k in range(self.num_layers):
            out[f"weight_ih_l{k}"] = (G * H, I if k == 0 else H)
            out[f"weight_hh_l{k}"] = (G * H, H)
            out[f"bias_ih_l{k}"] = (G * H,)
            out[f"bias_hh_l{k}"] = (G * H,)
        if self.output_size is not None:
            out["out.weight"] = (self.output_size, H)
            out["out.bias"] = (self.output_size,)
        return out

    # ---------------------------------------------------------- constructors
    @classmethod
    def init(cls, input_size, hidden_size, num_layers=1, seed=0, output_size=None,
             output="softmax", dtype=np.float64, nonlinearity="tanh", **kw):
        """Seeded initial weights, drawn like PyTorch's: U(-1/√H, 1/√H)."""
        _check_sizes(input_size, hidden_size, num_layers)
        rng = np.random.default_rng(seed)
        H, G = int(hidden_size), cls.gates
        k = 1.0 / np.sqrt(H)
        p = {}
        for layer in range(num_layers):
            n_in = input_size if layer == 0 else H
            p[f"weight_ih_l{layer}"] = rng.uniform(-k, k, (G * H, n_in))
            p[f"weight_hh_l{layer}"] = rng.uniform(-k, k, (G * H, H))
            p[f"bias_ih_l{layer}"] = rng.uniform(-k, k, G * H)
            p[f"bias_hh_l{layer}"] = rng.uniform(-k, k, G * H)
        if output_size:
            if output not in OUTPUT_KINDS:
                raise ValueError(f"output must be one of {OUTPUT_KINDS}, not {output!r}")
            p["out.weight"] = rng.uniform(-k, k, (int(output_size), H))
            p["out.bias"] = np.zeros(int(output_size))
        model = cls.from_params(p, input_size, H, num_layers, nonlinearity, output if output_size else None)
        model._after_init(**kw)
        return model.astype(dtype)

    def _after_init(self, forget_bias=None):
        """Cell-specific initial values; only the LSTM has a forget gate to bias."""

    @classmethod
    def from_params(cls, params, input_size, hidden_size, num_layers, nonlinearity, output, meta=None):
        """A model from a parameter dict in PyTorch's names, checking the settings (not the shapes)."""
        if cls.kind == "rnn":
            if nonlinearity not in ("tanh", "relu"):
                raise ValueError(f"nonlinearity must be 'tanh' or 'relu', not {nonlinearity!r}")
        return cls(params, input_size, hidden_size, num_layers, nonlinearity, output, meta)

    # ------------------------------------------------- PyTorch and Keras layouts
    @classmethod
    def from_torch(cls, state_dict, nonlinearity="tanh", output="softmax", meta=None):
        """Build from a PyTorch ``nn.LSTM`` / ``nn.GRU`` / ``nn.RNN`` state dict.

        ``state_dict`` maps PyTorch's names to arrays (``.numpy()`` of each
        tensor). ``out.weight`` / ``out.bias`` (an ``nn.Linear`` after the
        recurrent layers) are taken as the output layer. Biases may be absent
        (``bias=False``); they are then zero. See ``files.convert.from_torch``.
        """
        return convert.from_torch(cls, state_dict, nonlinearity, output, meta)

    def to_torch(self):
        """The parameters as a PyTorch-named dict of NumPy arrays (copies)."""
        return convert.to_torch(self)

    @classmethod
    def from_keras(cls, kernel, recurrent_kernel, bias=None, nonlinearity="tanh", reset_after=True,
                   output=None, meta=None):
        """Build from Keras 3 weights (``layer.get_weights()``).

        Pass arrays for one layer, or lists of arrays (one per layer) for a
        stack. LSTM columns are i, f, c, o (PyTorch's order); GRU columns z, r,
        h with ``reset_after=True`` and a bias of shape (2, 3H). See
        ``files.convert.from_keras``.
        """
        return convert.from_keras(cls, kernel, recurrent_kernel, bias, nonlinearity, reset_after, output, meta)

    def to_keras(self):
        """Keras 3 weights: a list [kernel, recurrent_kernel, bias] per layer."""
        return convert.to_keras(self)

    # --------------------------------------------------------------- running
    def _prepare(self, xs, h0, c0):
        xs = np.asarray(xs, dtype=self.dtype)
        if xs.ndim not in (2, 3):
            raise ValueError(f"xs must be (T, {self.input_size}) or (T, B, {self.input_size}); found shape {xs.shape}")
        batched = xs.ndim == 3
        X = xs if batched else xs[:, None, :]
        if X.shape[-1] != self.input_size:
            raise ValueError(f"each input vector must have {self.input_size} values; found {X.shape[-1]}")
        if X.shape[0] == 0:
            raise ValueError("the sequence is empty")
        B, L, H = X.shape[1], self.num_layers, self.hidden_size

        def state(s, name):
            if s is None:
                return np.zeros((L, B, H), self.dtype)
            s = np.asarray(s, dtype=self.dtype)
            want = (L, B, H) if batched else (L, H)
            if s.shape != want:
                raise ValueError(f"{name} must have shape {want}; found {s.shape}")
            return s if batched else s[:, None, :]
        return X, batched, state(h0, "h0"), state(c0, "c0")

    def _override_arrays(self, overrides, T, B):
        """Turn Override records into per-layer (clamp_mask, clamp_value, keep) arrays."""
        L, H, G = self.num_layers, self.hidden_size, self.gates
        per_layer = [[None, None, None] for _ in range(L)]
        for ov in overrides:
            if not isinstance(ov, Override):
                raise TypeError("overrides must be lstm_core.clamp(...) or lstm_core.silence(...) records")
            layer = ov.layer if ov.layer >= 0 else L + ov.layer
            if not 0 <= layer < L:
                raise ValueError(f"override layer {ov.layer} is outside 0..{L - 1}")
            units = np.arange(H) if ov.units is None else np.asarray(ov.units)
            if units.size and (units.min() < 0 or units.max() >= H):
                raise ValueError(f"override units must lie in 0..{H - 1}; found {list(ov.units)}")
            a, b = (0, T) if ov.steps is None else ov.steps
            a, b = max(0, a), min(T, b)
            slot = per_layer[layer]
            if ov.target == "silence":
                if slot[2] is None:
                    slot[2] = np.ones((T, B, H), self.dtype)
                slot[2][a:b, :, units] = 0.0
                continue
            if ov.target not in self.gate_names or self.kind == "rnn":
                gates = ", ".join(self.gate_names) or "no gate"
                raise ValueError(f"a {self.kind.upper()} can clamp {gates} or silence units; not {ov.target!r}")
            lo, hi = (0.0, 1.0) if ov.target in SIGMOID_VALUES else (-1.0, 1.0)
            if not lo <= ov.value <= hi:
                raise ValueError(f"{ov.target} can only be clamped within {lo:g}..{hi:g}; got {ov.value}")
            if slot[0] is None:
                slot[0] = np.zeros((T, B, G * H), bool)
                slot[1] = np.zeros((T, B, G * H), self.dtype)
            cols = self.gate_names.index(ov.target) * H + units
            slot[0][a:b, :, cols] = True
            slot[1][a:b, :, cols] = ov.value
        return per_layer

    def _layer_args(self, k):
        p = self.params
        return p[f"weight_ih_l{k}"], p[f"weight_hh_l{k}"], p[f"bias_ih_l{k}"], p[f"bias_hh_l{k}"]

    def _extra(self):
        return {}

    def forward(self, xs, h0=None, c0=None, overrides=None):
        """Run the model on ``xs`` (T, I) or (T, B, I) and return a ``Trace``.

        h0, c0: initial states (num_layers, H) or (num_layers, B, H), zero by
        default; overrides: ``lstm_core.clamp`` / ``lstm_core.silence``
        records for "what if" experiments.
        """
        X, batched, H0, C0 = self._prepare(xs, h0, c0)
        X = np.array(X)                          # the trace's own copy of the inputs
        T, B = X.shape[:2]
        overrides = tuple(overrides or ())
        ovs = self._override_arrays(overrides, T, B)
        sq = (lambda a: a) if batched else (lambda a: a[:, 0] if a is not None else None)
        layers, inp = [], X
        for k in range(self.num_layers):
            mask, value, keep = ovs[k]
            args = self._layer_args(k)
            v = self.kernel.forward(inp, *args, H0[k], C0[k], mask, value, keep, **self._extra())
            later = self.kernel.LATER
            make_later = None
            if later:   # the pre-activations, recomputed on first read from a copy of this layer's weights
                make_later = functools.partial(_later, self.kernel.pre_activations, inp,
                                               tuple(np.array(a) for a in args), np.array(H0[k]), v, sq)
            layers.append(make_layer({n: sq(a) for n, a in v.items()}, later, make_later))
            inp = v["hidden"]
        logits = y = None
        if self.output:
            logits = inp @ self.params["out.weight"].T + self.params["out.bias"]
            y = softmax(logits) if self.output == "softmax" else logits
        return Trace(
            cell=self.kind, inputs=frozen(X if batched else X[:, 0]),
            layers=tuple(layers),
            h0=frozen(H0 if batched else H0[:, 0]),
            c0=frozen(C0 if batched else C0[:, 0]) if self.kind == "lstm" else None,
            logits=None if logits is None else frozen(sq(logits)),
            y=None if y is None else frozen(sq(y)),
            overrides=overrides, batched=batched,
            masks=MappingProxyType(
                {"_per_layer": tuple(tuple(None if a is None else frozen(a) for a in s) for s in ovs)}),
        )

    def backward(self, trace, d_hidden=None, d_cell=None, d_logits=None):
        """Backpropagation through time.

        d_hidden: ∂L/∂h_t of the top layer, shaped like ``trace["hidden"]``;
        d_cell (LSTM): ∂L/∂c_t of the top layer; d_logits: ∂L/∂(W' h_t + b),
        shaped like ``trace.logits`` (for softmax cross-entropy it is y − target).

        Returns the gradients under ``to_torch()``'s names, plus ``"input"``
        (∂L/∂xs), ``"h0"`` (and ``"c0"`` for the LSTM), and per-step totals
        ``"d_hidden"`` / ``"d_cell"`` of the top layer ((T, H) or (T, B, H)),
        with ``"d_hidden_l{k}"`` / ``"d_cell_l{k}"`` for every layer.
        """
        b = trace.batched
        lift = (lambda a: np.asarray(a, self.dtype)) if b else (lambda a: np.asarray(a, self.dtype)[:, None])
        X = lift(trace.inputs)
        T, B = X.shape[:2]
        H, L = self.hidden_size, self.num_layers
        layers = [{n: lift(lv[n]) for n in self.kernel.BACKWARD_NEEDS} for lv in trace.layers]
        H0 = lift(trace.h0) if b else np.asarray(trace.h0, self.dtype)[:, None]
        C0 = None
        if trace.c0 is not None:
            C0 = lift(trace.c0) if b else np.asarray(trace.c0, self.dtype)[:, None]
        shape = (T, B, H)
        dH = np.zeros(shape, self.dtype) if d_hidden is None else lift(d_hidden).reshape(shape).copy()
        dC = None if d_cell is None else lift(d_cell).reshape(shape)
        grads = {}
        if self.output:
            dZ = np.zeros((T, B, self.output_size), self.dtype) if d_logits is None else \
                lift(d_logits).reshape(T, B, self.output_size)
            top = layers[-1]["hidden"]
            grads["out.weight"] = dZ.reshape(T * B, -1).T @ top.reshape(T * B, H)
            grads["out.bias"] = dZ.reshape(T * B, -1).sum(0)
            dH += dZ @ self.params["out.weight"]
        ovs = trace.masks["_per_layer"]
        out = {}
        dh0 = [None] * L
        dc0 = [None] * L
        for k in range(L - 1, -1, -1):
            inp = X if k == 0 else layers[k - 1]["hidden"]
            mask, _, keep = ovs[k]
            w_ih, w_hh, _, _ = self._layer_args(k)
            dX, g, dh0[k], dc0[k], dhid, dcell = self.kernel.backward(
                inp, w_ih, w_hh, layers[k], H0[k], None if C0 is None else C0[k], dH,
                dC if k == L - 1 else None, mask, keep, **self._extra())
            for n, v in g.items():
                grads[f"{n}_l{k}"] = v
            sq = (lambda a: a) if b else (lambda a: a[:, 0])
            out[f"d_hidden_l{k}"] = sq(dhid)
            if dcell is not None:
                out[f"d_cell_l{k}"] = sq(dcell)
            dH = dX
        result = {k: grads[k] for k in self.params}
        result["input"] = dH if b else dH[:, 0]
        st = (lambda a: a) if b else (lambda a: a[:, 0])
        result["h0"] = st(np.stack(dh0))
        if self.kind == "lstm":
            result["c0"] = st(np.stack(dc0))
        result.update(out)
        result["d_hidden"] = out[f"d_hidden_l{L - 1}"]
        if self.kind == "lstm":
            result["d_cell"] = out[f"d_cell_l{L - 1}"]
        return result

    # ----------------------------------------------------------- weight files
    def save(self, path, naming="torch", meta=None):
        """Write the weights (and ``meta``, added to ``self.meta``) to ``.npz`` or
        ``.safetensors``; see ``lstm_core.files.writer``."""
        writer.save(self, path, naming=naming, meta=meta)


def _check_sizes(input_size, hidden_size, num_layers):
    for name, v, lo, hi in (("input size", input_size, 1, 100_000), ("hidden size", hidden_size, 1, 4096),
                            ("number of layers", num_layers, 1, 16)):
        if not isinstance(v, (int, np.integer)) or not lo <= v <= hi:
            raise ValueError(f"{name} must be a whole number from {lo} to {hi}; got {v!r}")


class LSTM(Recurrent):
    """Long short-term memory. Trace values: forget, input, output, candidate,
    cell, cell_tanh, hidden (the primer's z^f, z^i, z^o, z, c, tanh c, h)."""

    kind = "lstm"
    gates = len(ROW_ORDER["lstm"])
    gate_names = ROW_ORDER["lstm"]
    kernel = _lstm

    def _after_init(self, forget_bias=1.0):
        """Set the forget gate's total bias (b_ih + b_hh) to ``forget_bias``.

        1.0 is the usual start (Gers et al. 2000; Jozefowicz et al. 2015): the
        cell begins by keeping most of c, so gradients survive long gaps.
        PyTorch itself starts it at random; pass ``forget_bias=None`` for that.
        """
        if forget_bias is None:
            return
        H = self.hidden_size
        for k in range(self.num_layers):
            self.params[f"bias_ih_l{k}"][H:2 * H] = forget_bias
            self.params[f"bias_hh_l{k}"][H:2 * H] = 0.0


class GRU(Recurrent):
    """Gated recurrent unit. Trace values: reset, update, candidate, hidden."""

    kind = "gru"
    gates = len(ROW_ORDER["gru"])
    gate_names = ROW_ORDER["gru"]
    kernel = _gru


class RNN(Recurrent):
    """Plain (Elman) RNN, tanh or relu. Trace value: hidden."""

    kind = "rnn"
    gates = len(ROW_ORDER["rnn"])
    gate_names = ()      # h is no gate: a plain RNN can only silence units
    kernel = _rnn

    def _extra(self):
        return {"nonlinearity": self.nonlinearity}


_BY_KIND = {c.kind: c for c in (LSTM, GRU, RNN)}
CELLS = {k: _BY_KIND[k] for k in CELL_KINDS}   # kind → class, in notation.CELL_KINDS's order
