"""The first lesson's timeline (``pages/lesson.py``): the gates the student set at every step, and what
they did to c and h on the two streams (letter A and letter B). Input: ``ui.lesson.lesson`` results."""
from __future__ import annotations

import numpy as np
from plotly.subplots import make_subplots

from lstm_core import notation

from ..i18n import t

GATE_COLORS = {"forget": "#ff7f0e", "input": "#2ca02c", "output": "#9467bd"}
STREAM_COLORS = {"A": "#d62728", "B": "#1f77b4"}


def timeline(result: dict, gates: dict, lang: str, step: int | None = None):
    """Two panels on one time axis: the three gates (0…1, one bar each per step), then c (solid) and
    h (dotted) of each stream."""
    labels = [f"{k + 1} · {tok}" for k, tok in enumerate(result["A"]["tokens"])]
    x = np.arange(len(labels))
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12, row_heights=[0.42, 0.58],
                        subplot_titles=(t("lf.gates", lang), t("lf.states", lang)))
    for g in ("forget", "input", "output"):
        fig.add_bar(x=x, y=np.asarray(gates[g]), name=notation.symbol(g, style="html"), marker_color=GATE_COLORS[g],
                    row=1, col=1)
    for letter in ("A", "B"):
        r = result[letter]
        fig.add_scatter(x=x, y=r["cell"], name=t("lf.c", lang, letter=letter), mode="lines+markers",
                        line=dict(color=STREAM_COLORS[letter], width=2.5), row=2, col=1)
        fig.add_scatter(x=x, y=r["hidden"], name=t("lf.h", lang, letter=letter), mode="lines+markers",
                        line=dict(color=STREAM_COLORS[letter], width=1.5, dash="dot"), marker=dict(symbol="square"),
                        row=2, col=1)
    fig.add_hline(y=0, line=dict(color="#999", width=1), row=2, col=1)
    if step is not None:
        for row in (1, 2):
            fig.add_vrect(x0=step - 0.45, x1=step + 0.45, fillcolor="#fff2a8", opacity=0.5, line_width=0,
                          layer="below", row=row, col=1)
    lim = max(1.0, float(np.max(np.abs([result[k]["cell"] for k in ("A", "B")]))) * 1.1)
    fig.update_yaxes(range=[-0.05, 1.05], row=1, col=1)
    fig.update_yaxes(range=[-lim, lim], row=2, col=1)
    fig.update_xaxes(tickvals=x, ticktext=labels, row=2, col=1)
    fig.update_xaxes(tickvals=x, ticktext=labels, showticklabels=False, row=1, col=1)
    fig.update_layout(height=470, margin=dict(l=50, r=20, t=40, b=40), hovermode="x unified", barmode="group",
                      legend=dict(orientation="h", yanchor="top", y=-0.12, x=0))
    return fig
