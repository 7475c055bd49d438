"""Widget helpers every page uses, and the one sequence box.

Streamlit forgets a widget's value when the page that drew it is left;
``keep_widget_values`` (run by ``ui.app.setup``) carries every ``w_*`` key
over. ``seed_widget`` / ``fit_widget`` / ``follow_widget`` give a keyed
widget its first value from the view and keep it valid as the model changes.

``sequence_box`` is the text box and its reading mode, the same widget (keys
``keys.SEQ`` / ``keys.MODE``, URL ``seq`` / ``mode``) on every page, so the
sequence follows the reader from page to page and into shared links.
"""
from __future__ import annotations

import streamlit as st

from . import keys, parsing, state
from .i18n import t

NOT_SETTABLE = {keys.UPLOAD, keys.UPLOAD_VOCAB, keys.CORPUS_UPLOAD}   # file uploaders: not settable via session state


def keep_widget_values():
    """Carry keyed widget values (``w_*``) over to the page being opened.

    Streamlit treats a widget on another page as a new widget and would reset
    it; writing each value back into session state first makes it stick.
    """
    for key in list(st.session_state.keys()):
        if key.startswith("w_") and key not in NOT_SETTABLE:
            st.session_state[key] = st.session_state[key]


def seed_widget(key, value):
    """Give a keyed widget its value from the view the first time it is drawn."""
    if key not in st.session_state:
        st.session_state[key] = value


def fit_widget(key, low, high, value):
    """Seed a keyed slider or number box with ``value`` and keep what it holds
    within [low, high]: a reader's unit 7 must not break the page when the
    hidden size drops to 4 (Streamlit refuses a value above a widget's max).
    A range (a, b) has both ends kept within."""
    seed_widget(key, value)
    v = st.session_state[key]
    if isinstance(v, (tuple, list)):
        st.session_state[key] = tuple(min(max(x, low), high) for x in v)
    else:
        st.session_state[key] = min(max(v, low), high)


def follow_widget(key, value):
    """Like ``seed_widget``, and again whenever ``value`` changes (e.g. the input
    width after the encoding changed); what the reader typed stays until then."""
    seen = f"_follows_{key}"
    if key not in st.session_state or st.session_state.get(seen) != value:
        st.session_state[key] = value
    st.session_state[seen] = value



def _use_example():
    choice = st.session_state.get(keys.EXAMPLE)
    if choice is not None:
        st.session_state[keys.MODE], st.session_state[keys.SEQ] = state.EXAMPLES[choice]
        st.session_state[keys.EXAMPLE] = None


def sequence_box(view, lang, *, height=68, examples=False, compact=False, dense=False):
    """The sequence and how it is read → (text, mode). ``examples`` adds the sample picker and the
    mode's help; ``compact`` is one line with the mode the view already has (the home page);
    ``dense`` keeps it short (the explorer, where the player must fit on one screen): the mode's help
    goes into the box's tooltip and the picker has no label above it."""
    tr = lambda key, **kw: t(key, lang, **kw)  # noqa: E731
    mode0, seq0 = state.EXAMPLES[state.DEFAULT_EXAMPLE[lang]]
    seed_widget(keys.SEQ, view.seq or seq0)
    seed_widget(keys.MODE, view.mode if view.seq else mode0)
    if "input" in view.hide:            # a teacher's link fixes the sequence: shown, not editable
        text, mode = st.session_state[keys.SEQ], st.session_state[keys.MODE]
        shown = text.replace("`", "ˋ").replace("\n", " ⏎ ")
        st.markdown(tr("seq.fixed", mode=tr(f"explorer.mode.{mode}"), text=shown))
        return text, mode
    if compact:
        return st.text_input(tr("home.input"), key=keys.SEQ), st.session_state[keys.MODE]
    left, right = st.columns(([2, 1] if dense else [5, 2]) if examples else [3, 1])
    help_ = tr("explorer.seq_help")
    if dense:
        current = st.session_state.get(keys.MODE) if st.session_state.get(keys.MODE) in parsing.MODES else "chars"
        help_ += "\n\n" + tr(f"explorer.mode_help.{current}", limit=parsing.MAX_TOKENS)
    text = left.text_area(tr("explorer.seq"), key=keys.SEQ, height=height, help=help_)
    mode = right.radio(tr("explorer.mode"), parsing.MODES, key=keys.MODE, horizontal=examples,
                       format_func=lambda m: tr(f"explorer.mode.{m}"))
    if examples:
        right.selectbox(tr("explorer.examples"), range(len(state.EXAMPLES)), index=None, key=keys.EXAMPLE,
                        on_change=_use_example, placeholder=tr("explorer.examples_pick"),
                        label_visibility="collapsed" if dense else "visible",
                        format_func=lambda i: f"{tr('explorer.mode.' + state.EXAMPLES[i][0])} · {state.EXAMPLES[i][1]}")
        if not dense:
            left.caption(tr(f"explorer.mode_help.{mode}", limit=parsing.MAX_TOKENS))
    return text, mode
