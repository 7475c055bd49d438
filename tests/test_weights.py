"""Weight files: round trips, both namings, metadata, and files made by PyTorch / safetensors."""
import io
import json

import numpy as np
import pytest

import lstm_core
from lstm_core import WeightError
from lstm_core.files import convert, reader, writer
from lstm_core.files import safetensors as st

CLASSES = {"lstm": lstm_core.LSTM, "gru": lstm_core.GRU, "rnn": lstm_core.RNN}
X = np.random.default_rng(7).normal(size=(5, 3))


def make(kind="lstm", layers=1, out=None, dtype=np.float64, **kw):
    m = CLASSES[kind].init(3, 4, num_layers=layers, seed=1, output_size=4 if out else None,
                           output=out or "softmax", dtype=dtype, **kw)
    m.meta.update({"vocab": ["a", "b", "猫"], "task": "copy", "note": "测试 note"})
    return m


def same_model(a, b, exact=True):
    assert type(a) is type(b) and a.describe() == b.describe()
    assert (a.dtype, a.meta, a.nonlinearity, a.output) == (b.dtype, b.meta, b.nonlinearity, b.output)
    if exact:
        assert a.params.keys() == b.params.keys()
        for k in a.params:
            assert a.params[k].dtype == b.params[k].dtype and np.array_equal(a.params[k], b.params[k]), k
            assert b.params[k].flags.writeable and b.params[k].flags.c_contiguous   # trainable in place
    else:   # Keras keeps one LSTM/RNN bias: b_ih + b_hh comes back as b_ih, b_hh = 0
        for ka, kb in zip(a.to_keras(), b.to_keras()):
            for u, v in zip(ka, kb):
                assert np.array_equal(u, v)
    tol = 1e-12 if a.dtype == np.float64 else 1e-5
    ta, tb = a.forward(X), b.forward(X)
    np.testing.assert_allclose(ta["hidden"], tb["hidden"], atol=tol, rtol=0)
    if a.output:
        np.testing.assert_allclose(ta.y, tb.y, atol=tol, rtol=0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("out", [None, "softmax", "linear"])
@pytest.mark.parametrize("layers", [1, 2])
@pytest.mark.parametrize("naming", ["torch", "keras"])
@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
@pytest.mark.parametrize("fmt", ["npz", "safetensors"])
def test_round_trip(tmp_path, fmt, kind, naming, layers, out, dtype):
    m = make(kind, layers, out, dtype)
    path = tmp_path / f"m.{fmt}"
    m.save(path, naming=naming)
    back = lstm_core.load(path)
    same_model(m, back, exact=naming == "torch" or kind == "gru")


def test_relu_rnn_and_linear_output_survive():
    m = make("rnn", 2, "linear", nonlinearity="relu")
    for fmt in ("npz", "safetensors"):
        back = reader.load(writer.dumps(m, fmt))
        assert back.nonlinearity == "relu" and back.output == "linear"
        same_model(m, back)


def test_sources_bytes_filelike_upload_and_path(tmp_path):
    m = make("gru", 1, "softmax")
    data = writer.dumps(m, "safetensors")
    (tmp_path / "w.safetensors").write_bytes(data)
    same_model(m, reader.load(str(tmp_path / "w.safetensors")))
    same_model(m, reader.load(data, name="w.safetensors"))
    same_model(m, reader.load(io.BytesIO(data)))
    same_model(m, reader.load(bytearray(data)))
    from streamlit.proto.Common_pb2 import FileURLs
    from streamlit.runtime.uploaded_file_manager import UploadedFile, UploadedFileRec
    up = UploadedFile(UploadedFileRec("id", "w.safetensors", "application/octet-stream", data), FileURLs())
    same_model(m, reader.load(up))


def test_extra_meta_argument_and_reserved_keys():
    m = make("lstm")
    back = reader.load(writer.dumps(m, meta={"task": "parity", "cell": "gru"}))   # the cell comes from the model
    assert back.meta["task"] == "parity" and back.kind == "lstm" and "cell" not in back.meta


def test_npz_interoperates_with_numpy(tmp_path):
    m = make("lstm", 2, "softmax", np.float32)
    with np.load(io.BytesIO(writer.dumps(m)), allow_pickle=False) as z:   # ours, read by numpy
        assert json.loads(str(z["__meta__"]))["vocab"] == ["a", "b", "猫"]
        for k, v in m.params.items():
            assert np.array_equal(z[k], v)
    buf = io.BytesIO()                                                  # numpy's, read by us
    np.savez_compressed(buf, **m.to_torch(), __meta__=json.dumps({"output": "softmax"}))  # as docs/weights.md says
    back = reader.load(buf.getvalue())
    assert back.meta == {} and np.array_equal(back.params["weight_hh_l1"], m.params["weight_hh_l1"])


def test_fortran_order_and_big_endian_arrays_are_read_correctly():
    m = make("rnn")
    buf = io.BytesIO()
    np.savez(buf, **{k: np.asfortranarray(v).astype(">f8") for k, v in m.to_torch().items()})
    back = reader.load(buf.getvalue())
    for k, v in m.params.items():
        assert np.array_equal(back.params[k], v) and back.params[k].dtype == np.float64


def test_safetensors_interoperates_with_the_reference_package():
    sn = pytest.importorskip("safetensors.numpy")
    m = make("lstm", 2, "linear")
    ours = writer.dumps(m, "safetensors")
    theirs = sn.load(ours)                                   # ours, read by the package
    for k, v in m.params.items():
        assert np.array_equal(theirs[k], v)
    blob = sn.save(m.to_torch(), metadata={"lstm_explorer": writer.meta_json(m)})   # theirs, read by us
    same_model(m, reader.load(blob))
    arrays, meta = st.read(blob)
    assert meta["lstm_explorer"] and set(arrays) == set(m.params)
    for fmt in ("npz", "safetensors"):   # the raw arrays are writable copies, not views of the file
        assert all(a.flags.writeable for a in reader.read(writer.dumps(m, fmt))[0].values())


def test_float16_is_widened_to_float32():
    m = make("gru")
    back = reader.load(st.write({k: v.astype(np.float16) for k, v in m.to_torch().items()}))
    assert back.dtype == np.float32
    np.testing.assert_allclose(back.params["weight_hh_l0"], m.params["weight_hh_l0"], atol=1e-3)


def test_bf16_is_widened_to_float32():
    m = make("rnn")
    arrays = {}
    header, blob = {}, b""
    for k, v in m.to_torch().items():
        raw = (v.astype(np.float32).view(np.uint32) >> 16).astype("<u2").tobytes()
        header[k] = {"dtype": "BF16", "shape": list(v.shape), "data_offsets": [len(blob), len(blob) + len(raw)]}
        blob += raw
        arrays[k] = v
    text = json.dumps(header).encode()
    back = reader.load(len(text).to_bytes(8, "little") + text + blob)
    assert back.dtype == np.float32
    np.testing.assert_allclose(back.params["weight_ih_l0"], arrays["weight_ih_l0"], rtol=1e-2)


# ------------------------------------------------------------------ naming variants
def keras_dict(m, prefix=""):
    return {prefix + k: v for k, v in convert.named_arrays(m, "keras").items()}


def test_keras_names_with_a_model_prefix_and_keras2_suffix():
    m = make("lstm", 2, "softmax")
    a = keras_dict(m, "sequential/")
    assert "sequential/lstm_1/lstm_cell/recurrent_kernel" in a
    same_model(m, reader.build(a, {"vocab": m.meta["vocab"], "task": "copy", "note": m.meta["note"]}), exact=False)
    same_model(m, reader.build({k + ":0": v for k, v in a.items()}, dict(m.meta)), exact=False)


def test_keras_single_layer_without_prefix():
    m = make("gru")
    K, R, b = m.to_keras()
    same_model(m, reader.build({"kernel": K, "recurrent_kernel": R, "bias": b}, dict(m.meta)))


def test_keras_gru_reset_after_false_is_refused_with_a_reason():
    m = make("gru")
    K, R, _ = m.to_keras()
    with pytest.raises(WeightError, match="reset_after"):
        reader.build({"gru/gru_cell/kernel": K, "gru/gru_cell/recurrent_kernel": R, "gru/gru_cell/bias": np.zeros(12)})


def test_keras_half_a_bidirectional_layer_and_mixed_cells_are_refused():
    a = convert.named_arrays(make("lstm"), "keras")
    half = {k.replace("lstm/", "bidirectional/backward_lstm/"): v for k, v in a.items()}
    with pytest.raises(WeightError, match="one half of a Bidirectional layer"):
        reader.build(half)
    g = convert.named_arrays(CLASSES["gru"].init(4, 4), "keras")
    with pytest.raises(WeightError, match="mix"):
        reader.build({**a, **g})


def test_torch_module_prefix_and_a_named_linear_head():
    m = make("lstm", 2, "softmax")
    sd = {("fc." + k[4:] if k.startswith("out.") else "lstm." + k): v for k, v in m.to_torch().items()}
    back = reader.build(sd, dict(m.meta))
    same_model(m, back)


def test_torch_bias_false_is_accepted():
    m = make("rnn", 2)
    sd = {k: v for k, v in m.to_torch().items() if not k.startswith("bias")}
    back = reader.build(sd)
    assert np.all(back.params["bias_ih_l1"] == 0)


# ---------------------------------------------------------------- errors that explain
def test_mismatched_shapes_name_expected_and_found():
    sd = make("lstm", 2).to_torch()
    sd["weight_ih_l1"] = np.zeros((16, 5))
    with pytest.raises(WeightError) as e:
        reader.build(sd)
    msg = str(e.value)
    assert "weight_ih_l1 (16, 4)" in msg and "weight_ih_l1 (16, 5)" in msg and "xpected" in msg


def test_unknown_names_and_unknown_cell_shapes():
    with pytest.raises(WeightError, match="weight_ih_l0.*found encoder.weight"):
        reader.build({"encoder.weight": np.zeros((3, 3))})
    with pytest.raises(WeightError, match=r"\(5, 2\).*\(4H, H\)"):
        reader.build({"weight_ih_l0": np.zeros((5, 2)), "weight_hh_l0": np.zeros((5, 2))})
    sd = make("lstm").to_torch()
    sd["decoder.weight"], sd["other.weight"] = np.zeros((2, 4)), np.zeros((2, 4))
    with pytest.raises(WeightError, match="decoder.weight"):
        reader.build(sd)
    with pytest.raises(WeightError, match="several recurrent modules"):
        reader.build({**{"a." + k: v for k, v in make().to_torch().items()},
                 **{"b." + k: v for k, v in make().to_torch().items()}})


def test_metadata_is_checked():
    sd = make("lstm").to_torch()
    with pytest.raises(WeightError, match="shapes are those of a LSTM"):
        reader.build(sd, {"cell": "gru"})
    for bad in ('{"output": "sigmoid"}', '{"nonlinearity": "gelu"}', '{"vocab": "abc"}', "[1, 2]", "{oops"):
        with pytest.raises(WeightError):
            reader.parse_meta(bad)
    with pytest.raises(WeightError, match="plain JSON"):
        writer.dumps(make("lstm"), meta={"f": object()})


def test_save_refuses_unknown_suffix_and_naming(tmp_path):
    with pytest.raises(ValueError):
        make().save(tmp_path / "m.pt")
    with pytest.raises(ValueError):
        convert.named_arrays(make(), "jax")


# ---------------------------------------------------------- files made by PyTorch itself
def _torch_model(torch, kind, layers, seed):
    torch.manual_seed(seed)
    net = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU}.get(kind)
    if net is None:
        return torch.nn.RNN(3, 5, num_layers=layers, nonlinearity="relu").double()
    return net(3, 5, num_layers=layers).double()


