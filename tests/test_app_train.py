"""AppTest runs of the Train page and of the trained presets in the explorer's model picker."""
import re

import pytest
from streamlit.testing.v1 import AppTest

from lstm_core import presets as shipped
from lstm_core.notation import to_plain
from ui import model_source, train_view
from ui.i18n import LANGS, catalogue, t

RAW_KEY = re.compile(r"\b(?:train|task|preset|trained|explorer|model|state|nav|common)\.[a-z_]+\b")


def open_page(path, **params):
    """Start on the home page (as a server does), then go to ``path`` with ``params`` in the URL."""
    at = AppTest.from_file("../explorer_app.py", default_timeout=90)
    for k, v in params.items():
        at.query_params[k] = str(v)
    at.switch_page(path)
    return at.run()


def texts(at):
    out = []
    for kind in ("title", "markdown", "caption", "warning", "error", "info", "success", "subheader"):
        out += [str(e.value) for e in at.get(kind)]
    return out


def assert_clean(at):
    assert not at.exception, [e.value for e in at.exception]
    leaked = [m.group(0) for s in texts(at) for m in [RAW_KEY.search(s)] if m]
    assert not leaked, leaked


def player(at, key):
    """The data the trace player ``key`` was handed (``ui.player.data.player_data`` and its position), or None."""
    import json

    from streamlit.testing.v1.element_tree import UnknownElement

    def find(node):
        for child in (node.children.values() if isinstance(getattr(node, "children", None), dict) else []):
            if isinstance(child, UnknownElement) and getattr(child.proto, "component_name", "").endswith("player"):
                data = json.loads(child.proto.json)
                if data.get("mount_key") == key:
                    return data
            found = find(child)
            if found is not None:
                return found
    return find(at.main)


def train_until_done(at, runs=40):
    """Rerun (as the fragment's timer would) until the run has ended."""
    for _ in range(runs):
        job = at.session_state["train_job"] if "train_job" in at.session_state else None
        if job is None or not job.running:
            return at
        at.run()
    raise AssertionError("the run did not end")


# ------------------------------------------------------------------ the Train page
@pytest.mark.parametrize("lang", LANGS)
def test_train_page_defaults(lang):
    at = open_page("pages/train.py", lang=lang)
    assert_clean(at)
    assert at.title[0].value == t("train.title", lang)
    assert at.selectbox(key="w_train_task").value == "recall"
    assert at.number_input(key="w_train_hidden").value == train_view.DEFAULTS["hidden"]
    assert t("train.no_run", lang) in texts(at)
    assert str(train_view.CAP_SECONDS) in at.markdown[0].value          # the time cap is stated
    assert at.query_params["task"] == ["recall"] or at.query_params["task"] == "recall"


def _q(at, name):
    v = at.query_params[name]
    return v[-1] if isinstance(v, list) else v


def test_train_page_reads_its_query_parameters():
    at = open_page("pages/train.py", lang="en", task="parity", param=12, train_cell="gru", train_hidden=8,
                   lr=0.02, steps=40)
    assert_clean(at)
    assert at.selectbox(key="w_train_task").value == "parity"
    assert at.number_input(key="w_train_parity").value == 12
    assert at.selectbox(key="w_train_cell").value == "gru"
    assert at.number_input(key="w_train_hidden").value == 8
    assert at.number_input(key="w_train_steps").value == 40
    assert _q(at, "train_hidden") == "8" and _q(at, "param") == "12"


def test_hostile_query_parameters_fall_back():
    at = open_page("pages/train.py", lang="en", task="<b>x</b>", param="zz", train_cell="lstmx", train_hidden="-5",
                   lr="nan", steps="1e99")
    assert_clean(at)
    assert at.selectbox(key="w_train_task").value == "recall"


