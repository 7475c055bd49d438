"""lstm_core.causal on small models whose answers are known by construction.

The hand-set LSTM reads the recall task with two letters (A, B, ".", "?"):
unit 0 writes +1 for A and −1 for B at the first step (its input gate opens
only on a letter, its forget gate is shut to 1 − 2e−9 forgetting) and keeps
it; unit 1 counts nothing useful (it writes on "." only). The output layer
reads unit 0 alone: logits (A, B) = (+k·h₀, −k·h₀). So the answer at every
step is the first letter; silencing or emptying unit 0 destroys it, unit 1
does not matter, and copying unit 0's c from a sequence that began with the
other letter swaps the answer.
"""
import numpy as np
import pytest

import lstm_core
from lstm_core import causal
from lstm_core.training.tasks import Batch, make_task

BIG = 20.0


def memory_lstm(dtype=np.float64):
    task = make_task("recall", gap=6, symbols=2)        # vocab A, B, ".", "?"; classes A, B
    H, I = 2, 4
    w_ih = np.zeros((4 * H, I))
    w_hh = np.zeros((4 * H, H))
    b = np.zeros(4 * H)
    i, f, g, o = (slice(k * H, (k + 1) * H) for k in range(4))      # PyTorch's rows i, f, g, o
    # unit 0: input gate opens on a letter, candidate +1 for A, −1 for B
    w_ih[i.start + 0] = [BIG, BIG, 0, 0]
    b[i.start + 0] = -BIG / 2
    w_ih[g.start + 0] = [BIG, -BIG, 0, 0]
    # unit 1: writes on "." only (a distractor the answer does not read)
    w_ih[i.start + 1] = [0, 0, BIG, 0]
    b[i.start + 1] = -BIG / 2
    w_ih[g.start + 1] = [0, 0, BIG, 0]
    b[f] = BIG                                           # keep everything
    b[o] = BIG                                           # show everything
    params = {"weight_ih_l0": w_ih, "weight_hh_l0": w_hh, "bias_ih_l0": b, "bias_hh_l0": np.zeros(4 * H),
              "out.weight": np.array([[4.0, 0.0], [-4.0, 0.0]]), "out.bias": np.zeros(2)}
    model = lstm_core.LSTM(params, I, H, 1, output="softmax", meta=task.meta()).astype(dtype)
    return model, task


def encode(task, text):
    return task.encode(text)


@pytest.fixture(scope="module")
def hand():
    return memory_lstm()


def test_hand_set_model_answers_the_first_letter(hand):
    model, task = hand
    batch = causal.heldout(task, n=64)
    s = causal.score(model, batch)
    assert s["accuracy"] == 1.0 and s["spread"] == 0.0 and s["n"] == 64
    assert 0.5 <= s["chance"] < 0.7                     # the commoner of two letters in 64 draws
    tr = model.forward(encode(task, "B......?"))
    assert causal.answers(model, tr) == ["B"] * 8


# ------------------------------------------------------------------ scoring
def test_summary_is_the_mean_and_its_standard_error():
    s = causal.summary([1, 0, 1, 1])
    assert s["accuracy"] == 0.75 and s["n"] == 4
    assert s["spread"] == pytest.approx(np.std([1, 0, 1, 1], ddof=1) / 2)


def test_chance_is_the_best_constant_answer():
    targets = np.array([[0, 1, 1, 2]])
    b = Batch(np.zeros((1, 4, 1)), targets, np.ones((1, 4)), None, lambda: [])
    assert causal.chance(b) == 0.5
    unnamed = Batch(np.zeros((1, 4, 1)), np.array([[0, -1, -1, 2]]), np.ones((1, 4)), None, lambda: [])
    assert causal.chance(unnamed) == 0.25          # a target no output can name is wrong for every guess
    lin = Batch(np.zeros((1, 3, 1)), np.array([[[0.0], [1.0], [1.02]]]).reshape(1, 3, 1), np.ones((1, 3)), None,
                lambda: [])
    # the mean target 0.673 is within 0.04 of none of them
    assert causal.chance(lin, "linear", 0.04) == 0.0


