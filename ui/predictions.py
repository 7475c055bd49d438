"""The model's predictions as tokens: its top 5 at every step, and the answer the task expects.

Pure functions (``rows``, ``step_rows``, ``for_player``) build plain data from a
trace; ``show_step`` / ``show_table`` draw them with Streamlit. A model with an
output layer gives y^t = softmax(W' h^t) over its classes (a language model's
classes are its vocabulary: the next character); ``lstm_core.causal.top_k``
ranks them, ``lstm_core.causal.expected`` knows what the task wants.
"""
from __future__ import annotations

import numpy as np

from lstm_core import causal

from .i18n import t
from .parsing import display_token

K = 5


def applies(model, trace) -> bool:
    """True when the run has a softmax output to rank (a trained classifier or language model)."""
    return model is not None and trace is not None and trace.y is not None and model.output == "softmax" \
        and not trace.batched


def top(model, trace, k=K):
    """``causal.top_k`` of the run's y with the model's output labels: per step [(label, p), …]."""
    return causal.top_k(np.asarray(trace.y), causal.output_labels(model), k)


def expected(model, tokens, trace, task=None):
    """The answer the task expects at every step (None where it scores nothing, or no task);
    ``task`` defaults to the model's own (from its file's metadata)."""
    task = causal.task_of(model) if task is None else task
    if task is None:
        return [None] * len(tokens)
    try:
        return causal.expected(task, tokens, np.asarray(trace.inputs))
    except (ValueError, TypeError, KeyError):       # a sequence that breaks the task's rules
        return [None] * len(tokens)


def label(s) -> str:
    """A label as shown: whitespace and control characters get a glyph; numbers 3 decimals."""
    if isinstance(s, float):
        return f"{s:.3f}"
    return display_token(str(s))


def fmt_top(pairs) -> str:
    """“B 0.97 · C 0.02 · …”"""
    return " · ".join(f"{label(s)} {p:.2f}" for s, p in pairs)


def rows(model, trace, tokens, lang, k=K):
    """One dict per step for a table: step (1-based), token, expected answer, the model's answer, right?,
    and its top ``k`` with probabilities."""
    tops = top(model, trace, k)
    want = expected(model, tokens, trace)
    out = []
    for s, (tok, pairs, w) in enumerate(zip(tokens, tops, want)):
        row = {t("pred.col_step", lang): s + 1, t("pred.col_token", lang): label(tok),
               t("pred.col_expected", lang): "" if w is None else label(w),
               t("pred.col_top", lang, k=k): fmt_top(pairs)}
        row[t("pred.col_right", lang)] = "" if w is None else ("✓" if label(pairs[0][0]) == label(w) else "✗")
        out.append(row)
    return out


def step_rows(model, trace, tokens, s, k=K):
    """The top ``k`` at 0-based step ``s`` as [(label, p, is_expected)], and the expected answer."""
    pairs = top(model, trace, k)[s]
    w = expected(model, tokens, trace)[s]
    return [(label(a), p, w is not None and label(a) == label(w)) for a, p in pairs], w


def for_player(model, trace, tokens, task=None, k=K):
    """(the top ``k`` per step as (label, p), the expected answer per step): what the trace player
    shows beside y^t (``ui.player.data``); (None, None) when the run has nothing to rank."""
    if not applies(model, trace):
        return None, None
    return top(model, trace, k), expected(model, tokens, trace, task)


# ------------------------------------------------------------------ Streamlit views
def show_step(st, model, trace, tokens, s, lang, k=K):
    """The top ``k`` at step ``s`` as a small list, with the expected answer (nothing if no output)."""
    if not applies(model, trace):
        return
    pairs, w = step_rows(model, trace, tokens, s, k)
    tok = label(tokens[s])
    head = t("pred.step_title", lang, t=s + 1, token=_md(tok), k=len(pairs))
    want = t("pred.expected", lang, answer=_md(label(w))) if w is not None else t("pred.no_expected", lang)
    lines = [f"{'**' if i == 0 else ''}{_md(a)}{'**' if i == 0 else ''} — {p:.1%}" + (" ✓" if ok else "")
             for i, (a, p, ok) in enumerate(pairs)]
    st.markdown(f"**{head}** · {want}\n\n" + "\n".join(f"{i + 1}. {line}" for i, line in enumerate(lines)))


def show_table(st, model, trace, tokens, lang, k=K, expanded=False):
    """Every step's top ``k`` in an expander (nothing if the run has no softmax output)."""
    if not applies(model, trace):
        return
    import pandas as pd
    with st.expander(t("pred.table", lang, k=k), expanded=expanded):
        st.caption(t("pred.table_help", lang, k=k))
        st.dataframe(pd.DataFrame(rows(model, trace, tokens, lang, k)), hide_index=True)


def _md(s: str) -> str:
    from .state import md_escape
    return md_escape(s)
