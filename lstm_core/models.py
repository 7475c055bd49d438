"""RNN, LSTM and GRU models: parameters, initial values, forward, backward, overrides.

A model holds its parameters in PyTorch's names and layout
(``weight_ih_l0``, ``weight_hh_l0``, ``bias_ih_l0``, ``bias_hh_l0``, then
``_l1`` …) plus an optional output layer ``out.weight`` (O, D·H), ``out.bias``
(O,) that gives the primer's y^t = softmax(W' h^t) (or W' h^t for regression),
and an optional embedding ``embed.weight`` (V, I) that turns token ids into
the input vectors (``model.forward(ids)``). A bidirectional model (D = 2) has
a second set of every layer's weights under PyTorch's ``_reverse`` names
(``weight_ih_l0_reverse`` …); its reverse direction reads the sequence from
the end, and every value of a layer is (T, 2H): forward units, then reverse.
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
from .errors import WeightError
from .files import convert, writer
from .files.vocab import TOKENIZERS, check_vocab, guess_tokenizer, unk_index
from .notation import CELL_KINDS, ROW_ORDER, SIGMOID_VALUES

OUTPUT_KINDS = ("softmax", "linear")


DIRECTION_SUFFIX = ("", "_reverse")   # PyTorch's names of a layer's two directions
def _later(pre_activations, parts, sq):
    """The pre-activations of one layer, (T, H) or (T, B, H) like the other values; a
    bidirectional layer's two directions side by side, the reverse one back in token order."""
    done = [pre_activations(x_d, *args, h0, v) for x_d, args, h0, v in parts]
    if len(done) == 1:
        return {n: sq(a) for n, a in done[0].items()}
    return {n: sq(np.concatenate([done[0][n], done[1][n][::-1]], axis=-1)) for n in done[0]}


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
        self.directions = 2 if "weight_hh_l0_reverse" in self.params else 1

    # ------------------------------------------------------------------ facts
    @property
    def dtype(self):
        return self.params["weight_hh_l0"].dtype

    @property
    def output_size(self):
        w = self.params.get("out.weight")
        return None if w is None else w.shape[0]

    @property
    def bidirectional(self):
        return self.directions == 2

    @property
    def width(self):
        """Values per step of a layer's output: D·H (H, or 2H when bidirectional)."""
        return self.directions * self.hidden_size

    @property
    def vocab_size(self):
        """Rows of the embedding (V), or None when the model reads vectors."""
        w = self.params.get("embed.weight")
        return None if w is None else w.shape[0]

    @property
    def has_embedding(self):
        return "embed.weight" in self.params

    @property
    def vocab(self):
        """The token of each id (a tuple of str), or None when the model came without one."""
        v = self.meta.get("vocab")
        return tuple(v) if v else None

    @property
    def tokenizer(self):
        """How text becomes the vocabulary's tokens: "chars" or "words" (None without a vocabulary)."""
        if not self.vocab:
            return None
        return self.meta.get("tokenizer") or guess_tokenizer(self.vocab)

    @property
    def unk(self):
        """The id of the vocabulary's unknown token, or None when it has none."""
        return unk_index(self.vocab, self.meta.get("unk"))

    def with_vocab(self, vocab, tokenizer=None, unk=None):
        """The same model (weights shared, not copied) with ``vocab`` as its vocabulary.

        The vocabulary must have one token per embedding row (V), or per input
        (I) for a model that reads one-hot vectors; else a WeightError names both
        numbers. ``tokenizer``: "chars" or "words" (guessed when None)."""
        vocab = [str(v) for v in vocab]
        check_vocab(self, vocab)
        meta = {k: v for k, v in self.meta.items() if k not in ("vocab", "tokenizer", "unk")}
        meta["vocab"] = vocab
        if tokenizer is not None:
            if tokenizer not in TOKENIZERS:
                raise WeightError(f"tokenizer must be one of {', '.join(TOKENIZERS)}; found {tokenizer!r}",
                                  key="bad_tokenizer", found=str(tokenizer))
            meta["tokenizer"] = tokenizer
        if unk is not None:
            meta["unk"] = unk
        m = type(self)(self.params, self.input_size, self.hidden_size, self.num_layers, self.nonlinearity,
                       self.output, meta)
        return m

    def param_count(self):
        """Number of trainable numbers (PyTorch counts both bias vectors too)."""
        return int(sum(np.size(v) for v in self.params.values()))

    def describe(self):
        return {"cell": self.kind, "input_size": self.input_size, "hidden_size": self.hidden_size,
                "num_layers": self.num_layers, "nonlinearity": self.nonlinearity,
                "output": self.output, "output_size": self.output_size,
                "directions": self.directions, "vocab_size": self.vocab_size,
                "params": self.param_count()}

    def __repr__(self):
        d = self.describe()
        extra = ", bidirectional=True" if self.bidirectional else ""
        extra += f", vocab_size={self.vocab_size}" if self.has_embedding else ""
        return (f"{type(self).__name__}(input_size={d['input_size']}, hidden_size={d['hidden_size']}, "
                f"num_layers={d['num_layers']}{extra}, output={d['output']!r}, dtype={self.dtype})")

    def astype(self, dtype):
        """A copy of the model with every weight in ``dtype`` (always a copy, even in the same dtype)."""
        return type(self)({k: np.array(v, dtype=dtype) for k, v in self.params.items()}, self.input_size,
                          self.hidden_size, self.num_layers, self.nonlinearity, self.output, self.meta)

    def copy(self):
        return self.astype(self.dtype)

    def expected_shapes(self):
        G, H, I, D = self.gates, self.hidden_size, self.input_size, self.directions
        out = {}
        if self.has_embedding:
            out["embed.weight"] = (self.vocab_size, I)
        for k in range(self.num_layers):
            for sfx in DIRECTION_SUFFIX[:D]:
                out[f"weight_ih_l{k}{sfx}"] = (G * H, I if k == 0 else D * H)
                out[f"weight_hh_l{k}{sfx}"] = (G * H, H)
                out[f"bias_ih_l{k}{sfx}"] = (G * H,)
                out[f"bias_hh_l{k}{sfx}"] = (G * H,)
        if self.output_size is not None:
            out["out.weight"] = (self.output_size, D * H)
            out["out.bias"] = (self.output_size,)
        return out

    # ---------------------------------------------------------- constructors
    @classmethod
    def init(cls, input_size, hidden_size, num_layers=1, seed=0, output_size=None,
             output="softmax", dtype=np.float64, nonlinearity="tanh", bidirectional=False,
             vocab_size=None, **kw):
        """Seeded initial weights, drawn like PyTorch's: U(-1/√H, 1/√H); an embedding
        (``vocab_size`` rows of ``input_size``) N(0, 1) like ``nn.Embedding``."""
        _check_sizes(input_size, hidden_size, num_layers)
        rng = np.random.default_rng(seed)
        H, G, D = int(hidden_size), cls.gates, 2 if bidirectional else 1
        k = 1.0 / np.sqrt(H)
        p = {}
        if vocab_size:
            p["embed.weight"] = rng.standard_normal((int(vocab_size), int(input_size)))
        for layer in range(num_layers):
            n_in = input_size if layer == 0 else D * H
            for sfx in DIRECTION_SUFFIX[:D]:
                p[f"weight_ih_l{layer}{sfx}"] = rng.uniform(-k, k, (G * H, n_in))
                p[f"weight_hh_l{layer}{sfx}"] = rng.uniform(-k, k, (G * H, H))
                p[f"bias_ih_l{layer}{sfx}"] = rng.uniform(-k, k, G * H)
                p[f"bias_hh_l{layer}{sfx}"] = rng.uniform(-k, k, G * H)
        if output_size:
            if output not in OUTPUT_KINDS:
                raise ValueError(f"output must be one of {OUTPUT_KINDS}, not {output!r}")
            p["out.weight"] = rng.uniform(-k, k, (int(output_size), D * H))
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
        """Keras 3 weights as ``layer.set_weights`` takes them.

        One layer: the flat list [kernel, recurrent_kernel, bias] (a
        bidirectional layer: forward's three, then backward's, as Keras'
        ``Bidirectional``); a stack: one such list per layer. So
        ``from_keras(*model.to_keras())`` round-trips a one-layer model.
        """
        layers = convert.to_keras(self)
        return layers[0] if self.num_layers == 1 else layers

    # --------------------------------------------------------------- running
    def embed(self, ids):
        """Token ids (T,) or (T, B) → input vectors (T, I) or (T, B, I): rows of the
        embedding, or one-hot vectors over the I inputs when the model has no embedding."""
        ids = np.asarray(ids)
        if ids.dtype.kind not in "iu":
            raise ValueError(f"token ids must be integers; found {ids.dtype}")
        if ids.ndim not in (1, 2):
            raise ValueError(f"token ids must be (T,) or (T, B); found shape {ids.shape}")
        V = self.vocab_size if self.has_embedding else self.input_size
        if ids.size and (ids.min() < 0 or ids.max() >= V):
            raise ValueError(f"token ids must lie in 0..{V - 1}; found {ids.min()}..{ids.max()}")
        if self.has_embedding:
            return self.params["embed.weight"][ids]
        X = np.zeros(ids.shape + (self.input_size,), self.dtype)
        np.put_along_axis(X, ids[..., None].astype(np.intp), 1.0, axis=-1)
        return X

    def _prepare(self, xs, h0, c0):
        ids = None
        if np.asarray(xs).dtype.kind in "iu":
            ids = np.array(xs)
            xs = self.embed(ids)
        xs = np.asarray(xs, dtype=self.dtype)
        if xs.ndim not in (2, 3):
            raise ValueError(f"xs must be (T, {self.input_size}) or (T, B, {self.input_size}), or token ids "
                             f"(T,) or (T, B); found shape {xs.shape}")
        batched = xs.ndim == 3
        X = xs if batched else xs[:, None, :]
        if X.shape[-1] != self.input_size:
            raise ValueError(f"each input vector must have {self.input_size} values; found {X.shape[-1]}")
        if X.shape[0] == 0:
            raise ValueError("the sequence is empty")
        B, L, H = X.shape[1], self.num_layers * self.directions, self.hidden_size

        def state(s, name):
            if s is None:
                return np.zeros((L, B, H), self.dtype)
            s = np.asarray(s, dtype=self.dtype)
            want = (L, B, H) if batched else (L, H)
            if s.shape != want:
                raise ValueError(f"{name} must have shape {want}; found {s.shape}")
            return s if batched else s[:, None, :]
        return X, batched, state(h0, "h0"), state(c0, "c0"), ids

    def _override_arrays(self, overrides, T, B):
        """Turn Override records into per-layer (clamp_mask, clamp_value, keep) arrays.

        Units count over the layer's whole width: 0..H-1 forward, H..2H-1 reverse
        (bidirectional); clamp columns are gate · D·H + unit."""
        L, H, G = self.num_layers, self.width, self.gates
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

    def _layer_args(self, k, d=0):
        p, sfx = self.params, DIRECTION_SUFFIX[d]
        return (p[f"weight_ih_l{k}{sfx}"], p[f"weight_hh_l{k}{sfx}"], p[f"bias_ih_l{k}{sfx}"],
                p[f"bias_hh_l{k}{sfx}"])

    def _direction(self, arrays, d):
        """One direction's part of a layer's override arrays, in the order that direction reads the steps."""
        D, H, G = self.directions, self.hidden_size, self.gates
        if D == 1:
            return arrays
        out = []
        for a, g in zip(arrays, (G, G, 1)):
            if a is None:
                out.append(None)
                continue
            T, B = a.shape[:2]
            part = a.reshape(T, B, g, D, H)[:, :, :, d].reshape(T, B, g * H)
            out.append(np.ascontiguousarray(part[::-1] if d else part))
        return out

    def _extra(self):
        return {}

    def forward(self, xs, h0=None, c0=None, overrides=None, probabilities=True):
        """Run the model on ``xs`` (T, I) or (T, B, I) and return a ``Trace``.

        ``xs`` may also be integer token ids (T,) or (T, B): rows of the
        embedding when the model has one, else one-hot vectors over its I
        inputs. h0, c0: initial states (num_layers·D, H) or (num_layers·D, B, H)
        in PyTorch's order (layer 0 forward, layer 0 reverse, layer 1 …), zero
        by default; overrides: ``lstm_core.clamp`` / ``lstm_core.silence``
        records for "what if" experiments; probabilities=False skips the softmax of a softmax
        output (``trace.y`` None, ``trace.logits`` kept: all that scoring many runs needs).
        """
        X, batched, H0, C0, ids = self._prepare(xs, h0, c0)
        X = np.array(X)                          # the trace's own copy of the inputs
        T, B = X.shape[:2]
        D = self.directions
        overrides = tuple(overrides or ())
        ovs = self._override_arrays(overrides, T, B)
        sq = (lambda a: a) if batched else (lambda a: a[:, 0] if a is not None else None)
        layers, inp = [], X
        later = self.kernel.LATER
        for k in range(self.num_layers):
            runs = []
            for d in range(D):
                mask, value, keep = self._direction(ovs[k], d)
                args = self._layer_args(k, d)
                x_d = inp if d == 0 else np.ascontiguousarray(inp[::-1])   # the reverse direction reads from the end
                v = self.kernel.forward(x_d, *args, H0[k * D + d], C0[k * D + d], mask, value, keep, **self._extra())
                runs.append((x_d, args, v))
            if D == 1:
                values = runs[0][2]
            else:   # back in token order, forward units then reverse
                values = {n: np.concatenate([runs[0][2][n], runs[1][2][n][::-1]], axis=-1) for n in runs[0][2]}
            make_later = None
            if later:   # the pre-activations, recomputed on first read from a copy of this layer's weights
                parts = tuple((x_d, tuple(np.array(a) for a in args), np.array(H0[k * D + d]), v)
                              for d, (x_d, args, v) in enumerate(runs))
                make_later = functools.partial(_later, self.kernel.pre_activations, parts, sq)
            layers.append(make_layer({n: sq(a) for n, a in values.items()}, later, make_later))
            inp = values["hidden"]
        logits = y = None
        if self.output:
            logits = inp @ self.params["out.weight"].T + self.params["out.bias"]
            y = logits if self.output != "softmax" else softmax(logits) if probabilities else None
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
            directions=D, ids=None if ids is None else frozen(ids),
        )

    def backward(self, trace, d_hidden=None, d_cell=None, d_logits=None):
        """Backpropagation through time.

        d_hidden: ∂L/∂h_t of the top layer, shaped like ``trace["hidden"]``;
        d_cell (LSTM): ∂L/∂c_t of the top layer; d_logits: ∂L/∂(W' h_t + b),
        shaped like ``trace.logits`` (for softmax cross-entropy it is y − target).

        Returns the gradients under ``to_torch()``'s names (``embed.weight``
        too, when the trace was run on token ids), plus ``"input"`` (∂L/∂xs),
        ``"h0"`` (and ``"c0"`` for the LSTM), and per-step totals
        ``"d_hidden"`` / ``"d_cell"`` of the top layer ((T, D·H) or (T, B, D·H)),
        with ``"d_hidden_l{k}"`` / ``"d_cell_l{k}"`` for every layer.
        """
        b = trace.batched
        lift = (lambda a: np.asarray(a, self.dtype)) if b else (lambda a: np.asarray(a, self.dtype)[:, None])
        X = lift(trace.inputs)
        T, B = X.shape[:2]
        H, L, D = self.hidden_size, self.num_layers, self.directions
        W = D * H
        layers = [{n: lift(lv[n]) for n in self.kernel.BACKWARD_NEEDS} for lv in trace.layers]
        H0 = lift(trace.h0) if b else np.asarray(trace.h0, self.dtype)[:, None]
        C0 = None
        if trace.c0 is not None:
            C0 = lift(trace.c0) if b else np.asarray(trace.c0, self.dtype)[:, None]
        shape = (T, B, W)
        dH = np.zeros(shape, self.dtype) if d_hidden is None else lift(d_hidden).reshape(shape).copy()
        dC = None if d_cell is None else lift(d_cell).reshape(shape)
        grads = {}
        if self.output:
            dZ = np.zeros((T, B, self.output_size), self.dtype) if d_logits is None else \
                lift(d_logits).reshape(T, B, self.output_size)
            top = layers[-1]["hidden"]
            grads["out.weight"] = dZ.reshape(T * B, -1).T @ top.reshape(T * B, W)
            grads["out.bias"] = dZ.reshape(T * B, -1).sum(0)
            dH += dZ @ self.params["out.weight"]
        ovs = trace.masks["_per_layer"]
        out = {}
        dh0 = [None] * (L * D)
        dc0 = [None] * (L * D)
        sq = (lambda a: a) if b else (lambda a: a[:, 0])
        for k in range(L - 1, -1, -1):
            inp = X if k == 0 else layers[k - 1]["hidden"]
            dX = None
            dhid_k, dcell_k = [], []
            for d in range(D):
                mask, _, keep = self._direction(ovs[k], d)
                w_ih, w_hh, _, _ = self._layer_args(k, d)
                cols = slice(d * H, (d + 1) * H)
                flip = (lambda a: np.ascontiguousarray(a[::-1])) if d else (lambda a: a)
                part = (lambda a: flip(a[..., cols])) if D == 2 else (lambda a: a)
                vals = {n: part(a) for n, a in layers[k].items()}
                j = k * D + d
                dX_d, g, dh0[j], dc0[j], dhid, dcell = self.kernel.backward(
                    flip(inp), w_ih, w_hh, vals, H0[j], None if C0 is None else C0[j], part(dH),
                    part(dC) if (dC is not None and k == L - 1) else None, mask, keep, **self._extra())
                for n, v in g.items():
                    grads[f"{n}_l{k}{DIRECTION_SUFFIX[d]}"] = v
                dX = flip(dX_d) if dX is None else dX + flip(dX_d)
                dhid_k.append(flip(dhid))
                if dcell is not None:
                    dcell_k.append(flip(dcell))
            out[f"d_hidden_l{k}"] = sq(dhid_k[0] if D == 1 else np.concatenate(dhid_k, axis=-1))
            if dcell_k:
                out[f"d_cell_l{k}"] = sq(dcell_k[0] if D == 1 else np.concatenate(dcell_k, axis=-1))
            dH = dX
        if self.has_embedding:
            dE = np.zeros_like(self.params["embed.weight"])
            if trace.ids is not None:
                ids = np.asarray(trace.ids)
                np.add.at(dE, (ids if b else ids[:, None]).reshape(-1), dH.reshape(T * B, -1))
            grads["embed.weight"] = dE
        result = {k: grads[k] for k in self.params}
        result["input"] = dH if b else dH[:, 0]
        result["h0"] = sq(np.stack(dh0))
        if self.kind == "lstm":
            result["c0"] = sq(np.stack(dc0))
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
