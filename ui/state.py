"""The view a user sees, and its form in the URL (query parameters).

A ``View`` is everything needed to reproduce a screen of the explorer:

=========  ======================================  ==================
parameter  meaning                                 allowed
=========  ======================================  ==================
``seq``    the typed sequence                      text (parsed later)
``mode``   how ``seq`` is read                     chars, words, numbers
``cell``   cell kind                               lstm, gru, rnn
``hidden`` hidden size H                           1 … 512
``layers`` stacked layers                          1 … 4
``seed``   weight seed                             0 … 2³¹−1
``fb``     LSTM forget-gate bias                   −10 … 10
``enc``    how tokens become vectors               embedding, onehot_sequence, onehot_model
``t``      current step, **1-based**               1 … T
``unit``   chosen unit, 0-based (as in the charts) 0 … H−1
``lang``   interface language                      zh, en
``preset`` a shipped trained model (empty: none)    a name in lstm_core/presets
``hide``   controls a teacher's link hides         comma list of ``HIDEABLE``
=========  ======================================  ==================

``hide`` is for links handed to a class (as TensorFlow Playground's are):
``hide=sidebar`` hides the whole sidebar, ``hide=model,upload`` the model
picker and the upload choice, ``hide=input`` the sequence box (the
sequence stays, read-only). It is written into the URL only when not empty.

``parse_query`` never raises: a malformed value falls back to the default,
an out-of-range number is clamped, and each such repair is reported as a
``ui.errors.Problem`` (a catalogue key and its fields) for the page to show translated.
``t`` and ``unit`` are checked against the real T and H later, by
``fit_step`` once the sequence and model are known.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, fields, replace
from typing import Mapping

from lstm_core.notation import CELL_KINDS
from lstm_core.presets import names as _preset_names

from .errors import Problem
from .i18n import DEFAULT_LANG, LANGS
from .parsing import ENCODINGS, MAX_TOKENS, MODES

MAX_SEQ_CHARS = 50_000     # a URL longer than this is cut (the parser then names the token limit)

# URL parameter -> (lowest, highest) for the numeric parameters
RANGES = {
    "hidden": (1, 512),
    "layers": (1, 4),
    "seed": (0, 2**31 - 1),
    "fb": (-10.0, 10.0),
    "t": (1, MAX_TOKENS),
    "unit": (0, 511),
}
PRESETS = ("",) + tuple(_preset_names())
# What a link may hide: the whole sidebar, its page list, the language switch, the model picker,
# the "upload a weight file" choice, the sequence box.
HIDEABLE = ("sidebar", "nav", "language", "model", "upload", "input")
CHOICES = {"mode": MODES, "cell": CELL_KINDS, "enc": ENCODINGS, "lang": LANGS, "preset": PRESETS}


@dataclass(frozen=True)
class ModelSpec:
    """Which model a page runs: the only dataclass that carries model settings.

    Generated weights are ``cell``, ``hidden``, ``layers``, ``seed`` and
    ``forget_bias``; a shipped trained model sets ``preset``, an uploaded file
    ``upload`` (its SHA-256, never in the URL), a model trained on the Train
    page ``trained`` (its id, never in the URL). Hashable: it keys the caches.
    """

    cell: str = "lstm"
    hidden: int = 16
    layers: int = 1
    seed: int = 0
    forget_bias: float = 1.0
    preset: str = ""
    upload: str = ""
    trained: str = ""

    @property
    def generated(self) -> bool:
        return not (self.upload or self.preset or self.trained)

    def with_(self, **changes) -> "ModelSpec":
        return replace(self, **changes)


# URL parameter -> ModelSpec field, for the model's parameters (the URL keeps its short names)
MODEL_PARAMS = {"cell": "cell", "hidden": "hidden", "layers": "layers", "seed": "seed", "fb": "forget_bias",
                "preset": "preset"}


@dataclass(frozen=True)
class View:
    """One screen: the sequence, the model, the step and unit, the language."""

    seq: str = ""
    mode: str = "chars"
    model: ModelSpec = ModelSpec()
    enc: str = "embedding"
    t: int = 1            # the step shown, 1-based (URL ``t``)
    unit: int = 0
    lang: str = DEFAULT_LANG
    hide: tuple = ()      # names from HIDEABLE, in that order (URL ``hide``)

    def with_(self, **changes) -> "View":
        """A copy with ``changes``; model fields (``cell``, ``hidden``, ``forget_bias`` …) go to ``model``."""
        model_fields = {f.name for f in fields(ModelSpec)}
        to_model = {k: changes.pop(k) for k in list(changes) if k in model_fields}
        model = changes.pop("model", self.model)
        return replace(self, model=model.with_(**to_model) if to_model else model, **changes)


DEFAULT = View()
PARAMS = ("seq", "mode", "cell", "hidden", "layers", "seed", "fb", "enc", "t", "unit", "lang", "preset")


def param(view: View, name: str):
    """The value of URL parameter ``name`` in ``view`` (``fb`` is ``view.model.forget_bias``)."""
    return getattr(view.model, MODEL_PARAMS[name]) if name in MODEL_PARAMS else getattr(view, name)


def _default(name):
    return param(DEFAULT, name)


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def md_escape(text) -> str:
    """``text`` safe to put inside Streamlit markdown: every markup character backslash-escaped,
    so a value from a link or a file name cannot become a link, an image or LaTeX on the page."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def _shown(value, limit=40) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _one(value):
    """st.query_params gives the last value; a plain dict may hold a list."""
    if isinstance(value, (list, tuple)):
        return value[-1] if value else ""
    return value


