"""Plotly figures of one sequence: data in, ``go.Figure`` out.

What is left here after the trace player (``ui.player``) took over stepping: the
single units × time ``heatmap`` (home page, teaching pages), the still
``cell_diagram`` of one step (the LSTM cell page) and ``lines``. Stepping through
time, the stacked heatmaps and the token strip live in the player.

No Streamlit here. Every array put into a figure is a float32 NumPy array,
so plotly sends it as base64 binary (``{"dtype": "f4", "bdata": …}``), not as
a JSON list. Labels come from ``ui.i18n.t`` (keys in
``ui/locales/figures.py``); symbols from ``lstm_core.notation``.

Heatmaps are units × time: row = unit, column = step, x tick labels = tokens.
The x axis is categorical with one category per step, "12 · a" (1-based step
and visible token), so the hover shows step and token without a per-cell
text array (which would cost T × H strings).
"""
from __future__ import annotations

import math
import re
from typing import Mapping

import numpy as np
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from lstm_core import notation

from ..i18n import t as _t
from ..parsing import display_token
from .arithmetic import arithmetic_lines, cell_step, fmt

FONT = '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'
# A small template instead of plotly's default (which adds ~10 kB to every figure).
TEMPLATE = go.layout.Template(layout=dict(
    font=dict(family=FONT, size=12, color="#222"),
    paper_bgcolor="white", plot_bgcolor="white",
    hoverlabel=dict(font=dict(family=FONT)),
    xaxis=dict(showgrid=False, zeroline=False, linecolor="#888"),
    yaxis=dict(showgrid=False, zeroline=False, linecolor="#888"),
))

SEQUENTIAL = "Viridis"    # gates, 0 (closed) .. 1 (open)
DIVERGING = "RdBu_r"      # signed values, blue < 0 < red, white at 0
CURSOR = "#111"

# Fixed colour ranges per kind of value; None = symmetric around 0 from the data.
COLOR_RANGES = {
    "forget": (0.0, 1.0), "input": (0.0, 1.0), "output": (0.0, 1.0),
    "reset": (0.0, 1.0), "update": (0.0, 1.0),
    "candidate": (-1.0, 1.0), "hidden": (-1.0, 1.0), "cell_tanh": (-1.0, 1.0),
    "cell": None,
}


MAX_TICKS = 60          # token labels on a time axis before thinning
TICK_CHARS = 8          # a tick label longer than this is cut with "…"


# --------------------------------------------------------------- helpers
def value_range(name: str, values=None) -> tuple:
    """(vmin, vmax) for colouring ``name``: gates 0..1; candidate, hidden and
    tanh(c) −1..1; the cell state (and anything else) symmetric around 0,
    ±max|v| but at least ±1. A fixed range the data overflows (an RNN with
    ReLU) widens symmetrically."""
    fixed = COLOR_RANGES.get(name)
    big = 0.0
    if values is not None:
        v = np.asarray(values, dtype=np.float64)
        if v.size:
            big = float(np.nanmax(np.abs(v))) if np.isfinite(v).any() else 0.0
            big = big if math.isfinite(big) else 0.0
    if fixed is not None and (values is None or big <= max(abs(fixed[0]), abs(fixed[1])) + 1e-9):
        return fixed
    m = max(1.0, big)
    return (-m, m)


def colorscale(name: str) -> str:
    return SEQUENTIAL if name in notation.SIGMOID_VALUES else DIVERGING


def symbol_html(name: str, cell: str = "lstm") -> str:
    """The primer's symbol as plotly HTML: z^f → z<sup>f</sup>, \\tilde{n} → ñ."""
    if name.startswith("pre_"):
        return "a<sub>" + symbol_html(name[4:], cell) + "</sub>"
    try:
        return notation.symbol(name, cell, style="html")
    except KeyError:
        return name


def value_name(name: str, lang: str) -> str:
    key = "fig.name.pre" if name.startswith("pre_") else f"fig.name.{name}"
    return _t(key, lang)


def _f32(a) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(a, dtype=np.float32))


def _short(s: str, n: int) -> str:
    return s if len(s) <= n else s[:n - 1] + "…"


def step_labels(tokens) -> list:
    """One unique category per step: "1 · a", "2 · ␣", … (1-based, visible tokens)."""
    return [f"{i + 1} · {_short(display_token(tok), 24)}" for i, tok in enumerate(tokens)]


