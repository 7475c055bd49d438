"""A weight file (a path, bytes or an upload) → checked arrays → a model.

    model = reader.load("my_lstm.npz")     # = lstm_core.load; or .safetensors, bytes, an upload
    arrays, meta, fmt = reader.read(data)  # checked, but not yet a model
    model = reader.build(arrays, meta)

What a file may hold, and how it is checked, is described in ``lstm_core.files``.
Anything wrong raises ``WeightError`` (a ValueError) whose message says what
was found and what is allowed.
"""
from __future__ import annotations

import io
import json
import math
import os
import shlex
import struct
import zipfile
import zlib

import numpy as np
from numpy.lib import format as npy

from ..errors import WeightError
from ..models import CELLS
from ..notation import CELL_KINDS
from . import (
    ALLOWED,
    MAX_ARRAYS,
    MAX_BYTES,
    MAX_HIDDEN,
    MAX_INPUT,
    MAX_LAYERS,
    MAX_META,
    META_KEY,
    RESERVED,
    SAFETENSORS_META_KEY,
    safetensors,
)
from . import vocab as _vocab
from .convert import kind_from, refuse_projection
from .state_dict import keras_parts, torch_parts


# ============================================================== reading bytes
def _read_source(source, name, max_bytes):
    """Bytes of a path, a bytes object or a binary file-like; and its name."""
    too_big = (f"the file is larger than the limit of {max_bytes:,} bytes; "
               "an LSTM with 512 units and 64 inputs takes about 5 MB in float32")
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    elif isinstance(source, (str, os.PathLike)):
        name = name or os.fspath(source)
        try:
            if os.path.getsize(source) > max_bytes:
                raise WeightError(too_big, key="too_big", limit=max_bytes)
            with open(source, "rb") as f:
                data = f.read(max_bytes + 1)
        except OSError as e:
            raise WeightError(f"cannot read {os.fspath(source)!r}: {e.strerror or e}") from None
    elif hasattr(source, "read"):
        name = name or getattr(source, "name", None)
        try:
            data = source.read(max_bytes + 1)
        except (OSError, ValueError) as e:
            raise WeightError(f"cannot read the upload: {e}", key="unreadable") from None
        if isinstance(data, str):
            raise WeightError("the file was opened as text; open it in binary mode ('rb')")
        data = bytes(data)
    else:
        raise WeightError(f"expected a path, bytes or a binary file object; got {type(source).__name__}")
    if len(data) > max_bytes:
        raise WeightError(too_big, key="too_big", limit=max_bytes)
    return data, (str(name) if name else "")


_KIND_CODES = {"a PNG image": "image", "a JPEG image": "image", "a GIF image": "image", "a PDF document": "pdf",
               "an HDF5 file (Keras .h5)": "h5", "a single .npy array": "npy", "a gzip archive": "archive",
               "a Python pickle": "pickle", "a zip archive": "archive", "a text file": "text"}