@pytest.mark.parametrize("lang", LANGS)
def test_tiny_run_to_the_end_then_timelapse_and_open_in_explorer(lang):
    at = open_page("pages/train.py", lang=lang, task="recall", param=5, train_hidden=4, steps=30)
    at.button(key="train_start").click().run()
    train_until_done(at)
    assert_clean(at)
    job = at.session_state["train_job"]
    assert job.reason == "steps" and job.trainer.steps == 30
    assert t("train.ended.steps", lang, step=30) in texts(at)
    assert len(at.get("plotly_chart")) == 1                               # progress; the time-lapse: the player
    shown = player(at, "train_player")
    assert shown["T"] == len(train_view.probe_tokens(job.task)) and shown["H"] == 4
    assert shown["unit"] == job.result["unit"]["unit"]                    # it opens on the telling unit
    assert shown["predict"]["expected"][-1] == train_view.probe_tokens(job.task)[0]
    slider = at.select_slider(key="w_train_snap")
    assert slider.value == 30
    slider.set_value(0).run()
    assert_clean(at)
    assert at.select_slider(key="w_train_snap").value == 0
    untrained = player(at, "train_player")
    assert untrained["id"] != shown["id"] and "0" in untrained["title"]   # the untrained model's values
    assert any("r = " in s for s in texts(at))                           # the interpretable unit is named
    # open in the explorer: the trained model is the explorer's model, with one example of the task
    at.button(key="train_open").click().run()
    assert_clean(at)
    assert at.sidebar.radio(key="w_source").value == "trained"
    assert at.text_area(key="w_seq").value == "".join(train_view.probe_tokens(job.task))
    assert at.sidebar.radio(key="w_enc").value == "onehot_model"
    assert at.number_input(key="w_unit").value == job.result["unit"]["unit"]     # the telling unit is selected
    run = at.session_state["good_run"]
    assert run.trace.hidden_size == 4 and run.trace.steps == 7
    assert t("trained.source", lang) in at.sidebar.radio(key="w_source").options


@pytest.mark.parametrize("lang", LANGS)
def test_the_default_run_stops_when_it_reaches_the_target(lang):
    """Press Train without changing anything: recall on mixed gaps stops at 99 % held-out accuracy at the
    full gap, well before its last step, and the page says why it stopped."""
    at = open_page("pages/train.py", lang=lang)
    at.button(key="train_start").click().run()
    train_until_done(at)
    assert_clean(at)
    job = at.session_state["train_job"]
    assert job.settings == train_view.Settings() and job.task.params["min_gap"] == 1
    assert job.reason == "target" and job.trainer.steps < job.settings.steps
    assert job.result["accuracy"] >= train_view.TARGET
    assert t("train.ended.target", lang, step=job.trainer.steps, target=train_view.TARGET,
             n=train_view.EVAL_SIZE) in texts(at)


def test_stop_keeps_what_was_learned():
    # a long gap and 4 units: far from the target accuracy when the button is pressed
    at = open_page("pages/train.py", lang="en", task="recall", param=150, train_hidden=4, steps=20000)
    at.button(key="train_start").click().run()
    assert at.session_state["train_job"].running
    at.button(key="train_stop").click().run()
    assert_clean(at)
    job = at.session_state["train_job"]
    assert job.reason == "stopped" and 0 < job.trainer.steps < 20000
    assert job.result["accuracy"] >= 0
    assert t("train.ended.stopped", "en", step=job.trainer.steps) in texts(at)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("params, limit", [
    ({"train_hidden": 0}, "1 to 1024"),                  # the core's own limit
    ({"param": 0}, "1 to 2000"),                         # recall's gap
    ({"train_hidden": 500}, "128"),                      # this page's limit
    ({"lr": 0}, "above 0"),
])
def test_bad_settings_name_the_limit(lang, params, limit):
    at = open_page("pages/train.py", lang=lang, steps=5, **params)
    at.button(key="train_start").click().run()
    assert_clean(at)
    assert at.error and t("train.bad_settings", lang) in at.error[0].value and limit in at.error[0].value
    assert "train_job" not in at.session_state


