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


# ------------------------------------------------------------------ the switch on the Long-term memory page
def _memory_page(lang, scale):
    from streamlit.testing.v1 import AppTest

    from ui import app, keys
    at = AppTest.from_file("../explorer_app.py", default_timeout=180)
    at.query_params["lang"] = lang
    at.query_params["seq"] = "abcabdabcabd"
    at.switch_page(app.page("memory").path)
    at.run()
    switch = getattr(keys, "MEM_WEIGHTS", None)                  # random weights: their gradients explode at 4
    if switch and [r for r in at.radio if r.key == switch]:
        at.radio(key=switch).set_value("random").run()
    at.select_slider(key=keys.MEM_SCALE).set_value(scale).run()
    return at


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_gradient_view_offers_clipping_above_scale_one(lang):
    import base64
    import json

    from ui import keys
    from ui.clipping import trainer_clip
    from ui.i18n import t
    at = _memory_page(lang, 1.0)
    assert not at.exception and not [w for w in at.toggle if w.key == keys.MEM_CLIP]
    at.select_slider(key=keys.MEM_SCALE).set_value(4.0).run()
    assert not at.exception
    switch = at.toggle(key=keys.MEM_CLIP)
    assert switch.label == t("clip.switch", lang, limit=f"{trainer_clip():g}")
    text = " ".join(m.value for m in at.markdown)
    assert t("clip.text", lang, limit="1", items="").split("{")[0][:12] in text

    def first_curve():
        title = t("tf.grad_title", lang)
        fig = next(f for f in (json.loads(c.proto.spec) for c in at.get("plotly_chart"))
                   if title in json.dumps(f.get("layout", {}).get("title", ""), ensure_ascii=False))
        y = fig["data"][0]["y"]
        if isinstance(y, dict):                              # plotly's binary form: {"dtype", "bdata"}
            y = np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"])
        return np.array(y, dtype=float)
    before = first_curve()
    switch.set_value(True).run()
    after = first_curve()
    ok = np.isfinite(before) & np.isfinite(after)
    ratio = after[ok] / before[ok]
    assert ok.any() and np.allclose(ratio, ratio[0]) and 0 < ratio[0] < 1   # one factor for every step: same shape
