"""The glossary's content (``pages/glossary.py``) and the table from the primer's symbols to the
names PyTorch and Keras give the weight blocks (shown on the glossary and the GRU page).

Pure: no Streamlit. Terms and definitions live in ``ui/locales/glossary.py``
(``gl.<id>.term`` in both languages, ``gl.<id>.def``); a term's symbol, when
it has one, is TeX for ``$…$``.
"""
from __future__ import annotations

from lstm_core.notation import FRAMEWORK_LETTERS, KERAS_ORDER, ROW_ORDER, symbol

from .i18n import t

# (id, symbol in TeX or "", section): the order the page lists them in
ENTRIES = (
    ("rnn", "", "cells"),
    ("lstm", "", "cells"),
    ("gru", "", "cells"),
    ("cell", "", "cells"),
    ("unit", "", "cells"),
    ("hidden_size", "H", "cells"),
    ("layer", "", "cells"),
    ("step", "t", "sequence"),
    ("token", "", "sequence"),
    ("input", "x^t", "sequence"),
    ("hidden", "h^t", "sequence"),
    ("cell_state", "c^t", "sequence"),
    ("output_y", r"y^t = \sigma(W' h^t)", "sequence"),
    ("concat", "[x^t, h^{t-1}]", "lstm"),
    ("forget_gate", "z^f", "lstm"),
    ("input_gate", "z^i", "lstm"),
    ("output_gate", "z^o", "lstm"),
    ("candidate", "z", "lstm"),
    ("forget_stage", r"z^f \odot c^{t-1}", "lstm"),
    ("memorize_stage", r"c^t = z^f \odot c^{t-1} + z^i \odot z", "lstm"),
    ("output_stage", r"h^t = z^o \odot \tanh(c^t)", "lstm"),
    ("hadamard", r"\odot", "math"),
    ("sigmoid", r"\sigma", "math"),
    ("tanh", r"\tanh", "math"),
    ("softmax", r"\operatorname{softmax}", "math"),
    ("weights", "W,\\ b", "math"),
    ("forget_bias", "b_f", "math"),
    ("reset_gate", "r", "gru"),
    ("update_gate", "u", "gru"),
    ("gru_candidate", r"\tilde{n}", "gru"),
    ("bptt", "", "training"),
    ("vanishing", "", "training"),
    ("exploding", "", "training"),
    ("clipping", "", "training"),
    ("saturation", "", "training"),
    ("onehot", "", "training"),
    ("embedding", "", "training"),
    ("chance", "", "training"),
    ("parameters", "", "training"),
)
SECTIONS = ("cells", "sequence", "lstm", "gru", "math", "training")


def entries(section: str) -> list:
    """(id, symbol) of the entries in ``section``."""
    return [(i, sym) for i, sym, sec in ENTRIES if sec == section]


def rows(section: str, lang: str) -> list:
    """One dict per term of ``section``: symbol (TeX), English term, Chinese term, definition in ``lang``."""
    return [{"id": i, "symbol": sym, "en": t(f"gl.{i}.term", "en"), "zh": t(f"gl.{i}.term", "zh"),
             "definition": t(f"gl.{i}.def", lang)} for i, sym in entries(section)]


def framework_rows(kind: str, lang: str) -> list:
    """The primer's symbols against PyTorch's rows and Keras's columns, for ``kind`` ("lstm" or "gru").

    One dict per block, in the primer's order (gates, then the candidate): the symbol (TeX), its name,
    PyTorch's letter and rows of ``weight_ih_l0`` / ``weight_hh_l0`` (block k is rows k·H … (k+1)·H − 1),
    Keras's letter and columns of ``kernel`` / ``recurrent_kernel``.
    """
    order = ("forget", "input", "candidate", "output") if kind == "lstm" else ("reset", "update", "candidate")
    out = []
    for name in order:
        k_torch, k_keras = ROW_ORDER[kind].index(name), KERAS_ORDER[kind].index(name)
        out.append({
            "symbol": symbol(name, kind),
            "name": t(f"gl.fw.{kind}.{name}", lang),
            "torch": FRAMEWORK_LETTERS["torch"][kind][name],
            "torch_rows": _span(k_torch),
            "keras": FRAMEWORK_LETTERS["keras"][kind][name],
            "keras_cols": _span(k_keras),
        })
    return out


def _span(k: int) -> str:
    """Block k of stacked H-sized blocks: "0 … H−1", "H … 2H−1", "2H … 3H−1" …"""
    lo = "0" if k == 0 else ("H" if k == 1 else f"{k}H")
    hi = "H−1" if k == 0 else f"{k + 1}H−1"
    return f"{lo} … {hi}"


def framework_markdown(kind: str, lang: str) -> str:
    """``framework_rows`` as a markdown table (symbols as ``$…$``) with the page's column titles."""
    keys = ("symbol", "name", "torch", "torch_rows", "keras", "keras_cols")
    head = "| " + " | ".join(t(f"gl.fw.col.{k}", lang) for k in keys) + " |"
    rule = "|" + "---|" * len(keys)
    body = ["| " + " | ".join(f"${r[k]}$" if k == "symbol" else f"`{r[k]}`" if k in ("torch", "keras") else r[k]
                              for k in keys) + " |" for r in framework_rows(kind, lang)]
    return "\n".join([head, rule, *body])


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def section_markdown(section: str, lang: str) -> str:
    """The terms of ``section`` as a markdown table: symbol, English, Chinese, meaning in ``lang``."""
    cols = ("symbol", "en", "zh", "def")
    lines = ["| " + " | ".join(t(f"glossary.col.{c}", lang) for c in cols) + " |", "|---|---|---|---|"]
    for row in rows(section, lang):
        sym = f"${row['symbol']}$" if row["symbol"] else ""
        lines.append("| " + " | ".join(_cell(x) for x in (sym, row["en"], row["zh"], row["definition"])) + " |")
    return "\n".join(lines)
