"""lstm_core.analysis against brute force: finite differences, loops, explicit products."""
import numpy as np
import pytest

import lstm_core
from lstm_core import analysis as A
from lstm_core.training import experiments as E

KINDS = ("rnn", "gru", "lstm")


def _seq(T=12, I=4, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(T, I))


def _model(kind, I=4, H=3, seed=1, **kw):
    return lstm_core.CELLS[kind].init(I, H, seed=seed, **kw)


def _loss_from(model, xs, t, h, c):
    """L = w · h_{T-1} when the run restarts after step t from states h, c."""
    w = A.readout(model.hidden_size)
    if t == len(xs) - 1:
        return float(w @ h)
    tr = model.forward(xs[t + 1:], h0=h[None], c0=None if c is None else c[None])
    return float(w @ tr["hidden"][-1])


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("scale", [0.5, 1.0, 2.0])
def test_gradient_flow_matches_finite_differences(kind, scale):
    model, xs = _model(kind), _seq()
    flow = A.gradient_flow(model, xs, weight_scale=scale)
    m = A.scaled(model, scale)
    tr = m.forward(xs)
    eps = 1e-6
    for t in (0, 5, len(xs) - 1):
        h = np.array(tr["hidden"][t])
        c = np.array(tr["cell"][t]) if kind == "lstm" else None
        g = np.zeros(3)
        for k in range(3):
            e = np.eye(3)[k] * eps
            g[k] = (_loss_from(m, xs, t, h + e, c) - _loss_from(m, xs, t, h - e, c)) / (2 * eps)
        assert flow["grad_hidden"][t] == pytest.approx(np.linalg.norm(g), rel=1e-6, abs=1e-9)
        if kind == "lstm":   # c_t moves h_t = z^o tanh(c_t) too
            o = np.array(tr["output"][t])
            gc = np.zeros(3)
            for k in range(3):
                e = np.eye(3)[k] * eps
                up = _loss_from(m, xs, t, o * np.tanh(c + e), c + e)
                down = _loss_from(m, xs, t, o * np.tanh(c - e), c - e)
                gc[k] = (up - down) / (2 * eps)
            assert flow["grad_cell"][t] == pytest.approx(np.linalg.norm(gc), rel=1e-6, abs=1e-9)


def test_gradient_flow_last_step_is_the_readout_and_scaling_leaves_the_model_alone():
    model, xs = _model("rnn"), _seq()
    before = model.params["weight_hh_l0"].copy()
    flow = A.gradient_flow(model, xs, weight_scale=3.0)
    assert flow["grad_hidden"][-1] == pytest.approx(1.0)          # ‖w‖ = 1
    np.testing.assert_array_equal(model.params["weight_hh_l0"], before)
    assert flow["grad_cell"] is None and flow["forget_product"] is None
    np.testing.assert_allclose(A.scaled(model, 3.0).params["weight_hh_l0"], 3 * before)


def test_smaller_recurrent_weights_make_the_gradient_vanish_faster():
    model, xs = _model("rnn", H=8), _seq(T=30)
    small = A.gradient_flow(model, xs, 0.25)["grad_hidden"][0]
    big = A.gradient_flow(model, xs, 1.0)["grad_hidden"][0]
    assert small < big


def test_forget_product_is_the_explicit_product():
    model, xs = _model("lstm", H=5), _seq(T=9)
    flow = A.gradient_flow(model, xs)
    f = np.array(flow["trace"]["forget"])
    T = len(xs)
    for t in range(T):
        want = np.prod(f[t + 1:], axis=0) if t < T - 1 else np.ones(5)
        np.testing.assert_allclose(flow["forget_units"][t], want, rtol=1e-12)
    np.testing.assert_allclose(flow["forget_product"], flow["forget_units"].mean(-1))
    assert flow["forget_product"][-1] == 1.0
    assert np.all(np.diff(flow["forget_product"]) >= 0)   # older steps keep less


def test_forget_clamped_open_keeps_the_whole_cell_gradient():
    """With z^f = 1 and z^i = 0, c never changes: ∂c_{T-1}/∂c_t = I exactly."""
    model, xs = _model("lstm", H=4), _seq(T=8)
    P = A.forget_product(np.ones((8, 4)))
    assert np.all(P == 1.0)
    eff = A.intervention_effect(model, xs, [lstm_core.clamp("forget", 1.0), lstm_core.clamp("input", 0.0)])
    np.testing.assert_allclose(eff["changed"]["cell"], 0.0)   # c0 = 0 stays 0


