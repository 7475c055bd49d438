"""AppTest runs of the explorer with a practitioner's own model: upload weights and a vocabulary,
type in the model's tokens, see both directions and the head's prediction; in both languages.
The pure parts (ui.upload, ui.practitioner_view) are tested as plain functions."""
import json
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

import lstm_core
from lstm_core.files import writer
from ui import practitioner_view as pv
from ui import predictions, upload
from ui.errors import Problem
from ui.i18n import t
from ui.state import md_escape

GOLD = Path(__file__).resolve().parent / "golden" / "practitioner"


def session(**params):
    at = AppTest.from_file("../explorer_app.py", default_timeout=90)
    for k, v in params.items():
        at.query_params[k] = str(v)
    at.switch_page("pages/explorer.py")
    return at.run()


def text_of(at):
    out = []
    for kind in ("markdown", "caption", "warning", "error", "info", "expander"):
        for e in at.get(kind):
            out.append(str(getattr(e, "label", None) or getattr(e, "value", "")))
    return " ".join(out)


def clean(at):
    assert not at.exception, [e.value for e in at.exception]


def give(at, weights, vocab=None):
    at.radio(key="w_source").set_value("upload").run()
    at.file_uploader(key="w_upload").set_value((weights.name, weights.read_bytes(), "application/octet-stream"))
    if vocab is not None:
        at.file_uploader(key="w_upload_vocab").set_value((vocab.name, vocab.read_bytes(), "text/plain"))
    return at.run()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_bidirectional_classifier_with_its_vocabulary_in_the_file(lang):
    at = session(seq="the film was not good .", mode="words", lang=lang)
    give(at, GOLD / "sentiment_bilstm.safetensors")
    clean(at)
    run = at.session_state["good_run"]
    assert run.trace.directions == 2 and run.trace.hidden_size == 12 and run.encoded.encoding == "onehot_model"
    assert run.encoded.ids == (2, 3, 4, 5, 6, 19)
    seen = text_of(at)
    assert t("vocab.panel", lang, n="20", tokenizer=t("vocab.tokenizer.words", lang), unk=md_escape("<unk>")) in seen
    assert t("vocab.directions", lang, h_last=5) in seen
    model = at.session_state["good_upload"][1]
    top, _ = predictions.for_player(model, run.trace, run.tokens)   # what the player shows per step
    assert len(top) == 6 and len(top[-1]) == 3 and abs(sum(p for _, p in top[-1]) - 1) < 1e-5


def test_unknown_words_are_marked_and_read_as_the_unknown_token():
    at = session(seq="the popcorn was good", mode="words", lang="en")
    give(at, GOLD / "sentiment_bilstm.safetensors")
    clean(at)
    run = at.session_state["good_run"]
    assert run.encoded.unknown == ("popcorn",) and run.encoded.ids[1] == 1
    assert "popcorn" in " ".join(str(w.value) for w in at.warning)


def test_a_char_lm_with_a_sidecar_vocabulary_uploaded_beside_it_predicts_the_next_character():
    at = session(seq="abc abc", mode="chars", lang="en")
    give(at, GOLD / "charlm_gru.npz", GOLD / "charlm_gru.vocab.json")
    clean(at)
    run = at.session_state["good_run"]
    assert run.trace.cell == "gru" and run.encoded.ids[:3] == (0, 1, 2)
    model = at.session_state["good_upload"][1]
    top, _ = predictions.for_player(model, run.trace, run.tokens)   # the next character, top 5
    assert len(top[0]) == 5 and top[0][0][1] >= top[0][1][1]
    assert at.session_state["good_upload"][2] == "charlm_gru.npz + charlm_gru.vocab.json"


def test_a_model_without_a_vocabulary_says_so_and_runs_once_its_alphabet_is_typed():
    model = lstm_core.LSTM.init(5, 4, seed=0)          # trained on one-hot over "abcd "
    path = Path(__file__).resolve().parent / "_novocab.npz"
    path.write_bytes(writer.dumps(model, "npz"))
    try:
        at = session(seq="abba cab", mode="chars", lang="en")
        give(at, path)
        clean(at)
        assert any("came without a vocabulary" in str(w.value) for w in at.warning)
        assert at.session_state.get("good_run") is None or at.session_state["good_run"].trace.hidden_size != 4
        at.text_input(key="w_vocab_typed").input("abcd").run()          # one short
        assert t("vocab.typed_size", "en", found=4, want=5) in " ".join(str(e.value) for e in at.error)
        at.text_input(key="w_vocab_typed").input("abcd ").run()
        clean(at)
        run = at.session_state["good_run"]
        assert run.trace.hidden_size == 4 and run.encoded.ids == (0, 1, 1, 0, 4, 2, 0, 1)
        assert not any("came without a vocabulary" in str(w.value) for w in at.warning)
    finally:
        path.unlink()