def test_correct_scores_only_masked_steps():
    logits = np.array([[[1.0, 0.0], [0.0, 1.0]], [[0.0, 1.0], [0.0, 1.0]]])   # (T=2, B=2, O=2)
    targets = np.array([[0, 0], [1, 0]])
    mask = np.array([[0, 1], [1, 1]])
    ok = causal.correct(logits, targets, mask)
    assert np.isnan(ok[0, 0]) and ok[0, 1] == 0 and ok[1, 0] == 1 and ok[1, 1] == 0
    b = Batch(np.zeros((2, 2, 1)), targets, mask, None, lambda: [])
    assert causal.per_sequence(logits, b).tolist() == [1.0, 0.0]


# ------------------------------------------------------------------ predictions as tokens
def test_top_k_orders_by_probability_with_labels():
    p = np.array([[0.1, 0.6, 0.3], [0.5, 0.25, 0.25]])
    top = causal.top_k(p, ["a", "b", "c"], k=2)
    assert top == [[("b", 0.6), ("c", 0.3)], [("a", 0.5), ("b", 0.25)]]       # a tie keeps the lower index
    assert len(causal.top_k(p, k=10)[0]) == 3 and causal.top_k(p)[0][0] == ("#1", 0.6)
    with pytest.raises(ValueError):
        causal.top_k(p, ["a"])


def test_output_labels_prefer_classes_then_vocab(hand):
    model, _ = hand
    assert causal.output_labels(model) == ["A", "B"]            # classes, not the 4-symbol vocab
    lm = lstm_core.LSTM.init(3, 2, seed=0, output_size=3)
    lm.meta["vocab"] = ["x", "y", "z"]
    assert causal.output_labels(lm) == ["x", "y", "z"]
    lm.meta["vocab"] = ["x", "y"]
    assert causal.output_labels(lm) == ["#0", "#1", "#2"]
    assert causal.output_labels(lstm_core.LSTM.init(3, 2, seed=0)) is None


def test_expected_answers_per_task():
    rec = make_task("recall", gap=3, symbols=4)
    assert causal.expected(rec, list("C...?")) == [None, None, None, None, "C"]
    assert causal.expected(rec, list("....?")) == [None] * 5                    # no letter to recall
    to = make_task("temporal_order", gap=10)
    assert causal.expected(to, list("BaXbbYcE")) == [None] * 7 + ["XY"]
    br = make_task("brackets", length=10, max_depth=3)
    assert causal.expected(br, list("((a)b)")) == ["1", "2", "2", "1", "1", "0"]
    assert causal.expected(br, list("a))")) == ["0", None, None]              # below depth 0: no answer
    par = make_task("parity", length=5)
    assert causal.expected(par, list("0110")) == ["even", "odd", "even", "even"]
    add = make_task("adding", length=4)
    x = np.array([[0.5, 1], [0.2, 0], [0.25, 1], [0.9, 0]])
    assert causal.expected(add, ["a"] * 4, x) == [None, None, None, 0.75]


# ------------------------------------------------------------------ 1. edit a token
def test_edited_changes_inserts_and_deletes():
    toks = list("abc")
    assert causal.edited(toks, "change", 1, "x") == list("axc")
    assert causal.edited(toks, "insert", 3, "x") == list("abcx")
    assert causal.edited(toks, "delete", 0) == list("bc")
    with pytest.raises(ValueError):
        causal.edited(toks, "delete", 3)
    assert causal.aligned_steps(4, "change", 1) == [(1, 1), (2, 2), (3, 3)]
    assert causal.aligned_steps(4, "insert", 1) == [(1, 2), (2, 3), (3, 4)]
    assert causal.aligned_steps(4, "delete", 1) == [(2, 1), (3, 2)]


