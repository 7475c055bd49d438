"""ui.shown_model: which model a page shows (``pick``), and the line that names it (``line``)."""
import lstm_core
from lstm_core import presets
from ui import shown_model as SM
from ui.i18n import LANGS, t
from ui.state import ModelSpec

MANIFEST = presets.manifest()


def _model(kind, task=None):
    m = lstm_core.CELLS[kind].init(4, 3, seed=0, output_size=2)
    if task:
        m.meta["task"] = dict(task)
    return m


def test_a_model_of_the_page_kind_is_shown_as_it_is():
    m = _model("lstm", {"name": "recall", "gap": 100, "symbols": 8})
    p = SM.pick(ModelSpec("lstm", 3, preset="recall_lstm"), m, ("lstm", "gru"), MANIFEST)
    assert p.why == "chosen" and p.spec.preset == "recall_lstm"


def test_another_kind_gets_the_shipped_example_of_the_page_kind_for_the_same_task():
    m = _model("lstm", {"name": "recall", "gap": 100, "symbols": 8})
    p = SM.pick(ModelSpec("lstm", 32, preset="recall_lstm"), m, ("rnn",), MANIFEST)
    assert (p.why, p.spec.preset, p.spec.cell, p.chosen_cell) == ("own_kind", "recall_rnn", "rnn", "lstm")
    lm = _model("lstm", {"name": "charlm", "corpus": "zh"})
    assert SM.pick(ModelSpec("lstm"), lm, ("gru",), MANIFEST).why == "no_trained"        # no GRU language model
    assert SM.preset_for({"name": "charlm", "corpus": "zh"}, "lstm", MANIFEST) == "charlm_zh_lstm"
    assert SM.preset_for({"name": "charlm", "corpus": "en"}, "lstm", MANIFEST) == "charlm_en_lstm"
    assert SM.preset_for({}, "lstm", MANIFEST) == ""


def test_random_weights_open_the_page_default_unless_switched_off():
    spec = ModelSpec("rnn", 8, seed=4)
    p = SM.pick(spec, None, ("lstm", "gru"), MANIFEST, default="charlm_en_lstm")
    assert (p.why, p.spec.preset, p.spec.cell) == ("default", "charlm_en_lstm", "lstm")
    p = SM.pick(spec, None, ("lstm", "gru"), MANIFEST, default="charlm_en_lstm", use_default=False)
    assert (p.why, p.spec.cell, p.spec.hidden, p.spec.seed) == ("random", "lstm", 8, 4)   # the page's kind


def test_the_line_names_source_task_cell_size_and_accuracy_in_both_languages():
    info = next(p for p in MANIFEST if p["name"] == "recall_rnn")
    m = presets.load("recall_rnn")
    for lang in LANGS:
        title = t("preset.recall_rnn", lang)
        own = SM.line(SM.Pick(ModelSpec("rnn", preset="recall_rnn"), "own_kind", "lstm"), m, lang, info=info,
                      title=title)
        assert title in own and "H = 32" in own and f"{100 * info['accuracy']:.1f}%" in own
        assert f"{100 * info['chance']:.1f}%" in own and "LSTM" in own and "RNN" in own
        up = SM.line(SM.Pick(ModelSpec("lstm", upload="ab"), "chosen"), _model("lstm"), lang, upload_name="w.npz")
        assert "w\\.npz" in up and t("shown.no_task", lang) in up
        rnd = SM.line(SM.Pick(ModelSpec("gru", 7, seed=3), "random"), None, lang)
        assert "GRU" in rnd and "7" in rnd and "3" in rnd
        trained = SM.line(SM.Pick(ModelSpec("lstm", trained="x"), "chosen"), _model("lstm", {"name": "parity"}), lang,
                          trained={"accuracy": 0.5, "chance": 0.25})
        assert t("task.parity", lang) in trained and "50.0%" in trained and "25.0%" in trained


def test_a_language_model_is_scored_on_the_text_it_never_saw():
    info = {"accuracy": 0.95, "chance": 0.19, "heldout_accuracy": 0.39, "heldout_chance": 0.2}
    text = SM.line(SM.Pick(ModelSpec("lstm", preset="charlm_en_lstm"), "chosen"), _model("lstm"), "en", info=info)
    assert "39.0% on a text it never saw" in text and "95.0% on its training text" in text
