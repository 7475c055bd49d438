"""Immutable record of one forward pass, and the "what if" overrides."""
from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping, Optional

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
        return self.layers[0]["hidden"].shape[-1]

    def names(self):
        return tuple(self.layers[-1].keys())


def make_layer(values):
    return MappingProxyType({k: frozen(v) for k, v in values.items()})
