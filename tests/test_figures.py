"""ui.figures.sequence: shapes, ranges, hover text, cursors, payload size; and one
run in headless Chromium that presses Play."""
import json
import re

import numpy as np
import plotly.io as pio
import pytest

import lstm_core
from lstm_core import notation
from ui.figures import sequence as F
from ui.figures.arithmetic import cell_step, fmt
from ui.i18n import t as tr
from ui.locales import figures as loc
from ui.parsing import encode, parse_sequence


def run(text="The cat sat on the mat.", cell="lstm", H=8, mode="chars", output=None, **kw):
    seq = parse_sequence(text, mode)
    X = encode(seq).X
    m = lstm_core.CELLS[cell].init(X.shape[1], H, seed=0, output_size=output, **kw)
    trace = m.forward(X)
    return seq.tokens, trace


def payload(fig) -> int:
    """Bytes of the figure spec as Streamlit sends it (plotly.io.to_json)."""
    return len(pio.to_json(fig, validate=False).encode())


def spec(fig):
    return json.loads(pio.to_json(fig, validate=False))


# ---------------------------------------------------------------- ranges
def test_value_ranges():
    assert F.value_range("forget", [0.2, 0.9]) == (0.0, 1.0)
    assert F.value_range("update") == (0.0, 1.0)
    for name in ("candidate", "hidden", "cell_tanh"):
        assert F.value_range(name, [-0.3, 0.99]) == (-1.0, 1.0)
    assert F.value_range("cell", [0.1, -0.4]) == (-1.0, 1.0)
    assert F.value_range("cell", [0.1, -3.5]) == (-3.5, 3.5)
    assert F.value_range("hidden", [0.0, 4.0]) == (-4.0, 4.0)      # an RNN with ReLU
    assert F.value_range("cell", [np.nan, 2.0]) == (-2.0, 2.0)
    assert F.colorscale("forget") != F.colorscale("cell")


def test_symbols():
    assert F.symbol_html("forget") == "z<sup>f</sup>"
    assert F.symbol_html("cell_tanh") == "tanh(c)"
    assert F.symbol_html("candidate", "gru") == "ñ"
    assert F.symbol_html("hidden") == "h"


# -------------------------------------------------------------- heatmaps
def test_heatmap_data_hover_cursor():
    tokens, trace = run()
    T, H = trace["hidden"].shape
    fig = F.heatmap(trace["forget"], tokens, "forget", "lstm", "en", t=4)
    hm = fig.data[0]
    assert hm.z.dtype == np.float32 and hm.z.shape == (H, T)
    np.testing.assert_allclose(hm.z, trace["forget"].T.astype(np.float32))
    assert (hm.zmin, hm.zmax) == (0.0, 1.0)
    assert list(hm.x) == F.step_labels(tokens) and hm.x[3] == "4 · ␣"
    assert list(hm.y) == [str(u) for u in range(H)]
    for word in ("step", "token", "unit", "%{x}", "%{y}", "%{z:.5f}", "z<sup>f</sup>"):
        assert word in hm.hovertemplate
    [rect] = fig.layout.shapes
    assert (rect.x0, rect.x1, rect.y0, rect.y1) == (3.5, 4.5, -0.5, H - 0.5)
    assert "forget gate" in fig.layout.title.text and "z<sup>f</sup>" in fig.layout.title.text
    zh = F.heatmap(trace["forget"], tokens, "forget", "lstm", "zh")
    assert "遗忘门" in zh.layout.title.text and "单元" in zh.data[0].hovertemplate
    assert not zh.layout.shapes
    assert '"bdata"' in pio.to_json(fig) and '"z":[' not in pio.to_json(fig)


def test_heatmap_units_and_cell_range():
    tokens, trace = run()
    fig = F.heatmap(trace["cell"] * 5, tokens, "cell", "lstm", "en", units=[5, 2], t=0)
    hm = fig.data[0]
    assert hm.z.shape == (2, len(tokens)) and list(hm.y) == ["5", "2"]
    big = float(np.abs(trace["cell"][:, [5, 2]] * 5).max())
    assert hm.zmin == -hm.zmax and hm.zmax == pytest.approx(max(1.0, big))
    assert fig.layout.shapes[0].y1 == 1.5
    with pytest.raises(ValueError):
        F.heatmap(trace["cell"][:3], tokens, "cell", "lstm", "en")


