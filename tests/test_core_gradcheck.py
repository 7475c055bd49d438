"""Central finite differences of ``backward`` in float64 (no torch needed).

The loss is L = Σ u_h ⊙ h_top + Σ u_c ⊙ c_top + Σ u_l ⊙ logits for fixed
random u's, so d_hidden = u_h, d_cell = u_c and d_logits = u_l. Every entry
of every parameter, of the input and of h0 / c0 is nudged by ±ε and the
difference quotient (L(+ε) − L(−ε)) / 2ε is compared with ``backward``. With
overrides the same overridden forward is differentiated.
"""
import numpy as np
import pytest
from numerics import max_rel_err

import lstm_core
from lstm_core import clamp, silence

EPS = 1e-6
TOL = 1e-6


def _loss(model, x, h0, c0, ups, overrides):
    tr = model.forward(x, h0=h0, c0=c0, overrides=overrides)
    L = float(np.sum(tr["hidden"] * ups["h"]))
    if ups.get("c") is not None:
        L += float(np.sum(tr["cell"] * ups["c"]))
    if ups.get("l") is not None:
        L += float(np.sum(tr.logits * ups["l"]))
    return L


def _fd(f, a):
    """Central differences of scalar f() with respect to every entry of array a (in place)."""
    g = np.zeros_like(a)
    flat, gflat = a.reshape(-1), g.reshape(-1)
    for j in range(flat.size):
        old = flat[j]
        flat[j] = old + EPS
        lp = f()
        flat[j] = old - EPS
        lm = f()
        flat[j] = old
        gflat[j] = (lp - lm) / (2 * EPS)
    return g


def check(kind, *, layers=2, batch=2, out=0, d_cell=False, overrides=(), nonlinearity="tanh", seed=0):
    rng = np.random.default_rng(seed)
    T, I, H = 5, 3, 4
    m = lstm_core.CELLS[kind].init(I, H, num_layers=layers, seed=seed, output_size=out or None,
                                   nonlinearity=nonlinearity)
    # nonzero output bias and less tidy weights than init gives
    m.params = {k: v + 0.3 * rng.standard_normal(v.shape) for k, v in m.params.items()}
    bs = (batch,) if batch else ()
    x = rng.standard_normal((T, *bs, I))
    h0 = 0.5 * rng.standard_normal((layers, *bs, H))
    c0 = 0.5 * rng.standard_normal((layers, *bs, H)) if kind == "lstm" else None
    ups = {"h": rng.standard_normal((T, *bs, H)),
           "c": rng.standard_normal((T, *bs, H)) if d_cell else None,
           "l": rng.standard_normal((T, *bs, out)) if out else None}
    tr = m.forward(x, h0=h0, c0=c0, overrides=overrides)
    g = m.backward(tr, d_hidden=ups["h"], d_cell=ups["c"], d_logits=ups["l"])

    def f():
        return _loss(m, x, h0, c0, ups, overrides)

    targets = dict(m.params, input=x, h0=h0)
    if c0 is not None:
        targets["c0"] = c0
    for name, arr in targets.items():
        num = _fd(f, arr)
        err = max_rel_err(g[name], num)
        assert err < TOL, f"{kind} {name}: backward vs finite differences, max relative error {err:.3g}"
    return g


@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
def test_plain_unbatched_one_layer(kind):
    check(kind, layers=1, batch=0)


@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
def test_multilayer_batched_with_output_layer(kind):
    check(kind, layers=2, batch=3, out=3)


def test_rnn_relu_multilayer():
    check("rnn", layers=2, batch=2, nonlinearity="relu", seed=3)


def test_lstm_d_cell():
    check("lstm", layers=2, batch=2, d_cell=True, out=2)


LSTM_OVERRIDES = [
    (clamp("forget", 1.0, units=[0, 2], steps=(1, 4)),),
    (clamp("input", 0.0), clamp("output", 0.7, units=[1])),
    (clamp("candidate", -0.4, units=[3], steps=(0, 2), layer=0),),
    (silence([1], steps=(2, 4)),),
    (silence([0, 3], layer=0), clamp("forget", 0.3, units=[1], layer=-1)),
]


@pytest.mark.parametrize("ovs", LSTM_OVERRIDES, ids=range(len(LSTM_OVERRIDES)))
def test_lstm_with_overrides(ovs):
    g = check("lstm", layers=2, batch=2, d_cell=True, out=2, overrides=ovs)
    assert np.all(np.isfinite(g["input"]))


GRU_OVERRIDES = [
    (clamp("reset", 0.0, units=[1, 2]),),
    (clamp("update", 1.0, units=[0], steps=(1, 3)),),
    (clamp("candidate", 0.5, units=[3], layer=0), clamp("update", 0.2)),
    (silence([2], steps=(1, 5)),),
    (silence([0], layer=0), clamp("reset", 0.6, steps=(2, 5))),
]


@pytest.mark.parametrize("ovs", GRU_OVERRIDES, ids=range(len(GRU_OVERRIDES)))
def test_gru_with_overrides(ovs):
    check("gru", layers=2, batch=2, out=2, overrides=ovs)


@pytest.mark.parametrize("ovs", [(silence([1, 3]),), (silence([0], steps=(0, 3), layer=0),)], ids=["top", "bottom"])
def test_rnn_with_silence(ovs):
    check("rnn", layers=2, batch=2, out=2, overrides=ovs)


def test_silenced_units_pass_no_gradient_back():
    """A unit silenced at every step keeps no memory: its c0 gets no gradient."""
    g = check("lstm", layers=1, batch=2, d_cell=True, overrides=(silence([2]),))
    assert np.all(g["c0"][..., 2] == 0)


@pytest.mark.parametrize("ovs", [(), LSTM_OVERRIDES[0], LSTM_OVERRIDES[4]], ids=["plain", "clamp", "silence"])
def test_lstm_backward_in_chunks_of_one_step(ovs, monkeypatch):
    """The LSTM's BPTT runs in chunks of steps; force one step per chunk."""
    from lstm_core.cells import kernels
    monkeypatch.setattr(kernels, "CHUNK", 1)
    check("lstm", layers=2, batch=2, d_cell=True, out=2, overrides=ovs)