def test_changing_the_first_letter_flips_every_answer(hand):
    model, task = hand
    before = list("A.....?")
    after = causal.edited(before, "change", 0, "B")
    res = causal.edit(model, encode(task, "".join(before)), encode(task, "".join(after)), "change", 0)
    assert res["changed"].all() and res["answers_before"] == ["A"] * 7 and res["answers_after"] == ["B"] * 7
    assert res["d_cell"][:, 0] == pytest.approx(-2.0, abs=1e-3)        # c₀ goes from +1 to −1 (σ(10) writes)
    assert res["d_cell"][:, 1] == pytest.approx(0.0, abs=1e-12)         # the distractor does not notice


def test_inserting_a_dot_changes_no_answer(hand):
    model, task = hand
    res = causal.edit(model, encode(task, "B....?"), encode(task, "B.....?"), "insert", 2)
    assert not res["changed"].any()
    assert np.abs(res["d_cell"][:, 0]).max() < 1e-6                      # the memory unit ignores the dot
    assert len(res["pairs"]) == 4


# ------------------------------------------------------------------ 2. which units matter
def test_ranking_puts_the_memory_unit_first(hand):
    model, task = hand
    batch = causal.heldout(task, n=128)
    r = causal.rank_units(model, batch)
    assert r["units"][r["order"][0]] == 0
    assert r["drop"][0] > 0.3 and r["drop"][1] == 0.0
    # silenced, unit 0 gives h = 0: equal logits, argmax says "A", so accuracy is the share of A
    share_a = float((batch.targets[-1] == 0).mean())
    assert r["accuracy"][0] == pytest.approx(share_a)
    assert r["n"] == 128 and r["base"]["accuracy"] == 1.0


def test_silencing_only_after_the_answer_changes_nothing(hand):
    model, task = hand
    batch = causal.heldout(task, n=32)
    T = batch.inputs.shape[0]
    r = causal.rank_units(model, batch, steps=(T, T + 5))
    assert (r["drop"] == 0).all()


@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
@pytest.mark.parametrize("steps", [None, (0, 9), (4, 9), (3, 5), (8, 20)])
@pytest.mark.parametrize("layer", [-1, 0])
def test_a_sweep_scores_what_whole_runs_score(kind, steps, layer, monkeypatch):
    """``rank_units`` and ``intervene`` start each rerun at the range's first step from the untouched
    states, run it a stretch of steps at a time and spread the reruns over threads; every number must be
    what a whole run with the same override gives (``score``), bit for bit, on one and on two threads, a
    whole run or a few steps at a time."""
    task = make_task("recall", gap=6, symbols=3)
    model = lstm_core.CELLS[kind].init(len(task.meta()["vocab"]), 5, num_layers=2, seed=3, output_size=3)
    model.meta = task.meta()
    batch = causal.heldout(task, n=48)
    want = [causal.score(model, batch, [lstm_core.silence([u], steps=steps, layer=layer)], task=task)
            for u in range(5)]
    for workers, window in ((1, causal.WINDOW), (2, causal.WINDOW), (2, 1), (1, 3 * 48 * 4 * 5)):
        monkeypatch.setattr(causal, "WORKERS", workers)
        monkeypatch.setattr(causal, "WINDOW", window)          # 1: a step at a time; then 3 steps
        r = causal.rank_units(model, batch, steps=steps, layer=layer, task=task)
        assert r["base"]["accuracy"] == causal.score(model, batch, task=task)["accuracy"]
        assert r["accuracy"].tolist() == [w["accuracy"] for w in want]
        assert r["spread"].tolist() == [w["spread"] for w in want]
        iv = causal.intervene(model, batch, "silence", units=[1, 3], steps=steps, layer=layer, draws=2, task=task)
        got = causal.score(model, batch, causal.overrides_for("silence", [1, 3], steps, layer), task=task)
        assert iv["after"]["accuracy"] == got["accuracy"]
        for units, acc in zip(iv["random"]["units"], iv["random"]["accuracy"]):
            assert acc == causal.score(model, batch, causal.overrides_for("silence", units, steps, layer),
                                       task=task)["accuracy"]


