"""ui.figures.sequence: shapes, ranges, hover text, cursors, payload size of the one-value heatmap
and the still cell diagram (stepping through time is the trace player's: tests/test_player_data.py)."""
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
    assert "遗忘门" in zh.layout.title.text and "神经元" in zh.data[0].hovertemplate     # a unit is 神经元
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


@pytest.mark.parametrize("H, T", [(1, 5), (8, 40), (64, 200), (64, 2000)])
def test_heatmap_heights_and_ticks_stay_readable(H, T):
    rng = np.random.default_rng(0)
    tokens = tuple("ab cd"[i % 5] for i in range(T))
    fig = F.heatmap(rng.uniform(-1, 1, size=(T, H)), tokens, "hidden", "lstm", "en")
    plot_px = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
    assert plot_px >= 60 and plot_px / H >= 3.5 or H <= 8
    assert fig.layout.height < 1000
    ticks = fig.layout.xaxis.ticktext
    assert len(ticks) <= max(F.MAX_TICKS, 25)
    if T > F.MAX_TICKS:
        assert ticks[0].startswith("1<br>") and all("<br>" in x for x in ticks)


def test_heatmap_payload_is_binary_and_linear_in_T():
    """The home and teaching pages' heatmap: float32 sent as base64, so twice the steps cost about twice."""
    def size(T):
        text = ("the quick brown fox jumps over the lazy dog " * 60)[:T]
        tokens, trace = run(text, H=64)
        return payload(F.heatmap(trace["hidden"], tokens, "hidden", "lstm", "en"))
    p200, p400 = size(200), size(400)
    assert p200 <= 150_000 and p400 <= 2.2 * p200



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