# ------------------------------------------------------------------ presets in the explorer
@pytest.mark.parametrize("name", shipped.names())
def test_every_preset_opens_in_the_explorer(name):
    at = open_page("pages/explorer.py", lang="en", preset=name)
    assert_clean(at)
    assert not at.error, [e.value for e in at.error]
    assert at.sidebar.radio(key="w_source").value == "preset"
    assert at.sidebar.selectbox(key="w_preset").value == name
    info = next(p for p in shipped.manifest() if p["name"] == name)
    captions = [c.value for c in at.sidebar.caption]
    shown = to_plain(info["look"]["en"])                                                # z^f shown as zᶠ
    assert t("preset.look", "en", look=shown) in captions
    look = "🔎 " + t("preset.look", "en", look=shown)
    assert look in [c.value for c in at.main.caption]                                    # on the page too
    run = at.session_state["good_run"]
    model = model_source.load_preset(name)
    assert run.trace.hidden_size == model.hidden_size and run.trace.steps > 1
    if model.meta.get("vocab"):
        assert at.sidebar.radio(key="w_enc").value == "onehot_model"
    assert at.number_input(key="w_unit").value == info["unit"]
    assert _q(at, "preset") == name


def test_preset_link_keeps_its_own_sequence_and_language():
    at = open_page("pages/explorer.py", lang="zh", preset="brackets_lstm", seq="((a)b(", mode="chars")
    assert_clean(at)
    assert at.text_area(key="w_seq").value == "((a)b("
    assert at.session_state["good_run"].trace.steps == 6
    info = next(p for p in shipped.manifest() if p["name"] == "brackets_lstm")
    assert t("preset.look", "zh", look=to_plain(info["look"]["zh"])) in [c.value for c in at.sidebar.caption]


def test_unknown_preset_is_reported_and_ignored():
    at = open_page("pages/explorer.py", lang="en", preset="no_such_model")
    assert_clean(at)
    assert at.sidebar.radio(key="w_source").value == "generated"
    assert "no\\_such\\_model" in at.warning[0].value and "recall\\_lstm" in at.warning[0].value


def test_preset_titles_exist_in_both_languages():
    for p in model_source.presets():
        for lang in LANGS:
            assert p.title_key in catalogue(lang)


def test_two_sessions_never_share_a_run():
    a = open_page("pages/train.py", lang="en", task="parity", param=6, train_hidden=3, steps=10)
    b = open_page("pages/train.py", lang="zh", task="parity", param=6, train_hidden=5, steps=10)
    a.button(key="train_start").click().run()
    b.button(key="train_start").click().run()
    ja, jb = a.session_state["train_job"], b.session_state["train_job"]
    assert ja is not jb and ja.trainer is not jb.trainer and ja.trainer.model is not jb.trainer.model
    assert ja.trainer.model.hidden_size == 3 and jb.trainer.model.hidden_size == 5


def test_the_sidebar_offers_kinds_of_weights_then_which_example():
    at = open_page("pages/explorer.py", lang="zh")
    kinds = at.sidebar.radio(key="w_source")
    assert kinds.options == [t(f"model.source.{k}", "zh") for k in ("generated", "upload", "preset")]
    kinds.set_value("preset").run()
    assert_clean(at)
    which = at.sidebar.selectbox(key="w_preset")
    assert len(which.options) == len(shipped.names()) and all("已训练" not in o for o in which.options)
    which.set_value("brackets_lstm").run()
    assert_clean(at)
    assert _q(at, "preset") == "brackets_lstm"
    assert at.session_state["good_run"].trace.hidden_size == model_source.load_preset("brackets_lstm").hidden_size
    at.sidebar.radio(key="w_source").set_value("generated").run()
    assert_clean(at)
    assert not _q(at, "preset")
