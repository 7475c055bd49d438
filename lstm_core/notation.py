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
columns z, r, h; ``lstm_core.files.convert`` converts both ways.
"""
import re

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

# Weight blocks in PyTorch's row order (the storage convention), per cell kind;
# len(ROW_ORDER[kind]) is the number of blocks G in W_ih (G·H, I) and W_hh (G·H, H).
ROW_ORDER = {
    "lstm": ("input", "forget", "candidate", "output"),
    "gru": ("reset", "update", "candidate"),
    "rnn": ("hidden",),
}

# Weight blocks in Keras's column order, per cell kind (kernel (I, G·H), recurrent_kernel (H, G·H)).
KERAS_ORDER = {
    "lstm": ("input", "forget", "candidate", "output"),
    "gru": ("update", "reset", "candidate"),
    "rnn": ("hidden",),
}

# Names of the per-step values a trace layer holds (besides pre-activations).
TRACE_VALUES = {
    "lstm": ("forget", "input", "output", "candidate", "cell", "cell_tanh", "hidden"),
    "gru": ("reset", "update", "candidate", "hidden"),
    "rnn": ("hidden",),
}

# The letter each framework gives a weight block (PyTorch's docs: LSTM i, f, g, o; GRU r, z, n;
# Keras's: LSTM i, f, c, o; GRU z, r, h), by code name. The blocks' order is ROW_ORDER / KERAS_ORDER.
FRAMEWORK_LETTERS = {
    "torch": {"lstm": {"input": "i", "forget": "f", "candidate": "g", "output": "o"},
              "gru": {"reset": "r", "update": "z", "candidate": "n"}},
    "keras": {"lstm": {"input": "i", "forget": "f", "candidate": "c", "output": "o"},
              "gru": {"update": "z", "reset": "r", "candidate": "h"}},
}

# Which values are gates (sigmoid, 0..1); every other value lives in -1..1 (or is unbounded:
# the cell state c, an RNN's relu h).
SIGMOID_VALUES = frozenset({"forget", "input", "output", "reset", "update"})


# The three cell kinds, in the order the pages offer them.
CELL_KINDS = ("lstm", "gru", "rnn")

STYLES = ("tex", "html", "plain")
_SUP = str.maketrans("fiot", "ᶠⁱᵒᵗ")


def to_html(text):
    """Symbols inside ``text`` as plotly HTML: z^f → z<sup>f</sup>, c^{t-1} → c<sup>t-1</sup>,
    \\tanh → tanh, \\tilde{n} → ñ."""
    text = text.replace(r"\tanh", "tanh").replace(r"\tilde{n}", "ñ")
    return re.sub(r"\^\{([^}]+)\}|\^(\w)", lambda m: f"<sup>{m.group(1) or m.group(2)}</sup>", text)


def to_plain(text):
    """Symbols inside ``text`` as plain Unicode (for table headers): z^f → zᶠ, \\tanh → tanh."""
    text = text.replace(r"\tanh", "tanh").replace(r"\tilde{n}", "ñ")
    return re.sub(r"\^(\w)", lambda m: m.group(1).translate(_SUP), text)


def symbol(name, cell="lstm", style="tex"):
    """The primer's symbol for a trace value name: ``style`` "tex" (z^f, for st.latex and
    $…$), "html" (z<sup>f</sup>, for plotly) or "plain" (zᶠ, for table headers)."""
    table = GRU_SYMBOLS if cell == "gru" else SYMBOLS
    tex = table[name]
    return {"tex": tex, "html": to_html(tex), "plain": to_plain(tex)}[style]