def test_forward_can_skip_the_softmax():
    model = lstm_core.LSTM.init(3, 4, output_size=5, seed=0)
    xs = np.random.default_rng(0).normal(size=(6, 2, 3))
    full, lean = model.forward(xs), model.forward(xs, probabilities=False)
    assert lean.y is None and np.array_equal(lean.logits, full.logits)
    assert np.array_equal(np.asarray(lean["hidden"]), np.asarray(full["hidden"]))


# ------------------------------------------------------------------ 3. intervene
def test_interventions_on_the_memory_unit_beside_random_units(hand):
    model, task = hand
    batch = causal.heldout(task, n=128)
    share_a = float((batch.targets[-1] == 0).mean())
    T = batch.inputs.shape[0]
    iv = causal.intervene(model, batch, "input0", units=[0], draws=3)
    assert iv["base"]["accuracy"] == 1.0 and iv["after"]["accuracy"] == pytest.approx(share_a)
    assert iv["random"]["accuracy"].tolist() == [1.0, 1.0, 1.0] and iv["random"]["units"] == [[1]] * 3
    assert iv["random"]["spread"] == 0.0
    forget = causal.intervene(model, batch, "forget0", units=[0], steps=(1, T))
    assert forget["after"]["accuracy"] == pytest.approx(share_a)          # the letter is erased at step 1
    keep = causal.intervene(model, batch, "forget1", units=[0])
    assert keep["after"]["accuracy"] == 1.0                               # it was kept anyway
    everything = causal.intervene(model, batch, "silence", units=None)
    assert everything["random"] is None


def test_intervention_names_are_checked(hand):
    model, task = hand
    with pytest.raises(ValueError):
        causal.overrides_for("forget2")
    assert causal.overrides_for("forget1", [3], (2, 5))[0] == lstm_core.clamp("forget", 1.0, (3,), (2, 5))


# ------------------------------------------------------------------ 4. patch
def test_patching_the_memory_swaps_the_answer(hand):
    model, task = hand
    res = causal.patch(model, encode(task, "A.....?"), encode(task, "B.....?"), 3, [0], what=("cell",))
    assert res["answers_before"][-1] == "A" and res["answers_donor"][-1] == "B"
    assert res["answers_after"][-1] == "B"
    assert res["changed"][1:].all()              # from the step after the patch on
    assert res["d_cell"][:, 1] == pytest.approx(0.0, abs=1e-12)
    same = causal.patch(model, encode(task, "A.....?"), encode(task, "B.....?"), 3, [1], what=("cell", "hidden"))
    assert not same["changed"].any()             # the distractor's memory carries no answer


def test_patch_batch_follows_the_donor(hand):
    model, task = hand
    batch = causal.heldout(task, n=64)
    donors = causal.heldout(task, n=64, seed=5)
    res = causal.patch_batch(model, batch, donors, 2, [0], what=("cell",))
    assert res["donor"] == 1.0 and res["own"] == 0.0
    assert 0 < res["differ"] < 1 and res["n"] == 64
    res = causal.patch_batch(model, batch, donors, 2, [1], what=("cell",))
    assert res["own"] == 1.0 and res["accuracy"]["accuracy"] == 1.0


