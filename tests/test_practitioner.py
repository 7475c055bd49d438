"""Practitioners' own models: whole state dicts, embeddings, bidirectional layers, vocabularies.

Golden tests read tests/golden/practitioner/ (made by
tests/golden/make_practitioner.py from torch and Keras) and need neither;
forward values at 1e-10 absolute in float64, gradients at 1e-8 relative.
The ``torch`` tests compare live where torch is installed.
"""
import importlib.util
import json
import pathlib
import shutil

import numpy as np
import pytest
from numerics import max_abs_err, max_rel_err

import lstm_core
from lstm_core import GRU, LSTM, RNN, WeightError
from lstm_core.files import reader, vocab

HERE = pathlib.Path(__file__).parent / "golden" / "practitioner"
BI_CASES = sorted(p.stem for p in HERE.glob("bi_*.npz"))
FWD_TOL, GRAD_TOL = 1e-10, 1e-8
HAS_TORCH = importlib.util.find_spec("torch") is not None
needs_torch = pytest.mark.skipif(not HAS_TORCH, reason="torch is not installed")


def load_case(name):
    with np.load(HERE / f"{name}.npz", allow_pickle=False) as f:
        return {k: f[k] for k in f.files}


def case_model(d):
    params = {k[6:]: v for k, v in d.items() if k.startswith("param:")}
    return lstm_core.CELLS[str(d["meta:kind"])].from_torch(params, nonlinearity=str(d["meta:nonlinearity"]))


# ------------------------------------------------------------------ bidirectional parity (golden)
def test_golden_files_are_there_and_small():
    assert len(BI_CASES) >= 4
    assert sum(p.stat().st_size for p in HERE.iterdir()) < 400_000


@pytest.mark.parametrize("name", BI_CASES)
def test_bidirectional_forward_every_value_of_every_layer(name):
    d = load_case(name)
    m = case_model(d)
    assert m.bidirectional and m.directions == 2
    tr = m.forward(d["x"], h0=d.get("h0"), c0=d.get("c0"))
    assert tr.directions == 2 and tr.hidden_size == 2 * m.hidden_size
    H = m.hidden_size
    checked = 0
    for k in range(m.num_layers):
        for key in [key for key in d if key.startswith(f"l{k}:")]:
            n = key.split(":", 1)[1]
            assert tr.layers[k][n].shape[-1] == 2 * H
            err = max_abs_err(tr.layers[k][n], d[key])
            assert err < FWD_TOL, f"layer {k} {n}: {err:.3g}"
            checked += 1
        hid = tr.layers[k]["hidden"]
        # PyTorch's h_n: the forward direction ends at the last token, the reverse one at the first
        assert max_abs_err(hid[-1, ..., :H], d["h_n"][2 * k]) < FWD_TOL
        assert max_abs_err(hid[0, ..., H:], d["h_n"][2 * k + 1]) < FWD_TOL
        if "c_n" in d:
            assert max_abs_err(tr.layers[k]["cell"][0, ..., H:], d["c_n"][2 * k + 1]) < FWD_TOL
    assert max_abs_err(tr["hidden"], d["out"]) < FWD_TOL
    if "logits" in d:
        assert max_abs_err(tr.logits, d["logits"]) < FWD_TOL
        assert max_abs_err(tr.y, d["y"]) < FWD_TOL
    assert checked >= m.num_layers * 2


@pytest.mark.parametrize("name", BI_CASES)
def test_bidirectional_backward(name):
    d = load_case(name)
    m = case_model(d)
    tr = m.forward(d["x"], h0=d.get("h0"), c0=d.get("c0"))
    g = m.backward(tr, d_hidden=d["up:d_hidden"], d_logits=d.get("up:d_logits"))
    keys = [k[5:] for k in d if k.startswith("grad:")]
    assert set(m.to_torch()) <= set(keys) and any(k.endswith("_reverse") for k in keys)
    for k in keys:
        err = max_rel_err(g[k], d[f"grad:{k}"])
        assert err < GRAD_TOL, f"gradient {k}: {err:.3g}"