def _looks_like(data):
    """A short description of a file that is not a weight file."""
    sigs = [(b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
            (b"%PDF", "a PDF document"), (b"\x89HDF", "an HDF5 file (Keras .h5)"),
            (b"\x93NUMPY", "a single .npy array"), (b"\x1f\x8b", "a gzip archive"),
            (b"\x80", "a Python pickle"), (b"PK", "a zip archive")]
    for sig, what in sigs:
        if data.startswith(sig):
            return what
    try:
        data[:4096].decode("utf-8")
        return "a text file"
    except UnicodeDecodeError:
        return "binary data of an unknown kind"


def sniff(data, name=""):
    """'npz' or 'safetensors' from the content (the name only helps the message)."""
    if not data:
        raise WeightError("the file is empty; expected a .npz or .safetensors weight file", key="empty")
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return "npz"
    if len(data) >= 9 and data[8:9] == b"{":
        return "safetensors"
    what = _looks_like(data)
    hint = {"a Python pickle": " Pickles can run code, so they are never opened here.",
            "an HDF5 file (Keras .h5)": " Save the weights with the Keras one-liner in docs/weights.md instead.",
            "a single .npy array": " Put all weights in one .npz (np.savez) instead."}.get(what, "")
    label = f"{name!r} " if name else ""
    raise WeightError(f"{label}is not a weight file: expected .npz (a zip of .npy arrays) or .safetensors "
                      f"(8-byte length, then a JSON header); this looks like {what}.{hint}",
                      key="not_weights", looks_like=_KIND_CODES.get(what, "unknown"))


# ======================================================================= npz
def _check_npy_dtype(key, dtype, shape):
    if key == META_KEY:
        if dtype.kind != "U" or shape != ():
            raise WeightError(f"the metadata ({META_KEY}) must be a 0-d unicode string holding JSON; "
                              f"found {dtype} {shape}")
        return
    if dtype.kind == "f" and dtype.itemsize in (2, 4, 8):
        return
    why = {"O": "Python objects (reading them needs pickle, which can run code; never done here)",
           "c": "complex numbers", "U": "text", "S": "bytes", "V": "raw or structured records",
           "i": "integers", "u": "integers", "b": "booleans", "M": "dates", "m": "time spans"}
    raise WeightError(f"{key} holds {why.get(dtype.kind, str(dtype))} ({dtype}); weights must be {ALLOWED}",
                     key="bad_dtype", name=key, dtype=str(dtype))


def _check_zip_directory(data):
    """Check the end-of-central-directory record before zipfile parses anything.

    zipfile builds one object per directory entry, and reads as many bytes of
    directory as this record claims: both are bounded here.
    """
    tail = data[-65557:]
    i = tail.rfind(b"PK\x05\x06")
    if i < 0 or i + 22 > len(tail):
        raise WeightError("the .npz archive is truncated or corrupt (no end-of-archive record)", key="corrupt")
    entries, dir_size = struct.unpack("<HI", tail[i + 10:i + 16])
    if entries > MAX_ARRAYS or dir_size > MAX_ARRAYS * 1024:
        raise WeightError(f"the archive's directory lists {entries} members in {dir_size:,} bytes; "
                          f"at most {MAX_ARRAYS} arrays are allowed")


def read_npz(data, max_bytes=MAX_BYTES):
    """({key: array}, metadata JSON text or None) from the bytes of an .npz."""
    _check_zip_directory(data)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, struct.error) as e:
        raise WeightError(f"the .npz archive is truncated or corrupt ({e})", key="corrupt") from None
    if len(infos) > MAX_ARRAYS:
        raise WeightError(f"the archive holds {len(infos)} members; at most {MAX_ARRAYS} arrays are allowed")
    names = [i.filename for i in infos]
    if "archive/data.pkl" in names or any(n.endswith("/data.pkl") or n == "data.pkl" for n in names):
        raise WeightError("this is a PyTorch checkpoint (torch.save), which needs pickle to read; pickles can run "
                          "code, so it is never opened here. Convert it to .safetensors with this one line (needs "
                          f"torch and safetensors), then load that file:\n{convert_line()}",
                          key="torch_checkpoint", line=convert_line())
    if "config.json" in names and any(n.endswith(".weights.h5") for n in names):
        raise WeightError("this is a whole Keras model (.keras); save its weights with the one-liner in "
                          "docs/weights.md instead", key="keras_model")
    declared = sum(i.file_size for i in infos)
    if declared > max_bytes:
        raise WeightError(f"the archive declares {declared:,} bytes once unpacked; the limit is {max_bytes:,}",
                          key="too_big", limit=max_bytes)
    arrays, meta, total = {}, None, 0
    for info in infos:
        if not info.filename.endswith(".npy"):
            raise WeightError(f"the archive member {info.filename[:80]!r} is not a .npy array; "
                              "an .npz may hold only .npy arrays")
        key = info.filename[:-4]
        if key in arrays:
            raise WeightError(f"the archive holds {key!r} twice")
        try:
            with zf.open(info) as f:
                version = npy.read_magic(f)
                if version == (1, 0):
                    shape, fortran, dtype = npy.read_array_header_1_0(f)
                elif version == (2, 0):
                    shape, fortran, dtype = npy.read_array_header_2_0(f)
                else:
                    raise WeightError(f"{key}: .npy format version {version} is not supported (1.0 and 2.0 are)")
                _check_npy_dtype(key, dtype, shape)
                nbytes = math.prod(shape) * dtype.itemsize
                total += nbytes
                if nbytes > max_bytes or total > max_bytes:
                    raise WeightError(f"{key} declares shape {shape} of {dtype} ({nbytes:,} bytes); all arrays "
                                      f"together may take at most {max_bytes:,} bytes")
                if key == META_KEY and nbytes > MAX_META:
                    raise WeightError(f"the metadata takes {nbytes:,} bytes; at most {MAX_META:,} are allowed")
                raw = f.read(nbytes)
                if len(raw) != nbytes:
                    raise WeightError(f"{key} is truncated: its header declares {nbytes:,} bytes, "
                                      f"the archive holds {len(raw):,}")
                if f.read(1):
                    raise WeightError(f"{key} has extra bytes after the array its header declares")
        except WeightError:
            raise
        except Exception as e:   # zipfile, zlib and numpy's header parser raise many kinds (TokenError too)
            raise WeightError(f"{key}: the archive or its .npy header is corrupt ({type(e).__name__}: "
                              f"{str(e)[:160]})") from None
        a = np.frombuffer(raw, dtype=dtype).reshape(shape, order="F" if fortran else "C")
        if key == META_KEY:
            meta = str(a[()])
        else:
            arrays[key] = np.ascontiguousarray(a).astype(dtype.newbyteorder("="))   # a writable copy
    return arrays, meta


