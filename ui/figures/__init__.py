"""Figure builders: data in, a plotly figure (or text lines) out; no Streamlit.

- ``sequence``: the explorer's views of one run: units × time heatmaps, the
  token strip, the cell diagram of one step;
- ``arithmetic``: the numbers of one unit at one step (``cell_step``) and the
  lines of arithmetic that add up to them;
- ``teaching``: the teaching pages' charts (gradient flow, saturation, …);
- ``training``: the Train page's loss curve and time-lapse;
- ``step_view``: the explorer's per-session cache that only moves cursors.
"""