def test_bidirectional_overrides_address_both_directions():
    m = LSTM.init(3, 4, num_layers=2, seed=1, bidirectional=True)
    xs = np.random.default_rng(0).standard_normal((6, 3))
    base = m.forward(xs)
    quiet = m.forward(xs, overrides=[lstm_core.silence(units=[5], layer=0)])   # unit 5 = reverse unit 1
    assert np.all(quiet.layers[0]["hidden"][:, 5] == 0)
    assert np.array_equal(quiet.layers[0]["hidden"][:, :4], base.layers[0]["hidden"][:, :4])
    held = m.forward(xs, overrides=[lstm_core.clamp("forget", 1.0, units=[0, 7], steps=(2, 4))])
    assert np.all(held["forget"][2:4, [0, 7]] == 1.0) and not np.any(held["forget"][:2, [0, 7]] == 1.0)
    g = m.backward(held, d_hidden=np.ones_like(held["hidden"]))   # runs with the split masks
    assert g["weight_hh_l1_reverse"].shape == (16, 4)


# ------------------------------------------------------------------ whole models saved by their authors
def expected(name):
    with np.load(HERE / f"{name}.expected.npz") as f:
        return {k: f[k] for k in f.files}


def replay(m, e, tol=FWD_TOL, head_tol=FWD_TOL):
    m = m.astype(np.float64)
    tr = m.forward(e["ids"])
    assert max_abs_err(tr["hidden"], e["out"]) < tol
    assert max_abs_err(tr.logits, e["logits"]) < head_tol
    trb = m.forward(e["ids_batch"])
    assert trb.batched and max_abs_err(trb["hidden"], e["out_batch"]) < tol
    assert max_abs_err(trb.logits, e["logits_batch"]) < head_tol
    return tr


def test_embedding_bilstm_linear_with_the_vocabulary_in_the_safetensors_metadata():
    m = lstm_core.load(HERE / "sentiment_bilstm.safetensors")
    assert (m.kind, m.num_layers, m.directions, m.vocab_size, m.output_size) == ("lstm", 2, 2, 20, 3)
    assert m.vocab[:3] == ("<pad>", "<unk>", "the") and m.unk == 1 and m.tokenizer == "words"
    assert m.params["out.weight"].shape == (3, 12) and "ignored" not in m.meta
    tr = replay(m, expected("sentiment_bilstm"))
    assert tr.ids is not None and tr.y.shape == (9, 3)


def test_embedding_gru_linear_npz_with_a_sidecar_vocabulary():
    m = lstm_core.load(HERE / "charlm_gru.npz")
    assert (m.kind, m.directions, m.vocab_size, m.output_size) == ("gru", 1, 12, 12)
    assert m.tokenizer == "chars" and m.vocab[9] == "\n"
    replay(m, expected("charlm_gru"))


def test_prefixed_keys_and_several_recurrent_modules(tmp_path):
    # safetensors sorts its keys: the decoder comes first
    with pytest.raises(WeightError, match=r"several recurrent modules \(model\.decoder\.rnn, model\.encoder\.lstm\)"
                       r".*module='model\.decoder\.rnn'") as e:
        lstm_core.load(HERE / "prefixed.safetensors")
    assert e.value.key == "several_modules"
    with pytest.raises(WeightError, match="no recurrent module named 'decoder'.*model.decoder.rnn, model.encoder.lstm"):
        lstm_core.load(HERE / "prefixed.safetensors", module="decoder")
    m = lstm_core.load(HERE / "prefixed.safetensors", module="model.encoder.lstm")
    assert m.kind == "lstm" and m.vocab_size == 20 and m.vocab[1] == "<unk>"   # the .vocab.txt beside it
    assert any(n.startswith("model.decoder.rnn.weight_ih_l0") for n in m.meta["ignored"])
    replay(m, expected("prefixed"))
    g = lstm_core.load(HERE / "prefixed.safetensors", module="model.decoder.rnn")
    assert g.kind == "gru" and g.output_size == 20


def test_a_keras_whole_model_with_embedding_bidirectional_and_dense():
    m = lstm_core.load(HERE / "keras_bilstm.npz")
    assert (m.kind, m.num_layers, m.directions, m.vocab_size, m.output_size) == ("lstm", 2, 2, 20, 3)
    # the states match Keras to 1e-10; Keras' Dense (torch backend) itself rounds at ~3e-8 even in float64
    replay(m, expected("keras_bilstm"), head_tol=1e-7)


