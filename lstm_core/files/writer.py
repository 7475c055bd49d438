"""A model → the bytes of a weight file (``.npz`` or ``.safetensors``).

    data = writer.dumps(model, "safetensors", naming="keras")   # for a download button
    model.save("copy.npz")                                      # = writer.save(model, "copy.npz")

What a file holds is described in ``lstm_core.files``; ``reader`` reads it back.
"""
from __future__ import annotations

import io
import json
import os
import zipfile

import numpy as np
from numpy.lib import format as npy

from ..errors import WeightError
from . import META_KEY, SAFETENSORS_META_KEY, safetensors
from .convert import named_arrays


def meta_json(model, meta=None):
    """The metadata object written with the weights: model.meta, ``meta``, then cell facts."""
    info = {**model.meta, **(meta or {}),
            "cell": model.kind, "nonlinearity": model.nonlinearity, "output": model.output}
    try:
        return json.dumps(info, ensure_ascii=False)
    except (TypeError, ValueError) as e:
        raise WeightError(f"metadata must be plain JSON (str, numbers, lists, dicts): {e}") from None


def dumps(model, format="npz", naming="torch", meta=None):
    """The bytes of a weight file (for a download button); format 'npz' or 'safetensors'."""
    arrays, text = named_arrays(model, naming), meta_json(model, meta)
    if format == "safetensors":
        return safetensors.write(arrays, {SAFETENSORS_META_KEY: text})
    if format != "npz":
        raise ValueError(f"format must be 'npz' or 'safetensors', not {format!r}")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for key, a in {**arrays, META_KEY: np.array(text)}.items():
            with zf.open(key + ".npy", "w") as f:
                npy.write_array(f, np.asarray(a), allow_pickle=False)
    return buf.getvalue()


def save(model, path, naming="torch", meta=None):
    """Write ``model`` to ``path``; the suffix (.npz or .safetensors) picks the format."""
    suffix = os.fspath(path).rsplit(".", 1)[-1].lower()
    if suffix not in ("npz", "safetensors"):
        raise ValueError(f"save to a .npz or .safetensors path, not {os.fspath(path)!r}")
    data = dumps(model, suffix, naming, meta)
    with open(path, "wb") as f:
        f.write(data)