@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
def test_patched_forward_matches_a_step_by_step_reference(kind):
    """Patching every unit's state at t equals running the donor to t and the sequence on from there,
    computed here one step at a time (an independent loop over single-step forwards)."""
    model = lstm_core.CELLS[kind].init(3, 4, num_layers=2, seed=1, output_size=3)
    rng = np.random.default_rng(0)
    xs, donor = rng.normal(size=(7, 3)), rng.normal(size=(7, 3))
    t = 3
    what = causal.PATCHABLE[kind]
    got = causal.patched_forward(model, xs, donor, t, range(4), what, layer=-1)
    # reference: donor's top-layer state at t, xs's lower layer (only the top layer is patched)
    h = np.zeros((2, 4))
    c = np.zeros((2, 4))
    hs = []
    for s in range(7):
        tr = model.forward(xs[s:s + 1], h0=h, c0=c if kind == "lstm" else None)
        h = np.stack([np.asarray(tr.layers[k]["hidden"])[0] for k in range(2)])
        if kind == "lstm":
            c = np.stack([np.asarray(tr.layers[k]["cell"])[0] for k in range(2)])
        if s == t:
            d = model.forward(donor[: t + 1])
            h[1] = np.asarray(d.layers[1]["hidden"])[t]
            if kind == "lstm":
                c[1] = np.asarray(d.layers[1]["cell"])[t]
        hs.append(h[1].copy())
    np.testing.assert_allclose(got["hidden"], np.array(hs), atol=1e-12)
    W, b = model.params["out.weight"], model.params["out.bias"]
    z = np.array(hs) @ W.T + b
    np.testing.assert_allclose(got["y"][t:], np.exp(z[t:]) / np.exp(z[t:]).sum(-1, keepdims=True), atol=1e-12)
    np.testing.assert_allclose(got["hidden"][:t], np.asarray(model.forward(xs)["hidden"])[:t])


def test_patch_refuses_what_the_cell_does_not_have():
    gru = lstm_core.GRU.init(3, 4, seed=0, output_size=2)
    with pytest.raises(ValueError, match="patch hidden"):
        causal.patched_forward(gru, np.ones((3, 3)), np.ones((3, 3)), 1, [0], what=("cell",))
    with pytest.raises(ValueError, match="output layer"):
        causal.score(lstm_core.LSTM.init(3, 4, seed=0), causal.heldout(make_task("parity", length=3), n=4))


def test_state_change_is_the_analysis_measure_over_a_batch():
    from lstm_core import analysis
    model = lstm_core.LSTM.init(3, 5, num_layers=2, seed=2, output_size=2)
    rng = np.random.default_rng(1)
    x = rng.normal(size=(9, 4, 3))
    b = Batch(x, np.zeros((9, 4), int), np.ones((9, 4)), None, lambda: [])
    got = causal.state_change(model, b)
    ref = analysis.state_change(model.forward(x))          # the teaching pages' measure, on the same batch
    assert got["cell"] == pytest.approx(ref["cell_rel"].mean())
    assert got["hidden"] == pytest.approx(ref["hidden_rel"].mean())
    assert got["holds"] == (got["hidden"] > got["cell"]) and got["n"] == 4 and got["steps"] == 9
    assert causal.state_change(lstm_core.GRU.init(3, 5, seed=0, output_size=2), b)["cell"] is None


def test_a_ranking_survives_its_record(hand):
    import json
    model, task = hand
    r = causal.rank_units(model, causal.heldout(task, n=32), steps=(1, 5))
    back = causal.ranking_from_record(json.loads(json.dumps(causal.ranking_record(r))))
    assert back["order"].tolist() == r["order"].tolist() and back["steps"] == (1, 5)
    np.testing.assert_array_equal(back["drop"], r["drop"])
    assert back["base"]["accuracy"] == r["base"]["accuracy"] and back["chance"] == r["chance"]


def test_answer_shares_count_the_answers_at_scored_steps(hand):
    model, task = hand
    batch = causal.heldout(task, n=64)
    share_a = float((batch.targets[-1] == 0).mean())       # it answers the first letter: A as often as A comes
    got = dict(causal.answer_shares(model, batch))
    assert got == pytest.approx({"A": share_a, "B": 1 - share_a})
    assert causal.below_chance({"accuracy": 0.10, "spread": 0.02}, 0.16)
    assert not causal.below_chance({"accuracy": 0.13, "spread": 0.02}, 0.16)
