"""AppTest runs of the first lesson, the glossary and a teacher's link that hides controls, in both languages."""
import pytest
from streamlit.testing.v1 import AppTest

from ui import app, keys
from ui import lesson as L
from ui.i18n import LANGS, t


def open_page(page_id, **params):
    """Start where a server starts (the entry file), then open the page with ``params`` in the URL."""
    at = AppTest.from_file("../explorer_app.py", default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = str(v)
    if page_id != "home":
        at.switch_page(app.page(page_id).path)
    return at.run()


def shown(at):
    out = []
    for kind in ("title", "subheader", "markdown", "caption", "warning", "error", "info", "success"):
        out += [str(e.value) for e in at.get(kind)]
    return "\n".join(out)


# ------------------------------------------------------------------ the first lesson
@pytest.mark.parametrize("lang", LANGS)
def test_lesson_asks_before_it_reveals(lang):
    at = open_page("lesson", lang=lang)
    assert not at.exception
    assert at.title[0].value == t("lesson.title", lang)
    text = shown(at)
    for stage in ("lesson.write", "lesson.hold", "lesson.read"):
        assert t(stage, lang) in text
    left, _ = L.answer_hold()
    assert f"{left:.3g}" not in text                          # not shown before the student guesses
    reveal = at.button(key="lesson_reveal_hold")
    assert reveal.disabled                                     # a guess first
    at.radio(key=keys.lesson_guess("hold")).set_value(2).run()
    assert not at.button(key="lesson_reveal_hold").disabled
    at.button(key="lesson_reveal_hold").click().run()
    assert not at.exception
    text = shown(at)
    assert f"{left:.3g}" in text and t("lesson.you_right", lang) in text


@pytest.mark.parametrize("lang", LANGS)
def test_lesson_settings_show_the_verdict_after_a_guess(lang):
    at = open_page("lesson", lang=lang)
    at.radio(key=keys.LESSON_SETTING).set_value("forget").run()
    assert t("lesson.wrong", lang) not in shown(at)            # asked first
    at.radio(key=keys.lesson_guess("setting_forget")).set_value(1).run()
    at.button(key="lesson_reveal_setting").click().run()
    assert not at.exception
    expected = L.lesson(L.preset("forget", L.DEFAULT_DOTS), L.DEFAULT_DOTS)
    assert not expected["right"]
    assert t("lesson.wrong", lang) in [w.value for w in at.warning]
    b = expected["B"]
    assert f"{b['y']:.3g}" in shown(at)
    assert len(at.get("plotly_chart")) == 1


def test_lesson_own_setting_changes_every_dot_and_the_tie_follows():
    at = open_page("lesson", lang="en")
    at.radio(key=keys.LESSON_SETTING).set_value("own").run()
    assert t("lesson.right", "en") in [s.value for s in at.success]       # "own" starts from remember
    at.select_slider(key=keys.LESSON_STEP).set_value(2).run()              # a dot
    at.slider(key=keys.lesson_gate("forget")).set_value(0.5).run()
    assert not at.exception
    gates = at.session_state[keys.LESSON_GATES]["gates"]
    assert list(gates["forget"]) == [1.0, 0.5, 0.5, 0.5, 0.5, 1.0]        # every dot alike
    out = L.lesson(gates, L.DEFAULT_DOTS)
    assert f"{out['A']['cell'][-1]:.3g}" in shown(at)
    at.radio(key=keys.LESSON_SETTING).set_value("tie").run()
    at.radio(key=keys.lesson_guess("setting_tie")).set_value(0).run()
    at.button(key="lesson_reveal_setting").click().run()
    at.select_slider(key=keys.LESSON_STEP).set_value(1).run()
    at.slider(key=keys.lesson_gate("forget")).set_value(0.75).run()
    at.run()
    assert not at.exception
    assert at.slider(key=keys.lesson_gate("input")).value == pytest.approx(0.25)   # z^i = 1 − z^f
    assert at.slider(key=keys.lesson_gate("input")).disabled


# ------------------------------------------------------------------ the glossary
@pytest.mark.parametrize("lang", LANGS)
def test_glossary_lists_each_term_in_both_languages(lang):
    at = open_page("glossary", lang=lang)
    assert not at.exception
    text = shown(at)
    for term in ("forget_stage", "memorize_stage", "output_stage", "unit", "cell", "hadamard", "clipping"):
        assert t(f"gl.{term}.term", "en") in text and t(f"gl.{term}.term", "zh") in text
    assert "忘记阶段" in text and "选择记忆阶段" in text and "输出阶段" in text
    assert "| `g` |" in text and "| `n` |" in text                       # PyTorch's letters in the table


@pytest.mark.parametrize("page_id", ["home", "rnn", "lstm_cell", "lesson"])
def test_the_glossary_is_linked_from_every_page(page_id):
    at = open_page(page_id, lang="zh")
    links = [link.proto.page for link in at.sidebar.get("page_link")]
    assert links.count("glossary") == 2            # in the page list, and at the foot of the sidebar


# ------------------------------------------------------------------ links a teacher hands out
@pytest.mark.parametrize("lang", LANGS)
def test_a_link_can_hide_the_sidebar_the_model_the_upload_and_the_input(lang):
    at = open_page("home", lang=lang, hide="sidebar,model,upload,input", seq="abc", mode="chars")
    assert not at.exception
    css = " ".join(h.proto.body for h in at.get("html"))
    assert '[data-testid="stSidebar"]' in css and "display: none" in css
    offered = at.sidebar.radio(key=keys.SOURCE).options
    assert t("model.source.upload", lang) not in offered and t("model.source.preset", lang) in offered
    assert not at.sidebar.expander                                         # the model box is a hidden container
    assert not [a for a in at.text_input if a.key == keys.SEQ]              # the sequence is shown, not editable
    assert t("seq.fixed", lang, mode=t("explorer.mode.chars", lang), text="abc") in shown(at)
    assert at.query_params["hide"] == "sidebar,model,upload,input"        # kept in the link


def test_a_link_can_hide_the_page_list_and_the_language_switch():
    at = open_page("rnn", lang="en", hide="nav,language")
    assert not at.exception
    assert not at.sidebar.get("page_link")
    assert all(r.key != keys.LANG for r in at.sidebar.radio)
    assert at.title[0].value == t("rnn.title", "en")


def test_a_bad_name_to_hide_is_reported_and_the_rest_applies():
    at = open_page("home", lang="zh", hide="model,everything")
    assert not at.exception
    warning = " ".join(w.value for w in at.warning)
    assert "everything" in warning and "sidebar" in warning
    assert at.query_params["hide"] == "model"


def test_without_hide_everything_is_shown():
    at = open_page("home", lang="en")
    assert at.sidebar.expander and t("model.source.upload", "en") in at.sidebar.radio(key=keys.SOURCE).options
    assert "hide" not in at.query_params
    css = " ".join(h.proto.body for h in at.get("html"))
    assert '[data-testid="stSidebar"]' not in css


def test_a_hidden_model_picker_still_runs_the_model_the_link_names():
    at = open_page("home", lang="en", preset="recall_lstm", hide="model,upload")
    assert not at.exception
    assert at.session_state[keys.VIEW].model.preset == "recall_lstm"


@pytest.mark.parametrize("lang", LANGS)
def test_a_picked_example_says_what_its_task_is(lang):
    from ui import model_source
    info = model_source.preset_info()["recall_lstm"]
    at = open_page("home", lang=lang, preset="recall_lstm")
    captions = [c.value for c in at.sidebar.caption]
    assert t("preset.note", lang, note=info["note"][lang]) in captions
