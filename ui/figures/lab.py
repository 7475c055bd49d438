"""Figures of the causal lab (``pages/lab.py``), from ``lstm_core.causal`` results.

Plain functions, data → plotly figure; steps shown 1-based, units 0-based (as
everywhere in the app).
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ..i18n import t
from ..parsing import display_token
from .sequence import TEMPLATE

DIFF_SCALE = [[0.0, "#2166ac"], [0.5, "#f7f7f7"], [1.0, "#b2182b"]]   # blue − · white 0 · red +


def _label(step, token, limit=8):
    s = display_token(str(token))
    s = s if len(s) <= limit else s[: limit - 1] + "…"
    return f"{step}·{s}"


def diff_heatmap(diff, steps, tokens, symbol, lang, unit=None, changed=None, title=None):
    """After − before of one state, units × steps: ``diff`` (K, H); ``steps`` the K 1-based steps of
    the run shown; ``tokens`` their tokens; ``symbol`` "c" or "h". The chosen ``unit`` is outlined;
    ``changed`` (K,) bool marks with ▲ the steps where the answer changed."""
    d = np.asarray(diff, dtype=np.float64)
    K, H = d.shape
    m = float(np.abs(d).max()) if d.size else 0.0
    m = m if m > 0 else 1.0
    x = [_label(s, tok) for s, tok in zip(steps, tokens)]
    fig = go.Figure(go.Heatmap(
        z=d.T, x=x, y=list(range(H)), colorscale=DIFF_SCALE, zmin=-m, zmax=m, zmid=0,
        colorbar=dict(title=dict(text=f"Δ{symbol}"), thickness=12),
        hovertemplate=t("lab.fig.diff_hover", lang, sym=symbol) + "<extra></extra>"))
    if changed is not None:
        ks = [k for k, c in enumerate(changed) if c]
        if ks:
            fig.add_scatter(x=[x[k] for k in ks], y=[-1.2] * len(ks), mode="markers", showlegend=False,
                            marker=dict(symbol="triangle-down", size=9, color="#d62728"), hoverinfo="skip",
                            cliponaxis=False)
    if unit is not None and 0 <= unit < H:
        fig.add_shape(type="rect", xref="x", x0=-0.5, x1=K - 0.5, yref="y", y0=unit - 0.5, y1=unit + 0.5,
                      line=dict(color="#111", width=1.5), fillcolor="rgba(0,0,0,0)")
    height = int(np.clip(H * 7 + 150, 220, 520))
    fig.update_layout(template=TEMPLATE, height=height, margin=dict(l=60, r=20, t=50, b=70),
                      title=dict(text=title or t("lab.fig.diff_title", lang, sym=symbol), x=0.01, font=dict(size=14)),
                      xaxis=dict(type="category", title=t("lab.fig.step", lang), tickfont=dict(size=10)),
                      yaxis=dict(autorange="reversed", title=t("lab.fig.unit", lang), range=[H - 0.5, -1.8]))
    return fig


def _chance_line(fig, chance, lang):
    if chance is not None:
        fig.add_hline(y=chance, line=dict(color="#888", dash="dot"), annotation_text=t("lab.fig.chance", lang),
                      annotation_position="top left")


def ranking_chart(r, lang, top=16):
    """Accuracy with each unit silenced (the ``top`` most harmful first), its standard error as an
    error bar, the untouched accuracy as a line and chance dotted. ``r``: ``causal.rank_units``."""
    order = list(r["order"][:top])
    units = [int(r["units"][i]) for i in order]
    acc = [float(r["accuracy"][i]) for i in order]
    err = [float(r["spread"][i]) for i in order]
    fig = go.Figure(go.Bar(x=[t("lab.fig.unit_n", lang, unit=u) for u in units], y=acc, marker_color="#1f77b4",
                           error_y=dict(type="data", array=err, visible=True, color="#444"),
                           text=[f"{100 * a:.0f}%" for a in acc], textposition="outside",
                           hovertemplate="%{x}: %{y:.1%}<extra></extra>"))
    fig.add_hline(y=r["base"]["accuracy"], line=dict(color="#2ca02c", width=2),
                  annotation_text=t("lab.fig.untouched", lang), annotation_position="bottom right")
    _chance_line(fig, r["chance"], lang)
    fig.update_layout(template=TEMPLATE, height=360, margin=dict(l=60, r=90, t=50, b=60),
                      title=dict(text=t("lab.fig.rank_title", lang, n=r["n"]), x=0.01, font=dict(size=14)),
                      yaxis=dict(range=[0, 1.12], tickformat=".0%", title=t("lab.fig.accuracy", lang)),
                      xaxis=dict(type="category"))
    return fig


def intervention_chart(res, lang):
    """Accuracy untouched, with the intervention on the chosen units, and on random units (mean ± std
    over the draws, each draw a dot); chance dotted. ``res``: ``causal.intervene``."""
    names = [t("lab.fig.untouched", lang), t("lab.fig.chosen", lang)]
    ys = [res["base"]["accuracy"], res["after"]["accuracy"]]
    errs = [res["base"]["spread"], res["after"]["spread"]]
    colors = ["#2ca02c", "#d62728"]
    rnd = res["random"]
    if rnd is not None:
        names.append(t("lab.fig.random", lang, k=len(rnd["units"][0])))
        ys.append(rnd["mean"])
        errs.append(rnd["spread"])
        colors.append("#7f7f7f")
    fig = go.Figure(go.Bar(x=names, y=ys, marker_color=colors, showlegend=False,
                           error_y=dict(type="data", array=errs, color="#333"),
                           text=[f"{100 * y:.1f}%" for y in ys], textposition="outside",
                           hovertemplate="%{x}: %{y:.1%}<extra></extra>"))
    if rnd is not None:
        fig.add_scatter(x=[names[-1]] * len(rnd["accuracy"]), y=list(rnd["accuracy"]), mode="markers",
                        marker=dict(color="#111", size=7, symbol="circle-open"), showlegend=False,
                        text=[", ".join(map(str, u)) for u in rnd["units"]],
                        hovertemplate=t("lab.fig.draw_hover", lang) + "<extra></extra>")
    _chance_line(fig, res["chance"], lang)
    fig.update_layout(template=TEMPLATE, height=340, margin=dict(l=60, r=20, t=50, b=40),
                      title=dict(text=t("lab.fig.iv_title", lang, n=res["n"]), x=0.01, font=dict(size=14)),
                      yaxis=dict(range=[0, 1.15], tickformat=".0%", title=t("lab.fig.accuracy", lang)))
    return fig