def test_a_stack_mixing_bidirectional_and_one_way_layers_is_refused():
    from lstm_core.files import convert
    a = convert.named_arrays(LSTM.init(3, 4, seed=0, bidirectional=True), "keras")
    b = convert.named_arrays(LSTM.init(8, 4, seed=0), "keras")
    with pytest.raises(WeightError, match="layer 1 reads both directions but layer 2 only one") as e:
        reader.build({**a, **{k.replace("lstm/", "lstm_1/"): v for k, v in b.items()}})
    assert e.value.key == "mixed_directions"


def test_keras_layers_and_embedding_round_trip_through_keras_names(tmp_path):
    for cls in (LSTM, GRU, RNN):
        m = cls.init(3, 4, num_layers=2, seed=3, bidirectional=True, vocab_size=9, output_size=5)
        path = tmp_path / f"{cls.kind}.npz"
        m.save(path, naming="keras")
        back = lstm_core.load(path)
        assert back.bidirectional and back.vocab_size == 9 and back.output_size == 5
        ids = np.array([1, 4, 8, 0, 2])
        assert max_abs_err(back.forward(ids).y, m.forward(ids).y) < 1e-12


# ------------------------------------------------------------------ the model API
def test_forward_on_ids_equals_forward_on_the_embedded_vectors_and_backward_reaches_the_embedding():
    m = GRU.init(4, 5, seed=2, vocab_size=7, output_size=7)
    ids = np.array([3, 1, 6, 6, 0])
    a, b = m.forward(ids), m.forward(m.params["embed.weight"][ids])
    assert np.array_equal(a["hidden"], b["hidden"]) and np.array_equal(a.y, b.y)
    g = m.backward(a, d_logits=a.y - np.eye(7)[ids])
    dE = np.zeros((7, 4))
    np.add.at(dE, ids, g["input"])
    assert np.allclose(g["embed.weight"], dE) and np.all(g["embed.weight"][[2, 4, 5]] == 0)
    assert np.all(m.backward(b, d_logits=b.y)["embed.weight"] == 0)     # run on vectors: no ids, no gradient


def test_ids_without_an_embedding_are_one_hot_and_bad_ids_are_refused():
    m = LSTM.init(5, 3, seed=0)
    ids = np.array([4, 0, 2])
    assert np.array_equal(m.forward(ids)["hidden"], m.forward(np.eye(5)[ids])["hidden"])
    with pytest.raises(ValueError, match=r"token ids must lie in 0\.\.4; found 0\.\.5"):
        m.forward(np.array([0, 5]))
    with pytest.raises(ValueError, match=r"\(T,\) or \(T, B\)"):
        m.forward(np.zeros((2, 2, 2), int))


def test_astype_returns_a_copy():
    m = LSTM.init(3, 4, seed=0, dtype=np.float32, vocab_size=5)
    c = m.astype(np.float64)
    assert c.dtype == np.float64 and c.params["embed.weight"].dtype == np.float64
    same = m.astype(np.float32)
    same.params["weight_hh_l0"][0, 0] = 99.0
    assert m.params["weight_hh_l0"][0, 0] != 99.0


def test_to_keras_of_one_layer_is_what_set_weights_takes_and_round_trips():
    for cls, n in ((LSTM, 3), (GRU, 3), (RNN, 3)):
        m = cls.init(3, 4, seed=5)
        w = m.to_keras()
        assert len(w) == n and all(isinstance(a, np.ndarray) for a in w)
        back = cls.from_keras(*w)
        xs = np.random.default_rng(1).standard_normal((4, 3))
        assert max_abs_err(back.forward(xs)["hidden"], m.forward(xs)["hidden"]) < 1e-12
    stack = LSTM.init(3, 4, num_layers=2, seed=5).to_keras()
    assert len(stack) == 2 and all(len(layer) == 3 for layer in stack)
    bi = LSTM.init(3, 4, seed=5, bidirectional=True).to_keras()
    assert len(bi) == 6     # Keras' Bidirectional.get_weights(): forward's three, then backward's


def test_with_vocab_shares_the_weights_and_checks_the_size():
    m = LSTM.init(3, 4, seed=0)
    v = m.with_vocab(list("abc"), tokenizer="chars")
    assert v.vocab == ("a", "b", "c") and v.params["weight_ih_l0"] is m.params["weight_ih_l0"] and m.vocab is None
    with pytest.raises(WeightError, match="the vocabulary has 4 tokens but the model has 3 inputs") as e:
        m.with_vocab(list("abcd"))
    assert (e.value.key, e.value.params) == ("vocab_size", {"found": 4, "want": 3})
    with pytest.raises(WeightError, match="'a' more than once"):
        m.with_vocab(list("aba"))
    with pytest.raises(WeightError, match="tokenizer must be one of chars, words"):
        m.with_vocab(list("abc"), tokenizer="bpe")


