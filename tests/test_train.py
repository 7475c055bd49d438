"""Training: losses and their gradients, Adam, clipping, the loop, the CLI.

Every run here is tiny (a second or two); nothing asserts on time.
"""
import json

import numpy as np
import pytest

from lstm_core.train import main
from lstm_core.training import losses
from lstm_core.training.optim import Adam, clip_by_global_norm, global_norm
from lstm_core.training.tasks import make_task
from lstm_core.training.trainer import Trainer


def _numgrad(f, z, eps=1e-6):
    g = np.zeros_like(z)
    for k in np.ndindex(z.shape):
        old = z[k]
        z[k] = old + eps
        a = f(z)
        z[k] = old - eps
        b = f(z)
        z[k] = old
        g[k] = (a - b) / (2 * eps)
    return g


def test_cross_entropy_gradient_and_mask():
    rng = np.random.default_rng(0)
    z = rng.normal(size=(4, 3, 5))
    k = rng.integers(0, 5, (4, 3))
    m = (rng.uniform(size=(4, 3)) > 0.4).astype(float)
    m[0, 0] = 1
    loss, d = losses.cross_entropy(z, k, m)
    np.testing.assert_allclose(d, _numgrad(lambda q: losses.cross_entropy(q, k, m)[0], z.copy()), atol=1e-7)
    assert np.all(d[m == 0] == 0)
    assert loss == pytest.approx(-np.mean([np.log(np.exp(z[t, b, k[t, b]]) / np.exp(z[t, b]).sum())
                                           for t, b in zip(*np.nonzero(m))]))


def test_mse_gradient():
    rng = np.random.default_rng(1)
    z, y = rng.normal(size=(3, 2, 1)), rng.normal(size=(3, 2, 1))
    m = np.array([[0, 0], [1, 0], [1, 1.0]])
    loss, d = losses.mse(z, y, m)
    np.testing.assert_allclose(d, _numgrad(lambda q: losses.mse(q, y, m)[0], z.copy()), atol=1e-7)


def test_mask_must_score_something():
    with pytest.raises(ValueError, match="scores no step"):
        losses.cross_entropy(np.zeros((2, 1, 3)), np.zeros((2, 1)), np.zeros((2, 1)))


def test_clip_and_adam_match_hand_computation():
    g = {"a": np.array([3.0, 0.0]), "b": np.array([[4.0]])}
    assert clip_by_global_norm(g, 1.0) == pytest.approx(5.0)
    assert global_norm(g) == pytest.approx(1.0)
    p = {"w": np.array([1.0, -1.0])}
    opt = Adam(p, lr=0.1)
    opt.step({"w": np.array([0.5, -2.0]), "ignored": np.ones(1)})
    np.testing.assert_allclose(p["w"], [0.9, -0.9], atol=1e-6)   # first Adam step moves by lr·sign(g)


@pytest.mark.parametrize("cell", ["lstm", "gru", "rnn"])
def test_parity_learns_above_chance(cell):
    tr = Trainer(make_task("parity", length=8), cell=cell, hidden=8, seed=0, lr=0.03)
    before = tr.evaluate(256)
    after = tr.fit(250)
    assert after["loss"] < before["loss"]
    assert after["accuracy"] > 0.8


def test_recall_learns_above_chance():
    tr = Trainer(make_task("recall", gap=8, symbols=4), hidden=12, seed=1, lr=0.02)
    before = tr.evaluate(256)
    after = tr.fit(200)
    assert after["loss"] < before["loss"] and after["accuracy"] > 0.5   # chance 0.25


def test_adding_mse_falls():
    tr = Trainer(make_task("adding", length=10), hidden=12, seed=0, lr=0.01)
    before = tr.evaluate(256)
    after = tr.fit(150)
    assert after["loss"] < 0.5 * before["loss"]


def test_same_seed_same_weights_and_different_seed_differs():
    def weights(seed):
        tr = Trainer(make_task("brackets", length=10), hidden=6, seed=seed)
        tr.fit(15)
        return tr.model.to_torch()
    a, b, c = weights(4), weights(4), weights(5)
    for k in a:
        np.testing.assert_array_equal(a[k], b[k])
    assert any(not np.array_equal(a[k], c[k]) for k in a)


