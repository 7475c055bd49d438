"""The core's speed tricks must not change a number.

``forward`` keeps no pre-activations: they are recomputed from the stored h
when first read (``lstm_core.cells.trace.Layer``). ``backward`` works in chunks of
steps and groups of da (``CHUNK``, ``GROUP``); the golden and finite-difference
tests run on shapes small enough to fit one chunk, so here the sizes are
shrunk until a sequence spans many chunks and groups, with overrides.
"""
import threading

import numpy as np
import pytest
from numerics import max_abs_err, max_rel_err

from lstm_core import GRU, LSTM, RNN, clamp, silence
from lstm_core.cells import gru, kernels, lstm
from lstm_core.notation import ROW_ORDER

CELLS = {"lstm": LSTM, "gru": GRU, "rnn": RNN}
OVERRIDES = {
    "lstm": (clamp("forget", 0.9, units=[1], steps=(3, 9)), clamp("candidate", -0.2, units=[0, 4]),
             silence([2], steps=(5, 11))),
    "gru": (clamp("reset", 0.3, units=[1], steps=(2, 8)), clamp("update", 0.8, units=[3]),
            clamp("candidate", 0.1, units=[0], steps=(6, 12)), silence([2], steps=(4, 10))),
    "rnn": (silence([2], steps=(4, 10)),),
}


def by_definition(model, tr, k):
    """Pre-activations straight from the equations, one step at a time."""
    p = {n: model.params[f"{n}_l{k}"] for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")}
    xs = tr.inputs if k == 0 else tr.layers[k - 1]["hidden"]
    h, H = tr.layers[k]["hidden"], model.hidden_size
    out = {}
    for t in range(tr.steps):
        prev = tr.h0[k] if t == 0 else h[t - 1]
        a = p["weight_ih"] @ xs[t] + p["bias_ih"] + p["weight_hh"] @ prev + p["bias_hh"]
        if model.kind == "lstm":
            vals = dict(zip(ROW_ORDER["lstm"], a.reshape(4, H)))
        else:
            ai, ah = p["weight_ih"] @ xs[t] + p["bias_ih"], p["weight_hh"] @ prev + p["bias_hh"]
            r = tr.layers[k]["reset"][t]
            vals = {"reset": a[:H], "update": a[H:2 * H], "candidate": ai[2 * H:] + r * ah[2 * H:]}
        for n, v in vals.items():
            out.setdefault(f"pre_{n}", []).append(v)
    return {n: np.array(v) for n, v in out.items()}


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_pre_activations_are_the_equations_even_with_overrides(kind, rng):
    m = CELLS[kind].init(3, 5, num_layers=2, seed=4)
    xs = rng.standard_normal((14, 3))
    tr = m.forward(xs, overrides=OVERRIDES[kind])
    for k in range(2):
        want = by_definition(m, tr, k)
        assert set(want) <= set(tr.layers[k])
        for n, v in want.items():
            assert max_abs_err(tr.layers[k][n], v) < 1e-12, (k, n)


def test_pre_activations_do_not_follow_later_changes_to_the_model(rng):
    """A trace records one run: training the model afterwards changes nothing in it."""
    m = LSTM.init(3, 4, seed=1)
    xs = rng.standard_normal((6, 3))
    before = m.forward(xs).layers[0]
    tr = m.forward(xs)
    for v in m.params.values():
        v += 1.0                                 # in place, as an optimiser does
    for n in lstm.LATER:
        assert max_abs_err(tr[n], before[n]) == 0.0
        assert not tr[n].flags.writeable


def test_a_layer_lists_its_names_before_computing_them(rng):
    tr = GRU.init(2, 3).forward(rng.standard_normal((4, 2)))
    layer = tr.layers[0]
    assert layer._make_later is not None          # nothing computed yet …
    assert set(gru.LATER) <= set(layer) and len(layer) == len(list(layer))
    assert "pre_update" in layer and "nothing" not in layer
    with pytest.raises(KeyError):
        layer["nothing"]
    assert layer._make_later is not None          # … asking for names computed nothing
    layer["pre_reset"]
    assert layer._make_later is None


def test_readers_on_many_threads_see_one_value(rng):
    tr = LSTM.init(3, 8).forward(rng.standard_normal((30, 2, 3)))
    seen = []
    threads = [threading.Thread(target=lambda: seen.append(tr["pre_forget"])) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(seen) == 8 and all(s is seen[0] for s in seen)


def test_rnn_pre_activations_are_the_equations(rng):
    m = RNN.init(2, 3, num_layers=2, nonlinearity="relu", seed=3)
    tr = m.forward(rng.standard_normal((5, 2)), overrides=(silence([1], steps=(1, 3)),))
    for k in range(2):
        p = {n: m.params[f"{n}_l{k}"] for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")}
        xs = tr.inputs if k == 0 else tr.layers[k - 1]["hidden"]
        h = tr.layers[k]["hidden"]
        for t in range(5):
            prev = tr.h0[k] if t == 0 else h[t - 1]
            a = p["weight_ih"] @ xs[t] + p["bias_ih"] + p["weight_hh"] @ prev + p["bias_hh"]
            assert max_abs_err(tr.layers[k]["pre_hidden"][t], a) < 1e-12


@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn", "relu"])
@pytest.mark.parametrize("chunk,group", [(1, 1), (2, 3), (3, 4), (4, 20)], ids=str)
def test_backward_in_small_chunks_and_groups_is_unchanged(kind, chunk, group, rng, monkeypatch):
    """chunk: steps per factor chunk; group: chunks per da group (T = 13 is prime)."""
    m = RNN.init(3, 5, num_layers=2, seed=2, nonlinearity="relu") if kind == "relu" else \
        CELLS[kind].init(3, 5, num_layers=2, seed=2)
    kind = "rnn" if kind == "relu" else kind
    T, B, H = 13, 2, 5
    xs = rng.standard_normal((T, B, 3))
    dh = rng.standard_normal((T, B, H))
    dc = rng.standard_normal((T, B, H)) if kind == "lstm" else None
    tr = m.forward(xs, overrides=OVERRIDES[kind])
    whole = m.backward(tr, d_hidden=dh, d_cell=dc)
    monkeypatch.setattr(kernels, "CHUNK", chunk * B * H)       # kernels.chunks sizes all three cells
    monkeypatch.setattr(kernels, "GROUP", chunk * group * B * 4 * H)
    parts = m.backward(tr, d_hidden=dh, d_cell=dc)
    assert set(parts) == set(whole)
    for k in whole:
        assert max_rel_err(parts[k], whole[k]) < 1e-12, k
