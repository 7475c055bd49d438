"""A model's vocabulary: the token of each id, and how text becomes tokens.

Where a vocabulary comes from (``reader.load`` looks in this order):

1. the ``vocab`` argument of ``lstm_core.load`` (a path, bytes, or a list);
2. the file's own metadata: ``"vocab"`` (a JSON list) in the ``.safetensors``
   ``__metadata__`` (as ``save_file(sd, path, metadata={"vocab": json.dumps(v)})``
   writes it) or in the tool's metadata object (``lstm_explorer`` / ``__meta__``);
3. a sidecar beside a weight file read from a path: ``NAME.vocab.json`` or
   ``NAME.vocab.txt`` for ``NAME.safetensors`` / ``NAME.npz``.

Two file formats:

* JSON: ``{"vocab": [...], "tokenizer": "chars" | "words", "labels": [...]}``
  (``labels``: the class names of a classifier's outputs; optional), or a
  bare JSON list of tokens;
* plain text, one token per line, in id order (UTF-8). A line is taken as it
  is, but for three escapes: a line ``\\n`` is the newline token, ``\\t`` the
  tab, ``\\\\`` a backslash; a line holding one space is the space token.

``tokenizer`` says how typed text is cut: ``"chars"`` (one token per
character) or ``"words"``; when a file does not say, it is ``"chars"`` if
every token is one character, else ``"words"``. The unknown token is the
first of ``UNK_TOKENS`` found in the vocabulary (or the metadata's ``unk``).

A vocabulary must hold exactly one token per embedding row (V), or per input
(I) when the model reads one-hot vectors; ``check_vocab`` refuses anything
else naming both numbers. Imports nothing from the models (they import this).
"""
from __future__ import annotations

import json
import os

from ..errors import WeightError

TOKENIZERS = ("chars", "words")
UNK_TOKENS = ("<unk>", "<UNK>", "[UNK]", "<oov>", "<OOV>", "UNK", "<Unk>")
MAX_VOCAB_BYTES = 20_000_000     # a vocabulary file
MAX_TOKENS = 1_000_000           # tokens in a vocabulary
SIDECARS = (".vocab.json", ".vocab.txt")
_ESCAPES = {"\\n": "\n", "\\t": "\t", "\\\\": "\\", "\\r": "\r"}


def guess_tokenizer(vocab):
    """"chars" when every token is one character (or an unknown-token marker), else "words"."""
    return "chars" if all(len(w) == 1 or w in UNK_TOKENS for w in vocab) else "words"


def unk_index(vocab, named=None):
    """The id of the unknown token: ``named`` when given, else the first of ``UNK_TOKENS``; None if absent."""
    if not vocab:
        return None
    vocab = list(vocab)
    if named is not None:
        return vocab.index(named) if named in vocab else None
    for w in UNK_TOKENS:
        if w in vocab:
            return vocab.index(w)
    return None


def check_vocab(model, vocab):
    """WeightError unless ``vocab`` has one token per embedding row (or per one-hot input), each once."""
    want = model.vocab_size if model.has_embedding else model.input_size
    what = "rows in its embedding" if model.has_embedding else "inputs (one-hot)"
    if len(vocab) != want:
        raise WeightError(f"the vocabulary has {len(vocab):,} tokens but the model has {want:,} {what}; "
                          "they must be equal (one token per id)", key="vocab_size", found=len(vocab), want=want)
    if len(set(vocab)) != len(vocab):
        seen, dup = set(), []
        for w in vocab:
            if w in seen and w not in dup:
                dup.append(w)
            seen.add(w)
        raise WeightError(f"the vocabulary lists {', '.join(repr(w) for w in dup[:5])} more than once; "
                          "each token must appear once", key="vocab_duplicates", tokens=", ".join(dup[:5]))


def _checked(vocab, where):
    if not isinstance(vocab, list) or not all(isinstance(w, str) for w in vocab):
        raise WeightError(f"{where}: 'vocab' must be a list of strings", key="vocab_bad", where=where)
    if not vocab:
        raise WeightError(f"{where}: the vocabulary is empty", key="vocab_empty", where=where)
    if len(vocab) > MAX_TOKENS:
        raise WeightError(f"{where}: the vocabulary has {len(vocab):,} tokens; at most {MAX_TOKENS:,} are allowed",
                          key="vocab_too_big", where=where, limit=MAX_TOKENS)
    return vocab


