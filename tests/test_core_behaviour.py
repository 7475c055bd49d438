"""Behaviour of lstm_core beyond parity: immutability, shapes, overrides,
numerical safety, float32, Keras conversion, initialisation."""
import dataclasses
import warnings

import numpy as np
import pytest
from numerics import max_abs_err

import lstm_core
from lstm_core import GRU, LSTM, RNN, WeightError, clamp, silence

NAMES = {
    "lstm": {"input", "forget", "output", "candidate", "cell", "cell_tanh", "hidden",
             "pre_input", "pre_forget", "pre_output", "pre_candidate"},
    "gru": {"reset", "update", "candidate", "hidden", "pre_reset", "pre_update", "pre_candidate",
            "candidate_recurrent"},
    "rnn": {"hidden", "pre_hidden"},
}


def sig(a):
    return 1.0 / (1.0 + np.exp(-a))


# ------------------------------------------------------------ trace basics
@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
def test_trace_is_read_only(kind, rng):
    m = lstm_core.CELLS[kind].init(3, 4, num_layers=2, output_size=3)
    xs = rng.standard_normal((5, 3))
    tr = m.forward(xs)
    for name in tr.names():
        with pytest.raises(ValueError):
            tr[name][0, 0] = 1.0
    with pytest.raises(ValueError):
        tr.y[0, 0] = 0.0
    with pytest.raises(ValueError):
        tr.inputs[0, 0] = 0.0
    with pytest.raises(TypeError):
        tr.layers[0]["hidden"] = np.zeros((5, 4))
    with pytest.raises(dataclasses.FrozenInstanceError):
        tr.cell = "other"
    xs[0, 0] = 99.0     # the caller's array stays theirs
    assert tr.inputs[0, 0] != 99.0


def test_override_record_inside_the_trace_is_read_only():
    tr = LSTM.init(2, 3).forward(np.ones((4, 2)), overrides=[clamp("forget", 1.0)])
    mask, value, _ = tr.masks["_per_layer"][0]
    with pytest.raises(ValueError):
        mask[0, 0, 0] = False


@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
@pytest.mark.parametrize("batch", [None, 3])
def test_shapes(kind, batch, rng):
    T, I, H, L, O = 6, 3, 5, 2, 4
    m = lstm_core.CELLS[kind].init(I, H, num_layers=L, output_size=O)
    bs = (batch,) if batch else ()
    tr = m.forward(rng.standard_normal((T, *bs, I)))
    assert tr.steps == T and tr.num_layers == L and tr.hidden_size == H
    for k in range(L):
        assert set(tr.layers[k]) == NAMES[kind]
        for n, a in tr.layers[k].items():
            assert a.shape == (T, *bs, H), n
    assert tr.logits.shape == tr.y.shape == (T, *bs, O)
    assert np.allclose(tr.y.sum(-1), 1.0)
    assert tr.h0.shape == (L, *bs, H)
    g = m.backward(tr, d_hidden=np.ones((T, *bs, H)))
    assert g["input"].shape == (T, *bs, I)
    assert g["h0"].shape == (L, *bs, H)
    assert g["d_hidden"].shape == (T, *bs, H)
    for k, v in m.to_torch().items():
        assert g[k].shape == v.shape
    if kind == "lstm":
        assert g["c0"].shape == (L, *bs, H) and g["d_cell"].shape == (T, *bs, H)


def test_bad_inputs_are_refused_clearly():
    m = LSTM.init(3, 4)
    with pytest.raises(ValueError, match="3 values"):
        m.forward(np.zeros((5, 2)))
    with pytest.raises(ValueError, match="h0"):
        m.forward(np.zeros((5, 3)), h0=np.zeros((2, 4)))
    with pytest.raises(ValueError, match="empty"):
        m.forward(np.zeros((0, 3)))


# --------------------------------------------------------------- overrides
def test_clamp_forget_one_input_zero_keeps_cell_constant(rng):
    m = LSTM.init(3, 6, seed=2)
    c0 = rng.standard_normal((1, 6))
    tr = m.forward(rng.standard_normal((8, 3)), c0=c0,
                   overrides=[clamp("forget", 1.0), clamp("input", 0.0)])
    assert np.array_equal(tr["cell"], np.broadcast_to(c0[0], (8, 6)))
    assert np.all(tr["forget"] == 1.0) and np.all(tr["input"] == 0.0)