def _ticks(tokens, cats, max_ticks=MAX_TICKS):
    """Tick positions and texts for the time axis: every token up to
    ``max_ticks`` steps; beyond that ~24 ticks at a round interval, each
    labelled with its step number and token."""
    T = len(tokens)
    if T <= max_ticks:
        return cats, [_short(display_token(tok), TICK_CHARS) for tok in tokens]
    every = next(e for e in (2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 10**9) if T / e <= 24)
    idx = [0] + list(range(every - 1, T, every))
    return [cats[i] for i in idx], [f"{i + 1}<br>{_short(display_token(tokens[i]), TICK_CHARS)}" for i in idx]


def _units(H, units):
    return list(range(H)) if units is None else [int(u) for u in units]


def _hover(name, cell, lang):
    return (f"{_t('fig.hover.step', lang)} · {_t('fig.hover.token', lang)}: %{{x}}<br>"
            f"{_t('fig.hover.unit', lang)}: %{{y}}<br>"
            f"{symbol_html(name, cell)} = %{{z:.5f}}<extra></extra>")


def _title(name, cell, lang):
    return f"<b>{symbol_html(name, cell)}</b>  {value_name(name, lang)}"


def _heat_trace(values, tokens, name, cell, lang, units, cats):
    v = np.asarray(values)
    if v.ndim != 2 or v.shape[0] != len(tokens):
        raise ValueError(f"{name}: values must be (T, H) with T = {len(tokens)} tokens; found {v.shape}")
    us = _units(v.shape[1], units)
    lo, hi = value_range(name, v[:, us])
    return go.Heatmap(
        z=_f32(v[:, us].T), x=cats, y=[str(u) for u in us],
        zmin=lo, zmax=hi, colorscale=colorscale(name), hovertemplate=_hover(name, cell, lang),
        colorbar=dict(thickness=10, outlinewidth=0, tickfont=dict(size=10)),
    ), len(us)


def _cursor_rect(t, rows, xref="x", yref="y"):
    return dict(type="rect", xref=xref, yref=yref, x0=t - 0.5, x1=t + 0.5, y0=-0.5, y1=rows - 0.5,
                line=dict(color=CURSOR, width=2), fillcolor="rgba(0,0,0,0)", layer="above")


def _time_axis(tokens, cats, lang, title=True):
    tickvals, ticktext = _ticks(tokens, cats)
    return dict(type="category", tickmode="array", tickvals=tickvals, ticktext=ticktext,
                tickfont=dict(size=11), title=dict(text=_t("fig.axis.step", lang)) if title else None)


def _unit_axis(lang, rows):
    return dict(type="category", autorange="reversed", fixedrange=True, ticks="",
                title=dict(text=_t("fig.axis.unit", lang), standoff=4), tickfont=dict(size=10),
                nticks=min(rows, 17))


def _sub_height(rows):
    """Pixel height of one heatmap: ~4 px per unit for many units, readable for few."""
    return int(np.clip(rows * 4 + 20, 70, 280))


# --------------------------------------------------------------- heatmaps
def heatmap(values, tokens, name, cell, lang, t=None, units=None) -> go.Figure:
    """One value of one layer as units × time.

    values: (T, H); tokens: T strings; name: a trace value name ("forget",
    "cell", …); cell: "lstm" | "gru" | "rnn"; t: the current step (0-based),
    outlined; units: which units (rows), default all.
    """
    cats = step_labels(tokens)
    trace, rows = _heat_trace(values, tokens, name, cell, lang, units, cats)
    fig = go.Figure(trace)
    h = _sub_height(rows)
    fig.update_layout(
        template=TEMPLATE, height=h + 130, margin=dict(l=60, r=20, t=40, b=70),
        title=dict(text=_title(name, cell, lang), x=0.01, font=dict(size=14)),
        xaxis=_time_axis(tokens, cats, lang), yaxis=_unit_axis(lang, rows),
    )
    if t is not None:
        fig.add_shape(_cursor_rect(int(t), rows))
    return fig


# ------------------------------------------------------------ colours of the cell diagram
def _text_color(color: str) -> str:
    """Dark or white text, whichever reads better on ``color`` ("#rrggbb" or "rgb(r, g, b)")."""
    if color.startswith("#"):
        r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    else:
        r, g, b = (int(float(x)) for x in re.findall(r"[\d.]+", color)[:3])
    return "#111" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "#fff"


def _color_of(value, lo, hi, scale):
    x = 0.5 if hi <= lo or not np.isfinite(value) else float(np.clip((value - lo) / (hi - lo), 0, 1))
    return sample_colorscale(scale, [x])[0]


# ------------------------------------------------------------ cell diagram
_X0, _X1, _Y0, _Y1 = 0.0, 10.0, 0.0, 6.5


def _contrast(color):
    return _text_color(color)


