"""Hostile weight files (issue 6): each one gets a WeightError that says what is wrong.

Every file is built here from bytes; nothing binary is committed. The rule
under test: ``lstm_core.load`` either returns a model or raises WeightError,
never another exception, never allocates what a header merely claims, and
never executes anything.
"""
import io
import json
import pickle
import struct
import tracemalloc
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

import lstm_core
from lstm_core import WeightError
from lstm_core.files import reader, writer
from lstm_core.files import safetensors as st

GOOD = lstm_core.LSTM.init(3, 4, num_layers=2, output_size=3, seed=0)
GOOD.meta["vocab"] = ["a", "b", "c"]
GOOD_NPZ = writer.dumps(GOOD, "npz")
GOOD_ST = writer.dumps(GOOD, "safetensors")


# ------------------------------------------------------------------ builders
def npy(descr, shape, payload=b"", fortran=False, version=(1, 0)):
    """A .npy file with a hand-written header (it may lie about the payload)."""
    head = repr({"descr": descr, "fortran_order": fortran, "shape": shape}).encode("latin1")
    pre = 10 if version == (1, 0) else 12
    head += b" " * (-(pre + len(head) + 1) % 64) + b"\n"
    size = struct.pack("<H", len(head)) if version == (1, 0) else struct.pack("<I", len(head))
    return b"\x93NUMPY" + bytes(version) + size + head + payload


