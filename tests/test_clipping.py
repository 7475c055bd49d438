"""analysis.gradient_clipping: the trainer's clipping, applied to the Long-term memory page's gradient."""
import numpy as np
import pytest

import lstm_core
from lstm_core import analysis as A
from lstm_core.training.optim import clip_by_global_norm

XS = np.eye(3)[[0, 1, 2, 1, 0, 2, 2, 1, 0, 0, 1, 2]]


@pytest.mark.parametrize("kind", ["rnn", "gru", "lstm"])
@pytest.mark.parametrize("scale", [0.5, 1.0, 4.0])
def test_clipping_is_the_trainers_and_keeps_the_shape(kind, scale):
    model = lstm_core.CELLS[kind].init(3, 5, seed=1)
    flow = A.gradient_flow(model, XS, weight_scale=scale)
    # the same gradient of all weights, clipped by the trainer's own function
    m = A.scaled(model, scale)
    trace = m.forward(XS)
    d_h = np.zeros_like(trace["hidden"])
    d_h[-1] = A.readout(5)
    g = m.backward(trace, d_hidden=d_h)
    grads = {k: g[k].copy() for k in m.params}
    before = clip_by_global_norm(grads, 1.0)
    after = np.sqrt(sum(float(np.vdot(v, v)) for v in grads.values()))
    c = A.gradient_clipping(flow, max_norm=1.0)
    assert c["norm"] == pytest.approx(before)
    assert c["clipped_norm"] == pytest.approx(after)
    assert c["scale"] == pytest.approx(min(1.0, 1.0 / before))
    np.testing.assert_allclose(c["grad_hidden"], c["scale"] * flow["grad_hidden"])
    ratio = c["grad_hidden"] / c["grad_hidden"][-1]
    np.testing.assert_allclose(ratio, flow["grad_hidden"] / flow["grad_hidden"][-1])   # the shape is kept
    if kind == "lstm":
        np.testing.assert_allclose(c["grad_cell"], c["scale"] * flow["grad_cell"])
    else:
        assert c["grad_cell"] is None


def test_a_small_gradient_is_left_alone_and_a_bad_limit_is_refused():
    flow = A.gradient_flow(lstm_core.RNN.init(3, 4, seed=0), XS, weight_scale=0.25)
    c = A.gradient_clipping(flow, max_norm=1e6)
    assert c["scale"] == 1.0
    with pytest.raises(ValueError):
        A.gradient_clipping(flow, max_norm=0)
