"""Task generators: shapes, seeding, latents, vocabularies and input checks."""
import numpy as np
import pytest

from lstm_core.training.tasks import TASKS, make_task, task_from_meta

SMALL = {"recall": {"gap": 6}, "adding": {"length": 12}, "temporal_order": {"gap": 20},
         "brackets": {"length": 15}, "parity": {"length": 9}, "charlm": {"length": 10}}


@pytest.mark.parametrize("name", sorted(TASKS))
def test_shapes_and_seeding(name):
    t = make_task(name, **SMALL[name])
    a = t.sample(np.random.default_rng(3), 5)
    b = t.sample(np.random.default_rng(3), 5)
    T = a.inputs.shape[0]
    assert a.inputs.shape == (T, 5, t.input_size)
    assert a.mask.shape == (T, 5) and a.mask.sum() >= 5
    assert a.latent.shape == (T, 5)
    assert len(a.tokens) == 5 and all(len(s) == T for s in a.tokens)
    if t.output == "linear":
        assert a.targets.shape == (T, 5, 1)
    else:
        assert a.targets.shape == (T, 5) and a.targets.max() < t.output_size
    for x, y in ((a.inputs, b.inputs), (a.targets, b.targets), (a.latent, b.latent)):
        np.testing.assert_array_equal(x, y)
    if t.vocab is not None:   # tokens are printable characters that encode back to the inputs
        assert all(len(c) == 1 and c.isprintable() for c in t.vocab)
        np.testing.assert_array_equal(t.encode("".join(a.tokens[0])), a.inputs[:, 0])
    assert task_from_meta(t.meta()).params == t.params
    assert 0 < t.chance() < 1


def test_recall_answer_is_the_first_symbol():
    t = make_task("recall", gap=5)
    b = t.sample(np.random.default_rng(0), 4)
    for j in range(4):
        s = "".join(b.tokens[j])
        assert s[1:] == "....." + "?" and t.classes[b.targets[-1, j]] == s[0]
    assert b.mask[:-1].sum() == 0


def test_mixed_gaps_score_the_query_and_strict_is_fixed():
    t = make_task("recall", gap=30, min_gap=2)
    b = t.sample(np.random.default_rng(1), 64)
    q = b.mask.argmax(0)
    assert len(set(q)) > 5 and b.mask.sum() == 64
    assert all(b.tokens[j][q[j]] == "?" for j in range(64))
    s = t.strict().sample(np.random.default_rng(1), 8)
    assert (s.mask[-1] == 1).all()


def test_temporal_order_class_matches_symbols():
    t = make_task("temporal_order", gap=30)
    b = t.sample(np.random.default_rng(2), 16)
    for j in range(16):
        xy = [c for c in b.tokens[j] if c in "XY"]
        assert len(xy) == 2 and t.classes[b.targets[-1, j]] == "".join(xy)
        assert b.tokens[j][0] == "B" and b.tokens[j][-1] == "E"
        first = b.tokens[j].index(xy[0])
        assert len(b.tokens[j]) - 1 - first >= 30


def test_brackets_depth_and_parity_latents():
    b = make_task("brackets", length=30, max_depth=3).sample(np.random.default_rng(0), 8)
    for j in range(8):
        d = np.cumsum([{"(": 1, ")": -1}.get(c, 0) for c in b.tokens[j]])
        np.testing.assert_array_equal(d, b.targets[:, j])
        assert d.min() >= 0 and d.max() <= 3
    p = make_task("parity", length=12).sample(np.random.default_rng(0), 4)
    np.testing.assert_array_equal(np.cumsum(p.inputs[..., 1], 0) % 2, p.latent)


def test_adding_target_is_marked_sum():
    b = make_task("adding", length=20).sample(np.random.default_rng(0), 6)
    assert (b.inputs[..., 1].sum(0) == 2).all()
    np.testing.assert_allclose(b.targets[-1, :, 0], (b.inputs[..., 0] * b.inputs[..., 1]).sum(0))


def test_chinese_corpus_has_unknown_marker_when_capped():
    t = make_task("charlm", corpus="zh", length=8, max_vocab=50)
    assert len(t.vocab) == 50 and t.vocab[-1] == "□"
    assert t.encode("海很平静").shape == (4, 50)


