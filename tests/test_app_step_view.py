"""StepFigures moves cursors instead of rebuilding: the result must equal a fresh figure."""
import json

import plotly.io as pio
import pytest

from lstm_core.notation import TRACE_VALUES
from ui import model_source, state
from ui.figures import sequence as figures
from ui.figures.step_view import StepFigures


def as_json(fig):
    return json.loads(pio.to_json(fig, validate=False))


def rounded(shapes):
    return [{k: round(v, 5) if isinstance(v, float) else v for k, v in s.items()} for s in shapes]


@pytest.fixture(scope="module")
def run():
    return model_source.compute(state.ModelSpec("lstm", 6, 2), "猫坐在垫子上，then it slept. " * 3,
                                "chars", "embedding")


@pytest.mark.parametrize("layer_ix,units", [(1, None), (0, [1, 4])])
def test_moved_heatmap_cursor_equals_a_rebuilt_figure(run, layer_ix, units):
    views, names = StepFigures(), TRACE_VALUES["lstm"]
    first = views.heatmaps(run, layer_ix, names, units, "zh", 0)
    for t in (3, len(run.tokens) - 1, 0):
        moved = views.heatmaps(run, layer_ix, names, units, "zh", t)
        assert moved is first                                    # same object: only the cursor moved
        fresh = figures.heatmap_stack(run.trace.layers[layer_ix], names, run.tokens, "lstm", "zh", t=t, units=units)
        assert as_json(moved) == as_json(fresh)


def test_moved_strip_cursor_equals_a_rebuilt_figure(run):
    views = StepFigures()
    first = views.strip(run, 1, 2, "cell", "en", 0)
    for t in (1, 17, len(run.tokens) - 1):
        moved = views.strip(run, 1, 2, "cell", "en", t)
        assert moved is first
        fresh = figures.token_strip(run.tokens, run.trace.layers[1]["cell"][:, 2], t, "en")
        got, want = as_json(moved)["layout"]["shapes"], as_json(fresh)["layout"]["shapes"]
        assert rounded(got) == rounded(want)


def test_a_different_view_rebuilds(run):
    views, names = StepFigures(), TRACE_VALUES["lstm"]
    a = views.heatmaps(run, 1, names, None, "en", 2)
    assert views.heatmaps(run, 1, names, None, "zh", 2) is not a            # language changed
    b = views.strip(run, 1, 2, "hidden", "en", 2)
    assert views.strip(run, 1, 3, "hidden", "en", 2) is not b                # unit changed
    other = model_source.compute(state.ModelSpec("lstm", 6, 2), "another", "chars", "embedding")
    assert views.heatmaps(other, 1, names, None, "zh", 2) is not a           # new run
