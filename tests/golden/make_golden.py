"""Make the golden vectors that tests/test_core_parity.py checks without torch.

Rerun from the repository root (needs torch; CPU is enough)::

    python tests/golden/make_golden.py

It rewrites ``tests/golden/*.npz`` (a few KB each). Everything runs in float64
with fixed seeds, so a rerun gives the same numbers up to the last bits of
torch's kernels.

Each case builds a ``torch.nn.LSTM`` / ``GRU`` / ``RNN`` and stores, under
these keys:

- ``param:<name>``: its state dict (``out.weight`` / ``out.bias`` for an
  ``nn.Linear`` output layer when there is one);
- ``x`` (T, I) or (T, B, I); ``h0``, ``c0`` (L, H) or (L, B, H) when nonzero;
- ``out`` (top layer's hidden sequence), ``h_n``, ``c_n`` as torch returns them;
- ``l<k>:<value>``: every layer's per-step values (gates, pre-activations,
  cell, hidden) under ``lstm_core``'s trace names. torch does not expose gates,
  so they come from a plain step-by-step re-implementation that uses the
  weights of ``torch.nn.LSTMCell`` / ``GRUCell`` / ``RNNCell``; the script
  asserts that each step equals the cell's own output and that the stack
  equals the ``nn`` module's ``out``, ``h_n`` and ``c_n``;
- ``logits``, ``y`` (softmax) for the output-layer case;
- ``up:d_hidden`` (and ``up:d_cell``, ``up:d_logits``): fixed random upstream
  gradients; the loss is Σ up ⊙ value over the top layer;
- ``grad:<name>``: autograd's gradients of that loss for every parameter,
  ``grad:input``, ``grad:h0``, ``grad:c0``, and the per-step totals
  ``grad:d_hidden`` (∂L/∂h_t) and ``grad:d_cell`` (∂L/∂c_t, LSTM) of the top layer;
- ``meta:kind``, ``meta:nonlinearity``, ``meta:output``: strings.
"""
from __future__ import annotations

import pathlib

import numpy as np
import torch

HERE = pathlib.Path(__file__).resolve().parent
torch.set_default_dtype(torch.float64)

# name: (kind, nonlinearity, T, B or None, I, H, layers, nonzero h0/c0, output size, upstream on c)
CASES = {
    "lstm_1l": ("lstm", "tanh", 6, None, 3, 4, 1, False, 0, False),
    "lstm_2l_batch_h0": ("lstm", "tanh", 5, 3, 3, 4, 2, True, 0, True),
    "lstm_2l_softmax": ("lstm", "tanh", 5, None, 4, 5, 2, True, 3, False),
    "gru_1l": ("gru", "tanh", 6, None, 3, 4, 1, False, 0, False),
    "gru_2l_batch_h0": ("gru", "tanh", 5, 2, 3, 4, 2, True, 0, False),
    "rnn_tanh_1l": ("rnn", "tanh", 6, None, 3, 4, 1, False, 0, False),
    "rnn_tanh_2l_batch_h0": ("rnn", "tanh", 5, 2, 3, 4, 2, True, 0, False),
    "rnn_relu_1l_batch": ("rnn", "relu", 6, 3, 3, 4, 1, True, 0, False),
    "rnn_relu_2l": ("rnn", "relu", 5, None, 3, 5, 2, False, 0, False),
}


def lstm_step(cell, x, h, c):
    """One step by hand from LSTMCell's weights (rows i, f, g, o)."""
    a = x @ cell.weight_ih.T + cell.bias_ih + h @ cell.weight_hh.T + cell.bias_hh
    ai, af, ag, ao = a.chunk(4, dim=-1)
    i, f, g, o = torch.sigmoid(ai), torch.sigmoid(af), torch.tanh(ag), torch.sigmoid(ao)
    c2 = f * c + i * g
    tc = torch.tanh(c2)
    h2 = o * tc
    vals = dict(input=i, forget=f, candidate=g, output=o, cell=c2, cell_tanh=tc, hidden=h2,
                pre_input=ai, pre_forget=af, pre_candidate=ag, pre_output=ao)
    return h2, c2, vals


def gru_step(cell, x, h):
    """One step by hand from GRUCell's weights (rows r, z, n; b_hn inside r ⊙ ·)."""
    gi = x @ cell.weight_ih.T + cell.bias_ih
    gh = h @ cell.weight_hh.T + cell.bias_hh
    ir, iz, in_ = gi.chunk(3, dim=-1)
    hr, hz, hn = gh.chunk(3, dim=-1)
    r, z = torch.sigmoid(ir + hr), torch.sigmoid(iz + hz)
    npre = in_ + r * hn
    n = torch.tanh(npre)
    h2 = (1 - z) * n + z * h
    vals = dict(reset=r, update=z, candidate=n, hidden=h2, pre_reset=ir + hr, pre_update=iz + hz,
                pre_candidate=npre, candidate_recurrent=hn)
    return h2, vals