def zipped(members, method=zipfile.ZIP_STORED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def good_members(**replace):
    """The members of a valid npz, with some replaced (value None removes one)."""
    m = {f"{k}.npy": npy("<f8", v.shape, v.tobytes()) for k, v in GOOD.to_torch().items()}
    for k, v in replace.items():
        if v is None:
            m.pop(f"{k}.npy", None)
        else:
            m[f"{k}.npy"] = v
    return m


def safetensors(header, blob=b"", length=None):
    text = header if isinstance(header, bytes) else json.dumps(header).encode()
    return struct.pack("<Q", len(text) if length is None else length) + text + blob


def st_tensor(shape=(2, 2), begin=0, end=None, dtype="F32"):
    return {"dtype": dtype, "shape": list(shape), "data_offsets": [begin, begin + 16 if end is None else end]}


class WritesAFile:
    """A pickle payload that would create ``path`` if anything unpickled it."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


def object_npz(path_to_create):
    buf = io.BytesIO()
    np.savez(buf, weight_hh_l0=np.array([WritesAFile(path_to_create)], dtype=object))
    return buf.getvalue()


def patch_zip_sizes(data, size):
    """Make every local and central header claim ``size`` unpacked bytes (a lying archive)."""
    b = bytearray(data)
    for sig, off in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        i = b.find(sig)
        while i >= 0:
            b[i + off:i + off + 4] = struct.pack("<I", size)
            i = b.find(sig, i + 4)
    return bytes(b)


def patch_zip_method(data, method):
    b = bytearray(data)
    for sig, off in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        i = b.find(sig)
        while i >= 0:
            b[i + off:i + off + 2] = struct.pack("<H", method)
            i = b.find(sig, i + 4)
    return bytes(b)


def refused(data, *fragments, **kw):
    with pytest.raises(WeightError) as e:
        reader.load(data, **kw)
    msg = str(e.value)
    for f in fragments:
        assert f.lower() in msg.lower(), msg
    return msg


# ------------------------------------------------------------------ not weight files
@pytest.mark.parametrize("data, fragments", [
    (b"", ["empty"]),
    (b"\x89PNG\r\n\x1a\n" + bytes(100), ["PNG", ".npz", ".safetensors"]),
    ("隐藏状态 hidden state\n".encode() * 10, ["text"]),
    (b"\x93NUMPY\x01\x00" + bytes(50), ["single .npy"]),
    (b"\x89HDF\r\n\x1a\n" + bytes(50), ["HDF5", "one-liner"]),
    (bytes(range(256)) * 4, ["not a weight file"]),
    (b"PK\x03\x04" + bytes(40), ["truncated or corrupt"]),
])
def test_not_a_weight_file(data, fragments):
    refused(data, *fragments)


def test_pickles_are_never_run(tmp_path):
    target = tmp_path / "pwned.txt"
    payload = pickle.dumps(WritesAFile(target))
    refused(payload, "pickle", name="model.npz")
    refused(object_npz(target), "pickle", "never")
    torch_like = zipped({"archive/data.pkl": payload, "archive/version": b"3\n"})
    refused(torch_like, "torch.save", "pickle")
    refused(zipped({"weight_hh_l0.npy": payload}), "corrupt")     # a pickle posing as .npy
    assert not target.exists()


def test_whole_keras_model_archive_is_pointed_to_the_one_liner():
    refused(zipped({"config.json": b"{}", "model.weights.h5": b"\x89HDF", "metadata.json": b"{}"}), "keras")


# ------------------------------------------------------------------ broken archives
def test_truncated_and_corrupted_npz():
    for cut in (len(GOOD_NPZ) // 2, len(GOOD_NPZ) - 10, 30):
        refused(GOOD_NPZ[:cut], "corrupt")
    bad = bytearray(GOOD_NPZ)
    bad[200:210] = b"\xff" * 10                   # inside the first array: CRC no longer matches
    refused(bytes(bad), "corrupt")


def test_unsupported_compression_and_non_npy_members():
    refused(patch_zip_method(GOOD_NPZ, 99), "corrupt")              # AES "compression"
    refused(zipped(good_members(), zipfile.ZIP_DEFLATED)[:-100], "corrupt")
    refused(zipped({**good_members(), "readme.txt": b"hi"}), "readme.txt", ".npy")


def test_npy_headers_that_lie_or_do_not_parse():
    refused(zipped(good_members(weight_hh_l0=npy("<f8", (16, 4), b"\0" * 8))), "truncated")
    refused(zipped(good_members(weight_hh_l0=npy("<f8", (16, 4), b"\0" * (16 * 4 * 8 + 8)))), "extra bytes")
    refused(zipped(good_members(weight_hh_l0=b"\x93NUMPY\x01\x00\x10\x00{'descr': __import__('os')}")), "corrupt")
    refused(zipped(good_members(weight_hh_l0=npy("<f8", (16, 4), version=(3, 0)))), "version")
    refused(zipped(good_members(weight_hh_l0=b"\x93NUMPY\x01\x00\xff\xff" + b" " * 100)), "corrupt")


def test_huge_declared_array_is_refused_before_allocation():
    data = zipped({"weight_hh_l0.npy": npy("<f8", (10**12,))})
    tracemalloc.start()
    try:
        refused(data, "(1000000000000,)", "at most")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2_000_000
    refused(zipped({"w.npy": npy("<f4", (10**6, 10**6, 10**6))}), "at most")
    refused(zipped({"w.npy": npy("<f4", (9_000_000, 2), b"\0" * 64)}), f"{reader.MAX_BYTES:,}")   # 72 MB > 64 MB


def test_zip_bombs_are_refused_by_declared_size_and_by_lies():
    bomb = zipped({"weight_hh_l0.npy": npy("<f8", (9_000_000,), bytes(72_000_000))}, zipfile.ZIP_DEFLATED)
    assert len(bomb) < 200_000
    refused(bomb, "declares", "unpacked")
    small_claim = zipped({"weight_hh_l0.npy": npy("<f8", (1000,), bytes(8000))}, zipfile.ZIP_DEFLATED)
    refused(patch_zip_sizes(small_claim, 100), "corrupt")             # claims 100 bytes, holds 8 kB
    refused(patch_zip_sizes(small_claim, 2**32 - 1), "declares")      # claims 4 GB


def test_too_many_arrays():
    many = zipped({f"a{i}.npy": npy("<f4", (1,), b"\0" * 4) for i in range(reader.MAX_ARRAYS + 1)})
    refused(many, f"at most {reader.MAX_ARRAYS} arrays")
    b = bytearray(GOOD_NPZ)          # an end record that claims 65535 entries
    i = b.rfind(b"PK\x05\x06")
    b[i + 8:i + 12] = b"\xff\xff\xff\xff"
    refused(bytes(b), "at most")
    huge_dir = bytearray(zipped({f"{i}.npy": b"" for i in range(6000)}))   # directory of 6000 entries …
    i = huge_dir.rfind(b"PK\x05\x06")
    huge_dir[i + 8:i + 12] = struct.pack("<HH", 1, 1)                      # … whose end record claims 1
    refused(bytes(huge_dir), f"bytes; at most {reader.MAX_ARRAYS} arrays")


@pytest.mark.parametrize("descr, payload, what", [
    ("|O", b"", "pickle"),
    ("<c16", b"\0" * 16, "complex"),
    ("<U5", b"\0" * 20, "text"),
    ("|S5", b"\0" * 5, "bytes"),
    ("<i8", b"\0" * 8, "integers"),
    ("|b1", b"\0", "booleans"),
    ([("a", "<f8"), ("b", "<f8")], b"\0" * 16, "structured"),
    ("<M8[s]", b"\0" * 8, "dates"),
])
def test_wrong_dtypes(descr, payload, what):
    refused(zipped(good_members(weight_hh_l0=npy(descr, (1,), payload))), "weight_hh_l0", what, "float")


def test_nan_and_inf_weights():
    for bad in (np.nan, np.inf, -np.inf):
        sd = GOOD.to_torch()
        sd["weight_hh_l1"][3, 2] = bad
        for fmt in ("npz", "safetensors"):
            data = st.write(sd) if fmt == "safetensors" else zipped(
                {f"{k}.npy": npy("<f8", v.shape, v.tobytes()) for k, v in sd.items()})
            refused(data, "weight_hh_l1", "NaN or infinite")


def test_hostile_metadata():
    refused(zipped(good_members(__meta__=npy("<U5", (), "{oops".encode("utf-32-le")))), "not valid JSON")
    deep = "[" * 100_000
    refused(zipped(good_members(__meta__=npy(f"<U{len(deep)}", (), deep.encode("utf-32-le")))), "JSON")
    refused(zipped(good_members(__meta__=npy("<f8", (), b"\0" * 8))), "__meta__")
    refused(zipped(good_members(__meta__=npy("<U10", (3,)))), "metadata", "0-d")
    refused(zipped(good_members(__meta__=npy("<U300000", ()))), "metadata takes 1,200,000 bytes")
    refused(safetensors({"__metadata__": {"lstm_explorer": "[1]"}}), "JSON object")
    refused(safetensors({"__metadata__": {"lstm_explorer": 5}}), "strings")


# ------------------------------------------------------------------ lying safetensors
@pytest.mark.parametrize("data, fragment", [
    (b"\x05\x00\x00\x00\x00\x00\x00\x00{", "truncated"),
    (safetensors({"w": st_tensor()}, length=10**6 - 1), "truncated"),
    (safetensors({"w": st_tensor()}, length=2**63), "at most"),
    (safetensors(b"{not json at all}"), "not valid JSON"),
    (safetensors(b'{"w": ' + b"[" * 200_000 + b"}"), "not valid JSON"),
    (safetensors(b"{\xff\xfe}"), "not valid JSON"),
    (safetensors(b'["a list"]'), "not a weight file"),
    (safetensors(b'{"a": 1}'), "expected {dtype"),
    (safetensors({"w": st_tensor()}, b"\0" * 8), "within"),                       # offsets past the end
    (safetensors({"w": st_tensor(begin=-16, end=0)}, b"\0" * 16), "within"),      # negative
    (safetensors({"w": st_tensor(begin=8, end=4)}, b"\0" * 16), "within"),        # reversed
    (safetensors({"a": st_tensor(), "b": st_tensor(begin=8)}, b"\0" * 24), "overlap"),
    (safetensors({"w": st_tensor((3, 3))}, b"\0" * 16), "needs 36 bytes"),        # shape vs offsets
    (safetensors({"w": st_tensor((2, -2), 0, 16)}, b"\0" * 16), "non-negative"),
    (safetensors({"w": st_tensor((True, 4), 0, 16)}, b"\0" * 16), "non-negative"),
    (safetensors({"w": st_tensor((2, 2), 0, 32, "I64")}, b"\0" * 32), "allowed: F16"),
    (safetensors({"w": st_tensor((2, 2), 0, 16, "U8")}, b"\0" * 16), "allowed"),
    (safetensors({"w": {"dtype": "F32", "shape": [1]}}, b"\0" * 4), "expected"),
    (safetensors(b'{"w": {"dtype":"F32","shape":[1],"data_offsets":[0,4]}, "w": {}}', b"\0" * 4), "twice"),
    (safetensors({"w": st_tensor((10**12,), 0, 4 * 10**12)}, b"\0" * 16), "within"),
])
def test_lying_safetensors(data, fragment):
    refused(data, fragment)


def test_safetensors_too_many_tensors_and_no_recurrent_weights():
    header = {f"t{i}": st_tensor((1,), 4 * i, 4 * i + 4) for i in range(reader.MAX_ARRAYS + 1)}
    refused(safetensors(header, b"\0" * 4 * (reader.MAX_ARRAYS + 1)), f"at most {reader.MAX_ARRAYS}")
    refused(safetensors({}), "no recurrent weights", "weight_ih_l0", "recurrent_kernel")


# ------------------------------------------------------------------ size limit
def test_files_past_the_size_limit(tmp_path):
    refused(GOOD_NPZ, "limit", max_bytes=1000)
    refused(io.BytesIO(GOOD_ST), "limit", max_bytes=1000)
    big = tmp_path / "big.npz"
    with open(big, "wb") as f:
        f.seek(reader.MAX_BYTES)
        f.write(b"\0")
    refused(big, f"larger than the limit of {reader.MAX_BYTES:,}")
    refused(tmp_path / "missing.npz", "cannot read")
    refused(12345, "expected a path")
    refused(io.StringIO("text"), "binary mode")


# ------------------------------------------------------------------ fuzzing
def _load_or_refuse(data):
    try:
        m = reader.load(data)
    except WeightError as e:
        assert str(e)
        return None
    assert m.kind in ("lstm", "gru", "rnn")
    assert np.all(np.isfinite(m.forward(np.ones((2, m.input_size)))["hidden"]))
    return m


_FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_FUZZ
@given(hs.sampled_from([GOOD_NPZ, GOOD_ST]), hs.lists(hs.tuples(hs.integers(0, 10**6), hs.integers(0, 255)),
                                                      min_size=1, max_size=8), hs.integers(0, 10**6))
def test_fuzz_mutated_files(base, edits, cut):
    b = bytearray(base)
    for pos, val in edits:
        b[pos % len(b)] = val
    _load_or_refuse(bytes(b))
    _load_or_refuse(bytes(b[:cut % len(b)]))


@_FUZZ
@given(hs.binary(max_size=2000))
def test_fuzz_arbitrary_bytes(data):
    _load_or_refuse(data)
    _load_or_refuse(b"PK\x03\x04" + data)
    _load_or_refuse(struct.pack("<Q", len(data) + 1) + b"{" + data)


@_FUZZ
@given(hs.recursive(hs.none() | hs.booleans() | hs.integers() | hs.text(max_size=5),
                    lambda c: hs.lists(c, max_size=3) | hs.dictionaries(hs.text(max_size=5), c, max_size=3),
                    max_leaves=12))
def test_fuzz_safetensors_headers(header):
    _load_or_refuse(safetensors(json.dumps(header).encode(), b"\0" * 64))
    _load_or_refuse(safetensors(json.dumps({"weight_hh_l0": header}).encode(), b"\0" * 64))


def test_zlib_error_paths_are_wrapped():
    data = zipped({"weight_hh_l0.npy": npy("<f8", (100,), bytes(800))}, zipfile.ZIP_DEFLATED)
    i = data.find(b"PK\x03\x04")
    name_len, extra_len = struct.unpack("<HH", data[i + 26:i + 30])
    start = i + 30 + name_len + extra_len
    b = bytearray(data)
    b[start:start + 4] = b"\xff\xff\xff\xff"          # the deflate stream itself is broken
    refused(bytes(b), "corrupt")
