"""AppTest runs of the home page and the sequence explorer, with and without URL parameters."""
import re
from pathlib import Path

import numpy as np
import pytest
from apptest_tools import player_data as player
from streamlit.testing.v1 import AppTest

from ui import app, model_source, parsing, state
from ui.errors import Problem
from ui.i18n import LANGS, catalogue, t

ROOT = Path(__file__).resolve().parents[1]
RAW_KEY = re.compile(r"\b(?:explorer|model|state|nav|common|home|fig|input)\.[a-z_]+\.?[a-z_]*\b")


def open_page(path="pages/explorer.py", **params):
    """Start on the home page (as a server does), then go to ``path`` with ``params`` in the URL."""
    at = AppTest.from_file("../explorer_app.py", default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = str(v)
    if path != "explorer_app.py":
        at.switch_page(path)
    return at.run()


def texts(at):
    out = []
    for kind in ("title", "markdown", "caption", "warning", "error", "info", "subheader"):
        out += [str(e.value) for e in at.get(kind)]
    return out


def assert_clean(at):
    assert not at.exception, [e.value for e in at.exception]
    leaked = [m.group(0) for s in texts(at) for m in [RAW_KEY.search(s)] if m and "x.y" not in s]
    assert not leaked, leaked


def charts(at):
    return at.get("plotly_chart")


# ------------------------------------------------------------------ every page with defaults
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", [p for p in app.PAGES])
def test_every_page_runs_with_defaults(page, lang):
    at = open_page(page.path, lang=lang)
    assert_clean(at)
    assert at.title[0].value in catalogue(lang).values()          # a title, in the chosen language
    links = [link.proto.label for link in at.sidebar.get("page_link")]
    assert [t(p.title_key, lang) for p in app.PAGES] == links[:len(app.PAGES)]   # sidebar navigation, translated
    assert at.query_params["lang"] == lang


def test_registry_points_at_pages_that_call_setup():
    for page in app.PAGES:
        source = (ROOT / page.path).read_text(encoding="utf-8")
        assert f'setup("{page.id}")' in source, page
    assert app.PAGES[0].path == "explorer_app.py"


def test_home_in_chinese_by_default():
    at = open_page("explorer_app.py")
    assert_clean(at)
    assert at.title[0].value == "LSTM 探索器"
    assert len(charts(at)) == 1


def test_explorer_defaults_show_heatmaps_and_cell():
    at = open_page()
    assert_clean(at)
    assert at.title[0].value == t("explorer.title", "zh")
    data = player(at)                             # heatmaps, token strip, cell diagram: drawn in the browser
    assert data["t"] == 1 and data["T"] == len(at.session_state["good_run"].tokens)
    assert data["names"] == ["forget", "input", "output", "candidate", "cell", "cell_tanh", "hidden"]
    assert not charts(at)                          # no server-side figure any more


# ------------------------------------------------------------------ query parameters
def test_query_parameters_reproduce_the_view():
    at = open_page(seq="hello world", mode="chars", cell="gru", hidden=8, layers=2, seed=3, t=4, unit=5, lang="en")
    assert_clean(at)
    assert at.title[0].value == "Sequence explorer"
    assert (player(at)["t"], player(at)["unit"], player(at)["layer"]) == (4, 5, 1)
    assert at.number_input(key="w_unit").value == 5
    assert at.selectbox(key="w_cell").value == "gru"
    assert at.number_input(key="w_hidden").value == 8
    assert at.selectbox(key="w_layer").value == 1          # top layer of 2 by default
    assert at.text_area(key="w_seq").value == "hello world"
    assert not at.warning
    assert at.session_state["good_run"].trace.num_layers == 2
    assert at.query_params["t"] == "4" and at.query_params["cell"] == "gru"


@pytest.mark.parametrize("lang", LANGS)
def test_bad_query_parameters_warn_and_fall_back(lang):
    at = open_page(hidden=10**9, t=-1, lang=lang, cell="foo", layers="two")
    assert_clean(at)
    shown = " ".join(w.value for w in at.warning)
    assert t("state.intro", lang) in shown
    for name in ("hidden", "t=", "cell", "layers"):
        assert name in shown
    assert at.number_input(key="w_hidden").value == 512
    assert at.selectbox(key="w_cell").value == "lstm"
    assert player(at)["t"] == 1


def test_bad_language_falls_back_to_chinese():
    at = open_page(lang="xx")
    assert_clean(at)
    assert at.title[0].value == t("explorer.title", "zh")
    assert "lang=xx" in " ".join(w.value for w in at.warning)


def test_step_past_the_end_is_moved_with_a_warning():
    at = open_page(seq="abc", t=99, unit=400, lang="en")
    assert_clean(at)
    shown = " ".join(w.value for w in at.warning)
    assert "Step 99" in shown and "unit 15" in shown
    assert (player(at)["t"], player(at)["unit"]) == (3, 15)
    assert at.query_params["t"] == "3"


# ------------------------------------------------------------------ bad input keeps the last view
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("text,mode,needle", [
    ("", "chars", None),
    ("a" * (parsing.MAX_TOKENS + 1), "chars", str(parsing.MAX_TOKENS)),
    ("1, 2, x3", "numbers", "x3"),
    ("1,0; 0,1,1", "numbers", "3"),
    ("1, nan, 2", "numbers", "nan"),
    ("1, inf", "numbers", "inf"),
])
def test_bad_input_shows_a_message_and_keeps_the_previous_view(text, mode, needle, lang):
    at = open_page(seq="abcd", t=2, lang=lang)
    assert_clean(at)
    before = player(at)["id"]
    at.radio(key="w_mode").set_value(mode)
    at.text_area(key="w_seq").input(text).run()
    assert_clean(at)
    assert len(at.error) == 1
    message = at.error[0].value
    assert message.startswith(t("explorer.bad_input", lang, reason=""))
    if needle:
        assert needle in message
    assert t("explorer.showing_previous", lang) in texts(at)
    assert player(at)["id"] == before                        # the last good run is still in the player
    assert at.session_state["good_run"].tokens == tuple("abcd")
    assert at.query_params["seq"] == "abcd"


def test_too_much_work_is_refused_with_the_limit():
    at = open_page(seq="a" * 1500, hidden=512, layers=2, lang="en")
    assert_clean(at)
    assert f"{model_source.MAX_WORK:,}" in at.error[0].value


# ------------------------------------------------------------------ interaction
def test_the_players_report_moves_the_step_and_the_url():
    """The player reports where the reader stopped; the page puts it in the URL and the unit box
    (the stepping itself happens in the browser: tests/e2e/test_explorer_e2e.py)."""
    from ui.player import component

    at = open_page(seq="abcdef", lang="en")
    assert at.query_params["t"] == "1"
    at.session_state["player"] = {"pos": {"t": 5, "unit": 3}}   # what the browser sends when it stops
    script = (ROOT / "pages" / "explorer.py").read_text(encoding="utf-8")
    assert "on_change=player_moved" in script and "position(\"player\")" in script
    assert component.position_of(at.session_state["player"]) == {"t": 5, "unit": 3}


@pytest.mark.parametrize("lang", LANGS)
def test_the_player_alone_chooses_what_colours_the_tokens(lang):
    """The strip's colour is chosen in the player (its own select, in the browser: tests/e2e); the page has no
    second select for it. A link to a trained example still starts the strip at the value its hint names."""
    at = open_page(seq="abcdef", lang=lang)
    assert_clean(at)
    assert [s.key for s in at.main.selectbox] == ["w_example"]  # one layer: the examples are the page's only select
    assert t("player.color_by", lang) not in [s.label for s in at.selectbox]
    assert player(at)["color_by"] == "hidden"
    from lstm_core import presets
    hints = {p["name"]: p["value"] for p in presets.manifest()}
    for name in ("recall_lstm", "charlm_zh_lstm", "recall_gru"):
        value = hints[name]                                     # c, the output gate, h (lstm_core/presets)
        at = open_page(preset=name, lang=lang)
        assert_clean(at)
        assert player(at)["color_by"] == value, name
        at.run()                                                # and again on the session's next run
        assert player(at)["color_by"] == value, name


def test_language_switch_keeps_page_sequence_and_step():
    at = open_page(seq="你好，世界", t=3)
    assert at.title[0].value == t("explorer.title", "zh")
    at.radio(key="w_lang").set_value("en").run()
    assert_clean(at)
    assert at.title[0].value == "Sequence explorer"
    assert player(at)["t"] == 3 and player(at)["lang"] == "en"
    assert at.text_area(key="w_seq").value == "你好，世界"
    assert at.query_params["lang"] == "en"


def test_model_settings_survive_a_page_switch():
    at = open_page("explorer_app.py", lang="en")
    at.number_input(key="w_hidden").set_value(24).run()
    at.selectbox(key="w_cell").set_value("rnn").run()
    at.switch_page("pages/explorer.py").run()
    assert_clean(at)
    assert at.number_input(key="w_hidden").value == 24
    assert at.session_state["good_run"].trace.cell == "rnn"
    assert at.session_state["good_run"].trace.hidden_size == 24


def test_top_k_shows_a_subset_of_rows():
    at = open_page(seq="abcdefgh", hidden=100, lang="en")
    assert_clean(at)
    assert at.toggle(key="w_topk_on").value is True          # on by default for large H
    rows = player(at)["rows"]
    assert rows is not None and len(rows) <= 17 and rows == sorted(rows)


def test_numbers_mode_and_vectors():
    at = open_page(seq="1,0; 0,1; 1,1", mode="numbers", lang="en")
    assert_clean(at)
    run = at.session_state["good_run"]
    assert run.trace.steps == 3 and run.encoded.X.shape == (3, 2)


# ------------------------------------------------------------------ export and uploads (plain functions)
def test_exports_hold_every_layer():
    spec = state.ModelSpec(cell="lstm", hidden=4, layers=2)
    run = model_source.compute(spec, "ab,c", "chars", "embedding")
    import io
    data = np.load(io.BytesIO(model_source.trace_npz(run)))
    assert list(data["tokens"]) == ["a", "b", ",", "c"]
    assert data["l1_forget"].shape == (4, 4) and "l0_cell_tanh" in data
    csv = model_source.trace_csv(run).splitlines()
    assert csv[0] == "layer,step,token,unit,quantity,value"
    assert len(csv) == 1 + sum(len(layer) for layer in run.trace.layers) * 4 * 4
    assert {line.split(',')[-2] for line in csv[1:]} >= {'forget', 'cell', 'cell_tanh', 'hidden'}
    assert csv[1].startswith('0,1,"a",0,')
    assert any(',",",' in line for line in csv)


def test_bad_upload_raises_a_value_error_with_a_reason():
    with pytest.raises(ValueError) as err:
        model_source.read_upload(b"this is not a weight file", "w.npz")
    assert str(err.value)


def test_uploaded_model_rejects_vectors_of_the_wrong_width():
    import lstm_core
    model = lstm_core.LSTM.init(3, 4)
    spec = state.ModelSpec(cell="lstm", hidden=4, upload="x")
    with pytest.raises(Problem) as err:
        model_source.compute(spec, "1,0; 0,1", "numbers", "embedding", model=model)
    assert err.value.key == "input.err.width"


def test_catalogues_of_this_area_match_in_both_languages():
    from string import Formatter

    from ui.locales import common
    from ui.locales import explorer as explorer_strings
    for mod in (common, explorer_strings):
        assert mod.EN.keys() == mod.ZH.keys()
        for key in mod.EN:
            fields = [{f for _, f, _, _ in Formatter().parse(table[key]) if f} for table in (mod.EN, mod.ZH)]
            assert fields[0] == fields[1], key


def test_wide_typed_vectors_are_refused_with_the_limit():
    spec = state.ModelSpec("lstm", 512, 4)
    with pytest.raises(Problem):     # the parser caps the width first
        model_source.compute(spec, ",".join(["1"] * 24_000) + ";", "numbers", "embedding")


def test_models_past_the_weight_budget_are_refused_before_they_are_built(monkeypatch):
    monkeypatch.setattr(model_source, "MAX_PARAMS", 10_000)
    built = []
    monkeypatch.setattr(model_source, "generated_model", lambda *a: built.append(a))
    with pytest.raises(Problem) as err:
        model_source.compute(state.ModelSpec("lstm", 64, 1), "1,2,3; 4,5,6", "numbers", "embedding")
    assert err.value.key == "model.too_many_params" and not built
    for lang in LANGS:
        assert "10,000" in t(err.value.key, lang, **err.value.params)


def test_csv_download_peaks_near_its_size_and_large_traces_are_npz_only():
    import tracemalloc
    run = model_source.compute(state.ModelSpec("lstm", 32, 1), "".join(chr(0x4E00 + i) for i in range(100)),
                               "chars", "embedding")
    tracemalloc.start()
    try:
        data = model_source.trace_csv_bytes(run)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak <= 2.5 * len(data)
    assert data.startswith(model_source.CSV_BOM)          # spreadsheet programs then read the Chinese tokens right
    assert data.decode("utf-8-sig") == model_source.trace_csv(run)
    assert model_source.trace_csv(run).startswith("layer,step,token")
    assert data.count(b"\n") == 1 + model_source.csv_rows(run)

    at = open_page(seq="ab" * 500, hidden=400, lang="en")      # 1000 × 400 × 11 values > CSV_MAX_ROWS
    assert_clean(at)
    assert model_source.csv_rows(at.session_state["good_run"]) > model_source.CSV_MAX_ROWS
    buttons = {b.proto.id.rsplit("-", 1)[-1]: b for b in at.get("download_button")}
    assert buttons["dl_csv"].proto.disabled
