"""Trained models shipped with the explorer, and their manifest.

    from lstm_core import presets
    for p in presets.manifest():            # one dict per preset (see presets.json)
        print(p["name"], p["accuracy"], p["look"]["en"])
    model = presets.load("brackets_lstm")   # an lstm_core model with .meta (vocab, task, note, latent)

Rebuild them all (about ten minutes on two cores) with::

    nice python -m lstm_core.presets.build
"""
import json
from pathlib import Path

from ..files import reader

HERE = Path(__file__).parent
MANIFEST = HERE / "presets.json"


def manifest():
    """The list of presets (empty if none were built)."""
    if not MANIFEST.exists():
        return []
    return json.loads(MANIFEST.read_text(encoding="utf-8"))["presets"]


def names():
    return [p["name"] for p in manifest()]


def path(name):
    """File path of preset ``name``; ValueError naming the choices if unknown."""
    for p in manifest():
        if p["name"] == name:
            return HERE / p["file"]
    raise ValueError(f"unknown preset {name!r}; choose one of {', '.join(names()) or '(none built)'}")


def load(name):
    """The preset ``name`` as a model (``lstm_core.load`` of its file)."""
    return reader.load(path(name))