# ------------------------------------------------------------------ pure parts
def test_load_files_and_the_typed_alphabet():
    data = (GOLD / "charlm_gru.npz").read_bytes()
    vocab = (GOLD / "charlm_gru.vocab.json").read_bytes()
    d1, m1, label = upload.load_files(("lm.npz", data), ("lm.vocab.json", vocab))
    d0, m0, _ = upload.load_files(("lm.npz", data))
    assert d0 != d1 and m1.vocab and m0.vocab is None and label == "lm.npz + lm.vocab.json"
    assert upload.needs_vocab(m0) and not upload.needs_vocab(m1)
    good = upload.with_alphabet((d0, m0, "lm.npz"), "abcdefgh \\n.X")
    assert good[1].vocab[9] == "\n" and good[0] != d0
    with pytest.raises(Problem) as e:
        upload.with_alphabet((d0, m0, "lm.npz"), "abc")
    assert e.value.key == "vocab.typed_size" and e.value.params == {"found": 3, "want": 12}
    with pytest.raises(Problem, match=""):
        upload.with_alphabet((d0, m0, "lm.npz"), "aacdefgh \\n.X")
    with pytest.raises(ValueError, match="never opened"):
        upload.load_files(("model.pt", b"\x80\x04"))
    assert upload.kind_of_head(m1) == "lm"
    assert upload.kind_of_head(lstm_core.load(GOLD / "sentiment_bilstm.safetensors")) == "classifier"


def test_vocab_html_direction_labels_and_predictions():
    html = pv.vocab_html(["a", " ", "<unk>"], unknown=("z",), unk=2)
    assert '<span class="unk" title="2">&lt;unk&gt;</span>' in html and "␣" in html and ">z</span>" in html
    assert "… +5" in pv.vocab_html([str(i) for i in range(10)], limit=5)
    assert [pv.unit_label(u, 8, 2) for u in (0, 3, 4, 7)] == ["→0", "→3", "←0", "←3"]
    assert pv.unit_label(5, 8, 1) == "5"
    fig = go.Figure(go.Heatmap(z=np.zeros((4, 2)), y=["0", "1", "2", "3"]))
    assert list(pv.label_directions(fig, 4).data[0].y) == ["→0", "→1", "←0", "←1"]
    assert list(pv.label_directions(fig, 4).data[0].y) == ["→0", "→1", "←0", "←1"]    # twice: the same


def test_every_new_catalogue_key_exists_in_both_languages():
    from ui.locales import practitioner
    assert practitioner.EN.keys() == practitioner.ZH.keys()
    for k in practitioner.EN:
        assert t(k, "zh") != k and t(k, "en") != k
    assert json.dumps(practitioner.ZH, ensure_ascii=False).count("{") == json.dumps(practitioner.EN).count("{")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_uploader_says_what_it_takes_and_its_own_limit(lang):
    """The instructions drawn in each file uploader (ui.app.page_css): the weights' box names .npz and
    .safetensors, the vocabulary's .json or one token a line, the corpus page's text box a UTF-8 text of
    at most 1 MB — never the weights' formats or the server's 64 MB. (In a browser: tests/e2e.)"""
    import re

    from lstm_core import corpus
    from ui import app, keys
    css = app.page_css((), lang)
    said = dict(re.findall(r'\.st-key-(\w+) [^{]*::after \{content: "([^"]*)";\}', css))
    assert set(said) == {keys.UPLOAD, keys.UPLOAD_VOCAB, keys.CORPUS_UPLOAD}
    assert said[keys.CORPUS_UPLOAD] == t("upload.instructions.corpus", lang, mb=f"{corpus.MAX_BYTES / 1e6:g}")
    assert "1 MB" in said[keys.CORPUS_UPLOAD] and "UTF-8" in said[keys.CORPUS_UPLOAD]
    assert ".npz" not in said[keys.CORPUS_UPLOAD] and "safetensors" not in said[keys.CORPUS_UPLOAD]
    assert ".npz" in said[keys.UPLOAD] and ".safetensors" in said[keys.UPLOAD] and "64 MB" in said[keys.UPLOAD]
    assert ".json" in said[keys.UPLOAD_VOCAB] and "20 MB" in said[keys.UPLOAD_VOCAB]
    at = AppTest.from_file("../explorer_app.py", default_timeout=90)
    at.query_params["lang"] = lang
    at.switch_page("pages/corpus.py")
    at.run()
    clean(at)
    assert any(said[keys.CORPUS_UPLOAD] in str(h.proto.body) for h in at.get("html"))   # the page sends it