@pytest.mark.parametrize("name, params, words", [
    ("recall", {"gap": 0}, "gap must be a whole number from 1 to 2000"),
    ("recall", {"symbols": 40}, "symbols must be a whole number from 2 to 26"),
    ("recall", {"gap": 10, "min_gap": 11}, "min_gap must be a whole number from 1 to 10"),
    ("adding", {"length": 2}, "length must be a whole number from 4"),
    ("brackets", {"max_depth": 0}, "max_depth must be a whole number from 1 to 50"),
    ("charlm", {"corpus": "fr"}, "corpus must be 'en' or 'zh'"),
    ("parity", {"gap": 3}, "gap"),
    ("sorting", {}, "unknown task 'sorting'"),
])
def test_bad_parameters_name_the_limit(name, params, words):
    with pytest.raises(ValueError, match=words):
        make_task(name, **params)


def test_encode_rejects_unknown_characters():
    with pytest.raises(ValueError, match="not in this task's vocabulary"):
        make_task("parity").encode("0120")


def test_temporal_order_mixed_gaps_always_answerable():
    """With mixed gaps every sequence has both X/Y strictly before its "E", the label is their order,
    and the first lies at least the sequence's own gap before "E" (a short gap once put the second X/Y
    after "E" or onto it in 1.5 % of sequences)."""
    t = make_task("temporal_order", gap=100, min_gap=4)
    b = t.sample(np.random.default_rng(0), 512)
    end = b.mask.argmax(0)
    for j in range(512):
        seq = b.tokens[j][:end[j] + 1]
        xy = [k for k, c in enumerate(seq) if c in "XY"]
        assert seq[-1] == "E" and len(xy) == 2, seq
        assert t.classes[b.targets[end[j], j]] == seq[xy[0]] + seq[xy[1]]
        assert 1 <= xy[0] <= 10 and end[j] - xy[0] >= 4      # the first in the first w = gap/10 steps


def test_adding_mixed_lengths_answer_at_their_own_end_and_strict_is_fixed():
    t = make_task("adding", length=200, min_length=10)
    b = t.sample(np.random.default_rng(4), 64)
    n = b.mask.argmax(0) + 1
    assert b.mask.sum() == 64 and len(set(n)) > 20 and n.min() >= 10
    assert 0.3 < np.mean(n < np.sqrt(10 * 200)) < 0.7               # log-uniform: half below the geometric mean
    marks = b.inputs[..., 1]
    for j in range(64):
        k = np.nonzero(marks[:, j])[0]
        assert len(k) == 2 and k[0] < n[j] // 2 <= k[1] < n[j]
        assert b.targets[n[j] - 1, j, 0] == pytest.approx(b.inputs[k, j, 0].sum())
    s = t.strict()
    assert s.params == {"length": 200} and (s.sample(np.random.default_rng(0), 4).mask[-1] == 1).all()


def test_long_gap_tasks_suggest_a_larger_forget_bias():
    assert make_task("recall").forget_bias == make_task("temporal_order").forget_bias == 3.0
    assert all(make_task(n, **SMALL[n]).forget_bias == 1.0 for n in ("adding", "brackets", "parity", "charlm"))


@pytest.mark.parametrize("corpus, vocab", [("en", 160), ("zh", 256)])
def test_heldout_text_is_new_and_shares_the_vocabulary(corpus, vocab):
    t = make_task("charlm", corpus=corpus, length=32, max_vocab=vocab)
    h = t.heldout()
    assert h.vocab == t.vocab and h.params == t.params and len(h.text) > 250
    # written apart from the training text: no run of 30 characters is shared
    assert not any(h.text[k:k + 30] in t.text for k in range(len(h.text) - 30))
    b = h.sample(np.random.default_rng(0), 8)
    np.testing.assert_array_equal(t.encode("".join(b.tokens[0])), b.inputs[:, 0])
    assert t.text == make_task("charlm", corpus=corpus, length=32, max_vocab=vocab).text   # untouched


def test_heldout_characters_outside_the_vocabulary_are_targets_never_right():
    t = make_task("charlm", corpus="zh", length=16, max_vocab=60)    # most characters become "□"
    h = t.heldout()
    b = h.sample(np.random.default_rng(0), 16)
    assert (b.targets == -1).any() and (b.targets >= 0).any()
    inputs = np.array(b.tokens).T                                  # (T, B) characters shown to the model
    assert (inputs[1:][b.targets[:-1] == -1] == t.UNKNOWN).all()   # the same character, read as "□"
