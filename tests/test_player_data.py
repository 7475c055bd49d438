"""The trace player's data: what the browser gets equals the trace within the documented error.

``ui.player.data`` packs every value as a 16-bit code between the array's own
minimum and maximum; the documented bound is half a code step, (hi − lo) / 131068.
"""
import json

import numpy as np
import pytest

import lstm_core
from ui.i18n import catalogue
from ui.player import decode, max_error, player_data
from ui.player.data import DERIVED, EXTRA, STACK, dequantize, payload_bytes, quantize, step_values, strings
from ui.player.export import standalone_html

CELLS = ("lstm", "gru", "rnn")


def run(cell, H=6, L=1, T=17, I=5, seed=0, relu=False):
    kw = {"nonlinearity": "relu"} if relu else {}
    model = lstm_core.CELLS[cell].init(I, H, num_layers=L, seed=seed, **kw)
    X = np.random.default_rng(seed).normal(size=(T, I)) * 2.0
    return model.forward(X), [f"t{i}" for i in range(T)], model.describe()


def bound(q):
    return (q["step"] / 2) * (1 + 1e-9) + 1e-12


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("L", [1, 2, 3, 4])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_value_within_the_documented_error(cell, L, lang):
    trace, tokens, desc = run(cell, L=L, seed=L)
    for layer in range(L):
        data = player_data(trace=trace, tokens=tokens, model=desc, lang=lang, layer=layer, unit=2, t=5)
        json.dumps(data, allow_nan=False)                       # what the browser parses
        dec = decode(data)
        lay = trace.layers[layer]
        assert list(dec["values"]) == list(STACK[cell] + EXTRA[cell])
        derived = data["layer_data"]["derived"]
        assert set(derived) == set(DERIVED[cell])                  # a random cell: every derivable value derived
        assert not set(derived) & set(data["layer_data"]["values"])
        for name, got in dec["values"].items():
            err = np.abs(got - np.asarray(lay[name], np.float64)).max()
            if name in derived:        # f(source): σ shrinks the source's error 4×, tanh / max(0, ·) keep it
                fn, src = derived[name]
                assert err <= (0.25 if fn == "sigmoid" else 1) * bound(data["layer_data"]["values"][src]) + 1e-7
                assert err <= data["quant_err"], (cell, L, layer, name, err)
            else:
                q = data["layer_data"]["values"][name]
                assert err <= bound(q), (cell, L, layer, name, err, q["step"] / 2)
        assert max_error(data) == max(q["step"] / 2 for q in data["layer_data"]["values"].values())
        assert data["quant_err"] <= 2e-4                           # well under the hover's 3 decimals
        # the inputs the cell diagram shows, and the states before step 1
        x = np.asarray(trace.inputs if layer == 0 else trace.layers[layer - 1]["hidden"], np.float64)
        assert np.abs(dec["x_norm"] - np.linalg.norm(x, axis=1)).max() <= bound(data["layer_data"]["x"]["norm"])
        assert np.abs(dec["x_head"] - x[:, :3]).max() <= bound(data["layer_data"]["x"]["head"])
        np.testing.assert_allclose(dec["h0"], trace.h0[layer], atol=1e-12)
        if cell == "lstm":
            np.testing.assert_allclose(dec["c0"], trace.c0[layer], atol=1e-12)
        assert (data["layer"], data["L"], data["cell"]) == (layer, L, cell)
        assert data["tokens"] == tokens and data["lang"] == lang
        assert data["strings"]["next"] == catalogue(lang)["player.next"]
        assert data["model"]["params"] == desc["params"]


def test_a_value_that_is_not_its_function_of_the_source_is_sent():
    """An intervention that clamps a gate breaks z^f = σ(a): then z^f travels as it is, and stays exact."""
    trace, tokens, desc = run("lstm", H=6, T=12)
    lay = dict(trace.layers[0])
    lay["forget"] = np.where(np.arange(12)[:, None] >= 4, 1.0, np.asarray(lay["forget"]))   # clamped open from step 5
    data = player_data(trace=FakeTrace(trace, lay), tokens=tokens, model=desc)
    assert "forget" in data["layer_data"]["values"] and "forget" not in data["layer_data"]["derived"]
    assert "input" in data["layer_data"]["derived"]
    err = np.abs(decode(data)["values"]["forget"] - lay["forget"]).max()
    assert err <= bound(data["layer_data"]["values"]["forget"])


class FakeTrace:
    """A trace with one layer's values replaced (what an intervention produces)."""

    def __init__(self, trace, layer0):
        self._t, self.layers = trace, [layer0] + list(trace.layers[1:])

    def __getattr__(self, name):
        return getattr(self._t, name)


