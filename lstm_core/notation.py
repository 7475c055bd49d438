"""The one place where code names meet the source material's symbols.

The code uses self-explaining names; the pages show the primer's notation.

======================  =========  ==========================================
code name               symbol     meaning
======================  =========  ==========================================
``forget``              z^f        LSTM forget gate, sigmoid, 0..1
``input``               z^i        LSTM input ("select and memorize") gate
``output``              z^o        LSTM output gate
``candidate`` (LSTM)    z          LSTM candidate value, tanh, -1..1
``cell``                c          LSTM cell state (changes slowly)
``cell_tanh``           tanh(c)    what the output gate reads
``hidden``              h          hidden state (all three cells)
``reset``               r          GRU reset gate
``update``              u          GRU update gate (PyTorch calls it z)
``candidate`` (GRU)     ñ          GRU candidate (PyTorch's n)
``y``                   y          output layer: softmax(W' h) or W' h
======================  =========  ==========================================

Storage follows PyTorch: LSTM gate rows are stacked i, f, g, o (g is the
candidate); GRU rows r, z, n. Keras stores LSTM columns i, f, c, o and GRU
columns z, r, h; ``lstm_core.models`` converts both ways.
"""

SYMBOLS = {
    "forget": "z^f",
    "input": "z^i",
    "output": "z^o",
    "candidate": "z",
    "cell": "c",
    "cell_tanh": r"\tanh(c)",
    "hidden": "h",
    "reset": "r",
    "update": "u",
    "y": "y",
}

GRU_SYMBOLS = {**SYMBOLS, "candidate": r"\tilde{n}"}

# Gate blocks in PyTorch's row order, per cell kind.
GATE_ORDER = {
    "lstm": ("input", "forget", "candidate", "output"),
    "gru": ("reset", "update", "candidate"),
    "rnn": ("hidden",),
}

# Names of the per-step values a trace layer holds (besides pre-activations).
TRACE_VALUES = {
    "lstm": ("forget", "input", "output", "candidate", "cell", "cell_tanh", "hidden"),
    "gru": ("reset", "update", "candidate", "hidden"),
    "rnn": ("hidden",),
}

# Which values are gates (sigmoid, 0..1) and which live in -1..1.
GATES = frozenset({"forget", "input", "output", "reset", "update"})


def symbol(name, cell="lstm"):
    """The primer's symbol for a trace value name."""
    table = GRU_SYMBOLS if cell == "gru" else SYMBOLS
    return table[name]
