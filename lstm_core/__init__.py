"""lstm_core: RNN, LSTM and GRU in pure NumPy, with full traces and BPTT.

    >>> import numpy as np, lstm_core
    >>> m = lstm_core.LSTM.init(input_size=3, hidden_size=4, seed=0)
    >>> tr = m.forward(np.eye(3))
    >>> tr["forget"].shape          # the primer's z^f, (T, H)
    (3, 4)

Imports no UI library. The names-to-symbols table is ``lstm_core.notation``.

Modules: ``models`` (the three model classes), ``cells/`` (one layer's
equations and BPTT), ``notation``, ``errors``, ``files/`` (weight files,
PyTorch and Keras layouts), ``training/`` (tasks, losses, Adam, ``Trainer``,
unit finder, experiments), ``analysis`` (measurements), ``presets/`` (trained
models), ``train`` (the command line).
"""
from .cells.trace import Override, Trace, clamp, silence
from .errors import WeightError
from .files.reader import load
from .models import CELLS, GRU, LSTM, RNN, Recurrent

__all__ = ["CELLS", "GRU", "LSTM", "RNN", "Recurrent", "WeightError", "Override", "Trace",
           "clamp", "silence", "load"]
