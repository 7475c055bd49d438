"""Plotly figures of the sequence explorer: data in, ``go.Figure`` out.

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
import unicodedata
from typing import Mapping

import numpy as np
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from lstm_core import notation

from ..i18n import t as _t
from ..parsing import display_token, graphemes
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


def _yid(k):
    return "y" if k == 1 else f"y{k}"


def _stack(layer, names, tokens, cell, lang, t, units, extra_bottom=0):
    """Panels stacked top to bottom on ONE shared categorical x axis ("x",
    drawn under the last panel); panel k has its own y axis "y{k}"."""
    names = tuple(names or notation.TRACE_VALUES.get(cell, ("hidden",)))
    cats = step_labels(tokens)
    n = len(names)
    sub, gap, top, bottom = None, 34, 36, 80 + extra_bottom
    fig = go.Figure()
    rows = 0
    for k, name in enumerate(names, start=1):
        tr, rows = _heat_trace(layer[name], tokens, name, cell, lang, units, cats)
        tr.update(xaxis="x", yaxis=_yid(k))
        fig.add_trace(tr)
    sub = _sub_height(rows)
    plot_h = n * sub + (n - 1) * gap
    for k, name in enumerate(names, start=1):
        hi = 1 - (k - 1) * (sub + gap) / plot_h
        lo = max(0.0, hi - sub / plot_h)
        fig.data[k - 1].colorbar.update(y=(lo + hi) / 2, len=hi - lo, yanchor="middle", x=1.01)
        fig.layout[f"yaxis{k}"] = dict(_unit_axis(lang, rows), domain=[lo, hi], anchor="x")
        fig.add_annotation(text=_title(name, cell, lang), x=0, xref="paper", xanchor="left", y=hi, yref="paper",
                           yanchor="bottom", yshift=2, showarrow=False, font=dict(size=13))
        if t is not None:
            fig.add_shape(_cursor_rect(int(t), rows, xref="x", yref=_yid(k)))
    fig.update_layout(template=TEMPLATE, height=plot_h + top + bottom, showlegend=False,
                      margin=dict(l=60, r=60, t=top, b=bottom),
                      xaxis=dict(_time_axis(tokens, cats, lang), anchor=f"y{n}", domain=[0, 1]))
    return fig, names, cats, rows


def heatmap_stack(layer: Mapping, names, tokens, cell, lang, t=None, units=None) -> go.Figure:
    """All ``names`` of one layer (a mapping name → (T, H)) stacked on one shared
    time axis, each with its own colour range and bar, the step ``t`` outlined
    in every panel. Heights stay readable from H = 1 to 64 rows, tick labels
    thin out for long sequences (up to 2000 steps)."""
    return _stack(layer, names, tokens, cell, lang, t, units)[0]


def animated_stack(layer: Mapping, names, tokens, cell, lang, units=None, t0=0,
                   frame_ms: int = 150) -> go.Figure:
    """``heatmap_stack`` with plotly's own animation: Play / Pause and a slider
    inside the figure move a cursor through time in the browser.

    How it stays small and fast: the heatmaps are sent once and never
    animated. Each panel has a cursor, a rectangle around x ∈ [−0.5, 0.5] on
    a hidden linear axis "x{n+1}" laid over the time axis; frame s only sets
    that axis' range to [−0.5 − s, T − 0.5 − s], which slides every cursor to
    column s. A frame is ~40 bytes (payload O(T), not O(T² · H)), and plotly
    animates an axis range with ``redraw: false`` without replotting traces
    (animating the cursor *traces* with redraw false would make plotly.js drop
    the heatmap layers; redraw true re-renders everything on each frame).
    The time axis is fixed (no zoom) here so the cursor stays aligned.
    """
    T = len(tokens)
    fig, names, cats, rows = _stack(layer, names, tokens, cell, lang, None, units, extra_bottom=70)
    n = len(names)
    t0 = int(np.clip(t0, 0, T - 1))
    cx = f"x{n + 1}"

    def window(s):
        return [-0.5 - s, T - 0.5 - s]

    fig.layout[f"xaxis{n + 1}"] = dict(overlaying="x", range=window(t0), visible=False, fixedrange=True)
    box_x = _f32([-0.5, 0.5, 0.5, -0.5, -0.5])
    box_y = _f32([-0.5, -0.5, rows - 0.5, rows - 0.5, -0.5])
    for k in range(1, n + 1):
        fig.layout[f"yaxis{n + k}"] = dict(overlaying=_yid(k), range=[rows - 0.5, -0.5], visible=False,
                                          fixedrange=True)
        fig.add_trace(go.Scatter(x=box_x, y=box_y, xaxis=cx, yaxis=f"y{n + k}", mode="lines",
                                 line=dict(color=CURSOR, width=2), hoverinfo="skip", showlegend=False))
    fig.layout.xaxis.fixedrange = True
    fig.frames = [go.Frame(name=str(s), layout={f"xaxis{n + 1}": {"range": window(s)}}) for s in range(T)]
    still = dict(frame=dict(duration=0, redraw=False), mode="immediate", transition=dict(duration=0))
    play = dict(frame=dict(duration=frame_ms, redraw=False), fromcurrent=True, mode="immediate",
                transition=dict(duration=0))
    fig.update_layout(
        updatemenus=[dict(type="buttons", direction="left", showactive=False, x=0.0, xanchor="left",
                          y=0, yanchor="top", pad=dict(t=78, r=10),
                          buttons=[dict(label=_t("fig.play", lang), method="animate", args=[None, play]),
                                   dict(label=_t("fig.pause", lang), method="animate", args=[[None], still])])],
        sliders=[dict(active=t0, x=0.2, len=0.8, y=0, yanchor="top", pad=dict(t=70, b=0),
                      currentvalue=dict(prefix=_t("fig.slider.step", lang), font=dict(size=12, color="#222")),
                      ticklen=0, minorticklen=0, font=dict(color="rgba(0,0,0,0)", size=1),
                      steps=[dict(method="animate", label=cats[s], args=[[str(s)], still]) for s in range(T)])],
    )
    return fig


# ------------------------------------------------------------ token strip
def _text_width(s: str) -> float:
    """Width in half-width character cells: a user-perceived character
    (grapheme) with a wide or emoji code point counts 2, others 1."""
    w = 0.0
    for g in graphemes(s):
        wide = any(unicodedata.east_asian_width(c) in ("W", "F") for c in g)
        w += 2 if wide else 1
    return max(w, 1.0)


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


def token_strip(tokens, values, t, lang, vmin=-1.0, vmax=1.0, row_width: float = 56, title=None,
                colorscale_name: str = DIVERGING) -> go.Figure:
    """Tokens laid out like text, each on a background coloured by ``values`` (T,).

    Rows wrap at ``row_width`` half-width character cells (≈ 40 Latin
    characters, 23 Chinese ones, fewer words). Hover gives step and value; the
    step ``t`` (0-based) is outlined. Tokens are the points of one scatter
    trace (index 0 of the figure's data) whose ``customdata`` is the step
    index (0-based), so ``st.plotly_chart(on_select="rerun")`` can jump there.
    """
    values = np.asarray(values, dtype=np.float64).reshape(-1)
    T = len(tokens)
    if values.shape[0] != T:
        raise ValueError(f"values must have one entry per token ({T}); found {values.shape[0]}")
    shown = [_short(display_token(tok), 16) for tok in tokens]
    pad = 0.8
    xs, ys, ws = np.zeros(T), np.zeros(T), np.zeros(T)
    x = row = 0.0
    widths = [_text_width(s) + pad for s in shown]
    word = np.zeros(T)   # width from token i to the end of its word (the next whitespace token)
    run_w = 0.0
    for i in range(T - 1, -1, -1):
        run_w = 0.0 if tokens[i].isspace() else run_w + widths[i]
        word[i] = run_w
    for i, w in enumerate(widths):
        starts_word = i == 0 or tokens[i - 1].isspace()
        need = word[i] if starts_word and word[i] <= row_width / 2 else w   # keep short words whole
        if x > 0 and x + need > row_width:
            x, row = 0.0, row + 1
        xs[i], ys[i], ws[i] = x, row, w
        x += w
        if tokens[i] == "\n":   # a typed line break ends the row
            x, row = 0.0, row + 1
    rows = int(ys.max()) + 1
    height = int(max(150, 70 + 34 * rows))
    colors = [_color_of(v, vmin, vmax, colorscale_name) for v in values]
    step, val = _t("fig.hover.step", lang), _t("fig.hover.value", lang)
    hover = [f"{s} · {step} {i + 1}<br>{val} = {v:.5f}" for i, (s, v) in enumerate(zip(shown, values))]
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=_f32(xs + ws / 2), y=_f32(ys), mode="markers+text", text=shown, customdata=np.arange(T),
        textfont=dict(color=[_text_color(c) for c in colors], size=15, family=FONT),
        marker=dict(symbol="square", size=22, color="rgba(0,0,0,0)"),
        selected=dict(marker=dict(opacity=0)), unselected=dict(marker=dict(opacity=0)),
        hovertext=hover, hovertemplate="%{hovertext}<extra></extra>", showlegend=False,
    ))
    fig.add_trace(go.Bar(   # the coloured backgrounds (plotly draws bars below scatter text)
        base=_f32(xs + 0.05), x=_f32(ws - 0.1), y=_f32(ys), orientation="h", width=0.86,
        marker=dict(color=_f32(values), colorscale=colorscale_name, cmin=vmin, cmax=vmax, line=dict(width=0),
                    colorbar=dict(thickness=10, outlinewidth=0, lenmode="pixels", len=min(200, height - 30))),
        hoverinfo="skip", showlegend=False,
    ))
    if t is not None and 0 <= int(t) < T:
        i = int(t)
        fig.add_shape(type="rect", x0=xs[i], x1=xs[i] + ws[i], y0=ys[i] - 0.5, y1=ys[i] + 0.5,
                      line=dict(color=CURSOR, width=3), layer="above")
    fig.update_layout(
        template=TEMPLATE, height=height, margin=dict(l=10, r=10, t=36 if title else 10, b=10),
        title=dict(text=title, x=0.01, font=dict(size=13)) if title else None,
        xaxis=dict(visible=False, range=[-0.3, row_width + 0.3], fixedrange=True),
        yaxis=dict(visible=False, range=[rows - 0.45, -0.55], fixedrange=True),
        barmode="overlay", dragmode=False, clickmode="event+select",
    )
    return fig


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
