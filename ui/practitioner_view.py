"""What a page shows about a practitioner's own model: its vocabulary and its two directions.

Pure builders (tested without Streamlit): ``vocab_html`` (the compact list,
unknown tokens of the typed text marked), ``unit_label`` / ``direction_of``
(→ 3, ← 3), ``label_directions`` (a Plotly heatmap's unit rows relabelled).
``notice``, ``vocab_panel`` and ``directions_note`` draw them. The head's
prediction (top 5 per step; a classifier's classes) is the trace player's
(``ui.predictions.for_player``).
"""
from __future__ import annotations

import html

import streamlit as st

from . import keys
from .i18n import t
from .parsing import display_token
from .state import md_escape
from .upload import needs_vocab

SHOWN_TOKENS = 400        # tokens listed in the vocabulary panel (a 20,000-word vocabulary says "… and N more")


# ------------------------------------------------------------------ pure
def direction_of(u: int, width: int, directions: int) -> tuple:
    """(arrow, unit within its direction) of column ``u`` of a layer ``width`` wide."""
    if directions != 2:
        return "", int(u)
    H = width // 2
    return ("→", int(u)) if u < H else ("←", int(u) - H)


def unit_label(u: int, width: int, directions: int) -> str:
    arrow, j = direction_of(u, width, directions)
    return f"{arrow}{j}" if arrow else str(j)


def label_directions(fig, width: int):
    """Relabel the unit rows of every heatmap in ``fig`` as →j (forward) and ←j (reverse)."""
    for tr in fig.data:
        if tr.type == "heatmap" and tr.y is not None and all(str(u).isdigit() for u in tr.y):
            tr.y = [unit_label(int(u), width, 2) for u in tr.y]
    return fig


def vocab_html(vocab, unknown=(), unk=None, limit=SHOWN_TOKENS) -> str:
    """The vocabulary as one line of small chips (id order), then the typed text's unknown tokens marked."""
    chips = []
    for i, tok in enumerate(vocab[:limit]):
        cls = "unk" if i == unk else "tok"
        chips.append(f'<span class="{cls}" title="{i}">{html.escape(display_token(tok))}</span>')
    more = f' <span class="more">… +{len(vocab) - limit:,}</span>' if len(vocab) > limit else ""
    out = ('<div class="vocab" style="line-height:1.9;font-size:0.85em">'
           + "".join(chips) + more + "</div>")
    if unknown:
        marks = "".join(f'<span class="unknown">{html.escape(display_token(tok))}</span>' for tok in unknown[:60])
        out += f'<div class="vocab-unknown" style="margin-top:4px">{marks}</div>'
    style = ("<style>.vocab span,.vocab-unknown span{display:inline-block;padding:0 4px;margin:1px;"
             "border-radius:3px;font-family:monospace}.vocab .tok{background:#F4F1EC}"
             ".vocab .unk{background:#FDEBD0;font-weight:bold}.vocab-unknown .unknown{background:#F5B7B1;"
             "text-decoration:underline wavy #C0392B}</style>")
    return style + out


def enc_note(enc, model, lang):
    """How the model's own tokens became its inputs (None for the other encodings); unknown tokens
    are told by ``vocab_panel``."""
    if enc.encoding != "onehot_model" or model is None or not model.vocab:
        return None
    if model.has_embedding:
        return t("vocab.enc_note.embedding", lang, n=f"{len(model.vocab):,}", dim=model.input_size)
    return t("vocab.enc_note.onehot", lang, n=f"{len(model.vocab):,}")


# ------------------------------------------------------------------ Streamlit
def notice(ctx) -> bool:
    """At the top of a page: an uploaded model without a vocabulary is said so, with the two ways to
    give one. True when the page shows such a model (its numbers then need a vocabulary to mean anything)."""
    model = ctx.model
    if not ctx.view.model.upload or not needs_vocab(model):
        return False
    tr = ctx.tr
    n = model.vocab_size if model.has_embedding else model.input_size
    what = tr("vocab.missing.embedding", n=f"{n:,}") if model.has_embedding else tr("vocab.missing.onehot", n=n)
    box = st.container(border=True)
    box.warning(tr("vocab.missing", what=what), icon="⚠️")
    box.markdown(tr("vocab.missing.how"))
    box.text_input(tr("vocab.typed", n=n), key=keys.VOCAB_TYPED, help=tr("vocab.typed_help"),
                   placeholder="abcdefghijklmnopqrstuvwxyz .,")
    problem = st.session_state.get(keys.VOCAB_PROBLEM)
    if problem is not None:
        box.error(problem.message(ctx.lang))
    return True


def vocab_panel(model, unknown, lang):
    """The model's vocabulary, compact, with the typed text's unknown tokens marked."""
    vocab = model.vocab if model is not None else None
    if not vocab:
        return
    unk = model.unk
    head = t("vocab.panel", lang, n=f"{len(vocab):,}", tokenizer=t(f"vocab.tokenizer.{model.tokenizer}", lang),
             unk=md_escape(vocab[unk]) if unk is not None else t("vocab.no_unk", lang))
    with st.expander(head, expanded=bool(unknown)):
        st.html(vocab_html(vocab, unknown, unk))
    if unknown:
        listed = " ".join(f"“{md_escape(display_token(tok))}”" for tok in unknown[:30])
        key = "vocab.unknown_mapped" if unk is not None else "vocab.unknown_zero"
        st.warning(t(key, lang, n=len(unknown), tokens=listed,
                     unk=md_escape(vocab[unk]) if unk is not None else ""), icon="🔤")


def directions_note(trace, lang):
    if trace.directions == 2:
        st.info(t("vocab.directions", lang, h_last=trace.units_per_direction - 1), icon="↔️")