def test_run_yields_progress_snapshots_and_can_stop():
    tr = Trainer(make_task("parity", length=6), hidden=4, seed=0)
    events = []
    for ev in tr.run(100, log_every=5, snapshot_every=10, eval_every=20):
        events.append(ev)
        if ev["kind"] == "progress" and ev["step"] == 30:
            before = {k: v.copy() for k, v in tr.model.params.items()}
            break                                   # the caller stops: weights stay as learned
    kinds = {e["kind"] for e in events}
    assert kinds == {"progress", "snapshot", "eval"}
    p = [e for e in events if e["kind"] == "progress"]
    assert [e["step"] for e in p] == [5, 10, 15, 20, 25, 30]
    assert all(set(e) >= {"step", "loss", "accuracy", "elapsed"} for e in p)
    snaps = [e for e in events if e["kind"] == "snapshot"]
    assert [s["step"] for s in snaps] == [0, 10, 20, 30][:len(snaps)]
    assert snaps[0]["values"]["forget"].shape == (6, 4)
    assert tr.steps == 30
    for k, v in before.items():
        np.testing.assert_array_equal(v, tr.model.params[k])
    # stop() from a callback, and the time cap
    it = tr.run(1000)
    next(it)
    tr.stop()
    assert list(it)[-1]["reason"] == "stopped"
    before = tr.steps
    events = list(tr.run(10_000, max_seconds=0.3, log_every=100_000))
    last = events[-1]
    assert last["reason"] == "time" and before < last["step"] < before + 10_000
    assert events[-2]["kind"] == "progress" and events[-2]["step"] == tr.steps   # the last steps are reported


def test_target_accuracy_ends_the_run():
    tr = Trainer(make_task("parity", length=6), hidden=8, seed=0, lr=0.03)
    last = list(tr.run(3000, eval_every=25, target_accuracy=0.95))[-1]
    assert last["reason"] == "target" and tr.evaluate()["accuracy"] >= 0.95


def test_model_carries_task_meta():
    tr = Trainer(make_task("brackets", length=10), hidden=4)
    m = tr.model.meta
    assert m["vocab"] == ["(", ")", "a", "b", "c"] and m["task"]["name"] == "brackets"
    assert m["latent"] == "bracket depth" and set(m["note"]) == {"en", "zh"}


@pytest.mark.parametrize("kw, words", [
    ({"hidden": 0}, "hidden size must be a whole number from 1 to 1024"),
    ({"cell": "transformer"}, "unknown cell 'transformer'"),
    ({"lr": 0.0}, "learning rate must be above 0"),
    ({"batch": 0}, "batch size must be a whole number"),
])
def test_bad_settings_name_the_limit(kw, words):
    with pytest.raises(ValueError, match=words):
        Trainer(make_task("parity"), **kw)
    with pytest.raises(ValueError, match="steps must be"):
        next(Trainer(make_task("parity")).run(0))


def test_cli_trains_saves_and_prints_one_json_line(tmp_path, capsys):
    out = tmp_path / "p.npz"
    main(["--task", "parity", "--length", "6", "--cell", "gru", "--hidden", "6", "--steps", "60",
          "--seed", "2", "--out", str(out), "--lr", "0.03", "--target", "0"])
    cap = capsys.readouterr()
    line = cap.out.strip().splitlines()
    assert len(line) == 1
    res = json.loads(line[0])
    assert {"task", "cell", "accuracy", "steps", "seconds"} <= set(res)
    assert res["task"] == "parity" and res["cell"] == "gru" and res["steps"] == 60
    assert "60/60" in cap.err
    assert out.exists()


def test_cli_bad_input_exits_with_the_limit(capsys):
    with pytest.raises(SystemExit):
        main(["--task", "recall", "--gap", "0", "--steps", "5"])
    assert "gap must be a whole number from 1 to 2000" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--task", "parity", "--hidden", "0", "--steps", "5"])
    assert "hidden size must be" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--task", "parity", "--steps", "5", "--out", "model.pt"])
    assert "--out must end in .npz or .safetensors" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--task", "nope", "--steps", "5"])
    assert "unknown task 'nope'" in capsys.readouterr().err


