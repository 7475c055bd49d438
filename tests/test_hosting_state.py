"""Hostile query parameters and parser input (hypothesis), through the public functions only.

ui.state: ``parse_query`` (any mapping of any strings), ``to_query``,
``fit_step``, ``move``; ui.parsing: the parts tests/test_parsing.py
does not cover (``display_token``, ``graphemes``/``words`` on any text,
``numbers`` with huge or odd values, ``encode`` with hostile vocabularies and
widths). Every input gives a valid value or a clear, translated error;
nothing else is ever raised.
"""
import math
import string

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ui import parsing, state
from ui.errors import Problem
from ui.i18n import LANGS, catalogue, t

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

NUMERIC = string.digits + " +-.eE_xXabfinINFNaN\t\u00a0١٦−"
RAW = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=NUMERIC, max_size=30),
    st.integers(-10**30, 10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["", " ", "lstm", "GRU", "en", "zh", "xx", "0", "-1", "1e9", "nan", "inf", "-inf",
                     "9" * 5000, "0x10", "1_000", "١٦", "\x00", "%00", "{name}", "{0}", "<script>"]),
)
VALUE = st.one_of(RAW, st.lists(RAW, max_size=3))   # a plain dict may hold lists (repeated parameters)
QUERY = st.dictionaries(st.one_of(st.sampled_from(state.PARAMS), st.text(max_size=8)), VALUE, max_size=14)


def in_range(view):
    for name, (lo, hi) in state.RANGES.items():
        value = state.param(view, name)
        assert lo <= value <= hi, (name, value)
        assert type(value) is type(state.param(state.DEFAULT, name)), (name, type(value))
    assert math.isfinite(view.model.forget_bias)
    for name, allowed in state.CHOICES.items():
        assert state.param(view, name) in allowed, name
    assert isinstance(view.seq, str) and len(view.seq) <= state.MAX_SEQ_CHARS


@SETTINGS
@given(QUERY)
def test_any_query_gives_a_valid_view(params):
    view, problems = state.parse_query(params)
    in_range(view)
    for p in problems:
        assert p.key in catalogue("en")
        for lang in LANGS:      # every repair is said in both languages, fields filled
            text = t(p.key, lang, **p.params)
            assert text and text != p.key
        assert all(len(str(v)) <= 40 for k, v in p.params.items() if k == "value")
    # a parameter that was not repaired is taken as given
    named = {p.params.get("name") for p in problems}
    for name in set(params) & set(state.PARAMS) - {"seq"} - named:
        raw = params[name][-1] if isinstance(params[name], list) and params[name] else params[name]
        if isinstance(raw, list):
            continue
        assert state.to_query(view)[name] in (raw.strip().lower(), raw.strip()) or name in state.RANGES


@SETTINGS
@given(QUERY)
def test_to_query_is_stable(params):
    view, _ = state.parse_query(params)
    link = state.to_query(view)
    assert set(link) - {"hide"} == set(state.PARAMS) and all(isinstance(v, str) for v in link.values())
    again, problems = state.parse_query(link)
    assert state.to_query(again) == link and not problems
    fb, fb2 = view.model.forget_bias, again.model.forget_bias
    assert again.with_(forget_bias=fb) == view and abs(fb2 - fb) <= 1e-5 * max(1, abs(fb))


@SETTINGS
@given(seq=st.text(max_size=300), mode=st.sampled_from(parsing.MODES), cell=st.sampled_from(state.CHOICES["cell"]),
       hidden=st.integers(1, 512), layers=st.integers(1, 4), seed=st.integers(0, 2**31 - 1),
       fb=st.sampled_from([-10.0, -1.5, 0.0, 0.25, 1.0, 3.0, 10.0]), enc=st.sampled_from(parsing.ENCODINGS),
       step=st.integers(*state.RANGES["t"]), unit=st.integers(*state.RANGES["unit"]), lang=st.sampled_from(LANGS))
def test_every_valid_view_survives_the_url(seq, mode, cell, hidden, layers, seed, fb, enc, step, unit, lang):
    view = state.View(seq, mode, state.ModelSpec(cell, hidden, layers, seed, fb), enc, step, unit, lang)
    again, problems = state.parse_query(state.to_query(view))
    assert again == view and problems == []


@SETTINGS
@given(step=st.integers(-10**9, 10**9), unit=st.integers(-10**9, 10**9),
       steps=st.integers(0, 5000), units=st.integers(0, 4096))
