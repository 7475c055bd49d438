"""The corpus page's logic: a text → the model's ids → states (``lstm_core.corpus``) → views.

Pure (tested without Streamlit):

- ``read_corpus(text)``: the text checked against ``lstm_core.corpus.MAX_BYTES``;
- ``tokenize(text, tokenizer)``: the corpus's tokens as (distinct tokens, index (N,)), so a
  million characters are kept as one int32 array, not a million strings;
- ``model_inputs(model, distinct, index)``: the model's ids and the input table, unknown tokens
  mapped to its unknown token (or refused with the list when it has none); for generated weights
  (no vocabulary) the app's fixed embedding of each distinct token;
- ``context_html``: tokens around a step, coloured by a unit (Karpathy-style), a span outlined.
"""
from __future__ import annotations

import html
from typing import NamedTuple

import numpy as np

from lstm_core import corpus

from .errors import Problem
from .parsing import EMBED_DIM, display_token, embed_token, graphemes, normalize, words

BEFORE, AFTER = 40, 12          # tokens shown around a context


class Tokens(NamedTuple):
    distinct: tuple             # the corpus's distinct tokens, in order of first appearance
    index: np.ndarray           # (N,) int32: each step's position in ``distinct``
    starts: tuple               # the step where each line begins


class Inputs(NamedTuple):
    ids: np.ndarray             # (N,) the model's ids
    table: np.ndarray | None    # (V, I) input vectors of the ids; None: the model's own (embedding, one-hot)
    unknown: tuple              # corpus tokens the vocabulary lacks (read as its unknown token)


def read_corpus(text: str) -> str:
    size = len(text.encode("utf-8"))
    if size > corpus.MAX_BYTES:
        raise Problem("corpus.too_big", size=f"{size:,}", limit=f"{corpus.MAX_BYTES:,}")
    text = normalize(text)
    if not text:
        raise Problem("corpus.empty")
    return text


def tokenize(text: str, tokenizer: str = "chars") -> Tokens:
    """Cut the corpus as the model's vocabulary does (characters or words); lines are remembered."""
    lines = text.split("\n")
    toks: list = []
    starts = []
    for i, line in enumerate(lines):
        starts.append(len(toks))
        toks += graphemes(line) if tokenizer == "chars" else words(line)
        if i < len(lines) - 1 and tokenizer == "chars":
            toks.append("\n")
    if not toks:
        raise Problem("corpus.empty")
    distinct = tuple(dict.fromkeys(toks))
    pos = {tok: i for i, tok in enumerate(distinct)}
    index = np.fromiter((pos[tok] for tok in toks), np.int32, len(toks))
    return Tokens(distinct, index, tuple(sorted(set(s for s in starts if s < len(toks)))))


def model_inputs(model, tokens: Tokens, seed: int = 0) -> Inputs:
    """The ids the model reads for the corpus, and the table of input vectors when it has no vocabulary."""
    vocab = model.vocab
    if not vocab:
        table = np.array([embed_token(tok, EMBED_DIM, seed) for tok in tokens.distinct], dtype=np.float32)
        return Inputs(tokens.index, table, ())
    pos = {tok: i for i, tok in reversed(list(enumerate(vocab)))}
    unknown = tuple(tok for tok in tokens.distinct if tok not in pos)
    if unknown and model.unk is None:
        listed = " ".join(f"“{display_token(tok)}”" for tok in unknown[:30])
        raise Problem("input.err.unknown_tokens", n=len(unknown), tokens=listed + (" …" if len(unknown) > 30 else ""))
    lookup = np.array([pos.get(tok, model.unk if model.unk is not None else 0) for tok in tokens.distinct], np.int64)
    return Inputs(lookup[tokens.index], None, unknown)


def _color(v, lo, hi):
    """RdBu-like: blue below zero, white at zero, red above (gates 0..1: white to red)."""
    if hi <= lo:
        return "#ffffff"
    if lo >= 0:
        x = (v - lo) / (hi - lo)
        r, g, b = 255, int(255 - 175 * x), int(255 - 190 * x)
    else:
        m = max(abs(lo), abs(hi))
        x = max(-1.0, min(1.0, v / m))
        r, g, b = (255, int(255 - 175 * x), int(255 - 190 * x)) if x >= 0 else \
            (int(255 + 190 * x), int(255 + 130 * x), 255)
    return f"#{r:02x}{g:02x}{b:02x}"


def context_html(distinct, index, values, focus: int, span: tuple | None = None, lo=-1.0, hi=1.0,
                 before=BEFORE, after=AFTER, sep="") -> str:
    """Tokens [focus − before, focus + after] coloured by ``values`` (N,); the focus (or ``span``) outlined."""
    a, b = max(0, focus - before), min(len(index), focus + after + 1)
    s0, s1 = span if span is not None else (focus, focus + 1)
    parts = []
    for i in range(a, b):
        tok = distinct[index[i]]
        shown = "⏎" if tok == "\n" else html.escape(display_token(tok) if tok != " " else "\u00a0")
        style = f"background:{_color(float(values[i]), lo, hi)}"
        if s0 <= i < s1:
            style += ";outline:2px solid #111;outline-offset:-1px"
        parts.append(f'<span title="{i + 1}: {float(values[i]):.3f}" style="{style}">{shown}</span>{sep}')
    return ('<div style="font-family:monospace;white-space:pre-wrap;line-height:1.6;margin:2px 0">'
            + "".join(parts) + "</div>")
