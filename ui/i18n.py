"""One string catalogue per language, assembled from ``ui/locales/*.py``.

Each module in ``ui/locales`` covers one area of the app (``common``,
``explorer``, ``figures``, ``train``, ``teaching`` …) and defines two dicts,
``EN`` and ``ZH``, with the same keys. Keys are dotted (``"explorer.title"``)
and unique across areas; values may hold ``{named}`` fields filled by ``t``.
"""
from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
LANG_NAMES = {"zh": "中文", "en": "English"}


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict:
    from . import locales
    merged: dict = {}
    for info in sorted(pkgutil.iter_modules(locales.__path__), key=lambda m: m.name):
        mod = importlib.import_module(f"{locales.__name__}.{info.name}")
        table = getattr(mod, lang.upper())
        clash = merged.keys() & table.keys()
        if clash:
            raise KeyError(f"catalogue keys defined twice: {sorted(clash)[:5]}")
        merged.update(table)
    return merged


def normalize_lang(lang) -> str:
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str, **params) -> str:
    """The text for ``key`` in ``lang``, with ``{fields}`` filled from params.

    A missing key shows as the key itself (tests make sure none is missing).
    """
    text = catalogue(normalize_lang(lang)).get(key, key)
    return text.format(**params) if params else text
