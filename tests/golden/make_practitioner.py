"""Make the practitioners' golden files that tests/test_practitioner.py checks without torch.

Rerun from the repository root (needs torch and safetensors; the Keras file
also needs ``pip install keras``, run with ``KERAS_BACKEND=torch``)::

    KERAS_BACKEND=torch python tests/golden/make_practitioner.py

It rewrites ``tests/golden/practitioner/`` (a few KB each), all in float64 with
fixed seeds.

1. Bidirectional parity cases ``bi_<cell>_*.npz``: a ``torch.nn.LSTM`` / ``GRU``
   / ``RNN`` with ``bidirectional=True`` and 2 layers, keys as in
   ``make_golden.py`` (``param:``, ``x``, ``h0``, ``c0``, ``out``, ``h_n``, ``c_n``,
   ``up:d_hidden``, ``up:d_logits``, ``grad:``, ``logits``, ``y``) and every
   layer's values ``l<k>:<name>`` of shape (T, [B,] 2H): forward units, then
   reverse, each step's reverse values back in token order. Gates come from
   the step-by-step re-implementation of ``make_golden.py`` run on each
   direction (the reverse one on the sequence read backwards); the script
   asserts that it equals the module's ``out``, ``h_n`` and ``c_n``.
2. Whole models saved the way their authors save them, with what PyTorch
   (or Keras) computes on fixed token ids, in ``<name>.expected.npz``
   (``ids`` (T,) and ``ids_batch`` (T, B); ``out``, ``logits`` and their batch twins):

   - ``sentiment_bilstm.safetensors``: ``nn.Embedding → nn.LSTM(2 layers,
     bidirectional, batch_first) → nn.Linear``, ``save_file(model.state_dict())``
     with the vocabulary in the file's metadata (``{"vocab": json.dumps([...])}``);
   - ``charlm_gru.npz``: ``nn.Embedding → nn.GRU → nn.Linear`` (names ``embed``,
     ``gru``, ``head``) saved with ``np.savez``, vocabulary in the sidecar
     ``charlm_gru.vocab.json`` (``{"vocab": [...], "tokenizer": "chars"}``);
   - ``prefixed.safetensors``: a model holding two recurrent modules under
     ``model.encoder.lstm.`` and ``model.decoder.rnn.``, its embedding
     ``model.encoder.emb`` and head ``model.decoder.out``; vocabulary in
     ``prefixed.vocab.txt`` (one token per line);
   - ``keras_bilstm.npz``: a Keras 3 ``Embedding → Bidirectional(LSTM) →
     Bidirectional(LSTM) → Dense`` saved as ``{w.path: w.numpy() for w in model.weights}``.
"""
from __future__ import annotations

import json
import os
import pathlib
import sys

import numpy as np
import torch
from safetensors.torch import save_file

HERE = pathlib.Path(__file__).resolve().parent
OUT = HERE / "practitioner"
sys.path.insert(0, str(HERE))
import make_golden as mg  # noqa: E402  (its step-by-step cells; sets float64)

torch.set_default_dtype(torch.float64)

# name: (kind, nonlinearity, T, B or None, I, H, layers, nonzero h0/c0, output size)
BI_CASES = {
    "bi_lstm_2l": ("lstm", "tanh", 6, None, 3, 4, 2, True, 3),
    "bi_lstm_1l_batch": ("lstm", "tanh", 5, 3, 3, 4, 1, False, 0),
    "bi_gru_2l_batch": ("gru", "tanh", 5, 2, 3, 4, 2, True, 2),
    "bi_rnn_relu_2l": ("rnn", "relu", 6, None, 3, 5, 2, False, 0),
}


