"""Session isolation: two AppTest sessions in one process (sharing the caches, as
on one server) with different sequences, models and uploads never see each
other's data; shared cached results are read-only."""
from pathlib import Path

import numpy as np
import pytest
from apptest_tools import player_data
from streamlit.testing.v1 import AppTest

import lstm_core
from lstm_core.files import writer

ROOT = Path(__file__).resolve().parents[1]


def session(**params):
    at = AppTest.from_file("../explorer_app.py", default_timeout=90)
    for k, v in params.items():
        at.query_params[k] = str(v)
    at.switch_page("pages/explorer.py")
    return at.run()


def seen(at):
    """Everything a reader of the page can see as text."""
    out = []
    for kind in ("title", "markdown", "caption", "warning", "error", "info", "subheader", "text_area"):
        out += [str(e.value) for e in at.get(kind)]
    return " ".join(out)


def player_at(at):
    """(the step the trace player was handed, its tokens joined) — stepping itself happens in the browser."""
    data = player_data(at)
    return data["t"], "".join(data["tokens"])


def clean(at):
    assert not at.exception, [e.value for e in at.exception]


def upload_bytes(cell, hidden, seed, vocab):
    model = lstm_core.CELLS[cell].init(len(vocab), hidden, seed=seed)
    return writer.dumps(model, "npz", meta={"vocab": list(vocab)})


def test_two_sessions_with_different_sequences_and_models():
    a = session(seq="alpha ALPHA-ONLY", cell="gru", hidden=8, t=3, lang="en")
    b = session(seq="베타 BETA-ONLY 你好", mode="words", cell="rnn", hidden=5, layers=2, t=2, lang="zh")
    for _ in range(2):                          # interleave reruns of both sessions
        a.run()
        b.run()
    for at in (a, b):
        clean(at)
    ra, rb = a.session_state["good_run"], b.session_state["good_run"]
    assert "".join(ra.tokens) == "alpha ALPHA-ONLY" and ra.trace.cell == "gru" and ra.trace.hidden_size == 8
    assert rb.tokens == ("베타", "BETA-ONLY", "你", "好") and rb.trace.cell == "rnn"
    assert rb.trace.num_layers == 2 and rb.trace.hidden_size == 5
    assert player_at(a) == (3, "alpha␣ALPHA-ONLY") and player_at(b) == (2, "베타BETA-ONLY你好")   # each its own step
    assert a.query_params["seq"] == "alpha ALPHA-ONLY" and b.query_params["seq"] == "베타 BETA-ONLY 你好"
    assert a.query_params["lang"] == "en" and b.query_params["lang"] == "zh"
    assert "BETA-ONLY" not in seen(a) and "베타" not in seen(a)
    assert "ALPHA-ONLY" not in seen(b)


def test_typing_in_one_session_does_not_reach_the_other():
    a = session(seq="first text", lang="en")
    b = session(seq="second text", lang="en")
    a.text_area(key="w_seq").input("changed in A only").run()
    b.run()
    clean(a), clean(b)
    assert b.text_area(key="w_seq").value == "second text"
    assert "".join(b.session_state["good_run"].tokens) == "second text"
    assert "".join(a.session_state["good_run"].tokens) == "changed in A only"
    assert b.query_params["seq"] == "second text"


def test_uploads_stay_in_their_session():
    vocab_a, vocab_b = tuple("abc"), tuple("xyz")
    a = session(seq="abcabc", lang="en", enc="onehot_model")
    b = session(seq="xyzzy", lang="en")
    a.radio(key="w_source").set_value("upload").run()
    a.file_uploader(key="w_upload").set_value(("a.npz", upload_bytes("gru", 6, 1, vocab_a),
                                                "application/octet-stream"))
    a.run()
    clean(a)
    assert a.session_state["good_upload"][2] == "a.npz"
    ra = a.session_state["good_run"]
    assert ra.trace.cell == "gru" and ra.trace.hidden_size == 6

    b.run()
    clean(b)
    assert "good_upload" not in b.session_state
    assert b.session_state["good_run"].trace.cell == "lstm"          # B still has its generated model
    assert "a.npz" not in seen(b)

    b.radio(key="w_source").set_value("upload").run()
    assert "good_upload" not in b.session_state                       # B must upload its own file
    b.file_uploader(key="w_upload").set_value(("b.npz", upload_bytes("rnn", 3, 2, vocab_b),
                                                "application/octet-stream"))
    b.run()
    a.run()
    clean(a), clean(b)
    assert b.session_state["good_upload"][2] == "b.npz" and a.session_state["good_upload"][2] == "a.npz"
    assert b.session_state["good_run"].trace.cell == "rnn"
    assert a.session_state["good_run"].trace.cell == "gru"
    assert "b.npz" not in seen(a) and "a.npz" not in seen(b)


def test_same_input_shares_one_read_only_result():
    """Equal inputs may share a cached Run (same spec, text, mode, encoding); nobody can change it."""
    a = session(seq="shared words", lang="en")
    b = session(seq="shared words", lang="zh")
    ra, rb = a.session_state["good_run"], b.session_state["good_run"]
    np.testing.assert_array_equal(ra.trace["hidden"], rb.trace["hidden"])
    for layer in ra.trace.layers:
        for name, values in layer.items():
            assert not np.asarray(values).flags.writeable, name
            with pytest.raises((ValueError, TypeError)):
                values[0, 0] = 1.0


def test_shared_inputs_are_read_only_too():
    a = session(seq="shared input", lang="en")
    b = session(seq="shared input", lang="zh")
    ra, rb = a.session_state["good_run"], b.session_state["good_run"]
    assert ra is rb                                   # one cached Run for both sessions
    assert not ra.encoded.X.flags.writeable


@pytest.mark.parametrize("page", ["explorer_app.py", "pages/rnn.py", "pages/lstm_cell.py", "pages/memory.py",
                                  "pages/gru.py", "pages/gates.py"])
def test_pages_keep_sequences_apart(page):
    if not (ROOT / page).exists():
        pytest.skip(f"{page} does not exist yet")
    a = AppTest.from_file("../explorer_app.py", default_timeout=120)
    b = AppTest.from_file("../explorer_app.py", default_timeout=120)
    a.query_params.update(seq="AAA one", lang="en")
    b.query_params.update(seq="BBB two", lang="en")
    for at in (a, b):
        if page != "explorer_app.py":
            at.switch_page(page)
        at.run()
    clean(a), clean(b)
    key = "w_seq"
    if key in a.session_state:                        # pages without a sequence box still must not mix URLs
        assert a.session_state[key] == "AAA one" and b.session_state[key] == "BBB two"
    assert a.query_params["seq"] == "AAA one" and b.query_params["seq"] == "BBB two"
    assert "BBB" not in seen(a) and "AAA" not in seen(b)