def _number(name, raw, problems):
    default = _default(name)
    kind = type(default)
    lo, hi = RANGES[name]
    try:
        value = kind(raw.strip()) if kind is int else float(raw.strip())
        if kind is float and not math.isfinite(value):
            raise ValueError
    except (ValueError, OverflowError):
        problems.append(Problem("state.malformed", name=name, value=_shown(raw), default=default))
        return default
    if value < lo or value > hi:
        fixed = min(max(value, lo), hi)
        problems.append(Problem("state.out_of_range", name=name, value=_shown(raw), lo=lo, hi=hi, used=fixed))
        return fixed
    return value


def parse_query(params: Mapping) -> tuple[View, list[Problem]]:
    """The view described by URL query parameters, and what had to be repaired.

    Unknown parameters are ignored (other pages may own them).
    """
    problems: list[Problem] = []
    values = {}
    for name in PARAMS:
        if name not in params:
            continue
        raw = str(_one(params[name]))
        if name == "seq":
            if len(raw) > MAX_SEQ_CHARS:
                problems.append(Problem("state.seq_cut", limit=MAX_SEQ_CHARS))
                raw = raw[:MAX_SEQ_CHARS]
            values[name] = raw
        elif name == "preset" and raw.strip() not in PRESETS:
            problems.append(Problem("preset.unknown", name=name, value=_shown(raw), choices=", ".join(PRESETS[1:])))
        elif name in CHOICES:
            value = raw.strip().lower()
            if value in CHOICES[name]:
                values[name] = value
            else:
                problems.append(Problem("state.bad_choice", name=name, value=_shown(raw),
                                        choices=", ".join(CHOICES[name]), default=_default(name)))
        else:
            values[name] = _number(name, raw, problems)
    if "hide" in params:
        values["hide"] = parse_hide(str(_one(params["hide"])), problems)
    model = {MODEL_PARAMS[k]: values.pop(k) for k in list(values) if k in MODEL_PARAMS}
    return replace(DEFAULT, model=DEFAULT.model.with_(**model), **values), problems


def parse_hide(raw: str, problems: list) -> tuple:
    """``"sidebar, Model"`` → ``("sidebar", "model")`` (``HIDEABLE`` order); each unknown name is
    dropped with a Problem."""
    asked = [w.strip().lower() for w in raw.split(",") if w.strip()]
    for w in dict.fromkeys(asked):
        if w not in HIDEABLE:
            problems.append(Problem("state.bad_hide", value=_shown(w), choices=", ".join(HIDEABLE)))
    return tuple(h for h in HIDEABLE if h in asked)


def to_query(view: View) -> dict[str, str]:
    """The URL parameters for ``view`` (all of them, so a link is complete; ``hide`` when not empty)."""
    out = {}
    for name in PARAMS:
        value = param(view, name)
        out[name] = f"{value:g}" if isinstance(value, float) else str(value)
    if view.hide:
        out["hide"] = ",".join(view.hide)
    return out


def fit_step(view: View, steps: int, units: int) -> tuple[View, list[Problem]]:
    """Clamp ``t`` to 1..steps and ``unit`` to 0..units-1, saying so when it moved."""
    problems = []
    t = min(max(view.t, 1), max(steps, 1))
    if t != view.t:
        problems.append(Problem("state.step_moved", value=view.t, used=t, steps=steps))
    unit = min(max(view.unit, 0), max(units - 1, 0))
    if unit != view.unit:
        problems.append(Problem("state.unit_moved", value=view.unit, used=unit, units=units))
    return replace(view, t=t, unit=unit), problems


def move(t: int, action: str, steps: int) -> int:
    """The 1-based step after pressing ``first``, ``prev``, ``next``, ``last`` (or ``play``: next, wrapping)."""
    if action == "first":
        return 1
    if action == "last":
        return steps
    if action == "prev":
        return max(1, t - 1)
    if action == "next":
        return min(steps, t + 1)
    if action == "play":
        return t + 1 if t < steps else 1
    raise ValueError(f"unknown step action {action!r}")


# Sample inputs offered on the explorer page: (mode, text). Input data, not UI text,
# so both languages' examples are offered to everyone.
EXAMPLES = (
    ("chars", "今天天气很好，我们去公园散步吧。"),
    ("chars", "the cat sat on the mat, and the cat slept."),
    ("words", "我 昨天 在 图书馆 借 了 一 本 书 ， 今天 把 它 读 完 了"),
    ("words", "the keys to the cabinet are on the table"),
    ("chars", "((a+b)*(c-d))"),
    ("chars", "Grüße 🙂 naïve café 你好"),
    ("numbers", "0, 0, 1, 0, 0, 0, 0, 0, -1, 0, 0, 0"),
    ("numbers", "1,0; 0,1; 1,1; 0,0; 1,0"),
)
DEFAULT_EXAMPLE = {"zh": 0, "en": 1}
