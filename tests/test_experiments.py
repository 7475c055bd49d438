"""lstm_core.training.experiments: the recall sweep over seeds, the shipped sweep, below-chance diagnoses,
and accuracy on a text a character model never saw."""
import numpy as np
import pytest

import lstm_core
from lstm_core import presets
from lstm_core.training import experiments as E
from lstm_core.training.losses import accuracy
from lstm_core.training.tasks import make_task


def test_recall_sweep_reports_mean_and_spread_over_seeds():
    calls = []
    out = E.recall_sweep(gaps=(2, 3), kinds=("rnn", "lstm"), seeds=(0, 1, 2), hidden=4, steps=6, symbols=3,
                         progress=lambda d, n: calls.append((d, n)))
    assert calls[-1] == (12, 12) and len(calls) == 12
    assert out["chance"] == pytest.approx(1 / 3) and out["settings"]["seeds"] == [0, 1, 2]
    for r in out["results"].values():
        a = np.array(r["per_seed"])
        assert a.shape == (2, 3) and np.array(r["steps"]).shape == (2, 3)
        np.testing.assert_allclose(r["accuracy"], a.mean(1), atol=1e-4)
        assert r["low"] == a.min(1).tolist() and r["high"] == a.max(1).tolist()
    again = E.recall_sweep(gaps=(2, 3), kinds=("rnn", "lstm"), seeds=(0, 1, 2), hidden=4, steps=6, symbols=3)
    assert again["results"]["lstm"]["per_seed"] == out["results"]["lstm"]["per_seed"]     # seeded


def test_shipped_sweep_is_there_with_its_command_and_tells_the_lesson():
    sweep = E.shipped_recall_sweep()
    if sweep is None:
        pytest.skip("recall_sweep.json not built")
    s = sweep["settings"]
    assert len(s["seeds"]) >= 3 and set(sweep["results"]) == {"rnn", "gru", "lstm"}
    assert sweep["command"] == "nice python -m lstm_core.presets.build --recall-sweep" and sweep["seconds"] > 0
    for r in sweep["results"].values():
        assert r["gaps"] == s["gaps"] and all(len(p) == len(s["seeds"]) for p in r["per_seed"])
        assert all(lo <= m <= hi for lo, m, hi in zip(r["low"], r["accuracy"], r["high"]))
    at = s["gaps"].index(100)
    lstm, rnn = sweep["results"]["lstm"], sweep["results"]["rnn"]
    assert lstm["low"][at] > rnn["high"][at]          # every LSTM seed beats every RNN seed at gap 100


def test_below_chance_needs_more_than_bad_luck():
    assert E.below_chance(0.0, 0.125, 256) and not E.below_chance(0.10, 0.125, 256)
    assert not E.below_chance(0.125, 0.125, 10_000) and E.below_chance(0.11, 0.125, 10_000)


def _one_unit_rnn(w_hh):
    """An RNN whose unit 0 takes +1/−1 from the letter (A/B) and is then multiplied by ``w_hh`` each dot."""
    m = lstm_core.CELLS["rnn"].init(4, 2, seed=0, output_size=2)   # inputs A, B, ".", "?"
    for k in m.params:
        m.params[k][...] = 0
    m.params["weight_ih_l0"][0, :2] = [2.0, -2.0]
    m.params["weight_hh_l0"][0, 0] = w_hh
    return m


@pytest.mark.parametrize("w_hh, flips", [(-2.0, 1.0), (2.0, 0.0)])
def test_sign_flips_by_construction(w_hh, flips):
    out = E.sign_flips(_one_unit_rnn(w_hh), gap=9, symbols=2)
    assert out["unit"] == 0 and sorted(out["letters"]) == ["A", "B"] and out["flips"] == flips


def test_presets_below_chance_come_with_their_reason():
    if not all(n in presets.names() for n in E.RECALL_PRESETS.values()):
        pytest.skip("recall presets not built")
    out = E.recall_from_presets(gaps=(3, 4, 5, 100), n=128)
    for kind, r in out["results"].items():
        below = {g for g, a in zip(r["gaps"], r["accuracy"]) if E.below_chance(a, out["chance"], 128)}
        assert below == set(r.get("why", {})), kind
        for g, why in r.get("why", {}).items():
            assert why["answers"] and set(why["neighbours"]) == {g - 1, g + 1} and 0 <= why["flips"] <= 1


@pytest.mark.parametrize("corpus, vocab", [("en", 160), ("zh", 60)])
def test_text_accuracy_counts_unknown_characters_as_wrong(corpus, vocab):
    task = make_task("charlm", corpus=corpus, length=12, max_vocab=vocab).heldout()
    model = lstm_core.CELLS["lstm"].init(len(task.vocab), 6, seed=0, output_size=len(task.vocab))
    got = E.text_accuracy(model, task, n=64, seed=5)
    b = task.sample(np.random.default_rng(5), 64)
    assert got["accuracy"] == pytest.approx(accuracy(model.forward(b.inputs).logits, b.targets, b.mask))
    assert got["unknown"] == pytest.approx(float((b.targets < 0).mean()))
    assert (got["unknown"] > 0) == (corpus == "zh") and got["chars"] == len(task.text)
    assert 0 < got["chance"] < 1


def test_character_presets_report_a_text_they_never_saw():
    entries = [p for p in presets.manifest() if p["task"] == "charlm"]
    if not entries:
        pytest.skip("presets not built")
    for p in entries:
        assert 0 <= p["heldout_accuracy"] < p["accuracy"] and p["heldout_file"].endswith("_heldout.txt")
        model = presets.load(p["name"])
        task = make_task("charlm", **p["params"]).heldout()
        assert E.text_accuracy(model, task)["accuracy"] == pytest.approx(p["heldout_accuracy"], abs=1e-4)