class _Canvas:
    """Shapes, annotations and hover points of one diagram, in data units."""

    def __init__(self):
        self.shapes, self.notes, self.hx, self.hy, self.htext = [], [], [], [], []

    def box(self, x, y, label, value, name, w=1.1, h=0.78, hover=None, text=None, rng=None):
        lo, hi = rng or value_range(name, None if value is None else [value])
        fill = "#f2f2f2" if value is None else _color_of(value, lo, hi, colorscale(name))
        self.shapes.append(dict(type="rect", x0=x - w / 2, x1=x + w / 2, y0=y - h / 2, y1=y + h / 2,
                                line=dict(color="#444", width=1.2), fillcolor=fill, layer="below"))
        body = text if text is not None else f"<b>{label}</b><br>{fmt(value, 2)}"
        self.notes.append(dict(x=x, y=y, text=body, showarrow=False, font=dict(size=13, color=_contrast(fill))))
        if hover:
            self.hx.append(x), self.hy.append(y), self.htext.append(hover)

    def op(self, x, y, sym, r=0.26):
        self.shapes.append(dict(type="circle", x0=x - r, x1=x + r, y0=y - r * 1.1, y1=y + r * 1.1,
                                line=dict(color="#444", width=1.2), fillcolor="#fffbe6", layer="below"))
        self.notes.append(dict(x=x, y=y, text=f"<b>{sym}</b>", showarrow=False, font=dict(size=15)))

    def line(self, x0, y0, x1, y1, color="#666"):
        self.shapes.append(dict(type="line", x0=x0, y0=y0, x1=x1, y1=y1, line=dict(color=color, width=1.6),
                                layer="below"))

    def arrow(self, x0, y0, x1, y1, color="#666"):
        self.notes.append(dict(x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y", text="",
                               showarrow=True, arrowhead=2, arrowsize=1.1, arrowwidth=1.6, arrowcolor=color))

    def label(self, x, y, text, size=12, color="#555", **kw):
        self.notes.append(dict(x=x, y=y, text=text, showarrow=False, font=dict(size=size, color=color), **kw))

    def figure(self, title, width=700, height=450):
        """The drawing as a figure. Built from plain dicts without Plotly's
        per-property validation: ~70 shapes and notes made validation most of
        a step change's server time, and every value here is made by this
        module (the template is expanded to a dict first)."""
        data = []
        if self.hx:
            data.append(dict(type="scatter", x=_f32(self.hx), y=_f32(self.hy), mode="markers",
                             marker=dict(size=34, color="rgba(0,0,0,0)", symbol="square"),
                             hovertext=self.htext, hovertemplate="%{hovertext}<extra></extra>",
                             showlegend=False))
        layout = dict(
            template=TEMPLATE.to_plotly_json(), width=width, height=height, margin=dict(l=8, r=8, t=38, b=8),
            title=dict(text=title, x=0.01, font=dict(size=14)), shapes=list(self.shapes),
            annotations=list(self.notes),
            xaxis=dict(visible=False, range=[_X0, _X1], fixedrange=True),
            yaxis=dict(visible=False, range=[_Y0, _Y1], fixedrange=True),
            dragmode=False,
        )
        return go.Figure(dict(data=data, layout=layout), skip_invalid=False, _validate=False)


def _exact(label, v):
    return f"{label} = {v:.6f}"


def _inputs(cv, s, lang):
    """x^t and h^{t-1} boxes at the bottom and the bus that feeds every gate."""
    x = np.asarray(s["x_t"], dtype=np.float64)
    norm = float(np.linalg.norm(x))
    preview = ", ".join(fmt(v, 2) for v in x[:3]) + (", …" if x.size > 3 else "")
    cv.box(1.2, 0.55, "x", None, "x", w=2.0, h=0.8,
           text=f"<b>x<sup>t</sup></b> ({x.size})<br><span style='font-size:11px'>[{preview}]</span>",
           hover=notation.to_html(_t("fig.cell.x_summary", lang, n=x.size, norm=f"{norm:.4f}"))
           + "<br>" + "<br>".join(f"x[{i}] = {v:.6f}" for i, v in enumerate(x[:12])))
    cv.box(3.1, 0.55, "h<sup>t−1</sup>", s["h_prev"], "hidden", hover=_exact("h<sup>t−1</sup>", s["h_prev"]))
    cv.line(1.2, 0.95, 1.2, 1.22)
    cv.line(3.1, 0.94, 3.1, 1.22)
    cv.label(4.6, 0.55, "[x<sup>t</sup>, h<sup>t−1</sup>]", size=13, color="#333", xanchor="left")


