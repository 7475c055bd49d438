"""A practitioner's own model: its weights, its vocabulary, its tokens.

Pure (tested without Streamlit):

- ``load_files(weights, vocab)``: (name, bytes) of a weight file and, optionally,
  of a vocabulary file → ``(digest, model, label)``; a vocabulary in the weight
  file itself (safetensors metadata) is used when no file is given.
- ``with_alphabet(good, text)``: the typed alphabet ("abc…", in id order) as the
  vocabulary of an uploaded model that came without one.
- ``needs_vocab(model)``: the model reads tokens (an embedding, or one-hot
  inputs) but nobody said which token each id is.
- ``kind_of_head(model)``: "lm" (its outputs are its vocabulary: next-token
  predictions), "classifier", "linear" or None.

Streamlit (``vocab_box``): the sidebar's vocabulary uploader under the weights.
"""
from __future__ import annotations

import hashlib
import io

import streamlit as st

import lstm_core

from . import keys
from .errors import Problem
from .i18n import t
from .parsing import graphemes

_ESCAPES = (("\\n", "\n"), ("\\t", "\t"))


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(hashlib.sha256(p).digest())
    return h.hexdigest()


@st.cache_resource(max_entries=4, ttl=3600, show_spinner=False)
def _load(digest: str, name: str, vocab_name: str, _data: bytes, _vocab: bytes | None):
    vocab = None
    if _vocab is not None:
        vocab = io.BytesIO(_vocab)
        vocab.name = vocab_name
    return lstm_core.load(io.BytesIO(_data), name=name, vocab=vocab)


def load_files(weights: tuple, vocab: tuple | None = None):
    """(sha256 of both files, model, "weights.safetensors + vocab.json") for an upload; WeightError/ValueError."""
    name, data = weights
    digest = _digest(data, vocab[1] if vocab else b"")
    label = name + (f" + {vocab[0]}" if vocab else "")
    model = _load(digest, name, vocab[0] if vocab else "", data, vocab[1] if vocab else None)
    return digest, model, label


def alphabet_tokens(text: str) -> list:
    """The typed alphabet as tokens: one per character, "\\n" and "\\t" written as escapes."""
    for a, b in _ESCAPES:
        text = text.replace(a, b)
    return graphemes(text)


def with_alphabet(good: tuple, text: str):
    """The upload ``good`` (digest, model, label) with the typed alphabet as its vocabulary
    (characters in id order); Problem when it does not fit."""
    digest, model, label = good
    tokens = alphabet_tokens(text)
    want = model.vocab_size if model.has_embedding else model.input_size
    if len(tokens) != want:
        raise Problem("vocab.typed_size", found=len(tokens), want=want)
    if len(set(tokens)) != len(tokens):
        dup = sorted({tok for tok in tokens if tokens.count(tok) > 1})
        raise Problem("vocab.typed_duplicates", tokens=" ".join(f"“{d}”" for d in dup[:10]))
    m = model.with_vocab(tokens, tokenizer="chars")
    return digest + ":" + _digest(text.encode("utf-8"))[:16], m, label


def needs_vocab(model) -> bool:
    """True for a model that reads tokens (an embedding, or one-hot inputs) but came without a vocabulary."""
    return model is not None and not model.vocab


def kind_of_head(model):
    """What the output layer predicts: "lm" (the next token: one output per vocabulary entry),
    "classifier" (classes), "linear" (numbers), or None without an output layer."""
    if model is None or not model.output:
        return None
    if model.output == "linear":
        return "linear"
    vocab = model.vocab
    if vocab and len(vocab) == model.output_size and not model.meta.get("classes"):
        return "lm"
    return "classifier"


# ------------------------------------------------------------------ widgets
def vocab_box(box, lang: str):
    """The vocabulary uploader under the weights' one → (name, bytes) or None."""
    up = box.file_uploader(t("vocab.upload", lang), key=keys.UPLOAD_VOCAB, help=t("vocab.upload_help", lang))
    return None if up is None else (up.name, up.getvalue())


def typed_alphabet(good):
    """The upload with the alphabet typed on the page (``keys.VOCAB_TYPED``), when its model has no
    vocabulary; the Problem is kept in ``keys.VOCAB_PROBLEM`` for the page to show."""
    st.session_state[keys.VOCAB_PROBLEM] = None
    text = st.session_state.get(keys.VOCAB_TYPED) or ""
    if not good or not needs_vocab(good[1]) or not text:
        return good
    try:
        return with_alphabet(good, text)
    except Problem as p:
        st.session_state[keys.VOCAB_PROBLEM] = p
    except ValueError as e:        # WeightError from with_vocab
        st.session_state[keys.VOCAB_PROBLEM] = Problem("vocab.refused", reason=str(e))
    return good
