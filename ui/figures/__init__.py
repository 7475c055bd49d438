"""Figure builders: data in, a plotly figure (or text lines) out; no Streamlit.

- ``sequence``: one units × time heatmap, the cell diagram of one step (stepping
  through time is the trace player's, ``ui.player``);
- ``arithmetic``: the numbers of one unit at one step (``cell_step``) and the
  lines of arithmetic that add up to them;
- ``teaching``: the teaching pages' charts (gradient flow, saturation, …);
- ``training``: the Train page's loss curve.
"""
