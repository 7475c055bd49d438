"""The corpus view: lstm_core.corpus (run, top contexts, pattern search, .npz), ui.corpus_view,
and the page in AppTest with an uploaded character model, in both languages."""
import io
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import lstm_core
from lstm_core import corpus
from ui import corpus_view
from ui.errors import Problem
from ui.i18n import t

GOLD = Path(__file__).resolve().parent / "golden" / "practitioner"


# ------------------------------------------------------------------ lstm_core.corpus
@pytest.mark.parametrize("cls", [lstm_core.LSTM, lstm_core.GRU, lstm_core.RNN])
def test_a_corpus_read_in_chunks_equals_one_forward_pass(cls):
    m = cls.init(5, 6, num_layers=2, seed=1)
    ids = np.random.default_rng(0).integers(0, 5, 300)
    seen = []
    s = corpus.run(m, ids, chunk=64, progress=lambda d, n: seen.append((d, n)))
    assert s.states.dtype == np.float16 and s.states.shape == (300, 6)
    assert np.abs(s.states.astype(float) - m.forward(ids)["hidden"]).max() < 1e-3   # float16's rounding
    assert seen[-1] == (300, 300) and len(seen) == 5
    first = corpus.run(m, ids, layer=0, chunk=64)
    assert np.abs(first.states.astype(float) - m.forward(ids).layers[0]["hidden"]).max() < 1e-3


def test_segments_start_from_zero_and_bidirectional_models_read_each_segment_whole():
    m = lstm_core.LSTM.init(4, 3, seed=2, bidirectional=True)
    ids = np.random.default_rng(1).integers(0, 4, 50)
    s = corpus.run(m, ids, starts=[0, 20])
    want = np.concatenate([m.forward(ids[:20])["hidden"], m.forward(ids[20:])["hidden"]])
    assert s.directions == 2 and s.states.shape == (50, 6) and np.abs(s.states - want).max() < 1e-3
    one = lstm_core.GRU.init(4, 3, seed=2)
    s = corpus.run(one, ids, starts=[20], chunk=7)
    want = np.concatenate([one.forward(ids[:20])["hidden"], one.forward(ids[20:])["hidden"]])
    assert np.abs(s.states - want).max() < 1e-3


def test_the_size_limit_is_named_before_any_work():
    with pytest.raises(ValueError, match=r"at most 134,217,728 \(256 MiB in float16\)"):
        corpus.check_size(2_000_000, 128)
    corpus.check_size(1_000_000, 128)


def planted():
    """States where units 1 and 3 are on over steps 100..104 and 500..504, unit 1 alone at 800..804."""
    S = np.full((1000, 8), -0.5, np.float16)
    S[100:105, [1, 3]] = 0.9
    S[500:505, [1, 3, 6]] = 0.9
    S[800:805, 1] = 0.9
    return corpus.States(S, np.zeros(1000, np.int32), (0,), 0)


def test_pattern_search_ranks_by_the_match_of_units_on():
    s = planted()
    on = np.zeros(8, bool)
    on[[1, 3]] = True
    found = corpus.search(s, on, 5, 0.5)
    assert found[0] == (100, 1.0, 2, 0)
    assert found[1][0] == 500 and found[1][1] == pytest.approx(2 / 3) and found[1][3] == 1
    assert found[2][0] == 800 and found[2][1] == pytest.approx(0.5)
    assert all(abs(a[0] - b[0]) >= 5 for a in found for b in found if a is not b)
    with pytest.raises(ValueError, match="no unit is on"):
        corpus.search(s, np.zeros(8, bool), 5, 0.5)
    assert corpus.units_on(np.array([[0.9, 0.1], [0.8, 0.9]]), 0.5).tolist() == [True, False]


def test_top_contexts_are_the_largest_values_spaced_apart():
    s = planted()
    top = corpus.top_contexts(s, 6, k=3, spacing=40)
    assert top[0][0] in range(500, 505) and len(top) == 3
    assert all(abs(a[0] - b[0]) >= 40 for a in top for b in top if a is not b)