def direction_cell(kind, net, k, sfx, nonlinearity):
    D = 2
    I = net.input_size if k == 0 else D * net.hidden_size
    cell = {"lstm": lambda: torch.nn.LSTMCell(I, net.hidden_size),
            "gru": lambda: torch.nn.GRUCell(I, net.hidden_size),
            "rnn": lambda: torch.nn.RNNCell(I, net.hidden_size, nonlinearity=nonlinearity)}[kind]()
    sd = net.state_dict()
    cell.load_state_dict({n: sd[f"{n}_l{k}{sfx}"] for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")})
    return cell


def run_direction(kind, cell, inp, h, c, nonlinearity):
    steps = []
    for t in range(inp.shape[0]):
        if kind == "lstm":
            h, c, vals = mg.lstm_step(cell, inp[t], h, c)
        elif kind == "gru":
            h, vals = mg.gru_step(cell, inp[t], h)
        else:
            h, vals = mg.rnn_step(cell, inp[t], h, nonlinearity)
        steps.append(vals)
    return {n: torch.stack([s[n] for s in steps]) for n in steps[0]}, h, c


def bi_by_hand(kind, net, x, h0, c0, nonlinearity):
    """Both directions of every layer, step by step: per-layer dicts (T, B, 2H) and final states."""
    layers, inp, hn, cn = [], x, [], []
    for k in range(net.num_layers):
        halves = []
        for d, sfx in enumerate(("", "_reverse")):
            cell = direction_cell(kind, net, k, sfx, nonlinearity)
            j = 2 * k + d
            seq = inp if d == 0 else inp.flip(0)
            vals, h, c = run_direction(kind, cell, seq, h0[j], None if c0 is None else c0[j], nonlinearity)
            if d == 1:
                vals = {n: v.flip(0) for n, v in vals.items()}
            halves.append(vals)
            hn.append(h)
            cn.append(c)
        layer = {n: torch.cat([halves[0][n], halves[1][n]], dim=-1) for n in halves[0]}
        layers.append(layer)
        inp = layer["hidden"]
    return layers, torch.stack(hn), (torch.stack(cn) if kind == "lstm" else None)


def make_bi_case(name, kind, nonlinearity, T, B, I, H, L, nonzero, O, seed):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    mod = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[kind]
    kw = {"nonlinearity": nonlinearity} if kind == "rnn" else {}
    net = mod(I, H, num_layers=L, bidirectional=True, **kw)
    lin = torch.nn.Linear(2 * H, O) if O else None
    bshape = (B,) if B else ()
    x = torch.tensor(rng.standard_normal((T, *bshape, I)), requires_grad=True)
    init = (lambda: 0.5 * rng.standard_normal((2 * L, *bshape, H))) if nonzero else (
        lambda: np.zeros((2 * L, *bshape, H)))
    h0 = torch.tensor(init(), requires_grad=True)
    c0 = torch.tensor(init(), requires_grad=True) if kind == "lstm" else None
    out, st = net(x, (h0, c0) if kind == "lstm" else h0)
    h_n, c_n = (st if kind == "lstm" else (st, None))
    add = (lambda a: a) if B else (lambda a: a[:, None])
    sq = (lambda a: a) if B else (lambda a: a[:, 0])
    with torch.no_grad():
        layers, hn_hand, cn_hand = bi_by_hand(kind, net, add(x), h0 if B else h0[:, None],
                                              None if c0 is None else (c0 if B else c0[:, None]), nonlinearity)
    assert torch.allclose(sq(layers[-1]["hidden"]), out, rtol=0, atol=1e-14), "by hand differs from nn module"
    assert torch.allclose(sq(hn_hand), h_n, rtol=0, atol=1e-14)
    if kind == "lstm":
        assert torch.allclose(sq(cn_hand), c_n, rtol=0, atol=1e-14)
    data = {}
    up_h = rng.standard_normal(tuple(out.shape))
    loss = (out * torch.tensor(up_h)).sum()
    data["up:d_hidden"] = up_h
    params = dict(net.named_parameters())
    if lin is not None:
        logits = lin(out)
        up_l = rng.standard_normal(tuple(logits.shape))
        loss = loss + (logits * torch.tensor(up_l)).sum()
        data["up:d_logits"] = up_l
        data["logits"] = logits.detach().numpy()
        data["y"] = torch.softmax(logits, dim=-1).detach().numpy()
        params["out.weight"], params["out.bias"] = lin.weight, lin.bias
    loss.backward()
    for n, p in params.items():
        data[f"param:{n}"] = p.detach().numpy().copy()
        data[f"grad:{n}"] = p.grad.numpy().copy()
    data["grad:input"] = x.grad.numpy()
    data["grad:h0"] = h0.grad.numpy()
    if kind == "lstm":
        data["grad:c0"] = c0.grad.numpy()
    data["x"] = x.detach().numpy()
    if nonzero:
        data["h0"] = h0.detach().numpy()
        if kind == "lstm":
            data["c0"] = c0.detach().numpy()
    data["out"] = out.detach().numpy()
    data["h_n"] = h_n.detach().numpy()
    if kind == "lstm":
        data["c_n"] = c_n.detach().numpy()
    for k, layer in enumerate(layers):
        for n, v in layer.items():
            data[f"l{k}:{n}"] = sq(v).numpy()
    data["meta:kind"] = np.array(kind)
    data["meta:nonlinearity"] = np.array(nonlinearity)
    np.savez_compressed(OUT / f"{name}.npz", **data)


# ------------------------------------------------------------------ whole models
WORDS = ["<pad>", "<unk>", "the", "film", "was", "not", "good", "bad", "great", "very", "a", "plot",
         "and", "acting", "boring", "fun", "i", "liked", "it", "."]
CHARS = list("abcdefgh ") + ["\n", ".", "<unk>"]


class Sentiment(torch.nn.Module):
    def __init__(self, V, E, H, C):
        super().__init__()
        self.embedding = torch.nn.Embedding(V, E, padding_idx=0)
        self.lstm = torch.nn.LSTM(E, H, num_layers=2, bidirectional=True, batch_first=True)
        self.fc = torch.nn.Linear(2 * H, C)

    def forward(self, ids):                   # (B, T)
        out, _ = self.lstm(self.embedding(ids))
        return out, self.fc(out)


class CharLM(torch.nn.Module):
    def __init__(self, V, E, H):
        super().__init__()
        self.embed = torch.nn.Embedding(V, E)
        self.gru = torch.nn.GRU(E, H)
        self.head = torch.nn.Linear(H, V)

    def forward(self, ids):                   # (T, B)
        out, _ = self.gru(self.embed(ids))
        return out, self.head(out)


class Seq2Seq(torch.nn.Module):
    """Two recurrent modules deep inside: the file needs load(…, module=…)."""

    def __init__(self, V, E, H):
        super().__init__()
        self.model = torch.nn.Module()
        self.model.encoder = torch.nn.Module()
        self.model.encoder.emb = torch.nn.Embedding(V, E)
        self.model.encoder.lstm = torch.nn.LSTM(E, H)
        self.model.decoder = torch.nn.Module()
        self.model.decoder.rnn = torch.nn.GRU(E, H)
        self.model.decoder.out = torch.nn.Linear(H, V)

    def forward(self, ids):                   # (T, B): the encoder's states, and the head on them
        out, _ = self.model.encoder.lstm(self.model.encoder.emb(ids))
        return out, self.model.decoder.out(out)


def expected(fn, ids, ids_batch, batch_first=False):
    with torch.no_grad():
        out, logits = fn(torch.tensor(ids)[None] if batch_first else torch.tensor(ids)[:, None])
        ob, lb = fn(torch.tensor(ids_batch.T) if batch_first else torch.tensor(ids_batch))
    take = (lambda a: a[0]) if batch_first else (lambda a: a[:, 0])
    flip = (lambda a: a.transpose(0, 1)) if batch_first else (lambda a: a)
    return {"ids": ids, "ids_batch": ids_batch, "out": take(out).numpy(), "logits": take(logits).numpy(),
            "out_batch": flip(ob).numpy(), "logits_batch": flip(lb).numpy()}


def make_models():
    rng = np.random.default_rng(7)
    torch.manual_seed(7)
    net = Sentiment(len(WORDS), 8, 6, 3)
    save_file({k: v.contiguous() for k, v in net.state_dict().items()}, str(OUT / "sentiment_bilstm.safetensors"),
              metadata={"vocab": json.dumps(WORDS)})
    ids = rng.integers(0, len(WORDS), 9)
    np.savez_compressed(OUT / "sentiment_bilstm.expected.npz",
                        **expected(net, ids, rng.integers(0, len(WORDS), (9, 3)), batch_first=True))

    torch.manual_seed(8)
    net = CharLM(len(CHARS), 5, 7)
    np.savez(OUT / "charlm_gru.npz", **{k: v.numpy() for k, v in net.state_dict().items()})
    (OUT / "charlm_gru.vocab.json").write_text(json.dumps({"vocab": CHARS, "tokenizer": "chars"},
                                                          ensure_ascii=False), encoding="utf-8")
    ids = rng.integers(0, len(CHARS), 11)
    np.savez_compressed(OUT / "charlm_gru.expected.npz", **expected(net, ids, rng.integers(0, len(CHARS), (11, 2))))

    torch.manual_seed(9)
    net = Seq2Seq(len(WORDS), 4, 5)
    save_file({k: v.contiguous() for k, v in net.state_dict().items()}, str(OUT / "prefixed.safetensors"))
    (OUT / "prefixed.vocab.txt").write_text("\n".join(WORDS) + "\n", encoding="utf-8")
    ids = rng.integers(0, len(WORDS), 7)
    np.savez_compressed(OUT / "prefixed.expected.npz", **expected(net, ids, rng.integers(0, len(WORDS), (7, 2))))


def make_keras():
    try:
        os.environ.setdefault("KERAS_BACKEND", "torch")
        import keras
    except ImportError:
        print("keras is not installed: keras_bilstm.npz left as it is")
        return
    keras.config.set_floatx("float64")
    keras.config.set_dtype_policy("float64")
    keras.utils.set_random_seed(10)
    V, T = len(WORDS), 8
    model = keras.Sequential([
        keras.Input((None,), dtype="int32"),
        keras.layers.Embedding(V, 6),
        keras.layers.Bidirectional(keras.layers.LSTM(5, return_sequences=True)),
        keras.layers.Bidirectional(keras.layers.LSTM(5, return_sequences=True)),
        keras.layers.Dense(3),
    ])
    rng = np.random.default_rng(10)
    for w in model.weights:   # Keras starts biases at zero: give every weight a random value
        w.assign(0.5 * rng.standard_normal(tuple(w.shape)))
    np.savez(OUT / "keras_bilstm.npz", **{w.path: np.asarray(w.numpy()) for w in model.weights})
    ids = rng.integers(0, V, T)
    ids_batch = rng.integers(0, V, (T, 2))
    def run(m, a):
        return keras.ops.convert_to_numpy(m(a.astype("int32")))
    # the Sequential's own call differs from its layers called one by one by ~3e-8 (Keras' torch backend);
    # the layers one by one, in float64, are the reference
    inner = keras.Model(model.inputs, model.layers[-2].output)
    dense = model.layers[-1]
    out = run(inner, ids[None])[0]
    out_batch = run(inner, ids_batch.T).transpose(1, 0, 2)
    logits = keras.ops.convert_to_numpy(dense(out[None]))[0]
    logits_batch = keras.ops.convert_to_numpy(dense(out_batch))
    np.savez_compressed(OUT / "keras_bilstm.expected.npz", ids=ids, ids_batch=ids_batch, out=out, logits=logits,
                        out_batch=out_batch, logits_batch=logits_batch)


def main():
    OUT.mkdir(exist_ok=True)
    for seed, (name, spec) in enumerate(BI_CASES.items()):
        make_bi_case(name, *spec, seed=100 + seed)
    make_models()
    make_keras()
    total = sum(p.stat().st_size for p in OUT.iterdir())
    print(f"{len(list(OUT.iterdir()))} files, {total:,} bytes in {OUT}")


if __name__ == "__main__":
    main()
