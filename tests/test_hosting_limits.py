"""Limits a hosted demo needs that one link or one text box must not get past.

Each test states the bound it wants; ``xfail(strict=True)`` marks a hole that
lives in another engineer's file (reported to the lead with the fix), so the
suite turns red the moment it is fixed and the mark can go.
"""
import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import lstm_core
from ui import model_source, parsing, state
from ui.errors import Problem

# A generated model may hold at most this many parameters (float32: 80 MB; the
# largest legitimate one, H=512, L=4, I=2000 one-hot, is ~10.6 M).
PARAM_BUDGET = 20_000_000


def generated_params(cell, input_size, hidden, layers):
    """Parameter count of a generated model (no output layer): gates·H·(I + H + 2) + (L−1)·gates·H·(2H + 2)."""
    gates = {"lstm": 4, "gru": 3, "rnn": 1}[cell]
    return gates * hidden * (input_size + hidden + 2) + (layers - 1) * gates * hidden * (2 * hidden + 2)


@pytest.fixture
def no_big_models(monkeypatch):
    """Fail instead of allocating when compute asks for a model past the budget."""
    asked = []

    def guarded(cell, input_size, hidden, layers, seed, forget_bias, dtype=np.float32):
        n = generated_params(cell, input_size, hidden, layers)
        asked.append(n)
        if n > PARAM_BUDGET:
            raise AssertionError(f"compute built a {n:,}-parameter model (I={input_size}, H={hidden}, L={layers})")
        return lstm_core.CELLS[cell].init(input_size, hidden, num_layers=layers, seed=seed,
                                          forget_bias=forget_bias, dtype=dtype)

    monkeypatch.setattr(model_source, "generated_model", guarded)
    return asked


def test_param_formula_matches_the_core():
    for cell in ("lstm", "gru", "rnn"):
        m = lstm_core.CELLS[cell].init(7, 5, num_layers=3, seed=0)
        assert m.param_count() == generated_params(cell, 7, 5, 3)


def test_largest_legitimate_models_fit(no_big_models):
    """Every control at its maximum, with text a user can type, stays within the budget."""
    for layers, steps in ((1, model_source.MAX_WORK // 512), (4, model_source.MAX_WORK // 2048)):
        spec = state.ModelSpec("lstm", 512, layers)
        text = "".join(chr(0x4E00 + i) for i in range(min(steps, parsing.MAX_TOKENS)))   # all distinct
        for enc in ("embedding", "onehot_sequence"):
            model_source.compute(spec, text, "chars", enc)
    assert no_big_models and max(no_big_models) <= PARAM_BUDGET


def test_wide_typed_vectors_are_refused_before_the_model_is_built(no_big_models):
    text = ",".join(["1"] * 24_000) + ";"            # 48,000 characters: fits in a URL's seq (MAX_SEQ_CHARS)
    assert len(text) <= state.MAX_SEQ_CHARS
    spec = state.ModelSpec("lstm", 512, 4)
    with pytest.raises(Problem):
        model_source.compute(spec, text, "numbers", "embedding")


def test_too_many_steps_are_refused_before_the_model_is_built(no_big_models):
    spec = state.ModelSpec("lstm", 512, 4)
    with pytest.raises(Problem):
        model_source.compute(spec, "a" * 1000, "chars", "embedding")
    assert not no_big_models


# ------------------------------------------------------------------ what a shared link can put on the page
def test_url_values_are_not_rendered_as_markdown():
    at = AppTest.from_file("../explorer_app.py", default_timeout=60)
    at.query_params["lang"] = "[Log in](https://e.vil/x)"
    at.query_params["cell"] = "![a](https://e.vil/p.png)"
    at.switch_page("pages/explorer.py")
    at.run()
    assert not at.exception
    shown = " ".join(w.value for w in at.warning)
    assert "lang=" in shown and "cell=" in shown
    assert "](" not in shown, shown


# ------------------------------------------------------------------ teaching pages: the influence view
INFLUENCE_BYTES = 200_000_000     # peak of the batched trace in lstm_core.analysis.influence_matrix
INFLUENCE_WORK = 10_000_000_000   # ≈ (T/G)·T·(G·H)·H² multiply-adds: ~10 s of one core


def influence_cost(T, H, I, batch_rows=128):
    """(peak bytes, work) of ``analysis.influence_matrix`` for T steps, H units, I inputs (float64).

    It runs G·H copies of the sequence (G = max(1, min(T, 128 // H))): the trace holds
    ~3 arrays of T × G·H × H, d_hidden one more; T/G backward passes of T steps each.
    """
    G = max(1, min(T, batch_rows // H))
    return 8 * T * G * H * (4 * H + I), -(-T // G) * T * G * H * H * H


@pytest.fixture
def cheap_influence(monkeypatch):
    """Refuse (instead of running) an influence computation past the budget."""
    from lstm_core import analysis
    real, asked = analysis.first_token_influence, []

    def guarded(model, xs):
        nbytes, work = influence_cost(len(xs), model.hidden_size, model.input_size)
        asked.append((len(xs), model.hidden_size, nbytes, work))
        if nbytes > INFLUENCE_BYTES or work > INFLUENCE_WORK:
            raise AssertionError(f"influence for T={len(xs)}, H={model.hidden_size}: "
                                 f"{nbytes / 1e6:.0f} MB, {work:.1e} multiply-adds")
        return real(model, xs)

    monkeypatch.setattr(analysis, "first_token_influence", guarded)
    return asked


def test_influence_cost_of_the_default_view_is_small():
    nbytes, work = influence_cost(T=40, H=16, I=16)
    assert nbytes < 10e6 and work < 1e8


def test_rnn_page_keeps_the_influence_view_within_budget(cheap_influence):
    seq = " ".join(f"w{i}" for i in range(150))      # words mode: 150 tokens, the page keeps MAX_STEPS
    at = AppTest.from_file("../explorer_app.py", default_timeout=120)
    at.query_params.update(seq=seq, mode="words", hidden="512", seed="987654", lang="en")
    at.switch_page("pages/rnn.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception][:1]


# ------------------------------------------------------------------ exports
def test_csv_export_memory_is_a_small_multiple_of_its_size():
    import tracemalloc

    spec = state.ModelSpec("lstm", 128, 1)
    run = model_source.compute(spec, "".join(chr(0x4E00 + i) for i in range(200)), "chars", "embedding")
    tracemalloc.start()
    try:
        out = model_source.trace_csv_bytes(run)           # what the page's download button sends
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert out.count(b"\n") == 1 + model_source.csv_rows(run) == 1 + 200 * 128 * len(run.trace.layers[0])
    assert peak <= 3 * len(out), f"peak {peak / 1e6:.0f} MB for a {len(out) / 1e6:.0f} MB CSV"


def test_csv_export_is_capped_below_the_memory_limit():
    """The largest CSV the page offers (CSV_MAX_ROWS rows of ≤ ~45 bytes, peak ~2×) stays far below 690 MB."""
    assert model_source.CSV_MAX_ROWS * 45 * 3 < 400e6