def _lstm_diagram(s, lines, lang):
    cv = _Canvas()
    _inputs(cv, s, lang)
    gates = [(3.0, "forget"), (4.6, "input"), (6.2, "candidate"), (7.6, "output")]
    cv.line(1.2, 1.22, 7.6, 1.22)
    gy, gh = 2.0, 0.78
    for gx, name in gates:
        cv.arrow(gx, 1.22, gx, gy - gh / 2)
        key = "output_gate" if name == "output" else name
        cv.box(gx, gy, symbol_html(name), s[name], name,
               hover=f"{_exact(symbol_html(name), s[name])}<br>{lines.get(key, '')}")
    cy = 5.6
    m = max(1.0, abs(s["c_prev"]), abs(s["cell"]))   # one colour range for both cell states
    cv.box(0.9, cy, "c<sup>t−1</sup>", s["c_prev"], "cell", hover=_exact("c<sup>t−1</sup>", s["c_prev"]), rng=(-m, m))
    cv.op(3.0, cy, "×")
    cv.op(5.4, cy, "+")
    cv.op(5.4, 3.75, "×")
    cv.box(8.3, 4.4, "tanh c<sup>t</sup>", s["cell_tanh"], "cell_tanh", w=1.05, h=0.7,
           hover=_exact("tanh(c<sup>t</sup>)", s["cell_tanh"]))
    cv.op(8.3, 3.05, "×")
    cv.box(9.35, cy, "c<sup>t</sup>", s["cell"], "cell", w=1.0, rng=(-m, m),
           hover=f"{_exact('c<sup>t</sup>', s['cell'])}<br>{lines.get('memorize', '')}")
    cv.box(9.35, 3.05, "h<sup>t</sup>", s["hidden"], "hidden", w=1.0,
           hover=f"{_exact('h<sup>t</sup>', s['hidden'])}<br>{lines.get('output', '')}")
    # the c line along the top
    cv.arrow(1.45, cy, 2.74, cy)
    cv.arrow(3.26, cy, 5.14, cy)
    cv.arrow(5.66, cy, 8.85, cy)
    cv.arrow(8.3, cy, 8.3, 4.76)
    # gates into the stages
    cv.arrow(3.0, gy + gh / 2, 3.0, cy - 0.29)
    cv.arrow(4.6, gy + gh / 2, 5.2, 3.55)
    cv.arrow(6.2, gy + gh / 2, 5.6, 3.55)
    cv.arrow(5.4, 4.04, 5.4, cy - 0.29)
    cv.arrow(7.6, gy + gh / 2, 8.1, 2.85)
    cv.arrow(8.3, 4.05, 8.3, 3.34)
    cv.arrow(8.56, 3.05, 8.85, 3.05)
    for x, key in ((3.0, "forget"), (5.4, "memorize"), (8.3, "output")):
        cv.label(x, 6.25, _t(f"fig.cell.stage.{key}", lang), size=12, color="#555")
    if "y" in s:
        y = np.asarray(s["y"])
        k = int(np.argmax(y))
        cv.box(9.35, 1.75, "y<sup>t</sup>", None, "y", w=1.0, h=0.78,
               text=f"<b>y<sup>t</sup></b><br><span style='font-size:11px'>max {fmt(y[k], 2)} #{k}</span>",
               hover="<br>".join(f"y[{i}] = {v:.6f}" for i, v in enumerate(y[:12])))
        cv.arrow(9.35, 2.66, 9.35, 2.15)
    return cv


def _gru_diagram(s, lines, lang):
    cv = _Canvas()
    _inputs(cv, s, lang)
    hy = 5.6
    cv.line(1.2, 1.22, 7.0, 1.22)
    gy, gh = 2.0, 0.78
    for gx, name in ((3.0, "reset"), (5.0, "update")):
        cv.arrow(gx, 1.22, gx, gy - gh / 2)
        cv.box(gx, gy, symbol_html(name, "gru"), s[name], name,
               hover=f"{_exact(symbol_html(name, 'gru'), s[name])}<br>{lines.get(name, '')}")
    cv.arrow(7.0, 1.22, 7.0, 3.6 - 0.39)
    cv.box(7.0, 3.6, symbol_html("candidate", "gru"), s["candidate"], "candidate",
           hover=f"{_exact('ñ', s['candidate'])}<br>{lines.get('candidate', '')}")
    cv.arrow(3.55, 2.2, 6.45, 3.45)
    cv.label(4.9, 3.15, "r ⊙ (W<sub>h</sub>h<sup>t−1</sup>)", size=11, color="#555")
    cv.box(0.9, hy, "h<sup>t−1</sup>", s["h_prev"], "hidden", hover=_exact("h<sup>t−1</sup>", s["h_prev"]))
    cv.op(7.0, hy, "+")
    cv.arrow(1.45, hy, 6.74, hy)
    cv.arrow(7.0, 3.99, 7.0, hy - 0.29)
    cv.arrow(5.0, gy + gh / 2, 6.8, hy - 0.22)
    cv.label(5.6, 4.35, "1−u : u", size=11, color="#555")
    cv.box(9.35, hy, "h<sup>t</sup>", s["hidden"], "hidden", w=1.0,
           hover=f"{_exact('h<sup>t</sup>', s['hidden'])}<br>{lines.get('mix', '')}")
    cv.arrow(7.26, hy, 8.85, hy)
    cv.label(7.0, 6.25, _t("fig.cell.stage.mix", lang) + ": h<sup>t</sup> = (1−u)·ñ + u·h<sup>t−1</sup>", size=12)
    return cv