def read_safetensors(data, max_bytes=MAX_BYTES):
    """({key: array}, metadata JSON text or None) from the bytes of a .safetensors file."""
    tensors, meta, start = safetensors.read_header(data)
    if len(tensors) > MAX_ARRAYS:
        raise WeightError(f"the file holds {len(tensors)} tensors; at most {MAX_ARRAYS} are allowed")
    total = sum(e - b for _, _, b, e in tensors.values())
    if total > max_bytes:
        raise WeightError(f"the tensors take {total:,} bytes; the limit is {max_bytes:,}")
    text = meta.get(SAFETENSORS_META_KEY)
    if text is not None and len(text) > MAX_META:
        raise WeightError(f"the metadata takes {len(text):,} characters; at most {MAX_META:,} are allowed")
    return {k: safetensors.decode(data, *v, start) for k, v in tensors.items()}, text


def parse_meta(text):
    """The metadata JSON as a checked dict ({} when there is none)."""
    if text is None:
        return {}
    try:
        info = json.loads(text)
    except (ValueError, RecursionError) as e:
        raise WeightError(f"the metadata is not valid JSON ({type(e).__name__}: {str(e)[:120]})") from None
    if not isinstance(info, dict):
        raise WeightError(f"the metadata must be a JSON object; found {type(info).__name__}")
    checks = {"cell": (None, *CELL_KINDS), "nonlinearity": (None, "tanh", "relu"),
              "output": (None, "softmax", "linear")}
    for k, allowed in checks.items():
        if k in info and info[k] not in allowed:
            raise WeightError(f"metadata {k!r} is {str(info[k])[:40]!r}; allowed: "
                              f"{', '.join(repr(a) for a in allowed if a)}")
    vocab = info.get("vocab")
    if vocab is not None and not (isinstance(vocab, list) and all(isinstance(w, str) for w in vocab)):
        raise WeightError("metadata 'vocab' must be a list of strings")
    return info