def test_clamp_only_touches_chosen_units_and_steps(rng):
    m = LSTM.init(3, 5, num_layers=2, seed=1)
    xs = rng.standard_normal((7, 3))
    base = m.forward(xs)
    ov = clamp("output", 0.25, units=[1, 3], steps=(2, 5), layer=0)
    tr = m.forward(xs, overrides=[ov])
    assert tr.overrides == (ov,)
    o = tr.layers[0]["output"]
    assert np.all(o[2:5, [1, 3]] == 0.25)
    # other units see the change only through h, one step later
    assert np.array_equal(o[:2], base.layers[0]["output"][:2])
    assert np.array_equal(o[2, [0, 2, 4]], base.layers[0]["output"][2, [0, 2, 4]])
    assert not np.array_equal(o[5:], base.layers[0]["output"][5:])
    # pre-activations are what the unclamped gate would have seen
    assert np.all(np.isfinite(tr.layers[0]["pre_output"]))
    # nothing changes before step 2
    for n in tr.names():
        assert np.array_equal(tr.layers[1][n][:2], base.layers[1][n][:2])


@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
def test_silence_zeroes_only_those_units(kind, rng):
    m = lstm_core.CELLS[kind].init(3, 6, num_layers=2, seed=4)
    xs = rng.standard_normal((8, 2, 3))
    base = m.forward(xs)
    ov = silence([0, 4], steps=(3, 6))
    tr = m.forward(xs, overrides=[ov])
    assert tr.overrides == (ov,)
    h = tr["hidden"]
    assert np.all(h[3:6, :, [0, 4]] == 0.0)
    assert np.all(h[3:6, :, [1, 2, 3, 5]] != 0.0)
    if kind == "lstm":
        assert np.all(tr["cell"][3:6, :, [0, 4]] == 0.0)
        assert np.all(tr["cell"][3:6, :, [1, 2, 3, 5]] != 0.0)
    for n in tr.names():   # identical before the silenced steps, and the lower layer untouched
        assert np.array_equal(tr[n][:3], base[n][:3])
        assert np.array_equal(tr.layers[0][n], base.layers[0][n])
    assert not np.array_equal(tr["hidden"][6:], base["hidden"][6:])


def test_gru_clamp_update_one_freezes_hidden(rng):
    m = GRU.init(3, 4, seed=3)
    h0 = rng.standard_normal((1, 4))
    tr = m.forward(rng.standard_normal((6, 3)), h0=h0, overrides=[clamp("update", 1.0)])
    assert np.allclose(tr["hidden"], h0[0], atol=0)


@pytest.mark.parametrize("model, ov, words", [
    (LSTM.init(2, 3), clamp("reset", 0.5), ["reset"]),
    (LSTM.init(2, 3), clamp("forget", 1.5), ["forget", "0..1"]),
    (LSTM.init(2, 3), clamp("candidate", -2.0), ["candidate", "-1..1"]),
    (LSTM.init(2, 3), clamp("forget", 1.0, units=[3]), ["units", "0..2"]),
    (LSTM.init(2, 3), silence([0], layer=2), ["layer"]),
    (GRU.init(2, 3), clamp("forget", 0.5), ["forget", "reset", "update"]),
    (RNN.init(2, 3), clamp("hidden", 0.5), ["hidden"]),
])
def test_bad_override_is_refused_with_a_clear_message(model, ov, words):
    with pytest.raises(ValueError) as e:
        model.forward(np.zeros((4, 2)), overrides=[ov])
    for w in words:
        assert w in str(e.value)


def test_override_must_be_a_record():
    with pytest.raises((TypeError, ValueError)):
        LSTM.init(2, 3).forward(np.zeros((4, 2)), overrides=[("forget", 1.0)])


