"""Parity of lstm_core with PyTorch, float64.

Golden tests read tests/golden/*.npz (made by tests/golden/make_golden.py from
torch) and need no torch: forward values at 1e-10 absolute (hidden, cell and
every gate of every layer), gradients at 1e-8 relative. The ``torch`` tests
compare live against torch with random shapes and seeds.
"""
import importlib.util
import pathlib

import numpy as np
import pytest
from numerics import max_abs_err, max_rel_err

import lstm_core

GOLDEN = pathlib.Path(__file__).parent / "golden"
CASES = sorted(p.stem for p in GOLDEN.glob("*.npz"))
FWD_TOL = 1e-10
GRAD_TOL = 1e-8


def load_case(name):
    with np.load(GOLDEN / f"{name}.npz", allow_pickle=False) as f:
        return {k: f[k] for k in f.files}


def model_of(d):
    params = {k[6:]: v for k, v in d.items() if k.startswith("param:")}
    cls = lstm_core.CELLS[str(d["meta:kind"])]
    return cls.from_torch(params, nonlinearity=str(d["meta:nonlinearity"]))


def run_case(d):
    m = model_of(d)
    tr = m.forward(d["x"], h0=d.get("h0"), c0=d.get("c0"))
    return m, tr


def test_golden_files_exist_and_are_small():
    assert len(CASES) >= 9
    assert sum((GOLDEN / f"{c}.npz").stat().st_size for c in CASES) < 200_000


@pytest.mark.parametrize("name", CASES)
def test_golden_forward_every_value(name):
    d = load_case(name)
    m, tr = run_case(d)
    assert tr.num_layers == m.num_layers
    checked = 0
    for k in range(m.num_layers):
        layer = tr.layers[k]
        golden_names = {key.split(":", 1)[1] for key in d if key.startswith(f"l{k}:")}
        assert golden_names <= set(layer.keys()), f"trace lacks {golden_names - set(layer.keys())}"
        for n in golden_names:
            err = max_abs_err(layer[n], d[f"l{k}:{n}"])
            assert err < FWD_TOL, f"layer {k} {n}: max abs error {err:.3g}"
            checked += 1
        # torch's own final states of every layer
        assert max_abs_err(layer["hidden"][-1], d["h_n"][k]) < FWD_TOL
        if "c_n" in d:
            assert max_abs_err(layer["cell"][-1], d["c_n"][k]) < FWD_TOL
    assert max_abs_err(tr["hidden"], d["out"]) < FWD_TOL
    if "logits" in d:
        assert max_abs_err(tr.logits, d["logits"]) < FWD_TOL
        assert max_abs_err(tr.y, d["y"]) < FWD_TOL
    gates = {"lstm": 4, "gru": 3, "rnn": 0}[m.kind]
    assert checked >= m.num_layers * (gates + 1)


@pytest.mark.parametrize("name", CASES)
def test_golden_backward(name):
    d = load_case(name)
    m, tr = run_case(d)
    g = m.backward(tr, d_hidden=d["up:d_hidden"], d_cell=d.get("up:d_cell"), d_logits=d.get("up:d_logits"))
    keys = [k[5:] for k in d if k.startswith("grad:")]
    assert set(m.to_torch()) <= set(keys)
    for k in keys:
        err = max_rel_err(g[k], d[f"grad:{k}"])
        assert err < GRAD_TOL, f"gradient {k}: max relative error {err:.3g}"


def test_golden_param_count_and_round_trip():
    for name in CASES:
        d = load_case(name)
        m = model_of(d)
        params = {k[6:]: v for k, v in d.items() if k.startswith("param:")}
        assert m.param_count() == sum(v.size for v in params.values())
        back = m.to_torch()
        assert set(back) == set(params)
        for k, v in params.items():
            assert back[k].dtype == np.float64 and np.array_equal(back[k], v)


# --------------------------------------------------------------- live torch
def _torch():
    return pytest.importorskip("torch")