PICKLE_SUFFIXES = (".pt", ".pth", ".bin", ".ckpt", ".pkl", ".pickle")


def convert_line(name="model.pt"):
    """The one shell line that turns a PyTorch pickle (a state dict saved with torch.save) into
    .safetensors. The file's name is a Python string literal inside a single-quoted shell word, so any
    name (quotes, $, backticks, spaces) reaches torch.load as it is."""
    stem = name.rsplit(".", 1)[0] if "." in name else name
    program = (f"import torch; from safetensors.torch import save_file; "
               f"sd = torch.load({json.dumps(name, ensure_ascii=False)}, map_location=\"cpu\"); "
               f"save_file({{k: v.contiguous() for k, v in getattr(sd, \"state_dict\", lambda: sd)().items()}}, "
               f"{json.dumps(stem + '.safetensors', ensure_ascii=False)})")
    return f"python -c {shlex.quote(program)}"


def refuse_pickle_name(name):
    """WeightError for a file named like a PyTorch pickle (.pt, .pth …), before a byte of it is read."""
    base = os.path.basename(str(name or ""))
    if base.lower().endswith(PICKLE_SUFFIXES):
        raise WeightError(f"{base!r} is a PyTorch pickle (torch.save); a pickle can run code when opened, so it is "
                          f"never opened here. Convert it to .safetensors with this one line (needs torch and "
                          f"safetensors), then load that file:\n{convert_line(base)}",
                          key="pickle_file", name=base, line=convert_line(base))


def read(source, name=None, max_bytes=MAX_BYTES):
    """The arrays and the metadata of a weight file, checked but not yet a model.

    Returns (arrays: {key: float ndarray}, meta: dict, format: "npz"|"safetensors").
    A ``.safetensors`` file's own ``__metadata__`` may hold ``"vocab"`` (a JSON list)
    and ``"tokenizer"``; they go into ``meta`` unless the tool's metadata says otherwise.
    """
    if isinstance(source, (str, os.PathLike)) or name:
        refuse_pickle_name(name or os.fspath(source))
    data, name = _read_source(source, name, max_bytes)
    fmt = sniff(data, name)
    try:
        arrays, text = (read_npz if fmt == "npz" else read_safetensors)(data, max_bytes)
    except WeightError as err:
        base = os.path.basename(str(name or ""))
        if err.key != "torch_checkpoint" or not base:
            raise
        line = convert_line(base)           # a checkpoint under another name (.npz): the line names this file
        raise WeightError(str(err).replace(err.params["line"], line), key=err.key, line=line) from None
    meta = parse_meta(text)
    if fmt == "safetensors" and "vocab" not in meta:
        found = _vocab.from_metadata(safetensors.read_header(data)[1])
        if found:
            meta["vocab"] = found["vocab"]
            if found["tokenizer"]:
                meta["tokenizer"] = found["tokenizer"]
    return arrays, meta, fmt


def load(source, name=None, max_bytes=MAX_BYTES, module=None, vocab=None):
    """A model from a weight file: a path, raw bytes, or a binary file-like (an upload).

    name: the file name when bytes are given (used in messages only: the
    format is told from the content). module: which recurrent module of a
    whole state dict to run, when it holds several (``"encoder"``). vocab: the
    vocabulary (a path, bytes, a file or a list of tokens); without it, the
    file's metadata or a sidecar ``NAME.vocab.json`` / ``NAME.vocab.txt`` beside
    a path is used (``lstm_core.files.vocab``). Raises WeightError for anything
    that is not a weight file this tool can run.
    """
    arrays, meta, _ = read(source, name, max_bytes)
    if vocab is None and isinstance(source, (str, os.PathLike)):
        vocab = _vocab.sidecar(source)
    if vocab is not None:
        given = _vocab.read(vocab)
        meta["vocab"] = given["vocab"]
        for k in ("tokenizer", "labels"):
            if given[k]:
                meta[k] = given[k]
    return build(arrays, meta, module=module)


