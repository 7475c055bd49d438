"""The shipped presets: present, small, loadable, described, and as accurate as recorded."""
import numpy as np
import pytest

from lstm_core import presets
from lstm_core.training.tasks import TASKS, task_from_meta
from lstm_core.training.trainer import Trainer

ENTRIES = presets.manifest()
pytestmark = pytest.mark.skipif(not ENTRIES, reason="presets not built")


def test_every_task_has_an_lstm_and_long_gap_tasks_have_all_three_cells():
    have = {(p["task"], p["cell"]) for p in ENTRIES}
    for task in TASKS:
        assert (task, "lstm") in have, task
    for task in ("recall", "temporal_order"):
        sizes = {p["hidden"] for p in ENTRIES if p["task"] == task}
        assert {c for t, c in have if t == task} == {"lstm", "gru", "rnn"} and len(sizes) == 1
    assert {p["params"].get("corpus") for p in ENTRIES if p["task"] == "charlm"} == {"en", "zh"}


@pytest.mark.parametrize("entry", ENTRIES, ids=[p["name"] for p in ENTRIES])
def test_preset_file_and_manifest(entry):
    f = presets.path(entry["name"])
    assert f.stat().st_size < 200_000 and f.stat().st_size == entry["bytes"]
    for key in ("accuracy", "train_seconds", "command", "cell", "hidden", "task"):
        assert key in entry
    assert entry["command"].startswith("python -m lstm_core.train ") and "--seed 0" in entry["command"]
    assert entry["look"]["en"] and entry["look"]["zh"] and entry["look"]["en"] != entry["look"]["zh"]
    m = presets.load(entry["name"])
    assert m.kind == entry["cell"] and m.hidden_size == entry["hidden"]
    assert m.meta["task"]["name"] == entry["task"] and m.meta["latent"] and set(m.meta["note"]) == {"en", "zh"}
    task = task_from_meta(m.meta)
    if task.vocab is not None:
        assert m.meta["vocab"] == list(task.vocab) and m.input_size == len(task.vocab)
        x = task.encode("".join(task.probe().tokens[0]))
        assert m.forward(x)["hidden"].shape == (len(x), m.hidden_size)
    if entry["cell"] == "lstm" or entry["task"] in ("parity", "brackets"):
        assert entry["accuracy"] > entry["chance"]


def test_recorded_accuracy_is_reproduced_on_held_out_data():
    entry = next(p for p in ENTRIES if p["name"] == "brackets_lstm")
    m = presets.load("brackets_lstm")
    tr = Trainer(task_from_meta(m.meta), hidden=m.hidden_size)
    tr.model = m
    assert tr.evaluate()["accuracy"] == pytest.approx(entry["accuracy"], abs=1e-4)


def test_unknown_preset_names_the_choices():
    with pytest.raises(ValueError, match="unknown preset 'nope'; choose one of .*parity_lstm"):
        presets.path("nope")


def test_long_gap_lstm_beats_rnn():
    acc = {(p["task"], p["cell"]): p["accuracy"] for p in ENTRIES}
    for task in ("recall", "temporal_order"):
        assert acc[(task, "lstm")] >= 0.99 > acc[(task, "rnn")]
        assert np.isfinite(acc[(task, "gru")])
