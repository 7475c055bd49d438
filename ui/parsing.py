"""Typed text → tokens → input vectors (T, I) for the networks.

Three ways to read what the user typed (``MODES``):

- ``"chars"``: user-perceived characters (grapheme clusters). "é" typed as
  e + U+0301, "👩‍💻", "🇨🇳" and "\\r\\n" are one token each; "中文" is two.
  Every whitespace character is its own token, kept as it is (a character
  model sees spaces and newlines); ``display_token`` turns it into a visible
  glyph (" " → "␣", "\\n" → "⏎") for the figures. So ``"".join(tokens)`` is
  exactly ``normalize(text)``.
- ``"words"``: words are what lies between spaces, in every script: runs of
  letters/digits (with inner apostrophes or hyphens: "don't",
  "well-known"), and "我 昨天 在 图书馆" is four words. Chinese written
  without spaces between its words ("我爱北京": no space between two
  ideographs anywhere in the text) is read one character per word. Every
  other mark (punctuation, emoji, symbols) is its own token; whitespace
  only separates.
- ``"numbers"``: scalars ``1, 0.5, -2`` (commas and/or spaces) are steps of
  width 1; with semicolons or line breaks the text is read as one vector per
  step, ``1,0; 0,1`` → X = [[1, 0], [0, 1]]. NaN and infinity are refused.

Tokens become vectors with ``encode`` (``ENCODINGS``): fixed seeded
embeddings, one-hot over the sequence's own distinct tokens, or one-hot over
a model's vocabulary (unknown tokens → zero vector, listed).

Bad input raises ``ui.errors.Problem`` whose ``key`` names a catalogue entry of
``ui/locales/figures.py``; ``str(err)`` is English, ``err.message(lang)``
the chosen language. Nothing else is ever raised for any string.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

import numpy as np

from .errors import Problem

MODES = ("chars", "words", "numbers")
MAX_TOKENS = 2000
MAX_WIDTH = 1024       # values per typed vector
ENCODINGS = ("embedding", "onehot_sequence", "onehot_model")
EMBED_DIM = 16
CHARS_PER_TOKEN = 50   # raw text longer than max_tokens × this is refused before any work


@dataclass(frozen=True)
class Sequence:
    """What ``parse_sequence`` read: T tokens, and (numbers mode) their vectors (T, D)."""

    tokens: tuple
    vectors: np.ndarray | None = None
    mode: str = "chars"

    def __len__(self):
        return len(self.tokens)


@dataclass(frozen=True)
class Encoded:
    """Input matrix X (T, I) float64 for ``model.forward``, with the vocabulary used.

    ``unknown``: tokens missing from a model vocabulary (encoded as zeros, or
    as the vocabulary's unknown token when it has one); ``ids``: each step's
    index in the model's vocabulary ("onehot_model" only).
    """

    X: np.ndarray
    vocab: tuple
    unknown: tuple
    encoding: str
    ids: tuple | None = None


# ------------------------------------------------------------------ text
def normalize(text: str) -> str:
    """The text every mode reads: NFC, line breaks as "\\n", outer whitespace stripped."""
    text = unicodedata.normalize("NFC", text)
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


_DISPLAY = {" ": "␣", "\n": "⏎", "\t": "⇥", "\u3000": "␣"}


def display_token(tok: str) -> str:
    """A visible label for a token: whitespace and control characters get a glyph."""
    if tok in _DISPLAY:
        return _DISPLAY[tok]
    if tok and all(c.isspace() for c in tok):
        return "␣" * len(tok)
    if any(unicodedata.category(c) == "Cc" for c in tok):
        return "".join(chr(0x2400 + ord(c)) if ord(c) < 0x20 else "␡" if ord(c) == 0x7F
                       else ("�" if unicodedata.category(c) == "Cc" else c) for c in tok)
    return tok


def _is_extend(c: str) -> bool:
    """Joins the cluster before it: combining marks, ZWJ/ZWNJ, variation selectors,
    skin-tone modifiers, emoji tag characters, spacing marks."""
    o = ord(c)
    return (unicodedata.category(c) in ("Mn", "Me", "Mc") or o in (0x200C, 0x200D)
            or 0xFE00 <= o <= 0xFE0F or 0xE0100 <= o <= 0xE01EF
            or 0x1F3FB <= o <= 0x1F3FF or 0xE0020 <= o <= 0xE007F)


def _is_control(c: str) -> bool:
    return unicodedata.category(c) in ("Cc", "Zl", "Zp") and c not in ("\u200c", "\u200d")


def _is_ri(c: str) -> bool:
    return 0x1F1E6 <= ord(c) <= 0x1F1FF


def _hangul(c: str) -> str:
    o = ord(c)
    if 0x1100 <= o <= 0x115F or 0xA960 <= o <= 0xA97C:
        return "L"
    if 0x1160 <= o <= 0x11A7 or 0xD7B0 <= o <= 0xD7C6:
        return "V"
    if 0x11A8 <= o <= 0x11FF or 0xD7CB <= o <= 0xD7FB:
        return "T"
    if 0xAC00 <= o <= 0xD7A3:
        return "LV" if (o - 0xAC00) % 28 == 0 else "LVT"
    return ""


def _joins(prev: str, c: str, ri_run: int) -> bool:
    """Whether ``c`` continues the cluster whose last character is ``prev``
    (a stdlib-only subset of Unicode's grapheme rules, UAX #29)."""
    if prev == "\r" and c == "\n":
        return True
    if _is_control(prev) or _is_control(c):
        return False
    if _is_extend(c):
        return True
    if prev == "\u200d":            # ZWJ sequence: 👩 ZWJ 💻
        return not c.isspace()
    if _is_ri(prev) and _is_ri(c):  # flags are pairs of regional indicators
        return ri_run % 2 == 1
    hp, hc = _hangul(prev), _hangul(c)
    return bool(hp and hc) and ((hp == "L" and hc in ("L", "V", "LV", "LVT"))
                                or (hp in ("LV", "V") and hc in ("V", "T"))
                                or (hp in ("LVT", "T") and hc == "T"))


def graphemes(text: str) -> list:
    """Split text into user-perceived characters; ``"".join`` gives the text back."""
    out, ri_run = [], 0
    for c in text:
        if out and _joins(out[-1][-1], c, ri_run):
            out[-1] += c
        else:
            out.append(c)
        ri_run = ri_run + 1 if _is_ri(c) else 0
    return out


def _is_cjk(c: str) -> bool:
    o = ord(c)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF
            or 0x20000 <= o <= 0x3134F)


def _wordish(g: str, cjk_words: bool = False) -> bool:
    return unicodedata.category(g[0])[0] in "LNM" and (cjk_words or not _is_cjk(g[0]))


def spaced_cjk(gs: list) -> bool:
    """Whether the text (as graphemes) puts spaces between Chinese words: some run of
    whitespace has an ideograph right before it and right after it ("我 昨天")."""
    last, gap = "", False
    for g in gs:
        if g[0].isspace():
            gap = bool(last)
            continue
        if gap and _is_cjk(g[0]) and _is_cjk(last[0]):
            return True
        last, gap = g, False
    return False


_JOINERS = frozenset("'’-‐‑")


def words(text: str) -> list:
    """Words (what lies between spaces, in any script) and single marks, in order; whitespace dropped.
    Chinese without spaces between ideographs reads one character per word (``spaced_cjk``)."""
    gs = graphemes(text)
    cjk_words = spaced_cjk(gs)
    out, word = [], ""
    for i, g in enumerate(gs):
        if _wordish(g, cjk_words):
            word += g
            continue
        if g in _JOINERS and word and i + 1 < len(gs) and _wordish(gs[i + 1], cjk_words):
            word += g
            continue
        if word:
            out.append(word)
            word = ""
        if not g[0].isspace():
            out.append(g)
    if word:
        out.append(word)
    return out


# --------------------------------------------------------------- numbers
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_NOT_FINITE = re.compile(r"[+-]?(?:nan|inf|infinity)", re.IGNORECASE)
_VALUE_SEP = re.compile(r"\s*,\s*|\s+")
_ROW_SEP = re.compile(r"[;\n]")


def _short(tok: str, n: int = 24) -> str:
    return tok if len(tok) <= n else tok[:n - 1] + "…"


def _number(tok: str, position: int) -> float:
    if _NUMBER.fullmatch(tok):
        v = float(tok)
        if np.isfinite(v):
            return v
    if _NOT_FINITE.fullmatch(tok) or _NUMBER.fullmatch(tok):   # the latter: overflow, 1e999
        raise Problem("input.err.not_finite", token=_short(tok))
    raise Problem("input.err.bad_number", token=_short(tok), position=position)


def numbers(text: str) -> tuple:
    """Parse scalars or vectors → (tokens, vectors (T, D) float64).

    Accepts the Chinese full-width comma and semicolon and the minus sign "−".
    """
    text = text.replace("，", ",").replace("；", ";").replace("−", "-")
    if _ROW_SEP.search(text):
        rows = [r.strip() for r in _ROW_SEP.split(text)]
        rows = [r for r in rows if r]
    else:
        rows = None
    tokens, values, position = [], [], 0
    for r, row in enumerate(rows if rows is not None else [text.strip()], start=1):
        parts = _VALUE_SEP.split(row) if row else []
        if any(p == "" for p in parts):
            raise Problem("input.err.empty_value", row=r if rows is not None else 1)
        if len(parts) > MAX_WIDTH and rows is not None:
            raise Problem("input.err.too_wide", row=r, found=len(parts), limit=MAX_WIDTH)
        vals = []
        for p in parts:
            position += 1
            vals.append(_number(p, position))
        if rows is None:   # scalars: every value is one step
            tokens += parts
            values += [[v] for v in vals]
        else:
            if values and len(vals) != len(values[0]):
                raise Problem("input.err.uneven", row=r, width=len(vals), expected=len(values[0]))
            tokens.append(",".join(parts))
            values.append(vals)
    if not values:
        raise Problem("input.err.empty")
    return tuple(tokens), np.array(values, dtype=np.float64)


def parse_sequence(text: str, mode: str, max_tokens: int = MAX_TOKENS) -> Sequence:
    """Read ``text`` in ``mode`` ("chars", "words", "numbers") → ``Sequence``.

    Raises ``Problem`` for empty input, more than ``max_tokens`` steps,
    unreadable numbers, or an unknown mode; never anything else.
    """
    if mode not in MODES:
        raise Problem("input.err.unknown_mode", mode=_short(str(mode)), allowed=", ".join(MODES))
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    max_chars = max_tokens * CHARS_PER_TOKEN
    if len(text) > max_chars:
        raise Problem("input.err.too_long_text", limit=max_chars, found=len(text))
    text = normalize(text)
    if not text:
        raise Problem("input.err.empty")
    vectors = None
    if mode == "chars":
        tokens = tuple(graphemes(text))
    elif mode == "words":
        tokens = tuple(words(text))
    else:
        tokens, vectors = numbers(text)
    if not tokens:
        raise Problem("input.err.empty")
    if len(tokens) > max_tokens:
        raise Problem("input.err.too_long", limit=max_tokens, found=len(tokens))
    if vectors is not None:
        vectors.flags.writeable = False
    return Sequence(tokens=tokens, vectors=vectors, mode=mode)


# -------------------------------------------------------------- encoding
def embed_token(token: str, dim: int = EMBED_DIM, seed: int = 0) -> np.ndarray:
    """A fixed vector (dim,) for ``token``: standard normal entries (unit variance)
    drawn from a generator seeded by blake2b(seed, token) — the same on every
    machine and run, independent of the other tokens."""
    key = f"{int(seed)}\x00{token}".encode("utf-8", "surrogatepass")
    digest = hashlib.blake2b(key, digest_size=16, person=b"lstm-explorer").digest()
    return np.random.default_rng(int.from_bytes(digest, "little")).standard_normal(dim)


MAX_LISTED = 30      # unknown tokens named in a refusal


def encode(seq: Sequence, encoding: str = "embedding", vocab=None, dim: int = EMBED_DIM,
           seed: int = 0, input_size: int | None = None, unk: int | None = None,
           refuse_unknown: bool = False) -> Encoded:
    """Turn a ``Sequence`` into X (T, I) float64.

    numbers mode: X = the typed vectors (encoding "numbers", I = D).
    "embedding": X[t] = embed_token(tokens[t], dim, seed), I = dim.
    "onehot_sequence": vocab = the distinct tokens in order of first
    appearance, X[t] = e_{index of tokens[t]}, I = len(vocab).
    "onehot_model": over the given ``vocab`` (I = len(vocab)); tokens not in
    it are zero rows and are listed in ``unknown``; with ``unk`` (the index of the
    vocabulary's unknown token) they are that token instead; with
    ``refuse_unknown`` and no ``unk`` they raise Problem("input.err.unknown_tokens")
    naming them. ``ids``: each step's index (``unk`` for unknown ones).
    With ``input_size`` given, a width I ≠ input_size raises Problem("input.err.width").
    """
    tokens = seq.tokens
    unknown: tuple = ()
    ids = None
    if seq.vectors is not None:
        X, used, encoding = np.array(seq.vectors, dtype=np.float64), (), "numbers"
    elif encoding == "embedding":
        used = tuple(dict.fromkeys(tokens))
        table = {tok: embed_token(tok, dim, seed) for tok in used}
        X = np.array([table[tok] for tok in tokens], dtype=np.float64).reshape(len(tokens), dim)
    elif encoding in ("onehot_sequence", "onehot_model"):
        if encoding == "onehot_sequence":
            used = tuple(dict.fromkeys(tokens))
        else:
            if not vocab:
                raise Problem("input.err.no_vocab")
            used = tuple(str(v) for v in vocab)
        index = {tok: i for i, tok in reversed(list(enumerate(used)))}
        unknown = tuple(dict.fromkeys(tok for tok in tokens if tok not in index))
        if unknown and encoding == "onehot_model" and refuse_unknown and unk is None:
            listed = " ".join(f"“{display_token(tok)}”" for tok in unknown[:MAX_LISTED])
            raise Problem("input.err.unknown_tokens", n=len(unknown), tokens=listed + (" …" if len(unknown) > MAX_LISTED
                                                                                       else ""))
        if unk is not None and encoding == "onehot_model":
            index = {**{tok: unk for tok in unknown}, **index}
        X = np.zeros((len(tokens), len(used)), dtype=np.float64)
        rows = [(s, index[tok]) for s, tok in enumerate(tokens) if tok in index]
        if rows:
            s, i = zip(*rows)
            X[list(s), list(i)] = 1.0
        if encoding == "onehot_model":
            ids = tuple(index.get(tok, -1) for tok in tokens)
    else:
        raise Problem("input.err.unknown_encoding", encoding=_short(str(encoding)),
                         allowed=", ".join(ENCODINGS))
    if input_size is not None and X.shape[1] != input_size:
        raise Problem("input.err.width", found=X.shape[1], expected=int(input_size))
    return Encoded(X=X, vocab=used, unknown=unknown, encoding=encoding, ids=ids)
