"""The Train page's figure builders and its logic (ui.figures.training, ui.train_view), without Streamlit."""
import numpy as np
import pytest

from lstm_core import load
from lstm_core.training.tasks import make_task
from ui import train_view
from ui.figures import training as train_figures
from ui.train_view import Settings


def test_progress_chart_has_loss_accuracy_and_chance():
    fig = train_figures.progress([10, 20, 30], [2.0, 1.5, 1.0], [0.1, 0.4, 0.9], "en", chance=0.125, total=100)
    assert [d.name for d in fig.data] == ["loss", "accuracy", "chance"]
    assert fig.data[1].yaxis == "y2" and tuple(fig.layout.yaxis2.range) == (0, 1.02)
    assert tuple(fig.layout.xaxis.range) == (0, 100)
    assert fig.layout.title.text == "Loss and accuracy on the training batches"


def test_progress_chart_is_thinned_and_works_empty():
    n = 5000
    fig = train_figures.progress(np.arange(n), np.ones(n), np.zeros(n), "zh")
    assert len(fig.data[0].x) <= train_figures.MAX_POINTS
    assert fig.data[0].x[-1] == n - 1                      # the last point is kept
    empty = train_figures.progress([], [], [], "zh", chance=0.5, total=10)
    assert len(empty.data) == 3


def test_job_trains_snapshots_and_evaluates():
    job = train_view.start(Settings("parity", 8, "lstm", 4, 0.02, 40))
    while not job.advance(0.2):
        pass
    assert job.reason == "steps" and job.trainer.steps == 40
    steps = [s for s, _ in job.snapshots]
    assert steps[0] == 0 and steps[-1] == 40 and steps == sorted(steps)
    # a snapshot is the weights of that moment: the last one is the trained model, the first the untrained one
    last, first = job.snapshots[-1][1], job.snapshots[0][1]
    assert last is not job.trainer.model
    for k, v in job.trainer.model.params.items():
        np.testing.assert_array_equal(last.params[k], v)
    assert any(not np.array_equal(first.params[k], v) for k, v in last.params.items())
    r = job.result
    assert 0 <= r["accuracy"] <= 1 and 0 < r["chance"] < 1 and r["unit"]["unit"] in range(4)
    xs, loss, acc = job.history
    assert len(xs) == len(loss) == len(acc) > 0 and xs[-1] == 40


def test_stop_keeps_the_steps_and_the_file_opens():
    job = train_view.start(Settings("recall", 5, "gru", 4, 0.01, 100_00))
    job.advance(0.05)
    job.stop()
    n = job.trainer.steps
    assert job.reason == "stopped" and n >= 1 and job.result["steps"] == n
    assert job.advance() is True and job.trainer.steps == n           # nothing more after a stop
    import io
    model = load(io.BytesIO(job.npz()), name="x.npz")
    assert model.kind == "gru" and model.meta["vocab"][-1] == "?"


@pytest.mark.parametrize("settings, message", [
    (Settings(hidden=0), "hidden size must be a whole number from 1 to 1024"),
    (Settings(hidden=129), "hidden must be at most 128"),
    (Settings(param=201), "gap must be at most 200"),
    (Settings(param=0), "gap must be a whole number from 1 to 2000"),
    (Settings(lr=0.0), "learning rate must be above 0"),
    (Settings(steps=0), "steps must be a whole number"),
    (Settings(task="parity", param=0), "length must be a whole number from 1 to 2000"),
])
def test_bad_settings_raise_naming_the_limit(settings, message):
    with pytest.raises(ValueError, match=message):
        train_view.start(settings)


def test_query_settings_repair_bad_values():
    got = train_view.query_settings({"task": "nope", "param": "x", "train_hidden": "-3", "lr": "abc",
                                     "steps": "99999999", "train_cell": "LSTM!"})
    assert got["w_train_task"] == "recall" and got["w_train_recall"] == 20
    assert got["w_train_hidden"] == 0 and got["w_train_lr"] == 0.01 and got["w_train_steps"] == train_view.WIDGET_MAX
    assert "w_train_cell" not in got
    s = Settings("charlm", "zh", "rnn", 8, 0.005, 10)
    back = train_view.query_settings(train_view.to_query(s))
    assert back["w_train_corpus"] == "zh" and back["w_train_cell"] == "rnn" and back["w_train_lr"] == 0.005


@pytest.mark.parametrize("name, params", [("recall", {"gap": 6}), ("adding", {"length": 6}),
                                          ("charlm", {"corpus": "zh", "length": 10})])
def test_sample_text_is_one_example_of_the_task(name, params):
    task = make_task(name, **params)
    mode, text = train_view.sample_text(task)
    if task.vocab is None:
        assert mode == "numbers" and len(text.split(";")) == 6
    else:
        assert mode == "chars" and np.array_equal(task.encode(text), task.probe().inputs[:, 0])


def test_probe_view_is_the_snapshot_on_the_probe_with_predictions():
    """What the time-lapse's player shows: the snapshot's weights run on the probe, every value of the
    cell (pre-activations too) and the output's top answers beside the ones the task expects."""
    from ui.player.data import decode, player_data

    job = train_view.start(Settings("recall", 4, "lstm", 4, 0.02, 30))
    while not job.advance(0.2):
        pass
    tokens = train_view.probe_tokens(job.task)
    for i in (0, len(job.snapshots) - 1):
        view = job.probe_view(i)
        model = job.snapshots[i][1]
        expect = model.forward(train_view.probe(job.task).inputs[:, 0].astype(model.dtype))
        assert view["tokens"] == tokens and view["trace"].steps == len(tokens)
        np.testing.assert_array_equal(view["trace"]["hidden"], expect["hidden"])
        assert "pre_forget" in view["trace"].layers[0]
        assert len(view["top"]) == len(tokens) and len(view["top"][0]) == 5
        assert view["expected"][-1] == tokens[0] and view["expected"][0] is None   # recall: the first letter, at "?"
        assert job.probe_view(i) is view                                          # kept: the same trace again
        data = player_data(trace=view["trace"], tokens=tokens, model=model.describe(), lang="zh",
                           predictions=view["top"], expected=view["expected"])
        np.testing.assert_allclose(decode(data)["values"]["cell"], expect["cell"], atol=data["quant_err"] * 1.01)
        assert data["predict"]["expected"][-1] == tokens[0]