# ------------------------------------------------------ numerical safety
@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_huge_inputs_stay_finite_without_warnings(kind, dtype, rng):
    m = lstm_core.CELLS[kind].init(4, 5, num_layers=2, output_size=3, dtype=dtype)
    xs = (1e4 * rng.standard_normal((6, 2, 4))).astype(dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            tr = m.forward(xs)
            g = m.backward(tr, d_hidden=np.ones((6, 2, 5), dtype), d_logits=np.ones((6, 2, 3), dtype))
    for k in range(2):
        for n, a in tr.layers[k].items():
            assert np.all(np.isfinite(a)), n
    assert np.all(np.isfinite(tr.y))
    for n, a in g.items():
        assert np.all(np.isfinite(a)), n
    if kind != "rnn":
        gates = ("forget", "input", "output") if kind == "lstm" else ("reset", "update")
        for gname in gates:
            assert np.all((tr[gname] >= 0) & (tr[gname] <= 1))


def test_sigmoid_matches_exponential_form():
    from lstm_core.cells.activations import sigmoid
    x = np.linspace(-30, 30, 1001)
    assert max_abs_err(sigmoid(x), sig(x)) < 1e-15
    with np.errstate(all="raise"):
        assert sigmoid(np.array([-1e4, 1e4])).tolist() == [0.0, 1.0]


# ---------------------------------------------------------------- float32
@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
def test_float32_path(kind, rng):
    m64 = lstm_core.CELLS[kind].init(4, 6, num_layers=2, output_size=3, seed=7)
    m32 = m64.astype(np.float32)
    assert m32.dtype == np.float32 and m64.dtype == np.float64
    assert lstm_core.CELLS[kind].init(4, 6, dtype=np.float32).dtype == np.float32
    xs = rng.standard_normal((9, 2, 4))
    t64, t32 = m64.forward(xs), m32.forward(xs)          # float64 input is cast to the model's dtype
    for k in range(2):
        for n in t32.layers[k]:
            assert t32.layers[k][n].dtype == np.float32, n
            assert max_abs_err(t32.layers[k][n], t64.layers[k][n]) < 1e-5, n
    assert t32.y.dtype == np.float32
    up = rng.standard_normal((9, 2, 6))
    g64, g32 = m64.backward(t64, d_hidden=up), m32.backward(t32, d_hidden=up)
    for n in m64.params:
        assert g32[n].dtype == np.float32
        scale = max(1.0, float(np.max(np.abs(g64[n]))))
        assert max_abs_err(g32[n], g64[n]) < 1e-5 * scale, n


# ------------------------------------------------------------------ Keras
def keras_lstm(xs, kernel, rec, bias):
    """Keras 3 LSTM by the book: columns i, f, c, o; one bias; returns all h and c."""
    H = rec.shape[0]
    h, c = np.zeros(H), np.zeros(H)
    hs, cs = [], []
    for x in xs:
        z = x @ kernel + h @ rec + bias
        i = sig(z[:H])
        f = sig(z[H:2 * H])
        c = f * c + i * np.tanh(z[2 * H:3 * H])
        o = sig(z[3 * H:])
        h = o * np.tanh(c)
        hs.append(h)
        cs.append(c)
    return np.array(hs), np.array(cs)


def keras_gru(xs, kernel, rec, bias):
    """Keras 3 GRU, reset_after=True: columns z, r, h; bias rows (input, recurrent)."""
    H = rec.shape[0]
    h, hs = np.zeros(H), []
    for x in xs:
        xi = x @ kernel + bias[0]
        hr = h @ rec + bias[1]
        z = sig(xi[:H] + hr[:H])
        r = sig(xi[H:2 * H] + hr[H:2 * H])
        hh = np.tanh(xi[2 * H:] + r * hr[2 * H:])
        h = z * h + (1 - z) * hh
        hs.append(h)
    return np.array(hs)


def keras_simple_rnn(xs, kernel, rec, bias):
    h, hs = np.zeros(rec.shape[0]), []
    for x in xs:
        h = np.tanh(x @ kernel + h @ rec + bias)
        hs.append(h)
    return np.array(hs)


def _keras_weights(rng, I, H, G, gru=False):
    bias = rng.standard_normal((2, G * H)) if gru else rng.standard_normal(G * H)
    return rng.standard_normal((I, G * H)) * 0.5, rng.standard_normal((H, G * H)) * 0.5, bias * 0.5


def test_keras_lstm_matches_its_equations(rng):
    k, r, b = _keras_weights(rng, 3, 4, 4)
    xs = rng.standard_normal((7, 3))
    tr = LSTM.from_keras(k, r, b).forward(xs)
    h, c = keras_lstm(xs, k, r, b)
    assert max_abs_err(tr["hidden"], h) < 1e-12
    assert max_abs_err(tr["cell"], c) < 1e-12


def test_keras_lstm_stack(rng):
    w1, w2 = _keras_weights(rng, 3, 4, 4), _keras_weights(rng, 4, 4, 4)
    xs = rng.standard_normal((6, 3))
    m = LSTM.from_keras([w1[0], w2[0]], [w1[1], w2[1]], [w1[2], w2[2]])
    assert m.num_layers == 2
    h1, _ = keras_lstm(xs, *w1)
    h2, _ = keras_lstm(h1, *w2)
    assert max_abs_err(m.forward(xs)["hidden"], h2) < 1e-12


def test_keras_gru_matches_its_equations(rng):
    k, r, b = _keras_weights(rng, 3, 5, 3, gru=True)
    xs = rng.standard_normal((7, 3))
    m = GRU.from_keras(k, r, b)
    assert max_abs_err(m.forward(xs)["hidden"], keras_gru(xs, k, r, b)) < 1e-12


def test_keras_simple_rnn_matches_its_equations(rng):
    k, r, b = _keras_weights(rng, 3, 4, 1)
    xs = rng.standard_normal((7, 3))
    assert max_abs_err(RNN.from_keras(k, r, b).forward(xs)["hidden"], keras_simple_rnn(xs, k, r, b)) < 1e-12


@pytest.mark.parametrize("cls, G, gru", [(LSTM, 4, False), (GRU, 3, True), (RNN, 1, False)])
def test_keras_round_trip(cls, G, gru, rng):
    w = _keras_weights(rng, 3, 4, G, gru)
    back = cls.from_keras(*w).to_keras()          # one layer: the flat list Keras' set_weights takes
    assert len(back) == 3
    for a, b in zip(back, w):
        assert a.shape == b.shape and np.array_equal(a, b)
    # a PyTorch-made model goes to Keras and back with the same outputs
    m = cls.init(3, 4, num_layers=2, seed=9)
    ks = m.to_keras()
    again = cls.from_keras([w[0] for w in ks], [w[1] for w in ks], [w[2] for w in ks])
    xs = rng.standard_normal((5, 3))
    assert max_abs_err(again.forward(xs)["hidden"], m.forward(xs)["hidden"]) < 1e-12


def test_keras_gru_reset_before_is_refused(rng):
    k, r, b = _keras_weights(rng, 3, 4, 3, gru=True)
    with pytest.raises(WeightError, match="reset_after"):
        GRU.from_keras(k, r, b, reset_after=False)
    with pytest.raises(WeightError, match="reset_after"):
        GRU.from_keras(k, r, b[0])          # a 1-D bias is what reset_after=False saves


def test_keras_wrong_shapes_name_what_was_found(rng):
    with pytest.raises(WeightError, match=r"\(3, 12\)"):
        LSTM.from_keras(np.zeros((3, 12)), np.zeros((4, 16)), np.zeros(16))


# ------------------------------------------------------------ initialising
def test_lstm_forget_bias(rng):
    m = LSTM.init(3, 5, num_layers=2)
    for k in range(2):
        total = m.params[f"bias_ih_l{k}"] + m.params[f"bias_hh_l{k}"]
        assert np.all(total[5:10] == 1.0)
        assert not np.all(total[:5] == 1.0)
    m2 = LSTM.init(3, 5, forget_bias=2.5)
    assert np.all((m2.params["bias_ih_l0"] + m2.params["bias_hh_l0"])[5:10] == 2.5)
    m3 = LSTM.init(3, 5, forget_bias=None)
    assert not np.all((m3.params["bias_ih_l0"] + m3.params["bias_hh_l0"])[5:10] == 1.0)


@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
def test_init_is_seeded_and_deterministic(kind):
    cls = lstm_core.CELLS[kind]
    a, b = cls.init(3, 4, num_layers=2, seed=11, output_size=2), cls.init(3, 4, num_layers=2, seed=11, output_size=2)
    c = cls.init(3, 4, num_layers=2, seed=12, output_size=2)
    assert set(a.params) == set(b.params)
    assert all(np.array_equal(a.params[k], b.params[k]) for k in a.params)
    assert not all(np.array_equal(a.params[k], c.params[k]) for k in a.params)
    k = 1 / np.sqrt(4)
    assert all(np.all(np.abs(v) <= k) for n, v in a.params.items() if n.startswith("weight"))
    xs = np.ones((3, 3))
    assert np.array_equal(a.forward(xs)["hidden"], b.forward(xs)["hidden"])


def test_param_count_lstm_vs_gru():
    """The primer's "more parameters than the GRU", measured: 4 blocks against 3."""
    I, H = 10, 20
    assert LSTM.init(I, H).param_count() == 4 * (H * I + H * H + 2 * H)
    assert GRU.init(I, H).param_count() == 3 * (H * I + H * H + 2 * H)
    assert RNN.init(I, H).param_count() == H * I + H * H + 2 * H
