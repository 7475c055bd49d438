"""A model over a whole text corpus: what a unit does (LSTMVis's job, done simply).

    states = corpus.run(model, ids, progress=print)      # (N, D·H) float16, one layer's h
    corpus.top_contexts(states, unit=7)                  # the 20 places where unit 7 is most active
    on = corpus.units_on(query_h[a:b], threshold=0.5)    # the units on over a span of a typed sequence
    corpus.search(states, on, b - a, threshold=0.5)      # where the same units are on over as many steps

Shapes: N steps of the corpus, W = D·H values per step of the chosen layer.

``run`` feeds the corpus in chunks of ``CHUNK`` steps, carrying every layer's
h (and c) from one chunk to the next, so a one-way model reads the corpus as
one sequence (exactly as one long ``forward`` would), or from zero again at
every start in ``starts`` (each line on its own). A bidirectional model's
reverse direction needs the end of a sequence before its start, so it reads
each segment (a line) whole, and a segment longer than ``CHUNK`` steps in
pieces of ``CHUNK`` (said in ``States.pieces``).

Only one value of one layer is kept, in float16 (3 significant digits, ample
for colouring and thresholds): at most ``MAX_VALUES`` numbers, 256 MiB. A
longer corpus or a wider layer is refused before any work, naming the limit.

``search`` ranks windows by how well the set of units on over the window (on
at every one of its steps, above ``threshold``) matches the query's set: the
Jaccard index |A ∩ Q| / |A ∪ Q|. Units are packed 8 to a byte, and the "on at
every step of a window" of length L is built by doubling (log₂ L ANDs), so a
million steps of 128 units take a fraction of a second.
"""
from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass

import numpy as np

MAX_VALUES = 1 << 27         # steps × units kept per corpus: 134,217,728 float16 values = 256 MiB
MAX_BYTES = 1_000_000        # a corpus text (UTF-8)
CHUNK = 8192                 # steps per forward call
TOP = 20


@dataclass(frozen=True)
class States:
    """One layer's values over a corpus: ``states`` (N, W) float16, the ids read (N,), where each
    segment starts, the layer, the value name, how many directions, and how many pieces a
    bidirectional model's long segments were cut into."""

    states: np.ndarray
    ids: np.ndarray
    starts: tuple
    layer: int
    value: str = "hidden"
    directions: int = 1
    pieces: int = 0

    @property
    def steps(self):
        return self.states.shape[0]

    @property
    def width(self):
        return self.states.shape[1]

    @property
    def nbytes(self):
        return self.states.nbytes + self.ids.nbytes


def check_size(steps: int, width: int):
    """ValueError naming the limit unless ``steps`` × ``width`` values fit ``MAX_VALUES``."""
    if steps * width > MAX_VALUES:
        raise ValueError(f"the corpus has {steps:,} steps × {width} units = {steps * width:,} values; at most "
                         f"{MAX_VALUES:,} ({MAX_VALUES * 2 // 2**20} MiB in float16) are kept per session")


