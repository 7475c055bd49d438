"""View state <-> URL query parameters: round trip, repairs, step moves."""
import pytest

from ui import parsing, state
from ui.i18n import LANGS, t


def test_defaults_when_nothing_given():
    view, problems = state.parse_query({})
    assert view == state.DEFAULT and problems == []


def test_round_trip():
    view = state.View(seq="你好 world", mode="words", model=state.ModelSpec("gru", 64, 3, 7, 0.5),
                      enc="onehot_sequence", t=5, unit=12, lang="en")
    again, problems = state.parse_query(state.to_query(view))
    assert again == view and problems == []


def test_list_values_take_the_last():
    view, _ = state.parse_query({"hidden": ["8", "32"]})
    assert view.model.hidden == 32


@pytest.mark.parametrize("name,raw,expected,key", [
    ("hidden", str(10**9), 512, "state.out_of_range"),
    ("hidden", "0", 1, "state.out_of_range"),
    ("t", "-1", 1, "state.out_of_range"),
    ("layers", "9", 4, "state.out_of_range"),
    ("hidden", "abc", 16, "state.malformed"),
    ("seed", "1e3", 0, "state.malformed"),
    ("fb", "nan", 1.0, "state.malformed"),
    ("fb", "inf", 1.0, "state.malformed"),
    ("lang", "xx", "zh", "state.bad_choice"),
    ("cell", "foo", "lstm", "state.bad_choice"),
    ("mode", "bytes", "chars", "state.bad_choice"),
])
def test_bad_values_repaired_with_a_problem(name, raw, expected, key):
    view, problems = state.parse_query({name: raw})
    assert state.param(view, name) == expected
    assert [p.key for p in problems] == [key]
    for lang in LANGS:   # the message is translated and names the parameter
        text = t(key, lang, **problems[0].params)
        assert name in text and "{" not in text


def test_choices_are_case_insensitive():
    view, problems = state.parse_query({"cell": " GRU ", "lang": "EN"})
    assert (view.model.cell, view.lang, problems) == ("gru", "en", [])


def test_long_values_are_cut_in_messages_and_seq():
    view, problems = state.parse_query({"hidden": "9" * 500, "seq": "a" * (state.MAX_SEQ_CHARS + 5)})
    assert len(view.seq) == state.MAX_SEQ_CHARS
    assert {p.key for p in problems} == {"state.out_of_range", "state.seq_cut"}
    assert all(len(str(v)) <= 40 for p in problems for v in p.params.values())


def test_fit_step_clamps_to_the_sequence():
    view, problems = state.fit_step(state.View(t=50, unit=99), steps=10, units=16)
    assert (view.t, view.unit) == (10, 15)
    assert [p.key for p in problems] == ["state.step_moved", "state.unit_moved"]
    view, problems = state.fit_step(state.View(t=3, unit=2), steps=10, units=16)
    assert (view.t, view.unit, problems) == (3, 2, [])


def test_move():
    assert [state.move(5, a, 9) for a in ("first", "prev", "next", "last")] == [1, 4, 6, 9]
    assert state.move(1, "prev", 9) == 1 and state.move(9, "next", 9) == 9
    assert state.move(9, "play", 9) == 1
    with pytest.raises(ValueError):
        state.move(1, "sideways", 9)


def test_choices_match_the_parser():
    assert state.CHOICES["mode"] == parsing.MODES and state.CHOICES["enc"] == parsing.ENCODINGS
    assert parsing.MAX_TOKENS == parsing.MAX_TOKENS


def test_examples_parse():
    for mode, text in state.EXAMPLES:
        assert len(parsing.parse_sequence(text, mode)) > 1


def test_md_escape_defuses_links_images_and_latex():
    shown = state.md_escape("[Log in](https://e.vil/x) ![a](b.png) $x$ `c`")
    assert "](" not in shown and "$x$" not in shown and "`c`" not in shown


# ------------------------------------------------------------------ links a teacher hands out
def test_hide_is_parsed_in_a_fixed_order_and_kept_in_the_link():
    view, problems = state.parse_query({"hide": " Model,sidebar,model "})
    assert view.hide == ("sidebar", "model") and problems == []
    assert state.to_query(view)["hide"] == "sidebar,model"
    assert state.parse_query(state.to_query(view))[0] == view
    assert "hide" not in state.to_query(state.DEFAULT)          # no hide: not in the URL at all


def test_unknown_names_to_hide_are_dropped_with_a_problem():
    view, problems = state.parse_query({"hide": "model,everything,,{0}"})
    assert view.hide == ("model",)
    assert [p.key for p in problems] == ["state.bad_hide", "state.bad_hide"]
    for lang in LANGS:
        text = t("state.bad_hide", lang, **problems[0].params)
        assert "everything" in text and "sidebar" in text and "{" not in text
