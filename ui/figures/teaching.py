"""Plotly figures of the teaching pages, beyond ``ui.figures.sequence``.

Each builder takes the plain results of ``lstm_core.analysis`` (NumPy arrays
in dicts) and a language, and returns a ``plotly.graph_objects.Figure``. No
computation beyond choosing what to draw happens here. Steps are shown
1-based (t = 1 … T), as everywhere in the app.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lstm_core import notation

from ..i18n import t

CELL_NAMES = {"rnn": "RNN", "gru": "GRU", "lstm": "LSTM"}
CELL_COLORS = {"rnn": "#7f7f7f", "gru": "#2ca02c", "lstm": "#d62728"}
HEIGHT = 380


def _layout(fig, title, xlabel, ylabel, height=HEIGHT):
    fig.update_layout(title=dict(text=title, x=0, xanchor="left"), height=height,
                      margin=dict(l=60, r=20, t=60, b=50), hovermode="x unified",
                      legend=dict(orientation="h", yanchor="top", y=-0.18, x=0))
    fig.update_xaxes(title_text=xlabel)
    fig.update_yaxes(title_text=ylabel)
    return fig


def _positive(a):
    """Values for a log axis: zeros and negatives become gaps (NaN)."""
    a = np.asarray(a, dtype=np.float64)
    return np.where(a > 0, a, np.nan)


def _steps(n):
    return np.arange(1, n + 1)


def gradient_chart(flows, lang):
    """‖∂L/∂h_t‖ per cell (solid), the LSTM's ‖∂L/∂c_t‖ (dashed) and its
    forget-gate product (dotted), on one log axis against the step t.

    flows: {kind: ``analysis.gradient_flow(...)`` result}.
    """
    fig = go.Figure()
    for kind, f in flows.items():
        name, color = CELL_NAMES[kind], CELL_COLORS[kind]
        x = _steps(len(f["grad_hidden"]))
        fig.add_scatter(x=x, y=_positive(f["grad_hidden"]), name=t("tf.grad_h", lang, cell=name),
                        line=dict(color=color, width=2.5), mode="lines")
        if f.get("grad_cell") is not None:
            fig.add_scatter(x=x, y=_positive(f["grad_cell"]), name=t("tf.grad_c", lang, cell=name),
                            line=dict(color=color, width=2, dash="dash"), mode="lines")
        if f.get("forget_product") is not None:
            fig.add_scatter(x=x, y=_positive(f["forget_product"]), name=t("tf.forget_prod", lang, cell=name),
                            line=dict(color="#ff7f0e", width=2, dash="dot"), mode="lines")
    fig.update_yaxes(type="log", exponentformat="power")
    return _layout(fig, t("tf.grad_title", lang), t("tf.step", lang), t("tf.grad_y", lang))


def change_chart(changes, lang):
    """Relative step-to-step change: ‖Δh‖/typical ‖h‖ per cell, and the LSTM's ‖Δc‖/typical ‖c‖.

    changes: {kind: ``analysis.state_change(trace)`` result}.
    """
    fig = go.Figure()
    for kind, ch in changes.items():
        name, color = CELL_NAMES[kind], CELL_COLORS[kind]
        x = _steps(len(ch["hidden_rel"]))
        fig.add_scatter(x=x, y=ch["hidden_rel"], name=t("tf.change_h", lang, cell=name),
                        line=dict(color=color, width=2), mode="lines+markers", marker=dict(size=4))
        if ch.get("cell_rel") is not None:
            fig.add_scatter(x=x, y=ch["cell_rel"], name=t("tf.change_c", lang, cell=name),
                            line=dict(color=color, width=3, dash="dash"), mode="lines")
    fig.update_yaxes(rangemode="tozero")
    return _layout(fig, t("tf.change_title", lang), t("tf.step", lang), t("tf.change_y", lang))


def saturation_chart(saturation, lang, low=0.1, high=0.9):
    """One scatter per gate (Karpathy et al. 2015 style): each dot is a unit,
    x = fraction of steps below ``low``, y = fraction above ``high``.
    Dots near the top are gates that stay open, near the right gates that
    stay shut, near the origin gates that answer to the input.

    saturation: ``analysis.gate_saturation(trace, low, high)`` result.
    """
    gates = list(saturation)
    fig = make_subplots(rows=1, cols=max(1, len(gates)), horizontal_spacing=0.08,
                        subplot_titles=[notation.symbol(g, style="html") for g in gates])
    for k, gate in enumerate(gates, start=1):
        left, right = saturation[gate]["left"], saturation[gate]["right"]
        units = np.arange(len(left))
        fig.add_scatter(x=[0, 1], y=[1, 0], mode="lines", line=dict(color="#bbbbbb", dash="dot"),
                        hoverinfo="skip", showlegend=False, row=1, col=k)
        fig.add_scatter(x=left, y=right, mode="markers", showlegend=False, row=1, col=k,
                        marker=dict(size=9, opacity=0.75, color="#1f77b4", line=dict(width=1, color="white")),
                        text=[t("tf.sat_unit", lang, unit=int(u)) for u in units],
                        hovertemplate="%{text}<br>&lt;" + f"{low:g}: " + "%{x:.0%}<br>&gt;" + f"{high:g}: "
                                      + "%{y:.0%}<extra></extra>")
        fig.update_xaxes(range=[-0.04, 1.04], tickformat=".0%", row=1, col=k)
        fig.update_yaxes(range=[-0.04, 1.04], tickformat=".0%", row=1, col=k, scaleanchor=f"x{k if k > 1 else ''}")
    fig.update_layout(title=dict(text=t("tf.sat_title", lang), x=0, xanchor="left"), height=HEIGHT + 20,
                      margin=dict(l=70, r=20, t=80, b=60))
    fig.update_xaxes(title_text=t("tf.sat_left", lang, low=low))
    fig.update_yaxes(title_text=t("tf.sat_right", lang, high=high), col=1)
    return fig


def params_chart(counts, lang, inputs, hidden):
    """Bars of ``model.param_count()`` per cell kind. counts: {kind: int}."""
    kinds = list(counts)
    fig = go.Figure(go.Bar(x=[CELL_NAMES[k] for k in kinds], y=[counts[k] for k in kinds],
                           marker_color=[CELL_COLORS[k] for k in kinds],
                           text=[f"{counts[k]:,}" for k in kinds], textposition="outside"))
    fig.update_yaxes(rangemode="tozero")
    fig.update_layout(yaxis_range=[0, 1.18 * max(counts.values())])
    _layout(fig, t("tf.params_title", lang, inputs=inputs, hidden=hidden), "", t("tf.params_y", lang), height=320)
    fig.update_layout(hovermode="closest")
    return fig


def share_chart(influence, lang):
    """The first token's share of what moves h_t, against the distance t − 1.

    influence: ``analysis.first_token_influence(...)`` result (or several,
    as {kind: result}, drawn one line each).
    """
    many = influence if "share" not in influence else {"rnn": influence}
    fig = go.Figure()
    for kind, fi in many.items():
        d = np.arange(len(fi["share"]))
        fig.add_scatter(x=d, y=fi["share"], name=CELL_NAMES[kind], mode="lines+markers",
                        line=dict(color=CELL_COLORS[kind], width=2), marker=dict(size=5))
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%")
    longest = max(len(fi["share"]) for fi in many.values())
    d = np.arange(longest)           # the share every input would get if none faded: 1/(d+1)
    fig.add_scatter(x=d, y=1.0 / (d + 1), name=t("tf.share_even", lang), mode="lines",
                    line=dict(color="#999", width=1.5, dash="dash"))
    fig.update_layout(showlegend=True)
    return _layout(fig, t("tf.share_title", lang), t("tf.distance", lang), t("tf.share_y", lang))


def influence_heatmap(matrix, tokens, lang):
    """J[t, s] = ‖∂h_t/∂x_s‖ as a heatmap: rows are states h_t, columns inputs x_s (lower triangle)."""
    J = np.asarray(matrix, dtype=np.float64)
    T = J.shape[0]
    labels = [f"{k + 1}·{_short(tok)}" for k, tok in enumerate(list(tokens)[:T])]
    z = np.where(np.tril(np.ones_like(J)) > 0, J, np.nan).astype(np.float32)
    fig = go.Figure(go.Heatmap(z=z, x=labels, y=labels, colorscale="Blues",
                               colorbar=dict(title=dict(text=t("tf.matrix_color", lang), side="right")),
                               hovertemplate="h_t: %{y}<br>x_s: %{x}<br>%{z:.3g}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category", tickangle=0 if T <= 20 else -60)
    _layout(fig, t("tf.matrix_title", lang), t("tf.matrix_x", lang), t("tf.matrix_y", lang),
            height=max(HEIGHT, min(700, 120 + 18 * T)))
    fig.update_layout(hovermode="closest")
    return fig


def unrolled_diagram(tokens, lang, values=None, max_steps=8):
    """The RNN unrolled: one box per step, x^t below, y^t above, h passed right.

    values: optional (T,) numbers written in each box (e.g. one unit's h_t)
    and used for its colour (-1 blue … +1 red). Shows at most ``max_steps``.
    """
    tokens = list(tokens)
    n = min(len(tokens), max_steps)
    fig = go.Figure()
    arrow = dict(showarrow=True, arrowhead=2, arrowsize=1.2, arrowwidth=1.6, arrowcolor="#555",
                 axref="x", ayref="y", text="")
    for k in range(n):
        v = None if values is None else float(values[k])
        fill = "#f2f2f2" if v is None else _diverging(v)
        fig.add_shape(type="rect", x0=k - 0.3, x1=k + 0.3, y0=0.7, y1=1.3, fillcolor=fill,
                      line=dict(color="#333", width=1.5), layer="below")
        label = f"h<sup>{k + 1}</sup>" + ("" if v is None else f"<br>{v:+.2f}")
        ink = "white" if v is not None and abs(v) > 0.6 else "#222"      # readable on dark and light boxes
        fig.add_annotation(x=k, y=1.0, text=label, showarrow=False, font=dict(size=14, color=ink))
        fig.add_annotation(x=k, y=0.0, text=_short(tokens[k]), showarrow=False, font=dict(size=15, color="#222"),
                           bgcolor="#fff8dc", bordercolor="#c9a227", borderpad=4)
        fig.add_annotation(x=k, y=-0.35, text=f"x<sup>{k + 1}</sup>", showarrow=False, font=dict(size=12, color="#222"))
        fig.add_annotation(x=k, y=0.68, ax=k, ay=0.18, **arrow)
        fig.add_annotation(x=k, y=1.85, ax=k, ay=1.32, **arrow)
        fig.add_annotation(x=k, y=2.05, text=f"y<sup>{k + 1}</sup>", showarrow=False, font=dict(size=13, color="#222"))
        fig.add_annotation(x=k + 0.68, y=1.0, ax=k + 0.32, ay=1.0, **arrow)
    fig.add_annotation(x=-0.32, y=1.0, ax=-0.75, ay=1.0, **arrow)
    fig.add_annotation(x=-0.8, y=1.0, text="h<sup>0</sup>", showarrow=False, xanchor="right")
    if len(tokens) > n:
        fig.add_annotation(x=n, y=1.0, text=t("tf.more_steps", lang, n=len(tokens) - n), showarrow=False,
                           xanchor="left")
    fig.update_xaxes(visible=False, range=[-1.3, n + 0.9])
    fig.update_yaxes(visible=False, range=[-0.6, 2.3])
    fig.update_layout(title=dict(text=t("tf.unrolled_title", lang), x=0, xanchor="left"), height=300,
                      margin=dict(l=10, r=10, t=50, b=10), plot_bgcolor="white", showlegend=False)
    return fig


def effect_chart(effect, lang):
    """Per-step change caused by an intervention (``analysis.intervention_effect`` result)."""
    fig = go.Figure()
    x = _steps(len(effect["memory"]))
    fig.add_scatter(x=x, y=effect["memory"], name=t("tf.effect_memory", lang), mode="lines+markers",
                    line=dict(color="#d62728", width=2))
    fig.add_scatter(x=x, y=effect["hidden"], name=t("tf.effect_hidden", lang), mode="lines+markers",
                    line=dict(color="#1f77b4", width=2, dash="dash"))
    if effect.get("output") is not None:
        fig.add_scatter(x=x, y=effect["output"], name=t("tf.effect_output", lang), mode="lines+markers",
                        line=dict(color="#2ca02c", width=2, dash="dot"))
    fig.update_yaxes(rangemode="tozero")
    return _layout(fig, t("tf.effect_title", lang), t("tf.step", lang), t("tf.effect_y", lang))


def recall_chart(results, lang, chance=None):
    """Accuracy against the gap, one line per cell. results: {kind: {"gaps": [...], "accuracy": [...]}};
    with "low" and "high" (the worst and best of several seeds) each point gets a bar over that range."""
    fig = go.Figure()
    # GRU and LSTM often coincide at 100 %: the GRU is drawn wide and pale underneath, the LSTM dashed on top.
    style = {"rnn": dict(width=2.5), "gru": dict(width=8), "lstm": dict(width=2.5, dash="dash")}
    for kind, r in results.items():
        spread = None
        if "low" in r and "high" in r:
            mean = np.asarray(r["accuracy"], float)
            spread = dict(type="data", symmetric=False, array=np.asarray(r["high"], float) - mean,
                          arrayminus=mean - np.asarray(r["low"], float), color=CELL_COLORS[kind], thickness=1.5)
        fig.add_scatter(x=r["gaps"], y=r["accuracy"], name=CELL_NAMES[kind], mode="lines+markers",
                        line=dict(color=CELL_COLORS[kind], **style.get(kind, {})), error_y=spread,
                        marker=dict(size=12 if kind == "gru" else 7), opacity=0.5 if kind == "gru" else 1.0)
    if chance is not None:
        fig.add_hline(y=chance, line=dict(color="#999", dash="dot"), annotation_text=t("tf.chance", lang),
                      annotation_position="bottom right")
    fig.update_yaxes(range=[0, 1.05], tickformat=".0%")
    gaps = sorted({g for r in results.values() for g in r["gaps"]})
    fig.update_xaxes(type="log", tickvals=gaps, ticktext=[str(g) for g in gaps])   # gaps grow geometrically
    return _layout(fig, t("tf.recall_title", lang), t("tf.recall_x", lang), t("tf.recall_y", lang))


def _short(token, limit=6):
    s = str(token)
    s = {" ": "␣", "\n": "↵", "\t": "⇥"}.get(s, s)
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _diverging(v):
    """-1 → blue, 0 → white, +1 → red (clipped)."""
    v = max(-1.0, min(1.0, v))
    a = abs(v)
    if v >= 0:
        r, g, b = 255, int(255 - 140 * a), int(255 - 150 * a)
    else:
        r, g, b = int(255 - 150 * a), int(255 - 110 * a), 255
    return f"rgb({r},{g},{b})"
