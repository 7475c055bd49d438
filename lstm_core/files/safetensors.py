"""A small, careful reader and writer of the ``.safetensors`` format.

The format (https://github.com/huggingface/safetensors) is::

    8 bytes   N, the header length, unsigned little-endian
    N bytes   JSON: {"name": {"dtype": "F32", "shape": [4, 3],
                              "data_offsets": [begin, end]}, ...,
                     "__metadata__": {"key": "value", ...}}   (optional, str -> str)
    rest      the raw bytes of every tensor, little-endian, C order;
              offsets count from the start of this data block

Nothing here executes code or allocates more than the file holds: every
offset, shape and size is checked against the file before a byte is read.
The ``safetensors`` package is only used by the tests, to check that files
go both ways.
"""
from __future__ import annotations

import json
import math
import struct

import numpy as np

from ..errors import WeightError

# dtype code -> NumPy dtype (little-endian). BF16 is widened to float32 on read.
DTYPES = {"F16": np.dtype("<f2"), "F32": np.dtype("<f4"), "F64": np.dtype("<f8"), "BF16": np.dtype("<u2")}
CODES = {np.dtype("float16"): "F16", np.dtype("float32"): "F32", np.dtype("float64"): "F64"}
MAX_HEADER = 1_000_000     # bytes of JSON header we are willing to parse
METADATA = "__metadata__"


def _no_duplicates(pairs):
    d = {}
    for k, v in pairs:
        if k in d:
            raise WeightError(f"the safetensors header names {k!r} twice")
        d[k] = v
    return d


def read_header(data: bytes):
    """Parse and check the header of ``data`` (the whole file).

    Returns (tensors, metadata, start): tensors maps name -> (dtype code,
    shape tuple, begin, end) in the header's order; start is where the data
    block begins. Raises WeightError on anything that does not add up.
    """
    size = len(data)
    if size < 8:
        raise WeightError(f"a .safetensors file starts with an 8-byte header length; this file has {size} bytes")
    (n,) = struct.unpack("<Q", data[:8])
    if n > MAX_HEADER:
        raise WeightError(f"the safetensors header claims {n} bytes; at most {MAX_HEADER} are allowed")
    if 8 + n > size:
        raise WeightError(f"the safetensors header claims {n} bytes but the file has only {size - 8} after "
                          "the length field (truncated or not a safetensors file)", key="corrupt")
    try:
        header = json.loads(data[8:8 + n].decode("utf-8"), object_pairs_hook=_no_duplicates)
    except WeightError:
        raise
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        raise WeightError(f"the safetensors header is not valid JSON ({type(e).__name__}: {str(e)[:120]})",
                          key="corrupt") from None
    if not isinstance(header, dict):
        raise WeightError("the safetensors header must be a JSON object of tensors; found "
                          f"{type(header).__name__}")
    meta = header.pop(METADATA, None) or {}
    if not isinstance(meta, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in meta.items()):
        raise WeightError("__metadata__ in a safetensors header must map strings to strings")
    start, avail = 8 + n, size - 8 - n
    tensors = {}
    for name, info in header.items():
        if not isinstance(info, dict) or set(info) != {"dtype", "shape", "data_offsets"}:
            raise WeightError(f"tensor {name!r}: expected {{dtype, shape, data_offsets}}; found {str(info)[:120]}")
        code, shape, offs = info["dtype"], info["shape"], info["data_offsets"]
        if code not in DTYPES:
            raise WeightError(f"tensor {name!r} has dtype {str(code)[:20]!r}; allowed: F16, F32, F64, BF16")
        if not isinstance(shape, list) or not all(type(s) is int and s >= 0 for s in shape) or len(shape) > 8:
            raise WeightError(f"tensor {name!r}: shape must be a list of at most 8 non-negative integers; "
                              f"found {str(shape)[:80]}")
        if not (isinstance(offs, list) and len(offs) == 2 and all(type(o) is int for o in offs)
                and 0 <= offs[0] <= offs[1] <= avail):
            raise WeightError(f"tensor {name!r}: data_offsets {str(offs)[:80]} do not lie within the "
                              f"{avail} data bytes of the file")
        want = math.prod(shape) * DTYPES[code].itemsize
        if offs[1] - offs[0] != want:
            raise WeightError(f"tensor {name!r}: shape {tuple(shape)} of {code} needs {want} bytes but its "
                              f"offsets span {offs[1] - offs[0]}")
        tensors[name] = (code, tuple(shape), offs[0], offs[1])
    spans = sorted((b, e, k) for k, (_, _, b, e) in tensors.items() if e > b)
    for (b0, e0, k0), (b1, e1, k1) in zip(spans, spans[1:]):
        if b1 < e0:
            raise WeightError(f"tensors {k0!r} and {k1!r} overlap in the file (bytes {b0}-{e0} and {b1}-{e1})")
    return tensors, meta, start


def decode(data: bytes, code, shape, begin, end, start):
    """One tensor as a native-endian NumPy array (a copy; BF16 becomes float32)."""
    a = np.frombuffer(data, dtype=DTYPES[code], count=math.prod(shape), offset=start + begin).reshape(shape)
    if code == "BF16":
        return (a.astype(np.uint32) << 16).view(np.float32)
    return a.astype(a.dtype.newbyteorder("="))


def read(data: bytes):
    """Parse a whole file: returns ({name: array}, {metadata str: str})."""
    tensors, meta, start = read_header(data)
    return {k: decode(data, *v, start) for k, v in tensors.items()}, meta


def write(arrays: dict, metadata: dict | None = None) -> bytes:
    """Serialise ``{name: float array}`` (and str -> str metadata) to bytes."""
    header, chunks, offset = {}, [], 0
    if metadata:
        header[METADATA] = {str(k): str(v) for k, v in metadata.items()}
    for name, a in arrays.items():
        a = np.asarray(a)
        native = a.dtype.newbyteorder("=") if a.dtype.kind == "f" else a.dtype
        if native not in CODES:
            raise WeightError(f"{name}: only float16/32/64 can be written; found {a.dtype}")
        raw = np.ascontiguousarray(a, dtype=a.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": CODES[native], "shape": list(a.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)          # the data block starts 8-byte aligned
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)
