"""The clipping switch of the Long-term memory page's gradient view.

The primer says the LSTM was made against vanishing *and* exploding gradients. Its cell path helps the
first; what handles the second in practice is clipping the gradient's norm, which this app's trainer
does before every update (``lstm_core.training.trainer.Trainer``, ``clip``). When the recurrent weights
are scaled above 1 the page offers the switch: the chart then shows every cell's gradient as the
trainer would use it (``lstm_core.analysis.gradient_clipping``), and the text gives each cell's norm
before and the factor clipping applies, measured on the sequence shown.
"""
from __future__ import annotations

import inspect

import streamlit as st

from lstm_core import analysis
from lstm_core.training.trainer import Trainer

from . import keys

CELL_NAMES = {"rnn": "RNN", "gru": "GRU", "lstm": "LSTM"}


def trainer_clip() -> float:
    """The trainer's default largest gradient norm (``Trainer(clip=…)``)."""
    return float(inspect.signature(Trainer.__init__).parameters["clip"].default)


def clipped_flows(flows: dict, max_norm: float) -> tuple[dict, dict]:
    """(the flows with their gradients as clipping leaves them, {kind: gradient_clipping result})."""
    done = {k: analysis.gradient_clipping(f, max_norm) for k, f in flows.items()}
    out = {k: {**f, "grad_hidden": done[k]["grad_hidden"], "grad_cell": done[k]["grad_cell"]}
           for k, f in flows.items()}
    return out, done


def number(v: float) -> str:
    return f"{v:.3g}" if 1e-3 <= abs(v) < 1e4 else f"{v:.1e}"


def clip_switch(ctx, flows: dict, scale: float) -> dict:
    """Draw the switch (only when ``scale`` > 1) and its measured sentence; the flows to chart."""
    if scale <= 1:
        return flows
    limit = trainer_clip()
    on = st.toggle(ctx.tr("clip.switch", limit=f"{limit:g}"), key=keys.MEM_CLIP, help=ctx.tr("clip.help"))
    clipped, done = clipped_flows(flows, limit)
    items = ctx.tr("clip.sep").join(
        ctx.tr("clip.item", cell=CELL_NAMES.get(k, k.upper()), norm=number(c["norm"]), scale=number(c["scale"]))
        for k, c in done.items())
    untouched = all(c["scale"] == 1.0 for c in done.values())
    st.markdown(ctx.tr("clip.text", limit=f"{limit:g}", items=items)
                + (" " + ctx.tr("clip.none", limit=f"{limit:g}") if untouched else ""))
    return clipped if on else flows
