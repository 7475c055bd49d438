"""Immutable record of one forward pass, and the "what if" overrides."""
from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np


def frozen(a):
    """A read-only view of ``a`` (the caller's array is left writable)."""
    v = np.asarray(a).view()
    v.flags.writeable = False
    return v


@dataclass(frozen=True)
class Override:
    """A "what if" applied during the forward pass.

    target: a gate name of the cell (``"forget"``, ``"input"``, ``"output"``,
        ``"candidate"`` for the LSTM; ``"reset"``, ``"update"``, ``"candidate"``
        for the GRU) to clamp it to ``value``; or ``"silence"`` to hold units
        at zero (their ``h``, and for the LSTM also ``c``).
    units: unit indices, or None for all units.
    steps: ``(start, stop)`` 0-based half-open range of steps, or None for all.
    layer: which layer (negative counts from the top, as in Python).
    """

    target: str
    value: float = 0.0
    units: Optional[tuple] = None
    steps: Optional[tuple] = None
    layer: int = -1

    def __post_init__(self):
        if self.units is not None:
            object.__setattr__(self, "units", tuple(int(u) for u in np.atleast_1d(self.units)))
        if self.steps is not None:
            a, b = self.steps
            object.__setattr__(self, "steps", (int(a), int(b)))
        object.__setattr__(self, "value", float(self.value))


def clamp(gate, value, units=None, steps=None, layer=-1):
    """Clamp ``gate`` to ``value`` (e.g. ``clamp("forget", 1.0)``)."""
    return Override(gate, value, units, steps, layer)


def silence(units=None, steps=None, layer=-1):
    """Hold the given units' state at zero."""
    return Override("silence", 0.0, units, steps, layer)


@dataclass(frozen=True)
class Trace:
    """Everything one ``forward`` computed, read-only.

    ``layers[k]`` maps value names (see ``lstm_core.notation``) to arrays of
    shape (T, H), or (T, B, H) for a batch; ``trace["hidden"]`` reads the top
    layer. ``logits`` and ``y`` are (T, O) / (T, B, O) when the model has an
    output layer.

    A bidirectional model (``directions == 2``) has every value of a layer
    (T, 2H): the forward direction's H units, then the reverse direction's,
    as PyTorch's output; row t of both halves belongs to token t (the reverse
    direction read the sequence from the end down to t). ``hidden_size`` is
    that width, 2H. ``ids`` holds the token ids when the model was given ids.
    """

    cell: str
    inputs: np.ndarray
    layers: tuple
    h0: np.ndarray
    c0: Optional[np.ndarray] = None
    logits: Optional[np.ndarray] = None
    y: Optional[np.ndarray] = None
    overrides: tuple = ()
    batched: bool = False
    masks: Mapping = field(default_factory=dict, repr=False)
    directions: int = 1
    ids: Optional[np.ndarray] = None

    def __getitem__(self, name):
        return self.layers[-1][name]

    def layer(self, k):
        return self.layers[k]

    @property
    def steps(self):
        return self.inputs.shape[0]

    @property
    def num_layers(self):
        return len(self.layers)

    @property
    def hidden_size(self):
        """The width of a layer's values: H, or 2H for a bidirectional model."""
        return self.layers[0]["hidden"].shape[-1]

    @property
    def units_per_direction(self):
        return self.hidden_size // self.directions

    def names(self):
        return tuple(self.layers[-1].keys())


class Layer(Mapping):
    """One layer's values by name, read-only.

    Most values are stored by ``forward``; the ``later`` ones (the
    pre-activations) are cheap to recompute from the stored h in one pass, so
    they are computed by ``make_later()`` the first time any of them is read,
    then kept. Either way a reader sees a plain read-only mapping.
    """

    def __init__(self, values, later: tuple = (), make_later: Optional[Callable[[], dict]] = None):
        self._values = {k: frozen(v) for k, v in values.items()}
        self._names = tuple(self._values) + tuple(n for n in later if n not in self._values)
        self._make_later = make_later if later else None
        self._lock = threading.Lock()

    def __getitem__(self, name):
        if name not in self._values and name in self._names:
            with self._lock:
                if self._make_later is not None:
                    for k, v in self._make_later().items():
                        self._values.setdefault(k, frozen(v))
                    self._make_later = None
        return self._values[name]

    def __iter__(self):
        return iter(self._names)

    def __len__(self):
        return len(self._names)

    def __contains__(self, name):
        return name in self._names

    def __repr__(self):
        return f"Layer({', '.join(self._names)})"


def make_layer(values, later=(), make_later=None):
    return Layer(values, later, make_later)