@pytest.mark.parametrize("kind", KINDS)
def test_state_change_brute_force(kind):
    model, xs = _model(kind, H=4), _seq(T=7)
    tr = model.forward(xs)
    ch = A.state_change(tr)
    h = np.vstack([np.zeros(4), tr["hidden"]])
    want = [np.linalg.norm(h[t + 1] - h[t]) for t in range(7)]
    np.testing.assert_allclose(ch["hidden"], want)
    np.testing.assert_allclose(ch["hidden_rel"], np.array(want) / np.linalg.norm(tr["hidden"], axis=1).mean())
    if kind == "lstm":
        c = np.vstack([np.zeros(4), tr["cell"]])
        np.testing.assert_allclose(ch["cell"], [np.linalg.norm(c[t + 1] - c[t]) for t in range(7)])
        assert ch["cell_rel"].shape == (7,)
    else:
        assert ch["cell"] is None and ch["cell_rel"] is None


def test_state_change_counts_from_the_given_initial_state():
    model, xs = _model("lstm", H=2), _seq(T=3)
    h0, c0 = np.array([[0.5, -0.5]]), np.array([[1.0, 2.0]])
    tr = model.forward(xs, h0=h0, c0=c0)
    ch = A.state_change(tr)
    assert ch["hidden"][0] == pytest.approx(np.linalg.norm(tr["hidden"][0] - h0[0]))
    assert ch["cell"][0] == pytest.approx(np.linalg.norm(tr["cell"][0] - c0[0]))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("layers", [1, 2])
def test_influence_matrix_matches_finite_differences(kind, layers):
    model = lstm_core.CELLS[kind].init(3, 4, num_layers=layers, seed=2)
    xs = _seq(T=6, I=3, seed=3)
    J = A.influence_matrix(model, xs, batch_rows=8)       # several backward chunks
    eps = 1e-6
    for s in (0, 2, 5):
        jac = np.zeros((6, 4, 3))                          # (t, unit, input)
        for i in range(3):
            up, down = xs.copy(), xs.copy()
            up[s, i] += eps
            down[s, i] -= eps
            jac[:, :, i] = (model.forward(up)["hidden"] - model.forward(down)["hidden"]) / (2 * eps)
        want = np.sqrt((jac ** 2).sum(axis=(1, 2)))
        np.testing.assert_allclose(J[:, s], want, rtol=1e-6, atol=1e-10)
    assert np.all(np.triu(J, 1) == 0)
    np.testing.assert_allclose(A.influence_matrix_perturb(model, xs), J[:, 0], rtol=1e-6, atol=1e-10)


def test_first_token_influence_share():
    model, xs = _model("rnn", H=6), _seq(T=20)
    fi = A.first_token_influence(model, xs)
    J = fi["matrix"]
    assert fi["share"][0] == pytest.approx(1.0)
    np.testing.assert_allclose(fi["share"], J[:, 0] / J.sum(1))
    np.testing.assert_allclose(fi["norm"], J[:, 0])
    assert fi["share"][-1] < 0.05 < fi["share"][1]         # it fades with distance


@pytest.mark.parametrize("kind", KINDS)
def test_gate_saturation_counts(kind):
    model, xs = _model(kind, H=5), _seq(T=40) * 3
    tr = model.forward(xs)
    sat = A.gate_saturation(tr, low=0.2, high=0.8)
    assert set(sat) == set(A.SATURATION_GATES[kind])
    for gate, v in sat.items():
        g = np.array(tr[gate])
        for j in range(5):
            assert v["left"][j] == sum(g[t, j] < 0.2 for t in range(40)) / 40
            assert v["right"][j] == sum(g[t, j] > 0.8 for t in range(40)) / 40