def parse(data: bytes, name: str = "") -> dict:
    """A vocabulary file's bytes → {"vocab": [str], "tokenizer": str | None, "labels": [str] | None}."""
    where = name or "the vocabulary file"
    if len(data) > MAX_VOCAB_BYTES:
        raise WeightError(f"{where} is larger than {MAX_VOCAB_BYTES:,} bytes", key="vocab_too_big", where=where,
                          limit=MAX_TOKENS)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise WeightError(f"{where} is not UTF-8 text; a vocabulary is a .json file or a text file with one "
                          "token per line", key="vocab_not_text", where=where) from None
    stripped = text.lstrip()
    if name.lower().endswith(".json") or stripped[:1] in ("{", "["):
        try:
            info = json.loads(text)
        except (ValueError, RecursionError) as e:
            raise WeightError(f"{where} is not valid JSON ({type(e).__name__}: {str(e)[:100]})",
                              key="vocab_bad_json", where=where) from None
        if isinstance(info, list):
            info = {"vocab": info}
        if not isinstance(info, dict) or "vocab" not in info:
            raise WeightError(f'{where} must hold {{"vocab": [...], "tokenizer": "chars" | "words"}} or a list '
                              "of tokens", key="vocab_bad", where=where)
        tokenizer = info.get("tokenizer")
        if tokenizer is not None and tokenizer not in TOKENIZERS:
            raise WeightError(f"{where}: tokenizer must be one of {', '.join(TOKENIZERS)}; found "
                              f"{str(tokenizer)[:30]!r}", key="bad_tokenizer", found=str(tokenizer)[:30])
        labels = info.get("labels")
        if labels is not None:
            labels = _checked(labels, where + " (labels)")
        return {"vocab": _checked(info["vocab"], where), "tokenizer": tokenizer, "labels": labels}
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [_ESCAPES.get(w.removesuffix("\r"), w.removesuffix("\r")) for w in lines]
    return {"vocab": _checked(lines, where), "tokenizer": None, "labels": None}


def read(source, name: str | None = None) -> dict:
    """A vocabulary from a path, bytes, a binary file-like or a list of tokens (see ``parse``)."""
    if isinstance(source, (list, tuple)):
        return {"vocab": _checked([str(w) for w in source], "the vocabulary"), "tokenizer": None, "labels": None}
    if isinstance(source, (str, os.PathLike)):
        name = name or os.path.basename(os.fspath(source))
        try:
            if os.path.getsize(source) > MAX_VOCAB_BYTES:
                raise WeightError(f"{name} is larger than {MAX_VOCAB_BYTES:,} bytes", key="vocab_too_big",
                                  where=name, limit=MAX_TOKENS)
            with open(source, "rb") as f:
                data = f.read()
        except OSError as e:
            raise WeightError(f"cannot read {os.fspath(source)!r}: {e.strerror or e}") from None
    elif isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    elif hasattr(source, "read"):
        name = name or getattr(source, "name", "") or ""
        data = source.read(MAX_VOCAB_BYTES + 1)
        if isinstance(data, str):
            data = data.encode("utf-8")
    else:
        raise WeightError(f"a vocabulary is a path, bytes, a file or a list of tokens; got {type(source).__name__}")
    return parse(data, name or "")


def sidecar(path) -> str | None:
    """The vocabulary file beside the weight file ``path`` (NAME.vocab.json or NAME.vocab.txt), if any."""
    path = os.fspath(path)
    stem = path.rsplit(".", 1)[0] if "." in os.path.basename(path) else path
    for suffix in SIDECARS:
        if os.path.isfile(stem + suffix):
            return stem + suffix
    return None


def from_metadata(st_meta: dict) -> dict | None:
    """The vocabulary a ``.safetensors`` file's own ``__metadata__`` holds under ``"vocab"``, if any."""
    if not st_meta or "vocab" not in st_meta:
        return None
    try:
        vocab = json.loads(st_meta["vocab"])
    except (ValueError, RecursionError, TypeError):
        raise WeightError("the file's metadata 'vocab' must be a JSON list of strings", key="vocab_bad",
                          where="metadata") from None
    tokenizer = st_meta.get("tokenizer")
    if tokenizer is not None and tokenizer not in TOKENIZERS:
        raise WeightError(f"the file's metadata 'tokenizer' must be one of {', '.join(TOKENIZERS)}; found "
                          f"{str(tokenizer)[:30]!r}", key="bad_tokenizer", found=str(tokenizer)[:30])
    return {"vocab": _checked(vocab, "the file's metadata"), "tokenizer": tokenizer, "labels": None}