def test_stack_panels_share_time_and_have_own_ranges():
    tokens, trace = run()
    layer = trace.layers[-1]
    names = notation.TRACE_VALUES["lstm"]
    fig = F.heatmap_stack(layer, names, tokens, "lstm", "en", t=2)
    assert [d.type for d in fig.data] == ["heatmap"] * 7
    assert {d.xaxis for d in fig.data} == {"x"}
    assert [d.yaxis for d in fig.data] == ["y"] + [f"y{k}" for k in range(2, 8)]
    domains = [fig.layout[f"yaxis{k}"].domain for k in range(1, 8)]
    for (lo1, hi1), (lo2, hi2) in zip(domains, domains[1:]):      # top to bottom, no overlap
        assert hi2 < lo1 and lo1 < hi1
    for d, (lo, hi) in zip(fig.data, domains):                    # one colour bar beside each panel
        assert lo <= d.colorbar.y <= hi and d.colorbar.len == pytest.approx(hi - lo)
    assert [(d.zmin, d.zmax) for d in fig.data[:3]] == [(0.0, 1.0)] * 3
    assert (fig.data[3].zmin, fig.data[3].zmax) == (-1.0, 1.0)
    rects = [s for s in fig.layout.shapes if s.type == "rect"]
    assert len(rects) == 7 and all((s.x0, s.x1) == (1.5, 2.5) for s in rects)
    assert sorted(s.yref for s in rects) == sorted(["y"] + [f"y{k}" for k in range(2, 8)])
    titles = [a.text for a in fig.layout.annotations]
    assert len(titles) == 7 and "z<sup>f</sup>" in titles[0] and "hidden state" in titles[-1]


@pytest.mark.parametrize("H, T", [(1, 5), (8, 40), (64, 200), (64, 2000)])
def test_stack_heights_and_ticks_stay_readable(H, T):
    rng = np.random.default_rng(0)
    layer = {n: rng.uniform(-1, 1, size=(T, H)) for n in ("forget", "hidden")}
    tokens = tuple("ab cd"[i % 5] for i in range(T))
    fig = F.heatmap_stack(layer, ("forget", "hidden"), tokens, "lstm", "en")
    lo, hi = fig.layout.yaxis1.domain
    panel_px = (hi - lo) * (fig.layout.height - fig.layout.margin.t - fig.layout.margin.b)
    assert panel_px >= 60 and panel_px / H >= 3.5 or H <= 8
    assert fig.layout.height < 1000
    ticks = fig.layout.xaxis.ticktext
    assert len(ticks) <= max(F.MAX_TICKS, 25)
    if T > F.MAX_TICKS:
        assert ticks[0].startswith("1<br>") and all("<br>" in x for x in ticks)


def test_gru_and_rnn_stacks():
    for cell in ("gru", "rnn"):
        tokens, trace = run(cell=cell)
        fig = F.heatmap_stack(trace.layers[-1], None, tokens, cell, "zh", t=0)
        assert len(fig.data) == len(notation.TRACE_VALUES[cell])
    tokens, trace = run(cell="gru")
    fig = F.heatmap_stack(trace.layers[-1], ("candidate",), tokens, "gru", "en")
    assert "ñ" in fig.layout.annotations[0].text


# ------------------------------------------------------------- animation
def test_animated_stack_frames_carry_only_the_cursor():
    tokens, trace = run(H=16)
    T = len(tokens)
    fig = F.animated_stack(trace.layers[-1], notation.TRACE_VALUES["lstm"], tokens, "lstm", "en", t0=3)
    heat = [d for d in fig.data if d.type == "heatmap"]
    cursors = [d for d in fig.data if d.type == "scatter"]
    assert len(heat) == 7 and len(cursors) == 7
    assert all(d.xaxis == "x8" for d in cursors)
    assert fig.layout.xaxis8.overlaying == "x" and fig.layout.xaxis8.range == (-3.5, T - 3.5)
    assert len(fig.frames) == T
    for s, fr in enumerate(fig.frames):
        assert fr.name == str(s) and not fr.data
        assert fr.layout.xaxis8.range == (-0.5 - s, T - 0.5 - s)
    frame_bytes = max(len(json.dumps(f)) for f in spec(fig)["frames"])
    assert frame_bytes < 100
    play, pause = fig.layout.updatemenus[0].buttons
    assert play.label == "▶ Play" and play.args[1]["frame"]["redraw"] is False
    assert list(pause.args[0]) == [None]
    steps = fig.layout.sliders[0].steps
    assert len(steps) == T and list(steps[4].args[0]) == ["4"] and fig.layout.sliders[0].active == 3
    zh = F.animated_stack(trace.layers[-1], None, tokens, "lstm", "zh")
    assert zh.layout.updatemenus[0].buttons[0].label == "▶ 播放"


def charts(T, H=64, anim=True):
    text = ("the quick brown fox jumps over the lazy dog " * 60)[:T]
    tokens, trace = run(text, H=H)
    layer = trace.layers[-1]
    names = notation.TRACE_VALUES["lstm"]
    figs = [F.heatmap_stack(layer, names, tokens, "lstm", "en", t=5),
            F.token_strip(tokens, layer["hidden"][:, 0], 5, "en"),
            F.cell_diagram(trace, 5, 0, "en")]
    if anim:
        figs.append(F.animated_stack(layer, names, tokens, "lstm", "en", t0=5))
    return sum(payload(f) for f in figs)


def test_payload_budget_and_linear_growth():
    """Issue 3: all charts for T=200, H=64 ≤ 1.5 MB; T=400 ≤ 2.2 × T=200.
    Counted with the static and the animated stack both on the page."""
    p200, p400 = charts(200), charts(400)
    assert p200 <= 1.5e6
    assert p400 <= 2.2 * p200


