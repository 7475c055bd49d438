"""ui.lesson: the first lesson's arithmetic is the LSTM's, and each setting does what the page says."""
import numpy as np
import pytest

import lstm_core
from ui import lesson as L


def lstm_with_clamps(gates, letter, dots):
    """The same stream through lstm_core's LSTM (one unit), every value clamped step by step."""
    z = L.candidates(letter, dots)
    model = lstm_core.LSTM.init(1, 1, seed=0)
    overrides = []
    for t in range(len(z)):
        for name, value in (("forget", gates["forget"][t]), ("input", gates["input"][t]),
                            ("output", gates["output"][t]), ("candidate", z[t])):
            overrides.append(lstm_core.clamp(name, float(value), steps=(t, t + 1)))
    return model.forward(np.zeros((len(z), 1)), overrides=overrides)


@pytest.mark.parametrize("setting", L.SETTINGS)
@pytest.mark.parametrize("letter", list(L.LETTERS))
@pytest.mark.parametrize("dots", [1, 4, 10])
def test_the_lesson_is_the_lstm_arithmetic(setting, letter, dots):
    gates = L.preset(setting, dots)
    mine = L.run(gates, letter, dots)
    trace = lstm_with_clamps(gates, letter, dots)
    np.testing.assert_allclose(mine["cell"], trace["cell"][:, 0], atol=1e-6)
    np.testing.assert_allclose(mine["hidden"], trace["hidden"][:, 0], atol=1e-6)


def test_remember_and_the_tie_answer_both_letters_right_at_any_gap():
    for dots in (1, 4, 20):
        assert L.lesson(L.preset("remember", dots), dots)["right"]
        assert L.lesson(L.preset("tie", dots), dots)["right"]


def test_half_open_gates_and_no_forget_gate_lose_the_letter_b():
    for setting in ("forget", "no_forget"):
        out = L.lesson(L.preset(setting, L.DEFAULT_DOTS), L.DEFAULT_DOTS)
        assert out["A"]["right"] and not out["B"]["right"] and not out["right"]


def test_rules():
    gates = {"forget": [0.2, 0.7], "input": [0.9, 0.9], "output": [2.0, -1.0]}
    tied = L.constrain(gates, "tie")
    np.testing.assert_allclose(tied["input"], [0.8, 0.3])
    np.testing.assert_allclose(tied["output"], [1.0, 0.0])          # clipped into 0..1
    np.testing.assert_allclose(L.constrain(gates, "no_forget")["forget"], [1.0, 1.0])
    with pytest.raises(ValueError):
        L.constrain(gates, "bogus")
    with pytest.raises(ValueError):
        L.preset("bogus", 3)


def test_a_shut_output_gate_cannot_tell_and_a_shut_input_gate_writes_nothing():
    y, idx = L.answer_read(4)
    assert y == 0.5 and idx == 1
    c, idx = L.answer_write(4)
    assert c == 0.0 and idx == 1
    left, idx = L.answer_hold()
    assert left == pytest.approx(0.5 ** 10) and idx == 2
    out = L.run(L.set_step(L.preset("remember", 4), 5, {"output": 0.0}), "A", 4)
    assert out["answer"] is None and not out["right"]


def test_set_step_and_resize():
    g = L.preset("remember", 4)
    h = L.set_step(g, 2, {"forget": 0.5}, every_dot=True)
    np.testing.assert_allclose(h["forget"], [1, 0.5, 0.5, 0.5, 0.5, 1])
    np.testing.assert_allclose(g["forget"], np.ones(6))              # the original is untouched
    k = L.set_step(g, 2, {"forget": 0.5})
    np.testing.assert_allclose(k["forget"], [1, 1, 0.5, 1, 1, 1])
    r = L.resize(h, 2)
    np.testing.assert_allclose(r["forget"], [1, 0.5, 0.5, 1])
    assert len(L.resize(h, 10)["input"]) == 12
    assert L.kept(0.5, 10) == pytest.approx(0.0009765625)