def _rnn_diagram(s, lines, lang):
    cv = _Canvas()
    _inputs(cv, s, lang)
    cv.line(1.2, 1.22, 5.5, 1.22)
    cv.arrow(5.5, 1.22, 5.5, 2.95)
    pre = s["pre_hidden"]
    cv.box(5.5, 3.4, "", pre, "pre_hidden", w=1.9, h=0.9,
           text=f"<b>a = W[x<sup>t</sup>, h<sup>t−1</sup>] + b</b><br>{fmt(pre, 2)}",
           hover=_exact("a", pre), rng=value_range("pre_hidden", [pre]))
    cv.arrow(6.45, 3.4, 8.85, 3.4)
    cv.label(7.65, 3.75, _t("fig.cell.stage.squash", lang), size=12)
    cv.box(9.35, 3.4, "h<sup>t</sup>", s["hidden"], "hidden", w=1.0,
           hover=f"{_exact('h<sup>t</sup>', s['hidden'])}<br>{lines.get('hidden', '')}")
    cv.label(5.5, 6.25, lines.get("hidden", ""), size=13, color="#333")
    return cv


def cell_diagram(trace, t, unit, lang, layer=-1, width=700, height=450) -> go.Figure:
    """The cell at step ``t`` (0-based) for ``unit``, drawn like the primer's figure.

    LSTM: [x^t, h^{t-1}] at the bottom feed z^f, z^i, z, z^o; the c line runs
    along the top from c^{t-1} through forget (×) and select-and-memorize
    (× then +) to c^t; tanh(c^t) × z^o gives h^t (and y^t when the model has
    an output layer). GRU and RNN get their own simpler drawings. Each box
    shows this step's number and is coloured by it; hover shows the exact
    value and the arithmetic.
    """
    s = cell_step(trace, int(t), int(unit), layer)
    lines = {k: notation.to_html(v) for k, v in arithmetic_lines(trace, int(t), int(unit), layer)}
    build = {"lstm": _lstm_diagram, "gru": _gru_diagram}.get(s["kind"], _rnn_diagram)
    cv = build(s, lines, lang)
    title = _t("fig.cell.title", lang, cell=s["kind"].upper(), step=int(t) + 1, unit=int(unit))
    return cv.figure(title, width, height)


# ------------------------------------------------------------------ lines
def lines(series: Mapping, xlabel, ylabel, lang, log_y=False, title=None, xs=None) -> go.Figure:
    """One line per entry of ``series`` (name → (n,) values, or (x, y) pair).

    xlabel, ylabel, title and the series names are catalogue keys or plain
    text (a key not in the catalogue shows as given). x defaults to 1..n.
    """
    fig = go.Figure()
    for name, data in series.items():
        if isinstance(data, tuple) and len(data) == 2:
            x, y = data
        else:
            y = data
            x = xs if xs is not None else np.arange(1, len(np.asarray(y)) + 1)
        y = np.asarray(y, dtype=np.float64)
        if log_y:
            y = np.where(y > 0, y, np.nan)
        fig.add_trace(go.Scatter(x=_f32(x), y=_f32(y), mode="lines", name=_t(str(name), lang)))
    fig.update_layout(
        template=TEMPLATE, height=360, margin=dict(l=60, r=20, t=40 if title else 16, b=50),
        title=dict(text=_t(title, lang), x=0.01, font=dict(size=14)) if title else None,
        xaxis=dict(title=dict(text=_t(xlabel, lang)), showgrid=True, gridcolor="#eee"),
        yaxis=dict(title=dict(text=_t(ylabel, lang)), type="log" if log_y else "linear", exponentformat="power",
                   showgrid=True, gridcolor="#eee"),
        legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0, xanchor="left"),
        hovermode="x unified",
    )
    return fig