# ------------------------------------------------------------ token strip
def test_token_strip_layout_and_click_data():
    tokens = tuple(parse_sequence("ab c\nd" + "x" * 100, "chars").tokens)
    T = len(tokens)
    values = np.linspace(-1, 1, T)
    fig = F.token_strip(tokens, values, 2, "en")
    pts, bars = fig.data
    assert pts.type == "scatter" and bars.type == "bar"
    np.testing.assert_array_equal(pts.customdata, np.arange(T))
    assert pts.text[2] == "␣" and pts.text[4] == "⏎"
    assert bars.marker.color.dtype == np.float32 and (bars.marker.cmin, bars.marker.cmax) == (-1, 1)
    assert "step 3" in pts.hovertext[2] and "0.9" not in pts.hovertext[0] and "−" not in pts.hovertext[0]
    assert pts.y[5] == 1                                        # the newline ended row 0
    assert max(np.bincount(np.asarray(pts.y, int))) <= 41      # ~40 Latin characters per row
    [box] = fig.layout.shapes
    assert box.x0 == pytest.approx(bars.base[2] - 0.05) and box.x1 == pytest.approx(bars.base[2] + bars.x[2] + 0.05)
    assert (box.y0, box.y1) == (pts.y[2] - 0.5, pts.y[2] + 0.5)
    with pytest.raises(ValueError):
        F.token_strip(tokens, values[:-1], 0, "en")


def test_token_strip_wraps_chinese_sooner():
    zh = parse_sequence("我爱北京天安门" * 10, "chars").tokens
    fig = F.token_strip(zh, np.zeros(len(zh)), None, "zh")
    per_row = np.bincount(np.asarray(fig.data[0].y, int))
    assert 15 <= per_row[0] <= 25 and not fig.layout.shapes


# ---------------------------------------------------------- cell diagram
def texts(fig):
    return " ".join(a.text for a in fig.layout.annotations)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_lstm_diagram_shows_this_steps_numbers(lang):
    tokens, trace = run(output=5)
    fig = F.cell_diagram(trace, 3, 2, lang)
    s = cell_step(trace, 3, 2)
    body = texts(fig)
    for name in ("forget", "input", "candidate", "output", "cell", "cell_tanh", "hidden", "c_prev", "h_prev"):
        assert fmt(s[name]) in body, name
    for sym in ("z<sup>f</sup>", "z<sup>i</sup>", "z<sup>o</sup>", "c<sup>t−1</sup>", "h<sup>t</sup>", "y<sup>t</sup>"):
        assert sym in body
    stage = {"en": "select & memorize", "zh": "选择记忆"}[lang]
    assert stage in body
    assert (fig.layout.width, fig.layout.height) == (700, 450)
    for shp in fig.layout.shapes:
        assert 0 <= min(shp.x0, shp.x1) and max(shp.x0, shp.x1) <= 10
        assert 0 <= min(shp.y0, shp.y1) and max(shp.y0, shp.y1) <= 6.5
    hover = " ".join(fig.data[0].hovertext)
    assert f"{s['cell']:.6f}" in hover and "c = " in hover
    assert tr("fig.cell.title", lang, cell="LSTM", step=4, unit=2) == fig.layout.title.text


def test_gru_and_rnn_diagrams():
    _, trace = run(cell="gru")
    s = cell_step(trace, 2, 1)
    body = texts(F.cell_diagram(trace, 2, 1, "en"))
    for name in ("reset", "update", "candidate", "hidden", "h_prev"):
        assert fmt(s[name]) in body
    _, trace = run(cell="rnn")
    s = cell_step(trace, 2, 1)
    body = texts(F.cell_diagram(trace, 2, 1, "zh"))
    assert fmt(s["hidden"]) in body and fmt(s["pre_hidden"]) in body and "压缩" in body


# ------------------------------------------------------------------ lines
def test_lines():
    fig = F.lines({"LSTM": np.array([1.0, 0.5, 0.25]), "RNN": (np.array([0, 5]), np.array([1.0, 0.0]))},
                  "fig.axis.step", "norm", "zh", log_y=True, title="fig.name.forget")
    a, b = fig.data
    assert a.name == "LSTM" and a.y.dtype == np.float32 and list(a.x) == [1, 2, 3]
    assert np.isnan(b.y[1])                                    # zero cannot be drawn on a log axis
    assert fig.layout.yaxis.type == "log" and fig.layout.xaxis.title.text == "时间步（词元）"
    assert fig.layout.yaxis.title.text == "norm" and fig.layout.title.text == "遗忘门"


# ----------------------------------------------------------------- labels
def test_every_label_key_exists():
    src = open(F.__file__, encoding="utf-8").read()
    used = set(re.findall(r'_t\("([a-z_.]+)"', src))
    used |= {f"fig.name.{n}" for names in notation.TRACE_VALUES.values() for n in names}
    used |= {f"fig.cell.stage.{k}" for k in ("forget", "memorize", "output", "mix", "squash")}
    assert used <= loc.EN.keys() and used <= loc.ZH.keys()
