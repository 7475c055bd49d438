"""Where the explorer's model and its forward pass come from.

Four sources, one ``ui.state.ModelSpec`` (hashable, so it can key a cache):

- generated: seeded random weights for a cell kind, hidden size, layers and
  forget bias (``lstm_core.<CELL>.init``); the input size follows the
  sequence (embedding width, the sequence's own vocabulary, or the vector
  width typed as numbers);
- uploaded: a ``.npz`` / ``.safetensors`` file read by ``lstm_core.load``;
  the spec holds the file's SHA-256, never the per-user upload object;
- trained presets: ``presets()`` lists the shipped ones (``lstm_core/presets``);
  a model trained on the Train page sits in the session under ``keys.TRAINED``.

``compute`` is the pure pipeline text → tokens → X (T, I) → Trace; the
``cached_*`` wrappers bound memory (``max_entries``, ``ttl``) so a hosted
demo stays inside ~1 GB. Moving through time reads the cached ``Run`` and
never recomputes it.
"""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import streamlit as st

import lstm_core
import lstm_core.presets
from lstm_core.notation import to_plain

from . import parsing
from .errors import Problem
from .state import ModelSpec

# T · H · layers above this is refused (a trace holds ~12 arrays of T×H per layer).
# 500k keeps a session at the limit near 28 MB (2,000 steps at H = 250), so about
# two dozen such sessions fit the smallest hosted tier (docs/reliability.md).
MAX_WORK = 500_000
# A generated model above this many weights is refused (float32: 80 MB); the largest
# legitimate one (H=512, 4 layers, one-hot over 2,000 distinct tokens) has ~10.6 M.
MAX_PARAMS = 20_000_000
CACHE_ENTRIES = 6
CACHE_TTL = 3600  # seconds


class Preset(NamedTuple):
    """A trained model offered in the sidebar (``lstm_core/presets``)."""

    id: str
    title_key: str          # catalogue key of its name
    load: object            # () -> lstm_core.Recurrent
    info: dict = {}         # its manifest entry: task, accuracy, chance, train_seconds, look {en, zh}, …




@st.cache_resource(max_entries=len(lstm_core.presets.names()) or 1, show_spinner=False)
def load_preset(name: str):
    """The shipped preset ``name`` (read once per server, shared read-only)."""
    return lstm_core.presets.load(name)


def presets() -> list[Preset]:
    """Trained presets to offer beside "generated" and "upload", in manifest order."""
    return [Preset(p["name"], f"preset.{p['name']}", lambda name=p["name"]: load_preset(name), p)
            for p in lstm_core.presets.manifest()]


def preset_info() -> dict:
    """Preset id → its manifest entry."""
    return {p.id: p.info for p in presets()}


def preset_look(name, lang) -> str:
    """The example's "what to look at" line in ``lang``, its symbols in plain Unicode (z^f → zᶠ)."""
    return to_plain(preset_info()[name]["look"][lang])


@dataclass(frozen=True)
class Run:
    """One forward pass and what fed it."""

    tokens: tuple
    encoded: object          # parsing.Encoded
    trace: lstm_core.Trace
    model: dict              # model.describe()


def _too_many_steps(steps, hidden, layers):
    return Problem("model.too_big", steps=steps, hidden=hidden, layers=layers, work=f"{steps * hidden * layers:,}",
                  limit=f"{MAX_WORK:,}")


def param_count(cell, input_size, hidden, layers):
    """Weights of a generated model: G·H·(I + H + 2) for layer 0, G·H·(2H + 2) for each layer above."""
    gates = {"lstm": 4, "gru": 3, "rnn": 1}[cell]
    return gates * hidden * (input_size + hidden + 2) + (layers - 1) * gates * hidden * (2 * hidden + 2)


def generated_model(cell, input_size, hidden, layers, seed, forget_bias, dtype=np.float32):
    """Seeded random weights (``forget_bias`` is used by the LSTM only)."""
    kw = {"forget_bias": forget_bias} if cell == "lstm" else {}
    return lstm_core.CELLS[cell].init(input_size, hidden, num_layers=layers, seed=seed, dtype=dtype, **kw)


class Inputs(NamedTuple):
    """What typed text becomes: its tokens, X (T, I) with the vocabulary used, and the steps before a cut."""

    tokens: tuple
    encoded: parsing.Encoded
    total: int


def read_input(text: str, mode: str, encoding: str, *, seed: int = 0, model=None,
               limit: int = parsing.MAX_TOKENS) -> Inputs:
    """text → tokens → X (T, I), the first ``limit`` steps (the one path every page takes).

    With ``model`` the vectors fit it: its vocabulary for one-hot, its input size. Raises
    ``ui.errors.Problem`` for text the parser refuses.
    """
    seq = parsing.parse_sequence(text, mode)
    total = len(seq.tokens)
    if total > limit:
        seq = parsing.Sequence(seq.tokens[:limit], None if seq.vectors is None else seq.vectors[:limit], seq.mode)
    if model is None:
        enc = parsing.encode(seq, encoding, seed=seed)
    elif encoding == "onehot_model" and getattr(model, "has_embedding", False):
        # the model's own tokens → ids → its embedding rows (unknown ones: its unknown token, or refused)
        enc = parsing.encode(seq, encoding, vocab=model.vocab, seed=seed, unk=model.unk, refuse_unknown=True)
        enc = parsing.Encoded(model.embed(np.array(enc.ids)).astype(np.float64), enc.vocab, enc.unknown,
                              enc.encoding, enc.ids)
    else:
        vocab = model.meta.get("vocab")
        enc = parsing.encode(seq, encoding, vocab=vocab, dim=model.input_size, seed=seed,
                             input_size=model.input_size, unk=getattr(model, "unk", None),
                             refuse_unknown=bool(vocab) and encoding == "onehot_model")
    return Inputs(tuple(seq.tokens), enc, total)