@pytest.mark.torch
@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
@pytest.mark.parametrize("how", ["npz", "safetensors"])
def test_files_written_from_live_torch_models(tmp_path, kind, how):
    torch = pytest.importorskip("torch")
    net = _torch_model(torch, kind, 2, seed=3)
    path = tmp_path / f"m.{how}"
    if how == "npz":
        np.savez(path, **{k: v.cpu().numpy() for k, v in net.state_dict().items()})   # docs/weights.md
    else:
        from safetensors.torch import save_file
        save_file(net.state_dict(), str(path))
    meta = {"nonlinearity": "relu"} if kind == "rnn" else None
    m = lstm_core.load(path) if meta is None else reader.build(reader.read(path)[0], meta)
    assert m.kind == kind and m.num_layers == 2 and m.dtype == np.float64
    x = np.random.default_rng(0).normal(size=(9, 3))
    with torch.no_grad():
        want = net(torch.from_numpy(x))[0].numpy()
    np.testing.assert_allclose(m.forward(x)["hidden"], want, atol=1e-10, rtol=0)


@pytest.mark.torch
def test_torch_module_with_linear_head_via_safetensors(tmp_path):
    torch = pytest.importorskip("torch")
    from safetensors.torch import save_file

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = torch.nn.LSTM(3, 6)
            self.fc = torch.nn.Linear(6, 4)

        def forward(self, x):
            return self.fc(self.lstm(x)[0])

    torch.manual_seed(0)
    net = Net().double()
    save_file(net.state_dict(), str(tmp_path / "n.safetensors"),
              metadata={"lstm_explorer": json.dumps({"output": "linear", "task": "demo"})})
    m = lstm_core.load(tmp_path / "n.safetensors")
    assert m.output == "linear" and m.meta == {"task": "demo"}
    x = np.random.default_rng(1).normal(size=(7, 3))
    with torch.no_grad():
        want = net(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(m.forward(x).y, want, atol=1e-10, rtol=0)