# ------------------------------------------------------------------ vocabularies
def test_vocabulary_files_json_text_and_escapes():
    got = vocab.parse(json.dumps({"vocab": ["a", " ", "\n"], "tokenizer": "chars"}).encode(), "v.json")
    assert got == {"vocab": ["a", " ", "\n"], "tokenizer": "chars", "labels": None}
    assert vocab.parse(b'["x", "y"]')["vocab"] == ["x", "y"]
    assert vocab.parse("a\n \n\\n\n\\t\n\\\\\nwort\r\n".encode())["vocab"] == ["a", " ", "\n", "\t", "\\", "wort"]
    for bad, match in ((b"\xff\xfe", "not UTF-8"), (b"{oops", "not valid JSON"), (b'{"tokens": []}', "must hold"),
                       (b'{"vocab": [1, 2]}', "list of strings"), (b"", "empty"),
                       (b'{"vocab": ["a"], "tokenizer": "bpe"}', "tokenizer must be one of")):
        with pytest.raises(WeightError, match=match):
            vocab.parse(bad, "v.json" if bad.startswith(b"{") else "v.txt")


def test_a_vocabulary_whose_size_differs_from_the_embedding_is_refused_naming_both(tmp_path):
    shutil.copy(HERE / "charlm_gru.npz", tmp_path / "lm.npz")
    (tmp_path / "lm.vocab.json").write_text(json.dumps({"vocab": list("abc")}))
    with pytest.raises(WeightError, match="the vocabulary has 3 tokens but the model has 12 rows in its embedding"):
        lstm_core.load(tmp_path / "lm.npz")
    m = lstm_core.load(tmp_path / "lm.npz", vocab=list("abcdefghijkl"))      # an explicit one wins
    assert m.vocab[-1] == "l" and m.tokenizer == "chars"


def test_a_wrong_vocabulary_in_the_safetensors_metadata_is_refused(tmp_path):
    from safetensors.numpy import save_file
    sd = LSTM.init(3, 4, seed=0, vocab_size=6).to_torch()
    path = tmp_path / "m.safetensors"
    save_file(sd, str(path), metadata={"vocab": json.dumps(list("abcde"))})
    with pytest.raises(WeightError, match="has 5 tokens but the model has 6 rows"):
        lstm_core.load(path)
    save_file(sd, str(path), metadata={"vocab": "not json"})
    with pytest.raises(WeightError, match="metadata 'vocab' must be a JSON list"):
        lstm_core.load(path.read_bytes())


# ------------------------------------------------------------------ refusals, each message
@pytest.mark.parametrize("name", ["model.pt", "ckpt.pth", "weights.bin"])
def test_pytorch_pickles_are_never_opened_and_the_message_gives_the_line(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"\x80\x04 anything")
    with pytest.raises(WeightError) as e:
        lstm_core.load(path)
    msg = str(e.value)
    assert "never opened" in msg and "save_file(" in msg and f'torch.load("{name}"' in msg
    assert e.value.key == "pickle_file" and e.value.params["line"] in msg
    with pytest.raises(WeightError, match="never opened"):
        lstm_core.load(b"PK\x03\x04", name=name)       # an upload named .pt: refused by its name, unread


def test_keras_half_a_bidirectional_layer_several_heads_and_embeddings_are_refused():
    m = LSTM.init(3, 4, seed=0, bidirectional=True)
    from lstm_core.files import convert
    a = convert.named_arrays(m, "keras")
    half = {k: v for k, v in a.items() if "backward" not in k}
    with pytest.raises(WeightError, match="one half of a Bidirectional layer; its other half is missing"):
        reader.build({k: v for k, v in a.items() if "forward" not in k})
    assert reader.build(half).directions == 1      # a forward half alone is a plain layer
    two = {**a, "dense/kernel": np.zeros((8, 2)), "dense_1/kernel": np.zeros((8, 3))}
    with pytest.raises(WeightError, match="2 dense layers that could be the output"):
        reader.build(two)
    emb = {**a, "embedding/embeddings": np.zeros((5, 3)), "embedding_1/embeddings": np.zeros((5, 3))}
    with pytest.raises(WeightError, match="several embeddings"):
        reader.build(emb)


