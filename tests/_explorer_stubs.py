"""Stand-ins for explorer.figures / explorer.explain while those modules are not in the tree.

They follow the agreed contract (names and arguments) and return small Plotly
figures, so the app tests exercise the page wiring. Used only by tests, and only
when the real module cannot be imported.
"""
import importlib
import sys
import types

import plotly.graph_objects as go


def _fig(*args, **kw):
    return go.Figure(go.Scatter(x=[0, 1], y=[0, 1]))


def _figures():
    m = types.ModuleType("explorer.figures")
    for name in ("heatmap", "heatmap_stack", "animated_stack", "cell_diagram", "token_strip", "lines"):
        setattr(m, name, _fig)
    return m


def _explain():
    m = types.ModuleType("explorer.explain")
    m.cell_step = lambda trace, t, unit, layer=-1: {}
    m.arithmetic_lines = lambda trace, t, unit, layer=-1, digits=2: [("forget", "c = 1×2 = 2")]
    m.top_units = lambda layer_values, k, by="variation", names=None: list(range(k))
    return m


def install():
    """Put stand-ins into sys.modules for whichever module is missing; returns their names."""
    made = []
    for name, build in (("explorer.figures", _figures), ("explorer.explain", _explain)):
        try:
            importlib.import_module(name)
        except ImportError:
            sys.modules[name] = build()
            import explorer
            setattr(explorer, name.split(".")[1], sys.modules[name])
            made.append(name)
    return made
