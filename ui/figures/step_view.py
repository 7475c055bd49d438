"""The explorer's step view: its figures, rebuilt only when what they show changes.

A step change moves the cursor; the heatmaps' data (units × time) and the
token strip's colours stay the same. So one ``StepFigures`` per session
keeps the last heatmap stack and token strip and, on a step change, only
moves their cursor shapes: x0/x1 = t ∓ ½ on the categorical time axis of
every panel, and the outlined token's box in the strip. Only the cell
diagram (this step's numbers) is built anew. If a figure does not have
the expected cursor (``ui.figures.sequence`` changed), it is rebuilt instead.

Figures are per session (kept in ``st.session_state``), never shared, so
moving their cursors is safe; the cached ``Run`` they draw is read-only.
"""
from __future__ import annotations

from . import sequence as figures


class StepFigures:
    def __init__(self):
        self._stack = (None, None)   # (key, figure)
        self._strip = (None, None)

    @staticmethod
    def _same(key, other):
        return other is not None and len(key) == len(other) and all(
            a is b if i == 0 else a == b for i, (a, b) in enumerate(zip(key, other)))

    def heatmaps(self, run, layer_ix, names, units, lang, t):
        """``figures.heatmap_stack`` of ``run``'s layer with step ``t`` (0-based) outlined."""
        key = (run, layer_ix, tuple(names), None if units is None else tuple(units), lang)
        old_key, fig = self._stack
        if not self._same(key, old_key) or not self._move_stack_cursor(fig, t):
            fig = figures.heatmap_stack(run.trace.layers[layer_ix], names, run.tokens, run.trace.cell, lang,
                                        t=t, units=units)
            self._stack = (key, fig)
        return fig

    @staticmethod
    def _move_stack_cursor(fig, t):
        shapes = [s for s in fig.layout.shapes if s.type == "rect"]
        if not shapes or any(abs((s.x1 - s.x0) - 1) > 1e-9 for s in shapes):
            return False
        for s in shapes:
            s.x0, s.x1 = t - 0.5, t + 0.5
        return True

    def strip(self, run, layer_ix, unit, color_by, lang, t):
        """``figures.token_strip`` coloured by ``color_by`` of ``unit``, token ``t`` outlined."""
        key = (run, layer_ix, unit, color_by, lang)
        old_key, fig = self._strip
        if not self._same(key, old_key) or not self._move_strip_cursor(fig, t):
            values = run.trace.layers[layer_ix][color_by][:, unit]
            fig = figures.token_strip(run.tokens, values, t, lang)
            self._strip = (key, fig)
        return fig

    @staticmethod
    def _move_strip_cursor(fig, t):
        """The outline sits on the token's background bar: x from bar.base − 0.05 to base + width + 0.05."""
        bars = [d for d in fig.data if d.type == "bar"]
        if len(fig.layout.shapes) != 1 or len(bars) != 1 or bars[0].base is None:
            return False
        bar, box = bars[0], fig.layout.shapes[0]
        x0 = float(bar.base[t]) - 0.05
        box.x0, box.x1 = x0, x0 + float(bar.x[t]) + 0.1
        box.y0, box.y1 = float(bar.y[t]) - 0.5, float(bar.y[t]) + 0.5
        return True

    @staticmethod
    def cell(run, layer_ix, unit, lang, t):
        return figures.cell_diagram(run.trace, t, unit, lang, layer=layer_ix)