def compute(spec: ModelSpec, text: str, mode: str, encoding: str, model=None, *, dtype=np.float32,
            limit: int = parsing.MAX_TOKENS) -> Run:
    """text → tokens → X (T, I) → forward pass, on the first ``limit`` steps.

    ``model`` is required for uploads, presets and trained models, ignored for
    generated weights (built here in ``dtype``; float32 by default: the explorer
    shows, it does not train). Raises ``ui.errors.Problem`` for bad input and past
    ``MAX_WORK``, ``lstm_core.WeightError`` when X does not fit the model.
    """
    seq = parsing.parse_sequence(text, mode)
    T = min(len(seq.tokens), limit)
    if spec.generated:
        H, L = spec.hidden, spec.layers
        if T * H * L > MAX_WORK:
            raise _too_many_steps(T, H, L)
        width = seq.vectors.shape[1] if seq.vectors is not None else (
            parsing.EMBED_DIM if encoding == "embedding" else len(set(seq.tokens[:T])))
        if param_count(spec.cell, width, H, L) > MAX_PARAMS:
            raise Problem("model.too_many_params", inputs=width, hidden=H, layers=L,
                          params=f"{param_count(spec.cell, width, H, L):,}", limit=f"{MAX_PARAMS:,}")
        inputs = read_input(text, mode, encoding, seed=spec.seed, limit=limit)
        model = generated_model(spec.cell, inputs.encoded.X.shape[1], H, L, spec.seed, spec.forget_bias, dtype)
    else:
        width = model.hidden_size * getattr(model, "directions", 1)
        if T * width * model.num_layers > MAX_WORK:
            raise _too_many_steps(T, width, model.num_layers)
        inputs = read_input(text, mode, encoding, seed=spec.seed, model=model, limit=limit)
    inputs.encoded.X.flags.writeable = False   # the Run is cached and shared by every session that typed the same
    trace = model.forward(np.asarray(inputs.encoded.X, dtype=model.dtype))
    return Run(inputs.tokens, inputs.encoded, trace, model.describe())


@st.cache_resource(max_entries=CACHE_ENTRIES, ttl=CACHE_TTL, show_spinner=False)
def cached_run(spec: ModelSpec, text: str, mode: str, encoding: str, _model=None, dtype=np.float32,
               limit: int = parsing.MAX_TOKENS) -> Run:
    """``compute``, once per (spec, text, mode, encoding, dtype, limit); the Run is read-only and shared."""
    return compute(spec, text, mode, encoding, _model, dtype=dtype, limit=limit)


@st.cache_resource(max_entries=4, ttl=CACHE_TTL, show_spinner=False)
def _load_upload(digest: str, name: str, _data: bytes):
    return lstm_core.load(io.BytesIO(_data), name=name)


def read_upload(data: bytes, name: str):
    """(sha256, model) for an uploaded weight file; raises WeightError/ValueError."""
    digest = hashlib.sha256(data).hexdigest()
    return digest, _load_upload(digest, name, data)


# ------------------------------------------------------------------ export
def trace_arrays(run: Run) -> dict:
    """Every array of every layer, named ``l{k}_{name}``, plus inputs and tokens."""
    out = {"tokens": np.array(run.tokens, dtype=str), "inputs": np.asarray(run.trace.inputs)}
    for k, layer in enumerate(run.trace.layers):
        for name, values in layer.items():
            out[f"l{k}_{name}"] = np.asarray(values)
    for name in ("logits", "y"):
        value = getattr(run.trace, name)
        if value is not None:
            out[name] = np.asarray(value)
    return out


def trace_npz(run: Run) -> bytes:
    """The trace as a NumPy ``.npz`` archive (``np.load`` reads it back)."""
    buf = io.BytesIO()
    np.savez(buf, **trace_arrays(run))
    return buf.getvalue()


CSV_MAX_ROWS = 2_000_000   # ≈ 60 MB of CSV; larger traces are offered as .npz only
CSV_BOM = b"\xef\xbb\xbf"   # UTF-8 byte-order mark: tells spreadsheet programs the file is UTF-8


def csv_rows(run: Run) -> int:
    """Rows (values) the long-format CSV of ``run`` would have."""
    return sum(int(np.size(values)) for layer in run.trace.layers for values in layer.values())


def trace_csv_bytes(run: Run) -> bytes:
    """Long format, one value per row: layer, step (1-based), token, unit, quantity, value (UTF-8).

    The file starts with a UTF-8 byte-order mark (``CSV_BOM``): spreadsheet programs that
    guess the encoding otherwise show Chinese tokens as garbage. Built as one UTF-8 chunk
    per (layer, quantity, step) and joined once, so the peak memory is about twice the CSV's size.
    """
    chunks = [CSV_BOM, b"layer,step,token,unit,quantity,value\n"]
    tokens = ['"' + str(tok).replace('"', '""') + '"' for tok in run.tokens]
    for k, layer in enumerate(run.trace.layers):
        for name, values in layer.items():
            for s, row in enumerate(np.asarray(values)):
                prefix = f"{k},{s + 1},{tokens[s]},"
                chunks.append("".join(f"{prefix}{u},{name},{v:.7g}\n" for u, v in enumerate(row.tolist())).encode())
    return b"".join(chunks)


def trace_csv(run: Run) -> str:
    """``trace_csv_bytes`` as text (without the byte-order mark)."""
    return trace_csv_bytes(run).decode("utf-8-sig")
