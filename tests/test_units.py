"""Interpretable-unit finder."""
import numpy as np
import pytest

from lstm_core import LSTM, RNN
from lstm_core.training.tasks import make_task
from lstm_core.training.trainer import Trainer
from lstm_core.training.units import correlations, find_units, memory_units, separation


def test_correlations_known_values():
    z = np.arange(10.0)
    v = np.stack([2 * z + 1, -z, np.ones(10), np.sin(z)], 1)
    r = correlations(v, z)
    np.testing.assert_allclose(r[:3], [1, -1, 0], atol=1e-12)
    assert abs(r[3]) < 1


def test_finds_a_planted_counter():
    """A hand-set RNN whose unit 2 adds +1 for "(" and −1 for ")" (linear, small)."""
    m = RNN.init(input_size=3, hidden_size=4, seed=0, nonlinearity="relu")
    p = m.params
    p["weight_hh_l0"][:] = 0
    p["weight_ih_l0"][:] = np.random.default_rng(0).normal(0, 0.01, (4, 3))
    p["bias_ih_l0"][:] = 0
    p["bias_hh_l0"][:] = 0
    p["weight_hh_l0"][2, 2] = 1.0
    p["weight_ih_l0"][2] = [0.1, -0.1, 0.0]
    t = make_task("brackets", length=20, max_depth=4)
    b = t.sample(np.random.default_rng(0), 32)
    f = find_units(m, inputs=b.inputs[..., [0, 1, 2]], latent=b.latent)
    assert f["best"] == 2 and f["r"] > 0.99 and f["value"] == "hidden"
    assert [u for u, _ in f["ranking"]][0] == 2 and len(f["ranking"]) == 4


def test_trained_bracket_lstm_has_a_depth_unit():
    t = make_task("brackets", length=20, max_depth=4)
    tr = Trainer(t, hidden=8, seed=0, lr=0.02)
    tr.fit(250)
    f = find_units(tr.model, t, n=64)
    assert f["value"] == "cell" and abs(f["r"]) > 0.8 and f["latent"] == "bracket depth"


def test_bad_value_name():
    m = LSTM.init(2, 3)
    with pytest.raises(ValueError, match="no value 'reset'"):
        find_units(m, make_task("parity", length=4), value="reset", n=4)


def test_separation_and_memory_units_find_the_letter_holder():
    v = np.array([[0.0, 5.0], [0.1, 5.0], [1.0, 5.1], [1.1, 5.1]])
    s = separation(v, [0, 0, 1, 1])
    assert s[0] > s[1]

    t = make_task("recall", gap=5, symbols=3)
    tr = Trainer(t, hidden=8, seed=0, lr=0.03)
    tr.fit(150)
    mem = memory_units(tr.model, t, n=60)
    assert mem["value"] == "cell" and mem["spread"] > 0 and len(mem["ranking"]) == 8