def test_one_step_read_without_decoding_all():
    trace, tokens, desc = run("lstm", H=9, T=31)
    data = player_data(trace=trace, tokens=tokens, model=desc)
    dec = decode(data)
    for t in (1, 2, 17, 31):
        for u in (0, 4, 8):
            got = step_values(data, t, u)
            assert got == {n: dec["values"][n][t - 1, u] for n in got}


def test_colour_ranges_fixed_for_gates_and_signed_and_symmetric_for_c():
    trace, tokens, desc = run("lstm", H=8, T=40)
    data = player_data(trace=trace, tokens=tokens, model=desc)
    r = data["ranges"]
    for gate in ("forget", "input", "output"):
        assert r[gate] == [0.0, 1.0]
    for signed in ("candidate", "cell_tanh", "hidden"):
        assert r[signed] == [-1.0, 1.0]
    lo, hi = r["cell"]
    assert lo == -hi and hi >= max(1.0, float(np.abs(trace.layers[0]["cell"]).max()))
    assert set(data["gates"]) == {"forget", "input", "output"}
    gtrace, gtok, gdesc = run("gru")
    g = player_data(trace=gtrace, tokens=gtok, model=gdesc)
    assert g["ranges"]["reset"] == g["ranges"]["update"] == [0.0, 1.0]
    assert g["symbols"]["candidate"] == ["ñ", ""] and g["symbols"]["update"] == ["u", ""]
    assert data["symbols"]["forget"] == ["z", "f"]
    # a ReLU RNN's h leaves −1 … 1: its range widens, symmetric
    rtrace, rtok, rdesc = run("rnn", relu=True)
    rr = player_data(trace=rtrace, tokens=rtok, model=rdesc)
    assert rr["rnn_act"] == "relu"
    m = float(np.abs(rtrace.layers[0]["hidden"]).max())
    assert rr["ranges"]["hidden"] == ([-m, m] if m > 1 else [-1.0, 1.0])


def test_quantize_round_trip_edge_cases():
    for a in (np.zeros((3, 2)), np.full((4, 4), 0.25), np.array([[1e-9, -1e-9]]), np.linspace(-50, 50, 101)):
        q = quantize(a)
        assert np.abs(dequantize(q) - a).max() <= bound(q)
    a = np.array([[0.5, np.nan], [np.inf, -0.5]])
    back = dequantize(quantize(a))
    assert np.isnan(back[0, 1]) and np.isnan(back[1, 0]) and abs(back[0, 0] - 0.5) < 1e-4


def test_both_languages_have_every_player_string():
    en, zh = strings("en"), strings("zh")
    assert en.keys() == zh.keys() and len(en) > 40
    assert (zh["phase.forget"], zh["phase.memorize"], zh["phase.output"]) == ("忘记阶段", "选择记忆阶段", "输出阶段")
    assert zh["name.input"] == "输入门" and zh["name.candidate"] == "候选值"
    assert zh["name.cell"] == "细胞状态" and zh["name.hidden"] == "隐藏状态"
    assert zh["name.forget"] in ("忘记门", "遗忘门")


def test_bad_calls():
    trace, tokens, desc = run("lstm")
    with pytest.raises(ValueError):
        player_data(trace=trace, tokens=tokens[:-1])
    with pytest.raises(ValueError):
        player_data()
    with pytest.raises(IndexError):
        player_data(trace=trace, tokens=tokens, layer=3)
    d = player_data(trace=trace, tokens=tokens, unit=99, t=999)    # clamped, as a link's are
    assert (d["t"], d["unit"]) == (len(tokens), trace.hidden_size - 1)


def sized(T, H, cell="lstm"):
    trace, tokens, desc = run(cell, H=H, T=T, I=8)
    return player_data(trace=trace, tokens=tokens, model=desc)


def test_payload_small_and_linear_in_T_times_H():
    base = payload_bytes(sized(200, 64))
    assert base <= 500_000, base
    quad = payload_bytes(sized(400, 128))           # 4 × T·H
    double = payload_bytes(sized(400, 64))          # 2 × T·H
    assert 3.6 * base <= quad <= 4.1 * base, (base, quad)
    assert 1.8 * base <= double <= 2.1 * base, (base, double)
    for cell in ("gru", "rnn"):
        assert payload_bytes(sized(200, 64, cell)) < base


def test_standalone_html_is_small_and_fetches_nothing():
    data = sized(200, 64)
    page = standalone_html(data)
    assert len(page.encode("utf-8")) <= 1_000_000
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page
    assert "export default" not in page and "</script><" not in data["tokens"]
    assert "default-src 'none'" in page
    # a token that looks like markup cannot close the data block
    trace, _, desc = run("lstm", T=3)
    evil = standalone_html(player_data(trace=trace, tokens=["</script>", "<!--", "x"], model=desc))
    assert evil.count("</script>") == 2
