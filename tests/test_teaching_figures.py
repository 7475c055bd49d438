"""The teaching pages' figure builders, as plain functions, in both languages."""
import json

import numpy as np
import plotly.graph_objects as go
import pytest

import lstm_core
from lstm_core import analysis as A
from ui.figures import teaching as F
from ui.i18n import LANGS, catalogue
from ui.locales import teaching as L

TOKENS = list("abc abd")


@pytest.fixture(scope="module")
def results():
    xs = np.eye(4)[[0, 1, 2, 3, 0, 1, 3]]
    return A.compare_cells(4, 5, 0, xs)


def _texts(fig):
    """Every piece of text a figure shows: titles, axis titles, legend names, annotations."""
    d = json.loads(fig.to_json())
    out = [d["layout"].get("title", {}).get("text", "")]
    for k, v in d["layout"].items():
        if k.startswith(("xaxis", "yaxis")):
            out.append(v.get("title", {}).get("text", ""))
    out += [a.get("text", "") for a in d["layout"].get("annotations", [])]
    out += [tr.get("name", "") or "" for tr in d["data"]]
    return [s for s in out if s]


def _check_translated(fig, lang):
    texts = _texts(fig)
    assert texts, "a figure without any text"
    for s in texts:
        assert "tf." not in s, f"untranslated key in {s!r}"
    if lang == "zh":
        assert any("\u4e00" <= ch <= "\u9fff" for s in texts for ch in s)


def test_locale_has_the_same_keys_in_both_languages():
    assert set(L.EN) == set(L.ZH)
    for k in L.EN:
        assert L.EN[k].count("{") == L.ZH[k].count("{"), k
    for lang in LANGS:
        assert set(L.EN) <= set(catalogue(lang))


@pytest.mark.parametrize("lang", LANGS)
def test_gradient_chart(results, lang):
    fig = F.gradient_chart({k: r["gradient"] for k, r in results.items()}, lang)
    assert isinstance(fig, go.Figure)
    assert fig.layout.yaxis.type == "log"
    assert len(fig.data) == 5          # h for 3 cells, c and the forget product for the LSTM
    np.testing.assert_allclose(fig.data[0].y, results["rnn"]["gradient"]["grad_hidden"])
    assert list(fig.data[0].x) == list(range(1, 8))     # steps shown 1-based
    _check_translated(fig, lang)


def test_gradient_chart_leaves_zeros_out_of_the_log_axis():
    flow = {"grad_hidden": np.array([0.0, 1e-3, 1.0]), "grad_cell": None, "forget_product": None}
    fig = F.gradient_chart({"rnn": flow}, "en")
    assert np.isnan(fig.data[0].y[0]) and fig.data[0].y[2] == 1.0


@pytest.mark.parametrize("lang", LANGS)
def test_change_chart(results, lang):
    fig = F.change_chart({k: r["change"] for k, r in results.items()}, lang)
    assert len(fig.data) == 4
    np.testing.assert_allclose(fig.data[-1].y, results["lstm"]["change"]["cell_rel"])
    _check_translated(fig, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_saturation_chart(results, lang):
    sat = A.gate_saturation(results["lstm"]["trace"], 0.2, 0.8)
    fig = F.saturation_chart(sat, lang, 0.2, 0.8)
    dots = [d for d in fig.data if d.mode == "markers"]
    assert len(dots) == 3 and all(len(d.x) == 5 for d in dots)
    np.testing.assert_allclose(dots[0].x, sat["forget"]["left"])
    assert "0.2" in fig.layout.xaxis.title.text
    _check_translated(fig, lang)


def test_saturation_chart_for_a_gru_has_two_panels(results):
    fig = F.saturation_chart(A.gate_saturation(results["gru"]["trace"]), "en")
    assert len([d for d in fig.data if d.mode == "markers"]) == 2


@pytest.mark.parametrize("lang", LANGS)
def test_params_chart(lang):
    counts = {k: lstm_core.CELLS[k].init(10, 8).param_count() for k in ("rnn", "gru", "lstm")}
    fig = F.params_chart(counts, lang, 10, 8)
    assert list(fig.data[0].y) == [counts["rnn"], counts["gru"], counts["lstm"]]
    assert "10" in fig.layout.title.text and "8" in fig.layout.title.text
    _check_translated(fig, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_share_and_influence(results, lang):
    fig = F.share_chart(results["rnn"]["influence"], lang)
    assert fig.data[0].y[0] == pytest.approx(1.0) and fig.data[0].x[0] == 0
    _check_translated(fig, lang)
    fig = F.share_chart({k: r["influence"] for k, r in results.items()}, lang)
    assert len(fig.data) == 4                            # three cells and the no-fading line 1/(d+1)
    assert fig.data[-1].y[4] == pytest.approx(1 / 5)
    heat = F.influence_heatmap(results["rnn"]["influence"]["matrix"], TOKENS, lang)
    z = np.array(heat.data[0].z, dtype=float)
    assert np.isnan(z[0, 1]) and z[1, 0] > 0            # only s ≤ t is drawn
    assert heat.data[0].x[3] == "4·␣"                    # a space token is visible
    _check_translated(heat, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_unrolled_diagram(lang):
    fig = F.unrolled_diagram(TOKENS * 2, lang, values=np.linspace(-1, 1, 14), max_steps=5)
    texts = [a.text for a in fig.layout.annotations if a.text]
    assert "h<sup>5</sup><br>-0.38" in texts              # each value in its own step's box
    assert any(s.startswith("h<sup>1</sup><br>-1.00") for s in texts)
    assert not any("h<sup>6</sup>" in s for s in texts)   # cut at max_steps …
    assert any("9" in s for s in texts if s.startswith(("…", "……")))   # … and says how many are left
    assert len(fig.layout.shapes) == 5
    _check_translated(fig, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_effect_and_recall_charts(lang):
    m = lstm_core.LSTM.init(4, 3, output_size=4)
    eff = A.intervention_effect(m, np.eye(4), [lstm_core.clamp("forget", 0.0)])
    fig = F.effect_chart(eff, lang)
    assert len(fig.data) == 3
    _check_translated(fig, lang)
    fig = F.recall_chart({"rnn": {"gaps": [2, 4], "accuracy": [0.5, 0.2]}}, lang, chance=0.25)
    assert list(fig.data[0].x) == [2, 4]
    _check_translated(fig, lang)


def test_recall_chart_draws_the_spread_over_seeds():
    fig = F.recall_chart({"lstm": {"gaps": [5, 50], "accuracy": [0.9, 0.5], "low": [0.8, 0.2], "high": [1.0, 0.6]},
                          "rnn": {"gaps": [5, 50], "accuracy": [0.3, 0.1]}}, "en", chance=0.125)
    bars = fig.data[0].error_y
    np.testing.assert_allclose(bars.array, [0.1, 0.1])          # up to the best seed
    np.testing.assert_allclose(bars.arrayminus, [0.1, 0.3])     # down to the worst seed
    assert fig.data[1].error_y.array is None                    # one run: no bar