def _by_hand():
    """make_golden's step-by-step re-implementation (per-gate reference values)."""
    spec = importlib.util.spec_from_file_location("make_golden", GOLDEN / "make_golden.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _live_case(kind, nonlinearity, T, B, I, H, L, nonzero, O, seed):
    torch = _torch()
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    mod = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[kind]
    kw = {"nonlinearity": nonlinearity} if kind == "rnn" else {}
    net = mod(I, H, num_layers=L, **kw).double()
    lin = torch.nn.Linear(H, O).double() if O else None
    bs = (B,) if B else ()
    x = rng.standard_normal((T, *bs, I))
    h0 = rng.standard_normal((L, *bs, H)) * nonzero
    c0 = rng.standard_normal((L, *bs, H)) * nonzero
    sd = {k: v.detach().numpy() for k, v in net.state_dict().items()}
    if lin is not None:
        sd["out.weight"], sd["out.bias"] = lin.weight.detach().numpy(), lin.bias.detach().numpy()
    return torch, net, lin, sd, x, h0, c0


LIVE_SPECS = []
_r = np.random.default_rng(2024)
for _i in range(36):
    _kind = ("lstm", "gru", "rnn")[_i % 3]
    LIVE_SPECS.append((
        _kind, "relu" if _kind == "rnn" and _i % 2 else "tanh",
        int(_r.integers(1, 9)), [None, 1, 2, 4][_i % 4], int(_r.integers(1, 6)), int(_r.integers(1, 7)),
        int(_r.integers(1, 4)), float(_i % 5 != 0), int(_r.integers(2, 5)) if _i % 4 == 1 else 0, _i))


@pytest.mark.torch
@pytest.mark.parametrize("spec", LIVE_SPECS,
                         ids=lambda s: f"{s[0]}-{s[1]}-T{s[2]}-B{s[3]}-I{s[4]}-H{s[5]}-L{s[6]}-O{s[8]}")
def test_live_against_torch(spec):
    kind, nl, T, B, I, H, L, nonzero, O, seed = spec
    torch, net, lin, sd, x, h0, c0 = _live_case(kind, nl, T, B, I, H, L, nonzero, O, seed)
    m = lstm_core.CELLS[kind].from_torch(sd, nonlinearity=nl)
    assert m.param_count() == sum(p.numel() for p in net.parameters()) + (
        sum(p.numel() for p in lin.parameters()) if lin is not None else 0)
    tr = m.forward(x, h0=h0, c0=c0 if kind == "lstm" else None)

    tx = torch.tensor(x, requires_grad=True)
    th0 = torch.tensor(h0, requires_grad=True)
    tc0 = torch.tensor(c0, requires_grad=True)
    out, st = net(tx, (th0, tc0) if kind == "lstm" else th0)
    h_n = st[0] if kind == "lstm" else st
    assert max_abs_err(tr["hidden"], out.detach().numpy()) < FWD_TOL
    for k in range(L):
        assert max_abs_err(tr.layers[k]["hidden"][-1], h_n[k].detach().numpy()) < FWD_TOL
        if kind == "lstm":
            assert max_abs_err(tr.layers[k]["cell"][-1], st[1][k].detach().numpy()) < FWD_TOL

    rng = np.random.default_rng(seed + 1)
    up = rng.standard_normal(out.shape)
    loss = (out * torch.tensor(up)).sum()
    up_l = None
    if lin is not None:
        logits = lin(out)
        assert max_abs_err(tr.logits, logits.detach().numpy()) < FWD_TOL
        assert max_abs_err(tr.y, torch.softmax(logits, -1).detach().numpy()) < FWD_TOL
        up_l = rng.standard_normal(logits.shape)
        loss = loss + (logits * torch.tensor(up_l)).sum()
    loss.backward()
    g = m.backward(tr, d_hidden=up, d_logits=up_l)
    ref = {n: p.grad.numpy() for n, p in net.named_parameters()}
    if lin is not None:
        ref["out.weight"], ref["out.bias"] = lin.weight.grad.numpy(), lin.bias.grad.numpy()
    ref["input"], ref["h0"] = tx.grad.numpy(), th0.grad.numpy()
    if kind == "lstm":
        ref["c0"] = tc0.grad.numpy()
    for n, v in ref.items():
        err = max_rel_err(g[n], v)
        assert err < GRAD_TOL, f"gradient {n}: max relative error {err:.3g}"


@pytest.mark.torch
@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
@pytest.mark.parametrize("batched", [False, True])
def test_live_every_gate_against_torch_cells(kind, batched):
    """Per-gate values against a per-step re-implementation on torch's *Cell weights."""
    torch = _torch()
    mg = _by_hand()
    T, B, I, H, L = 7, (3 if batched else None), 4, 5, 2
    _, net, _, sd, x, h0, c0 = _live_case(kind, "tanh", T, B, I, H, L, 1.0, 0, 99)
    m = lstm_core.CELLS[kind].from_torch(sd)
    tr = m.forward(x, h0=h0, c0=c0 if kind == "lstm" else None)
    xb, h0b, c0b = (x, h0, c0) if batched else (x[:, None], h0[:, None], c0[:, None])
    with torch.no_grad():
        layers, _, _ = mg.by_hand(kind, net, torch.tensor(xb), torch.tensor(h0b),
                                  torch.tensor(c0b) if kind == "lstm" else None, "tanh")
    for k, (layer, _) in enumerate(layers):
        for n, v in layer.items():
            ref = v.numpy() if batched else v.numpy()[:, 0]
            assert max_abs_err(tr.layers[k][n], ref) < FWD_TOL, f"layer {k} {n}"


@pytest.mark.torch
@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
def test_live_round_trip_through_torch(kind):
    torch = _torch()
    m = lstm_core.CELLS[kind].init(3, 6, num_layers=2, seed=5)
    net = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[kind](3, 6, num_layers=2).double()
    net.load_state_dict({k: torch.from_numpy(v) for k, v in m.to_torch().items()}, strict=True)
    assert m.param_count() == sum(p.numel() for p in net.parameters())
    back = lstm_core.CELLS[kind].from_torch({k: v.numpy() for k, v in net.state_dict().items()})
    for k, v in m.to_torch().items():
        assert np.array_equal(back.params[k], v)
    x = np.random.default_rng(0).standard_normal((9, 3))
    out, _ = net(torch.tensor(x))
    assert max_abs_err(back.forward(x)["hidden"], out.detach().numpy()) < FWD_TOL


@pytest.mark.parametrize("name", [c for c in CASES if c.startswith("lstm")])
def test_golden_backward_in_small_chunks(name, monkeypatch):
    """LSTM BPTT works through chunks of steps; one step per chunk gives the same gradients."""
    from lstm_core.cells import kernels
    monkeypatch.setattr(kernels, "CHUNK", 1)
    test_golden_backward(name)