# ------------------------------------------------------------------ the command line's defaults
def _run(capsys, *argv):
    main([*argv, "--quiet"])
    return json.loads(capsys.readouterr().out.strip())


def test_cli_trains_on_mixed_gaps_unless_min_gap_says_otherwise(capsys):
    assert _run(capsys, "--task", "recall", "--gap", "7", "--hidden", "4", "--steps", "2")["params"] == \
        {"gap": 7, "symbols": 8, "min_gap": 1}
    assert _run(capsys, "--task", "temporal_order", "--gap", "9", "--hidden", "4", "--steps", "2")["params"] == \
        {"gap": 9, "min_gap": 4}
    assert _run(capsys, "--task", "recall", "--gap", "7", "--min-gap", "7", "--hidden", "4",
                "--steps", "2")["params"]["min_gap"] == 7                 # --min-gap overrides: the full gap only
    assert "min_gap" not in _run(capsys, "--task", "parity", "--length", "5", "--hidden", "4", "--steps", "2")["params"]


def test_cli_stops_once_held_out_accuracy_at_the_full_gap_reaches_the_target(capsys):
    main(["--task", "recall", "--gap", "5", "--hidden", "16", "--steps", "1000", "--seed", "0"])
    cap = capsys.readouterr()
    res = json.loads(cap.out.strip())
    assert res["reason"] == "target" and res["target"] == 0.99
    assert res["steps"] < 1000 and res["steps"] % 25 == 0 and res["accuracy"] >= 0.99
    assert "reached the target 99%" in cap.err and "at the full gap 5" in cap.err
    # the LSTM starts with the task's forget bias (3 for the long-gap tasks)
    off = _run(capsys, "--task", "recall", "--gap", "5", "--hidden", "16", "--steps", "60", "--target", "0")
    assert off["reason"] == "steps" and off["steps"] == 60


def test_cli_help_says_what_the_defaults_do(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--task recall --gap 100 --cell lstm --hidden 32 --seed 0" in text
    assert "trains on gaps drawn from 1 to 100" in text and "stops once it reaches 99%" in text
    assert "1 for recall and 4 for temporal_order" in text and "0 = never stop early (default 0.99)" in text
    assert "default: 3 for recall and temporal_order, 1 otherwise" in text


def test_cli_refuses_a_target_out_of_range(capsys):
    with pytest.raises(SystemExit):
        main(["--task", "parity", "--target", "1.5"])
    assert "--target must be from 0 (off) to 1" in capsys.readouterr().err


def test_trainer_takes_the_tasks_forget_bias_unless_told():
    assert Trainer(make_task("recall", gap=5), hidden=4).model.meta["training"]["forget_bias"] == 3.0
    assert Trainer(make_task("parity"), hidden=4).model.meta["training"]["forget_bias"] == 1.0
    m = Trainer(make_task("recall", gap=5), hidden=4, forget_bias=0.5).model
    assert m.meta["training"]["forget_bias"] == 0.5
    np.testing.assert_allclose(m.params["bias_ih_l0"][4:8] + m.params["bias_hh_l0"][4:8], 0.5)


def test_the_cheap_screen_never_skips_a_check_that_would_pass():
    """Trainer.may_reach scores a quarter of the held-out set; a run with it stops at exactly the step where
    checking the whole set every time would have stopped, with the same weights."""
    task = make_task("recall", gap=6, min_gap=1, symbols=4)
    screened = Trainer(task, hidden=8, seed=3)
    last = list(screened.run(400, eval_every=5, target_accuracy=0.99, eval_size=64))[-1]
    assert last["reason"] == "target"
    full = Trainer(task, hidden=8, seed=3)
    while True:
        full.step()
        if full.steps % 5 == 0 and full.evaluate(64)["accuracy"] >= 0.99:
            break
    assert full.steps == screened.steps
    for k in full.model.params:
        np.testing.assert_array_equal(full.model.params[k], screened.model.params[k])
    fresh = Trainer(task, hidden=8, seed=3)
    assert not fresh.may_reach(0.99, 64) and fresh.may_reach(0.0, 64)
    for target in np.linspace(0, 1, 41):       # never False where the whole set reaches the target
        assert screened.may_reach(target, 64) or screened.evaluate(64)["accuracy"] < target