def test_fit_step_always_lands_inside(step, unit, steps, units):
    view, problems = state.fit_step(state.View(t=step, unit=unit), steps, units)
    assert 1 <= view.t <= max(steps, 1) and 0 <= view.unit <= max(units - 1, 0)
    assert len(problems) == (view.t != step) + (view.unit != unit)
    for p in problems:
        for lang in LANGS:
            assert "{" not in t(p.key, lang, **p.params)


@SETTINGS
@given(steps=st.integers(1, 5000), data=st.data())
def test_move_stays_inside(steps, data):
    now = data.draw(st.integers(1, steps))
    for action in data.draw(st.lists(st.sampled_from(("first", "prev", "next", "last", "play")), max_size=20)):
        now = state.move(now, action, steps)
        assert 1 <= now <= steps


def test_move_refuses_unknown_actions_clearly():
    try:
        state.move(1, "jump", 5)
    except ValueError as err:
        assert "jump" in str(err)
    else:
        raise AssertionError("an unknown action must raise ValueError")


def test_the_longest_url_sequence_is_refused_cheaply_or_read():
    """``seq`` cut at MAX_SEQ_CHARS then parsed: an error or at most MAX_TOKENS tokens."""
    view, _ = state.parse_query({"seq": "ab " * state.MAX_SEQ_CHARS})
    for mode in parsing.MODES:
        try:
            seq = parsing.parse_sequence(view.seq, mode)
        except Problem as err:
            assert err.key.startswith("input.err.")
            continue
        assert len(seq.tokens) <= parsing.MAX_TOKENS


# ------------------------------------------------------------------ parsers not covered elsewhere
@SETTINGS
@given(st.text(max_size=40))
def test_display_token_never_raises_and_is_visible(tok):
    shown = parsing.display_token(tok)
    assert isinstance(shown, str)
    if tok:
        assert shown and not shown.isspace()
        assert not any(ord(c) < 0x20 or ord(c) == 0x7F for c in shown)


@SETTINGS
@given(st.text(max_size=200))
def test_graphemes_and_words_cover_the_text(text):
    gs = parsing.graphemes(text)
    assert "".join(gs) == text and all(gs)
    ws = parsing.words(text)
    assert all(w and not w[0].isspace() for w in ws)
    assert "".join(ws) == "".join(g for g in gs if not g[0].isspace())


@SETTINGS
@given(st.lists(st.one_of(st.integers(-10**400, 10**400).map(str),
                          st.floats(allow_nan=True, allow_infinity=True).map(repr),
                          st.sampled_from(["1e309", "-1e999", "1e-400", ".5", "5.", "+.5e-3", "--1", "1e", "e1",
                                           "0x1", "1,5", "٣", "１", "NaN", "Infinity", "−2"])),
                min_size=1, max_size=12), st.sampled_from([", ", " ", "; ", "\n", "，", "；"]))
def test_numbers_are_finite_or_refused(values, sep):
    text = sep.join(values)
    try:
        seq = parsing.parse_sequence(text, "numbers")
    except Problem as err:
        for lang in LANGS:
            assert "{" not in err.message(lang)
        return
    assert np.isfinite(seq.vectors).all() and seq.vectors.dtype == np.float64


@SETTINGS
@given(text=st.text(min_size=1, max_size=60), vocab=st.lists(st.one_of(st.text(max_size=5), st.integers(),
                                                                        st.none()), max_size=30),
       encoding=st.sampled_from(parsing.ENCODINGS + ("bogus",)), dim=st.integers(1, 64),
       seed=st.integers(0, 2**31 - 1), input_size=st.one_of(st.none(), st.integers(0, 80)))
def test_encode_any_vocab_and_width(text, vocab, encoding, dim, seed, input_size):
    try:
        seq = parsing.parse_sequence(text, "chars")
        enc = parsing.encode(seq, encoding, vocab=vocab, dim=dim, seed=seed, input_size=input_size)
    except Problem as err:
        assert err.key in catalogue("en")
        for lang in LANGS:
            assert "{" not in err.message(lang)
        return
    assert enc.X.shape[0] == len(seq.tokens) and np.isfinite(enc.X).all()
    assert input_size is None or enc.X.shape[1] == input_size


@SETTINGS
@given(mode=st.sampled_from(parsing.MODES + ("", "CHARS", None, "numbers ")), text=st.one_of(st.none(), st.text()))
def test_parse_sequence_odd_arguments(mode, text):
    assume(text is None or len(text) < 200)
    try:
        parsing.parse_sequence(text, mode)
    except Problem as err:
        assert err.key in catalogue("en")