def _one_blas_thread():
    """One BLAS thread while stepping: a step's small matrix products run ~2x faster so (and leave
    the other cores to the server's other visitors); a no-op without threadpoolctl."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def _segments(n, starts):
    cuts = sorted({0, *[int(s) for s in (starts or ()) if 0 < int(s) < n]}) + [n]
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]


def run(model, ids, layer=-1, starts=None, table=None, value="hidden", chunk=CHUNK, progress=None) -> States:
    """Run ``model`` over the token ids of a corpus; keep ``value`` of ``layer`` in float16.

    ids: (N,) ints; starts: the steps where the state starts from zero again (segments; default:
    one sequence); table: (V, I) input vectors of the ids (default ``model.embed``: its embedding,
    or one-hot); progress(done, total) is called after every chunk.
    """
    ids = np.asarray(ids)
    N = int(ids.shape[0])
    if N == 0:
        raise ValueError("the corpus is empty")
    L, D = model.num_layers, model.directions
    layer = layer % L
    W = D * model.hidden_size
    check_size(N, W)
    out = np.empty((N, W), np.float16)
    vec = (lambda part: table[part]) if table is not None else model.embed
    lstm = model.kind == "lstm"
    with _one_blas_thread():
        pieces = _run(model, ids, layer, starts, vec, value, chunk, progress, out, D, lstm)
    return States(out, ids.astype(np.int32), tuple(a for a, _ in _segments(N, starts)), layer, value, D, pieces)


def _run(model, ids, layer, starts, vec, value, chunk, progress, out, D, lstm):
    N, pieces, done = len(ids), 0, 0
    for a, b in _segments(N, starts):
        h = c = None
        for s in range(a, b, chunk):
            e = min(b, s + chunk)
            X = np.asarray(vec(ids[s:e]), dtype=model.dtype)
            if D == 2:          # the reverse direction needs the whole piece: no state carried over
                tr = model.forward(X)
                pieces += 1 if (b - a) > chunk else 0
            else:
                tr = model.forward(X, h0=h, c0=c)
                h = np.stack([lv["hidden"][-1] for lv in tr.layers])
                c = np.stack([lv["cell"][-1] for lv in tr.layers]) if lstm else None
            out[s:e] = tr.layers[layer][value]
            done += e - s
            if progress is not None:
                progress(done, N)
    return pieces


# ------------------------------------------------------------------ a unit's top contexts
def top_contexts(states: States, unit: int, k: int = TOP, spacing: int = 40) -> list:
    """The ``k`` steps where ``unit`` is largest, at least ``spacing`` steps apart: [(step, value), …]."""
    v = states.states[:, int(unit)].astype(np.float32)
    cand = np.argsort(-v, kind="stable")[: max(k * spacing * 2, 1000)]
    picked: list = []
    for p in cand:
        if all(abs(int(p) - q) >= spacing for q, _ in picked):
            picked.append((int(p), float(v[p])))
            if len(picked) == k:
                break
    return picked


# ------------------------------------------------------------------ pattern search
def units_on(values, threshold: float) -> np.ndarray:
    """(W,) bool: the units above ``threshold`` at every step of ``values`` (L, W)."""
    v = np.asarray(values, dtype=np.float32)
    if v.ndim != 2 or v.shape[0] == 0:
        raise ValueError("select at least one step")
    return np.all(v > threshold, axis=0)


def _packed_on(states, threshold, rows=1 << 16):
    N, W = states.shape
    packed = np.empty((N, (W + 7) // 8), np.uint8)
    for a in range(0, N, rows):
        packed[a:a + rows] = np.packbits(states[a:a + rows] > threshold, axis=1)
    return packed


def _window_and(packed, length):
    """AND of ``length`` consecutive rows for every start: (N − length + 1, bytes), by doubling."""
    cur, w = packed, 1
    while 2 * w <= length:
        cur = cur[:-w] & cur[w:]
        w *= 2
    n = packed.shape[0] - length + 1
    return cur[:n] & cur[length - w:length - w + n]


def _popcount(a):
    if hasattr(np, "bitwise_count"):
        return np.bitwise_count(a).sum(axis=1, dtype=np.int32)
    return np.unpackbits(a, axis=1).sum(axis=1, dtype=np.int32)


def search(states: States, on, length: int, threshold: float, k: int = TOP) -> list:
    """The ``k`` best windows of ``length`` steps whose units on (above ``threshold`` at every step)
    match ``on`` (W,) bool, best first, not overlapping: [(start, jaccard, matched, extra), …] with
    ``matched`` = |A ∩ Q| and ``extra`` = |A \\ Q| units."""
    on = np.asarray(on, bool)
    q = int(on.sum())
    length = int(length)
    if q == 0:
        raise ValueError("no unit is on over the whole selection at this threshold; lower it or select fewer steps")
    if not 1 <= length <= states.steps:
        raise ValueError(f"the span must be 1 to {states.steps:,} steps; found {length}")
    span = _window_and(_packed_on(states.states, threshold), length)
    mask = np.packbits(on)
    matched = _popcount(span & mask)
    total = _popcount(span)
    score = matched / (q + total - matched)
    score[matched == 0] = 0.0
    best = np.argsort(-score, kind="stable")[: max(50 * k, 1000)]
    picked: list = []
    for s in best:
        if score[s] <= 0:
            break
        if all(abs(int(s) - p) >= length for p, *_ in picked):
            picked.append((int(s), float(score[s]), int(matched[s]), int(total[s] - matched[s])))
            if len(picked) == k:
                break
    return picked


def npz(states: States, vocab=None) -> bytes:
    """The corpus's states as an .npz: ``states`` (N, W) float16, ``ids`` (N,), ``starts``, ``layer``,
    ``vocab`` (when known)."""
    buf = io.BytesIO()
    extra = {"vocab": np.array(list(vocab), dtype=str)} if vocab else {}
    np.savez(buf, states=states.states, ids=states.ids, starts=np.array(states.starts, np.int64),
             layer=np.array(states.layer), value=np.array(states.value), directions=np.array(states.directions),
             **extra)
    return buf.getvalue()
