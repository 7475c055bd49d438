"""AppTest runs of the teaching pages: both languages, defaults and URL parameters, asserting on what they show."""
import re

import numpy as np
import pytest
from apptest_tools import player_data as player
from streamlit.testing.v1 import AppTest

from lstm_core import analysis
from lstm_core.training import experiments
from ui import app
from ui import teaching_pages as TP
from ui.i18n import LANGS, t
from ui.locales import teaching as L

PAGES = {i: app.page(i) for i in TP.TEACHING_IDS}
RAW_KEY = re.compile(r"\b(?:teach|rnn|cell|mem|gru|gates|tf|nav)\.[a-z_0-9]+(?:\.[a-z_0-9]+)?\b")
SEQ = "abcabd"


def open_page(page_id, **params):
    """Start where a server starts (the entry file), then open the page with ``params`` in the URL."""
    at = AppTest.from_file("../explorer_app.py", default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = str(v)
    at.switch_page(PAGES[page_id].path)
    return at.run()


SWITCH = {"memory": "w_mem_weights", "gates": "w_gates_weights"}


def open_random(page_id, **params):
    """``open_page`` on a page that opens on a trained example, switched to the sidebar's random weights."""
    at = open_page(page_id, **params)
    at.radio(key=SWITCH[page_id]).set_value("random").run()
    return at


def texts(at):
    out = []
    for kind in ("title", "subheader", "markdown", "caption", "warning", "error", "info", "latex", "code"):
        out += [str(e.value) for e in at.get(kind)]
    return out


def assert_clean(at, lang):
    assert not at.exception, [e.value for e in at.exception]
    shown = texts(at)
    leaked = [m.group(0) for s in shown for m in [RAW_KEY.search(s)] if m]
    assert not leaked, leaked
    if lang == "zh":
        assert any("\u4e00" <= ch <= "\u9fff" for ch in at.title[0].value + "".join(shown))


def charts(at):
    return at.get("plotly_chart")


def test_every_string_formats_in_both_languages():
    for lang in LANGS:
        for key, text in L.EN.items():
            fields = set(re.findall(r"(?<!\{)\{([A-Za-z_0-9]+)(?::[^{}]*)?\}(?!\})", text))
            t(key, lang, **{f: 1 for f in fields}) if fields else t(key, lang)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page_id", list(PAGES))
def test_every_teaching_page_runs_with_defaults(page_id, lang):
    at = open_page(page_id, lang=lang)
    assert_clean(at, lang)
    assert at.title[0].value == t({"rnn": "rnn.title", "lstm_cell": "cell.title", "memory": "mem.title",
                                   "gru": "gru.title", "gates": "gates.title"}[page_id], lang)
    assert at.query_params["lang"] == lang
    assert len(charts(at)) >= 1
    nav = [e for e in at.sidebar.get("page_link")]
    assert nav, "the shared sidebar is missing"


# ------------------------------------------------------------------ RNN
def test_rnn_page_follows_the_url():
    at = open_page("rnn", lang="en", seq=SEQ, mode="chars", hidden=5, seed=3, unit=2, enc="onehot_sequence")
    assert_clean(at, "en")
    assert at.text_area(key="w_seq").value == SEQ
    assert at.slider(key="w_rnn_unit").value == 2
    note = " ".join(c.value for c in at.caption)
    assert "(5)" in note and "(3)" in note and "4 numbers per step" in note     # one-hot over a, b, c, d
    assert len(charts(at)) == 3                     # unrolled, influence matrix, share; h over time: the player
    data = player(at)
    assert (data["cell"], data["H"], data["T"], data["unit"]) == ("rnn", 5, len(SEQ), 2)   # on the slider's unit
    fi = analysis.first_token_influence(TP.run("rnn", TP.encoded(SEQ, "chars", "onehot_sequence", 3)[1], 5, 3)[0],
                                        TP.encoded(SEQ, "chars", "onehot_sequence", 3)[1])
    assert TP.percent(fi["share"][1]) in " ".join(m.value for m in at.markdown)


def test_rnn_page_unit_slider_updates_the_url():
    at = open_page("rnn", lang="zh", seq=SEQ, hidden=4)
    at.slider(key="w_rnn_unit").set_value(3).run()
    assert_clean(at, "zh")
    assert at.query_params["unit"] == "3"


def test_long_sequence_is_cut_with_a_note():
    at = open_page("rnn", lang="en", seq="ab" * 100, hidden=3)
    assert_clean(at, "en")
    assert any(str(TP.TEACHING_STEPS) in i.value for i in at.info)


def test_bad_sequence_shows_the_parser_error():
    at = open_page("rnn", lang="en", seq="1, x, 3", mode="numbers")
    assert not at.exception
    assert at.error and "x" in at.error[0].value


# ------------------------------------------------------------------ LSTM cell
@pytest.mark.parametrize("lang", LANGS)
def test_lstm_cell_numbers_follow_the_sliders(lang):
    at = open_page("lstm_cell", lang=lang)
    at.radio(key="w_cellpage_units").set_value(1)
    at.slider(key="w_cellpage_bf").set_value(4.0)
    at.slider(key="w_cellpage_c0").set_value(2.0)
    at.run()
    assert_clean(at, lang)
    code = "\n".join(c.value for c in at.code)
    m = analysis.hand_set_lstm(1, seed=0, forget=4.0)
    tr = m.forward(np.array([[1.0]]), h0=np.zeros((1, 1)), c0=np.array([[2.0]]))
    assert f"z^f = σ({tr['pre_forget'][0, 0]:.2f}) = {tr['forget'][0, 0]:.2f}" in code
    assert f"c = {tr['forget'][0, 0]:.2f}×2.00" in code
    assert code.count(t("cell.unit_line", lang, j=0)) == 4        # a line per stage, one in the tip (0-based)
    assert t("cell.unit_line", lang, j=1) not in code
    assert len(at.dataframe) >= 1


def test_lstm_cell_candidate_bias_can_push_memory_down():
    at = open_page("lstm_cell", lang="en")
    at.radio(key="w_cellpage_units").set_value(1)
    at.slider(key="w_cellpage_bz").set_value(-4.0)
    at.slider(key="w_cellpage_bi").set_value(4.0)
    at.slider(key="w_cellpage_c0").set_value(0.0)
    at.run()
    code = "\n".join(c.value for c in at.code)
    c_value = re.search(r"c = .* = (−?[0-9.]+)\s", code + " ").group(1)
    assert c_value.startswith("−")                     # z ≈ −1 written into an empty cell


# ------------------------------------------------------------------ long-term memory
def _grad_line(at):
    return next(m.value for m in at.markdown if "×10" in m.value or "first step" in m.value)


def test_memory_page_weight_scale_changes_the_gradients():
    at = open_random("memory", lang="en", seq="the cat sat on the mat", hidden=8, seed=1, enc="onehot_sequence")
    assert_clean(at, "en")
    before = _grad_line(at)
    at.select_slider(key="w_mem_scale").set_value(0.25).run()
    assert_clean(at, "en")
    assert _grad_line(at) != before
    X = TP.encoded("the cat sat on the mat", "chars", "onehot_sequence", 1)[1]
    res = analysis.compare_cells(X.shape[1], 8, 1, X, weight_scale=0.25, influence=False)
    assert TP.sci(res["rnn"]["gradient"]["grad_hidden"][0]) in _grad_line(at)


@pytest.mark.parametrize("kind", TP.INTERVENTIONS)
def test_memory_page_interventions(kind):
    at = open_random("memory", lang="zh", seq=SEQ, hidden=4, enc="onehot_sequence")
    at.radio(key="w_mem_iv").set_value(kind).run()
    assert_clean(at, "zh")
    assert any(t(f"mem.iv_explain.{kind}", "zh")[:12] in m.value for m in at.markdown)
    X = TP.encoded(SEQ, "chars", "onehot_sequence", 0)[1]
    lstm = analysis.compare_cells(X.shape[1], 4, 0, X, influence=False)["lstm"]["model"]
    eff = analysis.intervention_effect(lstm, X, TP.overrides(kind, 0, (0, len(SEQ))))
    assert f"{eff['memory'][-1]:.3g}" in " ".join(m.value for m in at.markdown)


@pytest.mark.parametrize("lang", LANGS)
def test_memory_page_recall_is_measured_in_advance_with_its_spread(lang):
    """No training on the page (one short run could contradict the lesson by noise): the shipped sweep over
    seeds with its command, and the trained examples with the reason for any point below chance."""
    at = open_page("memory", lang=lang, seq=SEQ, hidden=4)
    assert_clean(at, lang)
    shown = texts(at)
    sweep = experiments.shipped_recall_sweep()
    if sweep is not None:
        assert TP.sweep_caption(sweep, lang) in shown and TP.sweep_numbers(sweep, lang) in shown
        assert sweep["command"] in TP.sweep_caption(sweep, lang)
    pre = experiments.recall_from_presets(gaps=TP.PRESET_GAPS, n=256)
    if pre is not None:
        assert all(line in shown for line in TP.below_chance_lines(pre, lang))


# ------------------------------------------------------------------ GRU
@pytest.mark.parametrize("lang", LANGS)
def test_gru_page_counts_parameters_for_the_chosen_sizes(lang):
    at = open_page("gru", lang=lang, seq=SEQ, hidden=6, enc="onehot_sequence")
    assert_clean(at, lang)
    assert at.number_input(key="w_gru_inputs").value == 4 and at.number_input(key="w_gru_hidden").value == 6
    at.number_input(key="w_gru_hidden").set_value(10).run()
    counts = analysis.param_counts(4, 10)
    text = " ".join(m.value for m in at.markdown)
    assert all(f"{counts[k]:,}" in text for k in counts)
    assert counts["lstm"] == 4 * counts["rnn"] and counts["gru"] == 3 * counts["rnn"]
    assert len(charts(at)) == 1                        # parameter bars; r, u, ñ, h over time: the player
    data = player(at)
    assert data["cell"] == "gru" and data["names"] == ["reset", "update", "candidate", "hidden"]


def test_pages_follow_the_sidebar_encoding():
    at = open_page("gru", lang="en", seq=SEQ)           # default: the explorer's fixed random embedding
    assert at.number_input(key="w_gru_inputs").value == 16
    at.number_input(key="w_gru_inputs").set_value(20).run()   # the reader's own number …
    assert at.number_input(key="w_gru_inputs").value == 20
    at.sidebar.radio(key="w_enc").set_value("onehot_sequence").run()
    assert_clean(at, "en")
    assert "4 numbers per step" in " ".join(c.value for c in at.caption)
    assert at.number_input(key="w_gru_inputs").value == 4     # … gives way when the width changes


# ------------------------------------------------------------------ gate statistics
def test_gates_page_for_an_lstm_and_a_gru():
    at = open_random("gates", lang="en", seq=SEQ * 3, cell="lstm", hidden=5)
    assert_clean(at, "en")
    summary = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert len(summary) == 3 and all("of 5 units" in s for s in summary)
    at = open_random("gates", lang="en", seq=SEQ, cell="gru", hidden=3, fb=1)
    assert len([m for m in at.markdown if m.value.startswith("- ")]) == 2


def test_gates_page_for_an_rnn_says_there_are_no_gates():
    at = open_random("gates", lang="zh", seq=SEQ, cell="rnn")
    assert_clean(at, "zh")
    assert at.info[0].value == t("gates.rnn", "zh")
    assert len(charts(at)) == 0


def test_gates_thresholds_change_the_counts():
    def n_open(at):
        first = [m.value for m in at.markdown if m.value.startswith("- ")][0]
        return int(re.search(r"(\d+) of 6 units open", first).group(1))
    at = open_random("gates", lang="en", seq="the cat sat on the mat", cell="lstm", hidden=6, fb=3)
    assert n_open(at) >= 4                              # forget bias 3 keeps most z^f above 0.9
    at.slider(key="w_gates_high").set_value(0.99).run()
    assert n_open(at) == 0                              # … but not above 0.99


# ------------------------------------------------------------------ language switch
def test_switching_language_keeps_the_page_and_the_sequence():
    at = open_page("memory", lang="en", seq=SEQ, hidden=4)
    at.sidebar.radio(key="w_lang").set_value("zh").run()
    assert_clean(at, "zh")
    assert at.title[0].value == t("mem.title", "zh")
    assert at.text_area(key="w_seq").value == SEQ
    assert at.query_params["lang"] == "zh" and at.query_params["seq"] == SEQ


def test_before_and_after_heatmaps_share_one_colour_range():
    before = np.zeros((3, 2)) + 0.1
    after = np.array([[5.0, -1], [0, 0], [1, 2]])
    a, b = TP.heatmap_pair(before, after, list("abc"), "cell", "en")
    assert (a.data[0].zmin, a.data[0].zmax) == (b.data[0].zmin, b.data[0].zmax) == (-5.0, 5.0)


def test_influence_is_measured_on_a_bounded_prefix():
    assert TP.influence_steps(30, 16) == 30
    assert TP.influence_steps(500, 512) == 6 and TP.influence_steps(500, 128) == 48
    assert TP.influence_steps(3, 512) == 3
    for H in (1, 8, 64, 128, 256, 512):                      # T²·H³ within the budget, at least a few steps
        n = TP.influence_steps(120, H)
        assert n ** 2 * H ** 3 <= TP.INFLUENCE_WORK and n >= 6
    at = open_page("rnn", lang="en", seq="ab" * 30, hidden=256)
    assert_clean(at, "en")
    n = TP.influence_steps(60, 256)
    assert any(f"first {n} steps" in c.value for c in at.caption)


# ------------------------------------------------------------------ widgets outliving their range
def test_a_chosen_unit_beyond_a_smaller_model_is_brought_within():
    """Unit 7 of 8 chosen, then the sidebar's hidden size drops to 4: the page
    shows the last unit instead of Streamlit's "value above max" error."""
    at = open_page("rnn", lang="en", seq="hello there", hidden=8)
    at.slider(key="w_rnn_unit").set_value(7).run()
    at.sidebar.number_input(key="w_hidden").set_value(4).run()
    assert_clean(at, "en")
    assert at.slider(key="w_rnn_unit").value == 3
    at = open_random("memory", lang="en", seq="hello there", hidden=8)
    at.radio(key="w_mem_iv").set_value("silence").run()
    at.number_input(key="w_mem_unit").set_value(7).run()
    at.sidebar.number_input(key="w_hidden").set_value(4).run()
    assert_clean(at, "en")
    assert at.number_input(key="w_mem_unit").value == 3


def test_a_chosen_step_range_beyond_a_shorter_sequence_is_brought_within():
    at = open_random("memory", lang="en", seq="hello there world", hidden=8)
    at.slider(key="w_mem_steps").set_value((3, 17)).run()
    at.text_area(key="w_seq").set_value("hi").run()
    assert_clean(at, "en")
    assert at.slider(key="w_mem_steps").value == (2, 2)
