"""The one error type the pages show: ``Problem``.

Anything a visitor gave that the app cannot use (typed text, a link's
parameter, a setting past a page's limit, a pass too big for the server)
becomes a ``Problem``: a catalogue key and the values that fill it, so the
page says it in the visitor's language. Raised when the work must stop,
collected in a list when it was repaired (a link's value clamped).

    >>> p = Problem("input.err.too_long", limit=2000, found=2500)
    >>> p.message("en")          # the catalogue's sentence, filled in
    'The sequence has 2500 steps; at most 2000 are allowed. Shorten it and try again.'

``str(p)`` is English, for logs and tests.
"""
from __future__ import annotations

from .i18n import t


class Problem(ValueError):
    def __init__(self, key: str, **params):
        self.key = key
        self.params = params
        super().__init__(t(key, "en", **params))

    def message(self, lang: str) -> str:
        return t(self.key, lang, **self.params)

    def __eq__(self, other):
        return isinstance(other, Problem) and (self.key, self.params) == (other.key, other.params)

    def __hash__(self):
        return hash(self.key)

    def __repr__(self):
        return f"Problem({self.key!r}, **{self.params!r})"


def refusal(err: Exception, lang: str) -> str:
    """Why a weight file or a model was refused, in ``lang``.

    ``lstm_core.WeightError`` carries a ``key`` and ``params`` for its common
    refusals; each known key has a sentence ``refusal.<key>`` in the catalogue.
    Anything else is said with ``refusal.other``, quoting the English message.
    """
    from .i18n import catalogue

    key, params = getattr(err, "key", ""), dict(getattr(err, "params", {}) or {})
    if not key or f"refusal.{key}" not in catalogue(lang):
        return t("refusal.other", lang, detail=str(err))
    if "limit" in params:
        params["limit_mb"] = f"{params['limit'] / 2**20:.0f}"
    if key == "not_weights":
        params["looks"] = t(f"refusal.looks.{params.get('looks_like', 'unknown')}", lang)
    if key == "size_limit":
        params["what"] = t(f"refusal.what.{params.get('what', '')}", lang)
    try:
        return t(f"refusal.{key}", lang, **params)
    except (KeyError, IndexError, ValueError):      # a sentence that names a value the error did not carry
        return t("refusal.other", lang, detail=str(err))
