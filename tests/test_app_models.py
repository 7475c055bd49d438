"""Every page that runs a sequence shows the sidebar's model, and names it.

AppTest opens each page with ``?preset=`` for every shipped trained example and
with an uploaded model (the upload is put where the sidebar keeps a file that
loaded: ``keys.GOOD_UPLOAD``; AppTest cannot drive a file picker), in both
languages: no exception, no raw catalogue key, and the line naming the model
(``ui.shown_model.line``) is on the page, with the example's title.
"""
import hashlib

import pytest
from streamlit.testing.v1 import AppTest

import lstm_core
from lstm_core import presets
from ui import app, keys
from ui import shown_model as SM
from ui.i18n import LANGS, t
from ui.state import md_escape

PAGES = ("home", "explorer", "rnn", "memory", "gru", "gates", "lab")
PRESETS = presets.names()


def _texts(at):
    out = []
    for kind in ("title", "subheader", "markdown", "caption", "warning", "error", "info"):
        out += [str(e.value) for e in at.get(kind)]
    return out


def _check(at, lang, names_shown):
    assert not at.exception, [e.value for e in at.exception]
    infos = " ".join(str(e.value) for e in at.info) + " ".join(str(e.value) for e in at.caption)
    lead = t("shown.lead.chosen", lang, who="§").split("§")[0]
    leads = [t(f"shown.lead.{w}", lang, who="§", kind="§", chosen="§").split("§")[0] for w in SM.WHY if w != "random"]
    assert any(x and x in infos for x in leads + [lead]), infos[:300]
    assert any(name in infos for name in names_shown), (names_shown, infos[:300])
    raw = [s for s in _texts(at) if s.startswith(("shown.", "lab.", "pred.", "mem."))]
    assert not raw, raw


def _session(page_id, lang, **params):
    at = AppTest.from_file("../explorer_app.py", default_timeout=240)
    at.query_params["lang"] = lang
    for k, v in params.items():
        at.query_params[k] = str(v)
    at.switch_page(app.page(page_id).path)
    return at


def _titles(name, lang):
    """What the line may name for preset ``name``: its own title, or (another kind asked for) the title of
    the example of the page's kind for the same task — any shipped example's title of that task."""
    task = next(p for p in presets.manifest() if p["name"] == name)
    same = [p["name"] for p in presets.manifest() if p["task"] == task["task"]
            and p.get("params", {}).get("corpus") == task.get("params", {}).get("corpus")]
    return [t(f"preset.{n}", lang) for n in same] + _random(lang)


def _random(lang):
    """The line's words for random weights of each kind (a page whose kind has no trained example here)."""
    return [t("shown.random", lang, cell=k.upper(), hidden="§", seed=0, layers=1).split("§")[0] for k in
            ("rnn", "gru", "lstm")]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", PRESETS)
def test_every_page_runs_a_shipped_example_and_names_it(name, lang):
    at = _session(PAGES[0], lang, preset=name)
    for page_id in PAGES:
        at.switch_page(app.page(page_id).path)
        at.run()
        names = _titles(name, lang)
        if page_id == "lab" and name.startswith("adding"):
            names.append(t(f"preset.{name}", lang))
        _check(at, lang, names)


@pytest.fixture(scope="module")
def uploads(tmp_path_factory):
    """(digest, model, file name) of two files as the sidebar keeps them: a trained example saved and read
    back (it carries its task), and a bare LSTM with an output layer and no task or vocabulary."""
    d = tmp_path_factory.mktemp("up")
    out = {}
    trained = presets.load("recall_gru")
    trained.save(d / "mine.npz")
    bare = lstm_core.LSTM.init(16, 6, seed=3, output_size=4)
    bare.save(d / "bare.npz")
    for key, fname in (("trained", "mine.npz"), ("bare", "bare.npz")):
        data = (d / fname).read_bytes()
        m = lstm_core.load(d / fname)
        out[key] = (hashlib.sha256(data).hexdigest(), m, fname)
    return out


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("which", ["trained", "bare"])
def test_every_page_runs_an_uploaded_model_and_names_it(uploads, which, lang):
    good = uploads[which]
    at = _session(PAGES[0], lang, seq="ABCDEFGHabcdefgh", enc="onehot_sequence")   # 16 tokens: the bare model's width
    at.session_state[keys.GOOD_UPLOAD] = good
    at.session_state[keys.SOURCE] = "upload"
    for page_id in PAGES:
        at.switch_page(app.page(page_id).path)
        at.run()
        names = [md_escape(good[2])] + [t(f"preset.recall_{k}", lang) for k in ("lstm", "rnn", "gru")] + _random(lang)
        _check(at, lang, names)


@pytest.mark.parametrize("name", ["adding_lstm", "temporal_order_gru", "charlm_en_lstm", "recall_rnn"])
def test_every_experiment_of_the_lab_runs(name):
    """The four experiments on a regression (numbers typed), a GRU, a language model and an RNN (which has no
    gates to clamp): each names its sequences, accuracy and chance (or says why it cannot)."""
    lang = "en" if name != "charlm_en_lstm" else "zh"
    at = _session("lab", lang, preset=name)
    at.run()
    _check(at, lang, [t(f"preset.{name}", lang)])
    for exp in ("edit", "rank", "intervene", "patch"):
        at.radio(key=keys.LAB_EXPERIMENT).set_value(exp).run()
        _check(at, lang, [t(f"preset.{name}", lang)])
        shown = " ".join(_texts(at))
        if exp in ("rank", "intervene"):
            assert "256" in shown and "±" in shown, shown[-400:]
        if exp == "intervene":
            kinds = at.radio(key=keys.LAB_IV_KIND).options
            assert len(kinds) == (4 if name.endswith("lstm") else 1)


@pytest.mark.parametrize("lang", LANGS)
def test_the_lab_says_why_an_accuracy_sits_below_chance(lang):
    """The recall RNN scores under chance on the lab's held-out sequences: the ranking and the intervention
    say so, and name the answers it gives instead (measured: lstm_core.causal.answer_shares); a model at
    or above chance gets no such line."""
    from lstm_core import causal, presets
    model = presets.load("recall_rnn")
    batch = causal.heldout(causal.task_of(model))
    s = causal.score(model, batch)
    assert causal.below_chance(s, s["chance"])
    shares = causal.answer_shares(model, batch)
    marker = t("lab.below_chance", lang, acc="", chance="", answers="")[:12]
    for name, below in (("recall_rnn", True), ("recall_lstm", False)):
        at = _session("lab", lang, preset=name)
        at.run()
        for exp in ("rank", "intervene"):
            at.radio(key=keys.LAB_EXPERIMENT).set_value(exp).run()
            shown = " ".join(_texts(at))
            assert (marker in shown) == below, (name, exp)
            if below:
                a, share = shares[0]
                assert f"“{a}” {100 * share:.1f}%" in shown
