"""ui.figures.arithmetic: the numbers of one step agree with the trace, and the
printed arithmetic adds up."""
import re

import numpy as np
import pytest

import lstm_core
from ui.figures.arithmetic import arithmetic_lines, cell_step, fmt, top_units


def _trace(kind, T=7, I=3, H=5, layers=1, seed=0, output=None, **kw):
    m = lstm_core.CELLS[kind].init(I, H, num_layers=layers, seed=seed,
                                   output_size=output, **kw)
    xs = np.random.default_rng(seed).normal(size=(T, I)) * 2
    return m, m.forward(xs)


def test_lstm_step_matches_equations():
    m, tr = _trace("lstm", layers=2, output=4)
    for t in (0, 3, 6):
        for layer in (0, 1):
            s = cell_step(tr, t, 2, layer=layer)
            assert s["kind"] == "lstm" and s["t"] == t and s["unit"] == 2
            assert np.isclose(s["cell"], s["forget"] * s["c_prev"] + s["input"] * s["candidate"])
            assert np.isclose(s["hidden"], s["output"] * np.tanh(s["cell"]))
            assert np.isclose(s["forget"], 1 / (1 + np.exp(-s["pre_forget"])))
            want_x = tr.inputs[t] if layer == 0 else tr.layers[0]["hidden"][t]
            np.testing.assert_array_equal(s["x_t"], want_x)
    s0 = cell_step(tr, 0, 1)
    assert s0["h_prev"] == 0 and s0["c_prev"] == 0
    s = cell_step(tr, 4, 1)
    assert s["h_prev"] == tr["hidden"][3, 1] and s["c_prev"] == tr["cell"][3, 1]
    assert s["y"].shape == (4,) and "y" not in cell_step(tr, 4, 1, layer=0)


def test_gru_and_rnn_steps():
    _, tr = _trace("gru")
    s = cell_step(tr, 2, 0)
    assert np.isclose(s["hidden"], (1 - s["update"]) * s["candidate"] + s["update"] * s["h_prev"])
    _, tr = _trace("rnn")
    s = cell_step(tr, 2, 0)
    assert np.isclose(s["hidden"], np.tanh(s["pre_hidden"]))


def test_bad_indices():
    _, tr = _trace("lstm")
    for args in [(7, 0), (0, 5), (-1, 0)]:
        with pytest.raises(IndexError):
            cell_step(tr, *args)
    with pytest.raises(IndexError):
        cell_step(tr, 0, 0, layer=3)


NUM = r"\(?([−-]?\d+\.\d+)\)?"


def _num(s):
    return float(s.replace("−", "-").strip("()"))


def check_product_line(line, digits):
    """'c = a×b + c×d = p ± q = r': a×b ≈ p within the factors' rounding, p + q ≈ r."""
    lhs, shown, summed, result = [p.strip() for p in line.split(" = ")]
    unit = 10.0 ** -digits
    factors = [[_num(x) for x in term.split("×")] for term in shown.split(" + ")]
    terms = [_num(x) for x in re.findall(r"[−+]?\s?\d+\.\d+", summed.replace("− ", "−").replace("+ ", "+"))]
    assert len(terms) == len(factors) == 2
    for (a, b), p in zip(factors, terms):
        assert abs(a * b - p) <= unit / 2 * (abs(a) + abs(b) + 1) + unit ** 2 / 4 + 1e-12
    assert abs(sum(terms) - _num(result)) <= 1.5 * unit + 1e-12


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("digits", [2, 3])
def test_lstm_lines_add_up(seed, digits):
    _, tr = _trace("lstm", seed=seed, H=6)
    for t in range(tr.steps):
        for u in range(6):
            lines = dict(arithmetic_lines(tr, t, u, digits=digits))
            assert list(lines) == ["forget", "input", "candidate", "output_gate", "memorize", "output"]
            s = cell_step(tr, t, u)
            assert lines["forget"] == f"z^f = σ({fmt(s['pre_forget'], digits)}) = {fmt(s['forget'], digits)}"
            assert lines["memorize"].startswith("c = ")
            check_product_line(lines["memorize"], digits)
            h = lines["output"].split(" = ")
            assert h[-1] == fmt(s["hidden"], digits)
            a, b = (_num(x) for x in h[2].split("×"))
            assert abs(a * b - _num(h[-1])) <= 1.5 * 10.0 ** -digits


@pytest.mark.parametrize("seed", range(4))
def test_gru_lines_add_up(seed):
    _, tr = _trace("gru", seed=seed)
    for t in range(tr.steps):
        lines = dict(arithmetic_lines(tr, t, 1))
        assert list(lines) == ["reset", "update", "candidate", "mix"]
        check_product_line(lines["mix"], 2)
        assert lines["candidate"].startswith("ñ = tanh(")


def test_example_format_and_signs():
    assert fmt(-0.771) == "−0.77" and fmt(-0.0001) == "0.00" and fmt(0.225, 1) == "0.2"
    _, tr = _trace("lstm")
    text = " ".join(line for _, line in arithmetic_lines(tr, 3, 0))
    assert "-" not in text                             # true minus signs only
    assert all("nan" not in line for _, line in arithmetic_lines(tr, 3, 0))


def test_rnn_lines():
    _, tr = _trace("rnn")
    [(key, line)] = arithmetic_lines(tr, 1, 0)
    assert key == "hidden" and line.startswith("h = tanh(")
    _, tr = _trace("rnn", nonlinearity="relu")
    [(key, line)] = arithmetic_lines(tr, 1, 0)
    assert line.startswith("h = max(0, ")


def test_top_units():
    T = 50
    rng = np.random.default_rng(0)
    h = rng.normal(size=(T, 6)) * np.array([0.1, 2.0, 0.5, 0.0, 1.0, 3.0])
    h[:, 3] = 5.0                                    # large but constant
    vals = {"hidden": h, "cell": h * 0}
    assert top_units(vals, 3) == [5, 1, 4]
    assert top_units(vals, 2, by="activity") == [3, 5]
    assert top_units(vals, 100) == [5, 1, 4, 2, 0, 3]
    assert top_units(vals, 0) == []
    assert top_units(vals, 2, names=["hidden", "cell"]) == [5, 1]
    with pytest.raises(ValueError):
        top_units(vals, 2, by="size")


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_a_reverse_unit_reads_its_old_state_from_the_next_step(cell):
    """In a bidirectional layer the units H/2 … H−1 read the sequence backwards: their c^{t−1}/h^{t−1}
    is the state at step t+1, and at the last step the reverse direction's initial state."""
    model = lstm_core.CELLS[cell].init(3, 4, num_layers=2, seed=1, bidirectional=True)
    trace = model.forward(np.random.default_rng(0).normal(size=(5, 3)))
    for layer in (0, 1):
        for t in range(5):
            for u in range(8):
                s = cell_step(trace, t, u, layer)
                if cell == "lstm":
                    memorized = s["forget"] * s["c_prev"] + s["input"] * s["candidate"]
                    assert memorized == pytest.approx(s["cell"], abs=1e-12)
                else:
                    mix = (1 - s["update"]) * s["candidate"] + s["update"] * s["h_prev"]
                    assert mix == pytest.approx(s["hidden"], abs=1e-12)