def test_gate_saturation_of_a_clamped_gate_and_a_batch():
    model = _model("lstm", H=3)
    xs = np.stack([_seq(T=10), _seq(T=10, seed=5)], axis=1)   # (T, 2, I)
    tr = model.forward(xs, overrides=[lstm_core.clamp("forget", 1.0), lstm_core.clamp("input", 0.0, units=[1])])
    sat = A.gate_saturation(tr)
    np.testing.assert_array_equal(sat["forget"]["right"], 1.0)
    assert sat["input"]["left"][1] == 1.0


def test_compare_cells_builds_the_same_models_as_init():
    xs = _seq(T=10)
    res = A.compare_cells(4, 5, 7, xs, weight_scale=1.0)
    assert list(res) == ["rnn", "gru", "lstm"]
    for kind, r in res.items():
        m = lstm_core.CELLS[kind].init(4, 5, seed=7)
        np.testing.assert_array_equal(r["trace"]["hidden"], m.forward(xs)["hidden"])
        assert r["params"] == m.param_count()
        assert r["gradient"]["grad_hidden"].shape == (10,)
        assert r["influence"]["matrix"].shape == (10, 10)
    assert res["lstm"]["params"] == 4 * res["rnn"]["params"]
    assert res["gru"]["params"] == 3 * res["rnn"]["params"]


def test_intervention_effect_silence_and_output():
    model = lstm_core.LSTM.init(4, 3, seed=1, output_size=4)
    xs = _seq(T=6)
    eff = A.intervention_effect(model, xs, [lstm_core.silence([0])])
    np.testing.assert_array_equal(eff["changed"]["cell"][:, 0], 0.0)
    assert np.all(eff["memory"] > 0) and eff["output"].shape == (6,)
    assert np.all((0 <= eff["output"]) & (eff["output"] <= 1))
    none = A.intervention_effect(model, xs, [])
    assert np.all(none["memory"] == 0) and np.all(none["output"] == 0)


def test_recall_accuracy_vs_gap_quick_run():
    calls = []
    out = E.recall_accuracy_vs_gap(gaps=(1, 2), kinds=("rnn", "lstm"), hidden=4, steps=3, symbols=3,
                                   progress=lambda d, n: calls.append((d, n)))
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert out["chance"] == pytest.approx(1 / 3)
    for kind in ("rnn", "lstm"):
        r = out["results"][kind]
        assert r["gaps"] == [1, 2] and len(r["accuracy"]) == 2
        assert all(0 <= a <= 1 for a in r["accuracy"])
    again = E.recall_accuracy_vs_gap(gaps=(1, 2), kinds=("rnn", "lstm"), hidden=4, steps=3, symbols=3)
    assert again["results"] == out["results"]                 # seeded: the same run twice


def test_recall_from_presets():
    from lstm_core import presets
    if not all(n in presets.names() for n in E.RECALL_PRESETS.values()):
        pytest.skip("recall presets not built")
    out = E.recall_from_presets(gaps=(3, 60), n=64)
    assert set(out["results"]) == {"rnn", "gru", "lstm"}
    assert out["results"]["lstm"]["accuracy"][1] > 0.9           # the trained LSTM bridges 60 dots
    assert out["settings"]["trained_gaps"][1] >= 60
    assert out["chance"] == pytest.approx(1 / out["settings"]["symbols"])


@pytest.mark.parametrize("sizes", [(3, 5, 1), (7, 2, 3), (10_000, 1024, 4)])
def test_param_counts_match_real_models(sizes):
    I, H, L = sizes
    counts = A.param_counts(I, H, L)
    for kind, n in counts.items():
        per_layer = lambda i: lstm_core.CELLS[kind].gates * (H * i + H * H + 2 * H)  # noqa: E731
        assert n == per_layer(I) + (L - 1) * per_layer(H)
        if I * H < 10_000:
            assert n == lstm_core.CELLS[kind].init(I, H, num_layers=L).param_count()


def test_compare_cells_output_layer_does_not_change_the_measurements():
    xs = _seq(T=8)
    plain = A.compare_cells(4, 3, 2, xs, influence=False)
    with_y = A.compare_cells(4, 3, 2, xs, influence=False, output_size=4)
    for kind in plain:
        assert with_y[kind]["trace"].y.shape == (8, 4)
        np.testing.assert_allclose(with_y[kind]["gradient"]["grad_hidden"], plain[kind]["gradient"]["grad_hidden"])