def test_torch_embedding_and_head_are_found_by_shape_and_ambiguity_is_refused():
    m = LSTM.init(3, 4, seed=0, vocab_size=7, output_size=5)
    sd = {("emb." if k.startswith("embed.") else "fc." if k.startswith("out.") else "rnn.") + k.split(".")[-1]
          if "." in k else "rnn." + k: v for k, v in m.to_torch().items()}
    back = reader.build(sd)
    assert back.vocab_size == 7 and back.output_size == 5
    with pytest.raises(WeightError, match="several matrices could be the embedding.*emb.weight.*emb2.weight"):
        reader.build({**sd, "emb2.weight": np.zeros((9, 3))})
    with pytest.raises(WeightError, match="several linear layers could be the output"):
        reader.build({**sd, "fc2.weight": np.zeros((2, 4)), "fc2.bias": np.zeros(2)})
    extra = reader.build({**sd, "norm.weight": np.ones(4), "norm.bias": np.zeros(4)})
    assert extra.meta["ignored"] == ["norm.weight (4,)", "norm.bias (4,)"]


@needs_torch
def test_proj_size_is_refused_naming_it():
    import torch
    sd = {k: v.detach().numpy() for k, v in torch.nn.LSTM(3, 6, proj_size=2).state_dict().items()}
    with pytest.raises(WeightError, match=r"projections \(proj_size=2, weight_hr_l0 of shape \(2, 6\)\)") as e:
        reader.build(sd)
    assert e.value.key == "proj_size"


# ------------------------------------------------------------------ live torch
@needs_torch
@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
@pytest.mark.parametrize("seed", [0, 1])
def test_live_bidirectional_embedding_and_head_against_torch(kind, seed):
    import torch
    torch.set_default_dtype(torch.float64)
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    V, I, H, L, O = (int(rng.integers(3, 9)) for _ in range(5))
    L = 1 + seed
    emb = torch.nn.Embedding(V, I)
    rec = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[kind](I, H, num_layers=L,
                                                                                   bidirectional=True)
    lin = torch.nn.Linear(2 * H, O)
    sd = {"embedding.weight": emb.weight, **{f"encoder.{k}": v for k, v in rec.named_parameters()},
          "classifier.weight": lin.weight, "classifier.bias": lin.bias}
    m = reader.build({k: v.detach().numpy() for k, v in sd.items()})
    assert m.bidirectional and m.vocab_size == V and m.output_size == O
    T, B = int(rng.integers(2, 9)), 3
    ids = rng.integers(0, V, (T, B))
    out, _ = rec(emb(torch.tensor(ids)))
    logits = lin(out)
    tr = m.forward(ids)
    assert max_abs_err(tr["hidden"], out.detach().numpy()) < FWD_TOL
    assert max_abs_err(tr.logits, logits.detach().numpy()) < FWD_TOL
    up = rng.standard_normal(tuple(logits.shape))
    (logits * torch.tensor(up)).sum().backward()
    g = m.backward(tr, d_logits=up)
    names = {"embedding.weight": "embed.weight", "classifier.weight": "out.weight", "classifier.bias": "out.bias"}
    for k, p in sd.items():
        ours = names.get(k, k.removeprefix("encoder."))
        assert max_rel_err(g[ours], p.grad.numpy()) < GRAD_TOL, k


@pytest.mark.parametrize("name", ["model.pt", "my lstm's $HOME `x`\".pth", "模型 v2.ckpt", "a\\b.bin"])
def test_the_converting_line_hands_any_file_name_to_torch_as_it_is(name):
    """The refusal's one line is a shell word for Python's program: whatever the name holds (quotes, $,
    backticks, spaces, backslashes, Chinese), the shell passes the program unchanged and the program
    names exactly that file, and its stem with .safetensors."""
    import ast
    import shlex

    from lstm_core.files.reader import convert_line
    argv = shlex.split(convert_line(name))
    assert argv[:2] == ["python", "-c"] and len(argv) == 3
    strings = [n.value for n in ast.walk(ast.parse(argv[2]))
               if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    assert name in strings and name.rsplit(".", 1)[0] + ".safetensors" in strings
