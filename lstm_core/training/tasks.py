"""Toy tasks that give the gates something to mean.

Every task draws batches from a seeded ``numpy.random.Generator``::

    task = make_task("recall", gap=100)
    b = task.sample(np.random.default_rng(0), batch=32)
    b.inputs   (T, B, I)   one-hot characters (or numbers for "adding")
    b.targets  (T, B)      class indices — or (T, B, 1) numbers for "adding"
    b.mask     (T, B)      1 where a step is scored, 0 elsewhere
    b.latent   (T, B)      the hidden quantity a unit may track (or None)
    b.tokens   B lists of T strings, for display

Tasks whose inputs are characters have a ``vocab`` (one printable character
per input unit) so that typed text can be fed to a trained model with
``task.encode(text)``.

=============== ============================================= ===================
task            what the model must do                         latent variable
=============== ============================================= ===================
recall          name the symbol seen ``gap`` steps earlier     steps since symbol
adding          sum the two marked numbers (H&S 1997)          marked sum so far
temporal_order  order of X/Y far apart → 4 classes (H&S 1997)  first symbol ±1
brackets        current nesting depth at every step            depth
parity          parity of the 1s seen so far, every step       parity
charlm          next character of a small corpus (en / zh)     chars since a break
=============== ============================================= ===================
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable, Optional

import numpy as np

from .losses import within

CORPORA = Path(__file__).parent / "corpora"


@dataclass
class Batch:
    inputs: np.ndarray
    targets: np.ndarray
    mask: np.ndarray
    latent: Optional[np.ndarray]
    make_tokens: Callable = field(repr=False)

    @cached_property
    def tokens(self):
        """B lists of T display strings (built on first use: training never needs them)."""
        return self.make_tokens()


def _whole(name, v, lo, hi):
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or not lo <= v <= hi:
        raise ValueError(f"{name} must be a whole number from {lo} to {hi}; got {v!r}")
    return int(v)


class Task:
    """Base class: subclasses set the fields below and write ``_draw``."""

    name = ""
    vocab: Optional[tuple] = None       # input characters (one-hot), or None
    classes: Optional[tuple] = None     # output labels, or None for a regression
    output = "softmax"                  # "softmax" (cross-entropy) or "linear" (MSE)
    latent_name = ""
    note = {"en": "", "zh": ""}
    # the LSTM's initial forget-gate bias a trainer uses unless told otherwise (``Trainer(forget_bias=None)``):
    # σ(1) ≈ 0.73 keeps about a quarter of c per step, enough for tasks whose memory is short
    forget_bias = 1.0

    params: dict = {}

    @property
    def input_size(self):
        return len(self.vocab)

    @property
    def output_size(self):
        return len(self.classes)

    def sample(self, rng, batch):
        """Draw ``batch`` sequences (see the module docstring for the fields)."""
        _whole("batch size", batch, 1, 100_000)
        return self._draw(rng, batch)

    def probe(self):
        """One fixed sequence (same every call) for gate snapshots during training."""
        b = self.sample(np.random.default_rng(20240601), 1)
        return b

    def one_hot(self, idx):
        """Indices (T, B) → one-hot inputs (T, B, I) in float64."""
        return np.eye(self.input_size)[idx]

    def encode(self, text):
        """Typed text → one-hot inputs (T, I); each character must be in ``vocab``."""
        if self.vocab is None:
            raise ValueError(f"task {self.name!r} takes numbers, not text")
        pos = {c: k for k, c in enumerate(self.vocab)}
        bad = sorted({c for c in text if c not in pos})
        if bad:
            raise ValueError(f"characters {''.join(bad)!r} are not in this task's vocabulary "
                             f"{''.join(self.vocab)!r}")
        if not text:
            raise ValueError("the text is empty")
        return np.eye(self.input_size)[[pos[c] for c in text]]

    def chance(self, rng=None, scored=20_000):
        """Accuracy of the best constant answer (majority class / mean value),
        estimated from batches of 256 until about ``scored`` steps are scored."""
        rng = rng or np.random.default_rng(1)
        targets, masks = [], []
        while sum(float(m.sum()) for m in masks) < scored and len(masks) < 200:
            b = self.sample(rng, 256)
            targets.append(b.targets)
            masks.append(b.mask)
        y, m = np.concatenate(targets, 1), np.concatenate(masks, 1)
        if self.output == "linear":
            guess = np.full_like(y, y[m > 0].mean())
            return within(guess, y, self.tolerance, m)
        counts = np.bincount(y[m > 0].ravel(), minlength=self.output_size)
        return float(counts.max() / counts.sum())

    def strict(self):
        """The task to measure on (differs only for tasks trained on mixed gaps)."""
        return self

    def meta(self):
        """What a saved model carries about the task (JSON-friendly)."""
        m = {"task": {"name": self.name, **self.params}, "latent": self.latent_name,
             "note": dict(self.note), "output": self.output}
        if self.vocab is not None:
            m["vocab"] = list(self.vocab)
        if self.classes is not None:
            m["classes"] = list(self.classes)
        return m


class Recall(Task):
    """A symbol, ``gap`` distractors ".", then "?": answer the symbol.

    T = gap + 2; only the "?" step is scored. Example (gap 5): ``C.....?`` → C.
    With ``min_gap``, each sequence draws its own gap from min_gap..gap: the
    "?" then comes earlier, and the steps after it are not scored (they
    cannot change the answer: the net only looks back). Short gaps give the
    gradient an easy path first; ``strict()`` is the fixed-gap task to measure on.
    """

    name = "recall"
    latent_name = "steps since the symbol"
    forget_bias = 3.0     # σ(3) ≈ 0.95: from the start c survives dozens of dots, so the gradient finds the letter
    note = {"en": "Remember the first letter across the dots; answer it at the '?'.",
            "zh": "记住第一个字母，跨过一串点号，在“?”处答出它。"}

    def __init__(self, gap=100, symbols=8, min_gap=None):
        self.gap = _whole("gap", gap, 1, 2000)
        self.symbols = _whole("symbols", symbols, 2, 26)
        self.min_gap = None if min_gap is None else _whole("min_gap", min_gap, 1, self.gap)
        self.params = {"gap": self.gap, "symbols": self.symbols}
        if self.min_gap is not None:
            self.params["min_gap"] = self.min_gap
        letters = tuple(chr(ord("A") + k) for k in range(self.symbols))
        self.vocab = letters + (".", "?")
        self.classes = letters

    def strict(self):
        return Recall(self.gap, self.symbols)

    def _draw(self, rng, B):
        T, S = self.gap + 2, self.symbols
        sym = rng.integers(0, S, B)
        q = np.full(B, T - 1) if self.min_gap is None else rng.integers(self.min_gap, self.gap + 1, B) + 1
        cols = np.arange(B)
        idx = np.full((T, B), S)          # "."
        idx[0] = sym
        idx[q, cols] = S + 1              # "?"
        targets = np.zeros((T, B), np.int64)
        targets[q, cols] = sym
        mask = np.zeros((T, B))
        mask[q, cols] = 1
        latent = np.repeat(np.arange(T, dtype=float)[:, None], B, 1)
        return Batch(self.one_hot(idx), targets, mask, latent, lambda: _tokens(self.vocab, idx))


class TemporalOrder(Task):
    """Hochreiter & Schmidhuber (1997), experiment 6a, with a configurable gap.

    "B", then letters a–d at random, with X or Y at t1 ∈ [1, w] and at
    t2 ≈ (end)/2, ending in "E"; w = max(1, gap // 10), T = gap + w + 1, so the
    first X/Y lies at least ``gap`` steps before the end. The class at "E" is
    the order: XX, XY, YX or YY. ``min_gap`` draws a gap per sequence from
    min_gap..gap (as in ``Recall``): "E" then comes earlier and later steps
    are not scored; ``strict()`` is the fixed-gap task.
    """

    name = "temporal_order"
    latent_name = "first symbol (+1 X, −1 Y, 0 not yet)"
    forget_bias = 3.0     # as for recall: a long gap to bridge
    classes = ("XX", "XY", "YX", "YY")
    note = {"en": "Two X/Y letters far apart among a–d noise; at 'E' say which came in which order.",
            "zh": "在 a–d 噪声中隔得很远的两个 X/Y；到“E”时说出它们的先后顺序。"}

    def __init__(self, gap=100, min_gap=None):
        self.gap = _whole("gap", gap, 4, 2000)
        self.min_gap = None if min_gap is None else _whole("min_gap", min_gap, 4, self.gap)
        self.params = {"gap": self.gap}
        if self.min_gap is not None:
            self.params["min_gap"] = self.min_gap
        self.vocab = ("a", "b", "c", "d", "X", "Y", "B", "E")

    def strict(self):
        return TemporalOrder(self.gap)

    def _draw(self, rng, B):
        w = max(1, self.gap // 10)
        T = self.gap + w + 1
        g = np.full(B, self.gap) if self.min_gap is None else rng.integers(self.min_gap, self.gap + 1, B)
        end = g + w                       # position of "E"
        cols = np.arange(B)
        idx = rng.integers(0, 4, (T, B))
        idx[0] = 6
        idx[end, cols] = 7
        t1 = rng.integers(1, w + 1, B)
        # the second X/Y: from the middle on, strictly after t1 and before "E". At the full gap that is
        # middle + 0..w-1 (as drawn); a short mixed gap wraps the draw into the room there is.
        lo = np.maximum((end + 1) // 2, t1 + 1)
        t2 = lo + rng.integers(0, w, B) % (end - lo)
        s1, s2 = rng.integers(0, 2, B), rng.integers(0, 2, B)
        idx[t1, cols] = 4 + s1
        idx[t2, cols] = 4 + s2
        targets = np.zeros((T, B), np.int64)
        targets[end, cols] = 2 * s1 + s2
        mask = np.zeros((T, B))
        mask[end, cols] = 1
        steps = np.arange(T)[:, None]
        latent = np.where(steps >= t1[None], np.where(s1 == 0, 1.0, -1.0)[None], 0.0)
        return Batch(self.one_hot(idx), targets, mask, latent, lambda: _tokens(self.vocab, idx))


class Adding(Task):
    """The adding problem (Hochreiter & Schmidhuber 1997, experiment 4).

    Each step carries two numbers: a value drawn from U(0, 1) and a marker
    (0 or 1). Two steps are marked, one in each half of the sequence; at the
    last step the model outputs the sum of the two marked values (MSE loss). A
    step counts as right when the absolute error is below 0.04, the paper's
    criterion. With ``min_length``, each sequence draws its own length L from
    min_length..length, log-uniformly (half of them shorter than
    √(min_length·length)): its markers lie in its own halves, the answer is
    due at step L − 1 and later steps are not scored; ``strict()`` is the
    fixed-length task. Log-uniform, not uniform as ``Recall``'s gaps: with
    lengths uniform in 10..1000 almost every sequence is long, and an LSTM
    stayed at the constant answer (MSE 0.17) for 1,000 steps; drawn
    log-uniformly it passed MSE 0.04 at T = 1000 within 600 (docs/training.md).
    """

    name = "adding"
    output = "linear"
    tolerance = 0.04
    latent_name = "sum of marked values so far"
    classes = ("sum",)
    note = {"en": "Add the two marked numbers; watch c collect the first one and hold it.",
            "zh": "把两个带标记的数相加；看 c 如何收下第一个数并一直保持。"}

    def __init__(self, length=50, min_length=None):
        self.length = _whole("length", length, 4, 2000)
        self.min_length = None if min_length is None else _whole("min_length", min_length, 4, self.length)
        self.params = {"length": self.length}
        if self.min_length is not None:
            self.params["min_length"] = self.min_length
        self.input_names = ("value", "marker")

    def strict(self):
        return Adding(self.length)

    @property
    def input_size(self):
        return 2

    def _draw(self, rng, B):
        T = self.length
        vals = rng.uniform(0, 1, (T, B))
        marks = np.zeros((T, B))
        cols = np.arange(B)
        if self.min_length is None:
            n = np.full(B, T)
        else:
            n = np.exp(rng.uniform(np.log(self.min_length), np.log(T + 1), B)).astype(np.int64).clip(self.min_length, T)
        a = rng.integers(0, n // 2, B)
        b = rng.integers(n // 2, n, B)
        marks[a, cols] = 1
        marks[b, cols] = 1
        x = np.stack([vals, marks], -1)
        latent = np.cumsum(vals * marks, 0)
        targets = np.zeros((T, B, 1))
        targets[n - 1, cols, 0] = latent[n - 1, cols]
        mask = np.zeros((T, B))
        mask[n - 1, cols] = 1
        return Batch(x, targets, mask, latent,
                     lambda: [[f"{vals[t, j]:.2f}" + ("*" if marks[t, j] else "") for t in range(T)]
                              for j in range(B)])

    def meta(self):
        m = super().meta()
        m["inputs"] = list(self.input_names)
        m["tolerance"] = self.tolerance
        return m


class Brackets(Task):
    """Nested brackets with filler letters; at every step give the depth.

    Each step opens "(" (prob. 0.3, if depth < max_depth), closes ")" (0.3,
    if depth > 0) or writes a letter a–c. Target and latent: depth after the
    step, 0..max_depth. Karpathy et al. (2015) found such counters in text.
    """

    name = "brackets"
    latent_name = "bracket depth"
    note = {"en": "Count open brackets; one unit's c usually becomes the counter.",
            "zh": "数未闭合的括号；通常会有一个单元的 c 变成计数器。"}

    def __init__(self, length=40, max_depth=6):
        self.length = _whole("length", length, 1, 2000)
        self.max_depth = _whole("max_depth", max_depth, 1, 50)
        self.params = {"length": self.length, "max_depth": self.max_depth}
        self.vocab = ("(", ")", "a", "b", "c")
        self.classes = tuple(str(d) for d in range(self.max_depth + 1))

    def _draw(self, rng, B):
        T, D = self.length, self.max_depth
        u = rng.uniform(0, 1, (T, B))
        filler = rng.integers(2, 5, (T, B))
        idx = np.empty((T, B), np.int64)
        depth = np.empty((T, B), np.int64)
        d = np.zeros(B, np.int64)
        for t in range(T):
            op = (u[t] < 0.3) & (d < D)
            cl = (u[t] >= 0.3) & (u[t] < 0.6) & (d > 0)
            d = d + op - cl
            idx[t] = np.where(op, 0, np.where(cl, 1, filler[t]))
            depth[t] = d
        return Batch(self.one_hot(idx), depth, np.ones((T, B)), depth.astype(float),
                     lambda: _tokens(self.vocab, idx))


class Parity(Task):
    """A string of 0s and 1s; at every step give the parity of the 1s so far."""

    name = "parity"
    latent_name = "parity so far"
    classes = ("even", "odd")
    note = {"en": "A flip-flop: a unit whose sign flips on every '1'.",
            "zh": "触发器：每遇到一个“1”，某个单元的符号就翻转一次。"}

    def __init__(self, length=20):
        self.length = _whole("length", length, 1, 2000)
        self.params = {"length": self.length}
        self.vocab = ("0", "1")

    def _draw(self, rng, B):
        idx = rng.integers(0, 2, (self.length, B))
        par = np.cumsum(idx, 0) % 2
        return Batch(self.one_hot(idx), par, np.ones(idx.shape), par.astype(float),
                     lambda: _tokens(self.vocab, idx))


class CharLM(Task):
    """Next-character prediction on a small corpus the project wrote itself.

    corpus "en" or "zh" (``lstm_core/training/corpora/{corpus}.txt``). The vocabulary
    is the ``max_vocab`` most frequent characters; the rest read as "□".
    Windows of ``length`` + 1 characters are drawn at random; every step is
    scored. Latent: characters since the last space or punctuation mark.
    Paragraph breaks read as "¶" (typed newlines too). ``heldout()`` is the
    same task over a separate text (``{corpus}_heldout.txt``) it never trains on.
    """

    name = "charlm"
    latent_name = "characters since the last break"
    UNKNOWN = "□"
    NEWLINE = "¶"
    BREAKS = set(" ¶，。、；：！？“”,.;:!?\"'")

    def __init__(self, corpus="en", length=64, max_vocab=160):
        if corpus not in ("en", "zh"):
            raise ValueError(f"corpus must be 'en' or 'zh'; got {corpus!r}")
        self.corpus = corpus
        self.length = _whole("length", length, 2, 2000)
        self.max_vocab = _whole("max_vocab", max_vocab, 2, 5000)
        self.params = {"corpus": corpus, "length": self.length, "max_vocab": self.max_vocab}
        text = self._read(f"{corpus}.txt")
        chars, counts = np.unique(list(text), return_counts=True)
        order = sorted(zip(-counts, chars))
        keep = sorted(c for _, c in order[:self.max_vocab - 1]) if len(chars) > self.max_vocab else sorted(chars)
        self.vocab = tuple(keep) + ((self.UNKNOWN,) if len(chars) > self.max_vocab else ())
        self.classes = self.vocab
        self._index(text)
        lang_en, lang_zh = ("English", "英文") if corpus == "en" else ("Chinese", "中文")
        self.note = {"en": f"Next-character model on the project's own {lang_en} text.",
                     "zh": f"在本项目自写的{lang_zh}短文上预测下一个字符。"}

    @classmethod
    def _read(cls, filename):
        text = (CORPORA / filename).read_text(encoding="utf-8").strip()
        return re.sub(r"\s*\n\s*", cls.NEWLINE, text)   # paragraph breaks → one visible "¶"

    def _index(self, text, unknown_target=None):
        """Set ``text``, input ids, target ids and the latent of ``text``. A character outside the vocabulary
        is "□" in the input; as a target it is "□" too, or ``unknown_target`` if given."""
        pos = {c: k for k, c in enumerate(self.vocab)}
        unk = pos.get(self.UNKNOWN)
        bad = sorted({c for c in text if c not in pos})
        if bad and unk is None:
            raise ValueError(f"characters {''.join(bad)!r} are not in this model's vocabulary")
        self.text = text
        self.ids = np.array([pos.get(c, unk) for c in text], np.int64)
        self.next_ids = self.ids if unknown_target is None else \
            np.array([pos.get(c, unknown_target) for c in text], np.int64)
        if len(self.ids) < self.length + 2:
            raise ValueError(f"length must be below {len(self.ids) - 1} for this corpus; got {self.length}")
        brk = np.array([c in self.BREAKS for c in text])
        since = np.zeros(len(text))
        for k in range(1, len(text)):
            since[k] = 0 if brk[k] else since[k - 1] + 1
        self.since = since

    def heldout(self):
        """The same task (vocabulary, window length) over ``{corpus}_heldout.txt``: a separate short text,
        written for measuring and never trained on. A next character outside the vocabulary cannot be named
        by the model: its target is −1, which ``losses.accuracy`` counts as wrong (measure with
        ``experiments.text_accuracy``; the cross-entropy has no class for it)."""
        h = copy.copy(self)
        h._index(self._read(f"{self.corpus}_heldout.txt"), unknown_target=-1)
        return h

    def encode(self, text):
        text = re.sub(r"\s*\n\s*", self.NEWLINE, text)
        pos = set(self.vocab)
        return super().encode("".join(c if c in pos else self.UNKNOWN for c in text)) \
            if self.UNKNOWN in pos else super().encode(text)

    def _draw(self, rng, B):
        T = self.length
        start = rng.integers(0, len(self.ids) - T - 1, B)
        win = start[None, :] + np.arange(T + 1)[:, None]
        ids = self.ids[win]
        return Batch(self.one_hot(ids[:-1]), self.next_ids[win[1:]], np.ones((T, B)), self.since[win[:-1]],
                     lambda: _tokens(self.vocab, ids[:-1]))


def _tokens(vocab, idx):
    return [[vocab[k] for k in idx[:, j]] for j in range(idx.shape[1])]


# tasks trained on mixed gaps by default (command line, Train page): the shortest gap each allows
SHORTEST_GAP = {"recall": 1, "temporal_order": 4}

TASKS = {"recall": Recall, "adding": Adding, "temporal_order": TemporalOrder,
         "brackets": Brackets, "parity": Parity, "charlm": CharLM}


def make_task(name, **params):
    """Build a task by name; unknown names and out-of-range parameters raise ValueError."""
    if name not in TASKS:
        raise ValueError(f"unknown task {name!r}; choose one of {', '.join(TASKS)}")
    try:
        return TASKS[name](**params)
    except TypeError as e:
        raise ValueError(f"task {name!r}: {e}") from None


def task_from_meta(meta):
    """Rebuild the task a saved model was trained on (``model.meta['task']``)."""
    t = dict(meta.get("task") or {})
    name = t.pop("name", None)
    if name is None:
        raise ValueError("this model carries no task")
    return make_task(name, **t)