def test_npz_holds_the_states():
    s = planted()
    with np.load(io.BytesIO(corpus.npz(s, ["a", "b"]))) as f:
        assert f["states"].dtype == np.float16 and f["states"].shape == (1000, 8)
        assert list(f["vocab"]) == ["a", "b"] and int(f["layer"]) == 0


# ------------------------------------------------------------------ ui.corpus_view
def test_tokens_ids_and_unknown_tokens():
    toks = corpus_view.tokenize("ab\nba z", "chars")
    assert toks.distinct == ("a", "b", "\n", " ", "z") and toks.index.tolist() == [0, 1, 2, 1, 0, 3, 4]
    assert toks.starts == (0, 3)
    m = lstm_core.load(GOLD / "charlm_gru.npz")         # vocabulary "abcdefgh \n." + <unk>
    got = corpus_view.model_inputs(m, toks)
    assert got.ids.tolist() == [0, 1, 9, 1, 0, 8, 11] and got.unknown == ("z",) and got.table is None
    no_unk = m.with_vocab(list("abcdefgh \n.#"))
    with pytest.raises(Problem) as e:
        corpus_view.model_inputs(no_unk, toks)
    assert e.value.key == "input.err.unknown_tokens" and "“z”" in e.value.params["tokens"]
    gen = corpus_view.model_inputs(lstm_core.LSTM.init(16, 4), toks)
    assert gen.table.shape == (5, 16)
    with pytest.raises(Problem) as e:
        corpus_view.read_corpus("x" * 1_000_001)
    assert e.value.key == "corpus.too_big"
    words = corpus_view.tokenize("the film\nwas good", "words")
    assert words.distinct == ("the", "film", "was", "good") and words.starts == (0, 2)


def test_context_html_colours_and_outlines():
    toks = corpus_view.tokenize("abc", "chars")
    h = corpus_view.context_html(toks.distinct, toks.index, np.array([1.0, 0.0, -1.0]), 1)
    assert h.count("<span") == 3 and "outline" in h and "#ff5041" in h and "#417dff" in h   # red, blue


# ------------------------------------------------------------------ the page
def page(lang):
    at = AppTest.from_file("../explorer_app.py", default_timeout=120)
    at.query_params["lang"] = lang
    at.query_params["seq"] = "abc abc"
    at.switch_page("pages/corpus.py")
    at.run()
    at.radio(key="w_source").set_value("upload").run()
    at.file_uploader(key="w_upload").set_value(("charlm_gru.npz", (GOLD / "charlm_gru.npz").read_bytes(),
                                                "application/octet-stream"))
    at.file_uploader(key="w_upload_vocab").set_value(("charlm_gru.vocab.json",
                                                      (GOLD / "charlm_gru.vocab.json").read_bytes(), "text/plain"))
    return at.run()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_corpus_page_runs_a_model_over_a_text_and_searches_it(lang):
    at = page(lang)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == t("corpus.title", lang)
    at.text_area(key="w_corpus_text").input(("abc cab bad face. " * 200) + "\nhead bag.").run()
    at.button(key="b_corpus_run").click().run()
    assert not at.exception, [e.value for e in at.exception]
    kept = at.session_state["corpus_run"]
    assert kept[2].states.shape == (3610, 7) and kept[3] == ()
    assert t("corpus.top.title", lang) in [s.value for s in at.subheader]
    assert any(t("corpus.search.on", lang, span="abc", n=0, units="")[:6] in str(m.value) for m in at.markdown)
    at.slider(key="w_corpus_thr").set_value(-0.9).run()
    assert not at.exception
    assert at.get("download_button")


def test_the_corpus_page_refuses_a_text_past_the_limit():
    at = page("en")
    at.text_area(key="w_corpus_text").input("a" * 1_000_001).run()
    at.button(key="b_corpus_run").click().run()
    assert t("corpus.too_big", "en", size="1,000,001", limit="1,000,000") in [e.value for e in at.error]
