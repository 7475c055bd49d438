"""Figures of the Train page: the live loss / accuracy chart.

A plain function of arrays (tested without Streamlit), with ``ui.figures.sequence``'s
template. The time-lapse (one snapshot's trace on the probe) is drawn by the trace
player (``ui.player``), as in the explorer.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ..i18n import t
from . import sequence as figures

MAX_POINTS = 400    # progress points drawn (evenly thinned beyond this)


def _thin(n, top=MAX_POINTS):
    return np.unique(np.linspace(0, n - 1, top).round().astype(int)) if n > top else np.arange(n)


def progress(steps, loss, accuracy, lang, chance=None, total=None) -> go.Figure:
    """Loss (left axis) and accuracy (right axis, 0..1) against the training step.

    steps, loss, accuracy: (n,) arrays of the progress points; chance: the
    accuracy of the best constant answer, drawn as a dotted line; total: the
    planned number of steps (fixes the x range so the chart does not jump).
    """
    steps, loss, accuracy = (np.asarray(a, np.float64) for a in (steps, loss, accuracy))
    k = _thin(len(steps))
    f32 = figures._f32
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=f32(steps[k]), y=f32(loss[k]), mode="lines", name=t("train.loss", lang),
                             line=dict(color="#d62728")))
    fig.add_trace(go.Scatter(x=f32(steps[k]), y=f32(accuracy[k]), mode="lines", name=t("train.accuracy", lang),
                             yaxis="y2", line=dict(color="#1f77b4")))
    if chance is not None:
        right = total or (steps[-1] if len(steps) else 1)
        fig.add_trace(go.Scatter(x=[0, right], y=[chance, chance], mode="lines", name=t("train.chance", lang),
                                 yaxis="y2", line=dict(color="#1f77b4", dash="dot", width=1)))
    xr = [0, total] if total else None
    fig.update_layout(
        template=figures.TEMPLATE, height=320, margin=dict(l=60, r=60, t=40, b=50),
        title=dict(text=t("train.chart_title", lang), x=0.01, font=dict(size=14)),
        xaxis=dict(title=dict(text=t("train.step", lang)), range=xr, showgrid=True, gridcolor="#eee"),
        yaxis=dict(title=dict(text=t("train.loss", lang), font=dict(color="#d62728")), rangemode="tozero",
                   showgrid=True, gridcolor="#eee"),
        yaxis2=dict(title=dict(text=t("train.accuracy", lang), font=dict(color="#1f77b4")), range=[0, 1.02],
                    overlaying="y", side="right", tickformat=".0%", dtick=0.25, showgrid=False),
        legend=dict(orientation="h", y=1.02, yanchor="bottom", x=1, xanchor="right"),
        hovermode="x unified",
    )
    return fig