def rnn_step(cell, x, h, nonlinearity):
    a = x @ cell.weight_ih.T + cell.bias_ih + h @ cell.weight_hh.T + cell.bias_hh
    h2 = torch.tanh(a) if nonlinearity == "tanh" else torch.relu(a)
    return h2, dict(hidden=h2, pre_hidden=a)


def make_cell(kind, net, k, nonlinearity):
    I = net.input_size if k == 0 else net.hidden_size
    cell = {"lstm": lambda: torch.nn.LSTMCell(I, net.hidden_size),
            "gru": lambda: torch.nn.GRUCell(I, net.hidden_size),
            "rnn": lambda: torch.nn.RNNCell(I, net.hidden_size, nonlinearity=nonlinearity)}[kind]()
    sd = net.state_dict()
    cell.load_state_dict({n: sd[f"{n}_l{k}"] for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")})
    return cell


def by_hand(kind, net, x, h0, c0, nonlinearity):
    """Stack of per-step cells; returns per-layer dicts of (T, B, ·) tensors and final states."""
    layers, inp, hn, cn = [], x, [], []
    for k in range(net.num_layers):
        cell = make_cell(kind, net, k, nonlinearity)
        h, c = h0[k], (c0[k] if c0 is not None else None)
        steps = []
        for t in range(x.shape[0]):
            if kind == "lstm":
                h_ref, c_ref = cell(inp[t], (h, c))
                h, c, vals = lstm_step(cell, inp[t], h, c)
                assert torch.allclose(c, c_ref, rtol=0, atol=1e-14)
            elif kind == "gru":
                h_ref = cell(inp[t], h)
                h, vals = gru_step(cell, inp[t], h)
            else:
                h_ref = cell(inp[t], h)
                h, vals = rnn_step(cell, inp[t], h, nonlinearity)
            assert torch.allclose(h, h_ref, rtol=0, atol=1e-14), "re-implementation differs from the cell"
            for v in vals.values():
                if v.requires_grad:
                    v.retain_grad()
            steps.append(vals)
        layer = {n: torch.stack([s[n] for s in steps]) for n in steps[0]}
        layers.append((layer, steps))
        inp = layer["hidden"]
        hn.append(h)
        cn.append(c)
    return layers, torch.stack(hn), (torch.stack(cn) if kind == "lstm" else None)


def make_case(name, kind, nonlinearity, T, B, I, H, L, nonzero, O, up_cell, seed):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    mod = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[kind]
    kw = {"nonlinearity": nonlinearity} if kind == "rnn" else {}
    net = mod(I, H, num_layers=L, **kw)
    lin = torch.nn.Linear(H, O) if O else None
    bshape = (B,) if B else ()
    x = torch.tensor(rng.standard_normal((T, *bshape, I)), requires_grad=True)
    h0 = torch.tensor(0.5 * rng.standard_normal((L, *bshape, H)) if nonzero else np.zeros((L, *bshape, H)),
                      requires_grad=True)
    c0 = None
    if kind == "lstm":
        c0 = torch.tensor(0.5 * rng.standard_normal((L, *bshape, H)) if nonzero else np.zeros((L, *bshape, H)),
                          requires_grad=True)
    # the nn module's own answer
    out, st = net(x, (h0, c0) if kind == "lstm" else h0)
    h_n, c_n = (st if kind == "lstm" else (st, None))
    # the re-implementation (batch dimension added when unbatched, removed again when stored)
    xb = x if B else x[:, None]
    h0b = h0 if B else h0[:, None]
    c0b = None if c0 is None else (c0 if B else c0[:, None])
    layers, hn_hand, cn_hand = by_hand(kind, net, xb, h0b, c0b, nonlinearity)
    sq = (lambda a: a) if B else (lambda a: a[:, 0])
    top = layers[-1][0]
    assert torch.allclose(sq(top["hidden"]), out, rtol=0, atol=1e-14), "stack differs from nn module"
    assert torch.allclose(sq(hn_hand), h_n, rtol=0, atol=1e-14)
    if kind == "lstm":
        assert torch.allclose(sq(cn_hand), c_n, rtol=0, atol=1e-14)
    # the loss: fixed random upstream gradients on the top layer
    data = {}
    up_h = rng.standard_normal(tuple(out.shape))
    loss = (sq(top["hidden"]) * torch.tensor(up_h)).sum()
    data["up:d_hidden"] = up_h
    if up_cell:
        up_c = rng.standard_normal(tuple(out.shape))
        loss = loss + (sq(top["cell"]) * torch.tensor(up_c)).sum()
        data["up:d_cell"] = up_c
    if lin is not None:
        logits = lin(sq(top["hidden"]))
        up_l = rng.standard_normal(tuple(logits.shape))
        loss = loss + (logits * torch.tensor(up_l)).sum()
        data["up:d_logits"] = up_l
        data["logits"] = logits.detach().numpy()
        data["y"] = torch.softmax(logits, dim=-1).detach().numpy()
    params = dict(net.named_parameters())
    if lin is not None:
        params["out.weight"], params["out.bias"] = lin.weight, lin.bias
    # first pass, through the by-hand stack: per-step totals ∂L/∂h_t, ∂L/∂c_t
    loss.backward()
    steps_top = layers[-1][1]
    data["grad:d_hidden"] = sq(torch.stack([s["hidden"].grad for s in steps_top])).numpy()
    if kind == "lstm":
        data["grad:d_cell"] = sq(torch.stack([s["cell"].grad for s in steps_top])).numpy()
    # second pass, through the nn module itself (same loss): parameter gradients
    x2 = x.detach().clone().requires_grad_(True)
    h02 = h0.detach().clone().requires_grad_(True)
    c02 = None if c0 is None else c0.detach().clone().requires_grad_(True)
    net.zero_grad()
    if lin is not None:
        lin.zero_grad()
    out2, _ = net(x2, (h02, c02) if kind == "lstm" else h02)
    loss2 = (out2 * torch.tensor(up_h)).sum()
    if up_cell:   # nn.LSTM does not expose c_t: use the by-hand stack's value gradient instead
        loss2 = loss2 + (sq(by_hand_cell(kind, net, x2, h02, c02, B, nonlinearity)) * torch.tensor(up_c)).sum()
    if lin is not None:
        loss2 = loss2 + (lin(out2) * torch.tensor(up_l)).sum()
    loss2.backward()
    for n, p in params.items():
        data[f"param:{n}"] = p.detach().numpy().copy()
        data[f"grad:{n}"] = p.grad.numpy().copy()
    data["grad:input"] = x2.grad.numpy()
    data["grad:h0"] = h02.grad.numpy()
    if kind == "lstm":
        data["grad:c0"] = c02.grad.numpy()
    # the by-hand gradients of x / h0 (first pass) must agree with the module's
    assert np.allclose(x.grad.numpy(), data["grad:input"], rtol=1e-12, atol=1e-13)
    data["x"] = x.detach().numpy()
    if nonzero:
        data["h0"] = h0.detach().numpy()
        if kind == "lstm":
            data["c0"] = c0.detach().numpy()
    data["out"] = out.detach().numpy()
    data["h_n"] = h_n.detach().numpy()
    if kind == "lstm":
        data["c_n"] = c_n.detach().numpy()
    for k, (layer, _) in enumerate(layers):
        for n, v in layer.items():
            data[f"l{k}:{n}"] = sq(v).detach().numpy()
    data["meta:kind"] = np.array(kind)
    data["meta:nonlinearity"] = np.array(nonlinearity)
    data["meta:output"] = np.array("softmax" if O else "")
    np.savez_compressed(HERE / f"{name}.npz", **data)
    return data


def by_hand_cell(kind, net, x, h0, c0, B, nonlinearity):
    """The top layer's c_t (T, [B,] H) from the module's own parameters, differentiable."""
    sd = dict(net.named_parameters())
    xb = x if B else x[:, None]
    inp = xb
    for k in range(net.num_layers):
        h = (h0 if B else h0[:, None])[k]
        c = (c0 if B else c0[:, None])[k]
        hs, cs = [], []
        for t in range(inp.shape[0]):
            a = (inp[t] @ sd[f"weight_ih_l{k}"].T + sd[f"bias_ih_l{k}"]
                 + h @ sd[f"weight_hh_l{k}"].T + sd[f"bias_hh_l{k}"])
            ai, af, ag, ao = a.chunk(4, dim=-1)
            c = torch.sigmoid(af) * c + torch.sigmoid(ai) * torch.tanh(ag)
            h = torch.sigmoid(ao) * torch.tanh(c)
            hs.append(h)
            cs.append(c)
        inp = torch.stack(hs)
    cs = torch.stack(cs)
    return cs if B else cs[:, 0]


def main():
    total = 0
    for seed, (name, spec) in enumerate(CASES.items()):
        make_case(name, *spec, seed=seed)
        size = (HERE / f"{name}.npz").stat().st_size
        total += size
        print(f"{name}: {size} bytes")
    print(f"total {total} bytes")


if __name__ == "__main__":
    main()