# ================================================================= to a model
def _found(arrays, limit=12):
    items = [f"{k} {tuple(np.shape(v))}" for k, v in arrays.items()]
    more = f" … and {len(items) - limit} more" if len(items) > limit else ""
    return (", ".join(items[:limit]) or "nothing") + more


def _expected_names():
    return ("PyTorch names (weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, then _l1 …; optional out.weight, "
            "out.bias) or Keras names (…/kernel, …/recurrent_kernel, …/bias per layer; optional dense/kernel, "
            "dense/bias)")


def _check_sizes(H, I, L):
    limits = (("hidden size", H, MAX_HIDDEN), ("input size", I, MAX_INPUT), ("number of layers", L, MAX_LAYERS))
    for what, v, hi in limits:
        if not 1 <= v <= hi:
            raise WeightError(f"the {what} is {v}; this tool runs 1 to {hi}", key="size_limit",
                              what=what, value=v, hi=hi)


def build(arrays, meta=None, module=None):
    """A model from named arrays (PyTorch or Keras naming, a whole model's state dict
    too) and checked metadata. ``module`` picks one of several recurrent modules."""
    meta = dict(meta or {})
    arrays = dict(arrays)
    skipped = [k for k, v in arrays.items() if "seed_generator" in k and np.asarray(v).dtype.kind in "iu"]
    for k in skipped:   # Keras 3 keeps a dropout's random state among the weights: not a weight
        del arrays[k]
    for k, v in arrays.items():
        v = np.asarray(v)
        if v.dtype.kind != "f":
            raise WeightError(f"{k} holds {v.dtype}; weights must be {ALLOWED}")
        if not np.all(np.isfinite(v)):
            bad = int(v.size - np.count_nonzero(np.isfinite(v)))
            raise WeightError(f"{k} holds {bad} NaN or infinite value(s); weights must be finite numbers")
    opts = {"nonlinearity": meta.get("nonlinearity") or "tanh", "output": meta.get("output") or "softmax",
            "meta": {k: v for k, v in meta.items() if k not in RESERVED}}
    try:
        if any(k.endswith("weight_hh_l0") for k in arrays):
            parts = torch_parts(arrays, module)
        elif any(k.removesuffix(":0").endswith("recurrent_kernel") for k in arrays):
            parts = keras_parts(arrays)
        else:
            raise WeightError(f"no recurrent weights found: expected {_expected_names()}; found {_found(arrays)}")
        if parts.ignored:
            opts["meta"]["ignored"] = parts.ignored
        model = _build(parts.state_dict, opts)
    except WeightError:
        raise
    except (ValueError, TypeError, IndexError, KeyError, AttributeError) as e:
        raise WeightError(f"these weights do not fit ({type(e).__name__}: {str(e)[:200]}); "
                          f"found {_found(arrays)}") from None
    for k, v in model.params.items():   # Keras's transposed blocks arrive in Fortran order
        if not v.flags.c_contiguous:
            model.params[k] = np.ascontiguousarray(v)
    if meta.get("cell") and meta["cell"] != model.kind:
        raise WeightError(f"the metadata says the cell is {meta['cell']!r}, but the shapes are those of "
                          f"a {model.kind.upper()}")
    return model


def _build(sd, opts):
    refuse_projection(sd)
    rec = sd["weight_hh_l0"]
    kind = kind_from(np.shape(rec), False, "weight_hh_l0")
    H = rec.shape[1]
    w_ih = sd.get("weight_ih_l0")
    I = w_ih.shape[1] if w_ih is not None and np.ndim(w_ih) == 2 else 1
    _check_sizes(H, I, sum(1 for k in sd if k.startswith("weight_hh_l") and not k.endswith("_reverse")))
    return CELLS[kind].from_torch(sd, **opts)
