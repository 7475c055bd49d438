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


# ------------------------------------------------------------------ rebuilt bit for bit from the recorded command
def test_every_recorded_command_is_the_one_the_builder_runs():
    """``presets.json`` records the command each file was built with; ``build.PRESETS`` is what a rebuild
    runs. If they part (recall_lstm's recorded command once lacked ``--forget-bias 1``, and the command line's
    default changed under it), the recorded command no longer makes the shipped weights."""
    import shlex

    from lstm_core.presets import build
    for p in ENTRIES:
        argv = [*build.PRESETS[p["name"]], "--seed", "0", "--out", f"lstm_core/presets/{p['file']}"]
        assert p["command"] == "python -m lstm_core.train " + shlex.join(argv), p["name"]


# the cheapest presets, one of each gated cell (about 7 s together on an idle core)
REBUILT = ("parity_lstm", "recall_gru", "recall_lstm")


@pytest.mark.parametrize("name", REBUILT)
def test_a_small_preset_rebuilds_bit_for_bit_from_its_command(name, tmp_path):
    """The recorded command, run now, gives exactly the shipped weights. A failure means the core's float32
    arithmetic (or a default, or a task's data) changed since the preset was built: rebuild the presets
    (``nice python -m lstm_core.presets.build``), then ``python -m bench.lab --save`` and the docs' figures."""
    import shlex

    from lstm_core.files.reader import load
    from lstm_core.train import main as train_main
    entry = next(p for p in ENTRIES if p["name"] == name)
    argv = shlex.split(entry["command"])[3:]
    argv[argv.index("--out") + 1] = str(tmp_path / entry["file"])
    res = train_main([*argv, "--quiet"])
    assert (res["steps"], res["accuracy"], res["loss"]) == (entry["steps"], entry["accuracy"], entry["loss"])
    got, shipped = load(tmp_path / entry["file"]), presets.load(name)
    assert got.params.keys() == shipped.params.keys()
    for k in shipped.params:
        assert np.array_equal(got.params[k], shipped.params[k]), (name, k)


# ------------------------------------------------------------------ the recall hint: seen and causal
@pytest.mark.parametrize("name, value, state, state_zh, apart", [("recall_lstm", "cell", "c", "细胞状态 c", 1.0)])
def test_the_recall_hint_names_a_unit_that_shows_the_letter_and_that_the_lab_finds_causal(
        name, value, state, state_zh, apart):
    """The recall LSTM's and GRU's "what to look at" unit is among the three whose silence costs the most in
    the lab's shipped ranking, and costs something; its c (GRU: h) at the '?' takes a different value for
    every letter, and the numbers the hint quotes (accuracy before and after silencing it) are the lab's."""
    import hashlib
    import json

    from lstm_core import causal
    entry = next(p for p in ENTRIES if p["name"] == name)
    model = presets.load(name)
    task = task_from_meta(model.meta)
    batch = causal.heldout(task)
    T, u = batch.inputs.shape[0], entry["unit"]
    assert entry["value"] == value and f"unit {u}'s {state}" in entry["look"]["en"]
    assert f"神经元 {u} 的{state_zh}" in entry["look"]["zh"]
    shipped = json.loads((presets.HERE / "lab_rankings.json").read_text(encoding="utf-8"))["rankings"][name]
    assert shipped["sha256"] == hashlib.sha256(presets.path(name).read_bytes()).hexdigest()
    rank = causal.ranking_from_record(shipped["record"])             # the lab's ranking over all steps
    assert rank["steps"] == (0, T) and rank["n"] == batch.inputs.shape[1]
    top = [int(rank["units"][i]) for i in rank["order"][:3]]
    assert u in top, (u, top)
    k = list(rank["units"]).index(u)
    assert rank["drop"][k] > 0
    before, after = f"{rank['base']['accuracy']:.0%}", f"{rank['accuracy'][k]:.0%}"
    assert f"from {before} to {after}" in entry["look"]["en"] and f"从 {before} 降到 {after}" in entry["look"]["zh"]
    # seen: at the '?' each letter leaves its own value in the unit's state, apart from the others
    c = np.asarray(model.forward(batch.inputs.astype(model.dtype))[value])[T - 1, :, u]
    y = batch.targets[T - 1]
    means = np.sort([c[y == k].mean() for k in np.unique(y)])
    assert len(means) == task.symbols and np.min(np.diff(means)) > apart, means


def test_the_recall_gru_hint_says_its_clearest_unit_is_not_the_one_that_carries_the_letter():
    """In the recall GRU no unit both shows the letter clearly and costs accuracy when silenced; its hint
    names the unit whose h separates the letters most, says its silence costs nothing, and names the unit
    whose silence costs most with the lab's numbers."""
    import json

    from lstm_core import causal
    from lstm_core.training.units import memory_units
    entry = next(p for p in ENTRIES if p["name"] == "recall_gru")
    model = presets.load("recall_gru")
    task = task_from_meta(model.meta)
    u, en, zh = entry["unit"], entry["look"]["en"], entry["look"]["zh"]
    assert entry["value"] == "hidden" and u == memory_units(model, task)["best"]
    rank = causal.ranking_from_record(json.loads((presets.HERE / "lab_rankings.json").read_text(
        encoding="utf-8"))["rankings"]["recall_gru"]["record"])
    units = list(rank["units"])
    assert rank["drop"][units.index(u)] == 0 and "costs nothing" in en and "一点也没降" in zh
    best = int(rank["units"][rank["order"][0]])
    assert rank["drop"][units.index(best)] > 0 and best != u
    before, after = f"{rank['base']['accuracy']:.0%}", f"{rank['accuracy'][units.index(best)]:.0%}"
    assert f"silencing unit {best}," in en and f"from {before} to {after}" in en
    assert f"神经元 {best} 沉默" in zh and f"从 {before} 降到 {after}" in zh
