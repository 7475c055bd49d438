"""ui.lab_view: the causal lab's plain helpers (defaults, parsing, sentences)."""
import numpy as np
import pytest

from ui import lab_view
from ui.i18n import LANGS


def test_the_lab_starts_a_numbers_edit_on_a_marked_value():
    v = np.array([[0.3, 0.0], [0.8, 1.0], [0.1, 1.0]])
    assert lab_view.default_edit(["0.3,0", "0.8,1", "0.1,1"], v) == (2, "0.2, 1")
    assert lab_view.default_edit(["a", "b"], None) == (1, "a")
    assert lab_view.parse_vector("0.2, 1", 2).tolist() == [0.2, 1.0] and lab_view.parse_vector("x, 1", 2) is None


def test_every_sentence_names_the_sequences_the_accuracy_and_chance():
    r = {"base": {"accuracy": 1.0, "spread": 0.0, "n": 256}, "chance": 0.16, "units": np.arange(3),
         "accuracy": np.array([0.5, 1.0, 0.9]), "spread": np.array([0.03, 0.0, 0.01]),
         "drop": np.array([0.5, 0.0, 0.1]), "order": np.array([0, 2, 1]), "n": 256}
    iv = {"base": r["base"], "after": {"accuracy": 0.5, "spread": 0.03, "n": 256}, "chance": 0.16,
          "random": {"accuracy": np.array([1.0, 0.9]), "mean": 0.95, "spread": 0.07, "units": [[1], [2]]}}
    for lang in LANGS:
        for text in (lab_view.rank_text(r, lang), lab_view.intervene_text(iv, lang)):
            assert "256" in text and "16.0%" in text and "100.0%" in text and "±" in text
    assert lab_view.top_units(r) == [0, 2]
    assert lab_view.answer_step([None, "A", None], 3) == 1 and lab_view.answer_step([None] * 4, 4) == 3


def test_every_shipped_example_has_its_ranking_for_this_very_file():
    """A preset rebuilt without ``python -m bench.lab --save`` would silently fall back to a live
    ranking (seconds instead of at once): every preset the lab can open has a shipped ranking over all
    steps, keyed by the SHA-256 of the file as it is now."""
    from lstm_core import causal, presets
    missing = []
    for name in presets.names():
        model = presets.load(name)
        if lab_view.fits(model):
            T = causal.heldout(causal.task_of(model), n=1).inputs.shape[0]
            if lab_view.shipped_ranking(name, (0, T), causal.N_HELDOUT) is None:
                missing.append(name)
    assert not missing, f"rerun `python -m bench.lab --save` for {missing}"


def test_a_shipped_ranking_is_the_ranking_measured_now():
    from lstm_core import causal, presets
    model = presets.load("parity_lstm")
    batch = causal.heldout(causal.task_of(model))
    T = batch.inputs.shape[0]
    shipped = lab_view.shipped_ranking("parity_lstm", (0, T), batch.inputs.shape[1])
    live = causal.rank_units(model, batch, steps=(0, T), task=causal.task_of(model))
    assert shipped["accuracy"].tolist() == pytest.approx(live["accuracy"].tolist(), abs=1e-12)
    assert shipped["order"].tolist() == live["order"].tolist()
    assert shipped["base"]["accuracy"] == pytest.approx(live["base"]["accuracy"], abs=1e-12)


def test_a_ranking_where_no_silence_costs_anything_says_so_and_names_the_unit_that_raises_it():
    r = {"base": {"accuracy": 0.078, "spread": 0.017, "n": 256}, "chance": 0.16, "units": np.arange(4),
         "accuracy": np.array([0.078, 0.078, 0.242, 0.1]), "spread": np.zeros(4),
         "drop": np.array([0.0, 0.0, -0.164, -0.022]), "order": np.array([0, 1, 3, 2]), "n": 256}
    for lang in LANGS:
        text = lab_view.rank_text(r, lang)
        assert text == __import__("ui.i18n", fromlist=["t"]).t(
            "lab.rank_none", lang, base=lab_view.acc_text(r["base"], lang), chance="16.0%", harmless=2, H=4,
            raised=2, unit=2, acc="24.2%")
    costly = dict(r, drop=np.array([0.2, 0.0, -0.1, 0.0]), order=np.array([0, 1, 3, 2]))
    text = lab_view.rank_text(costly, "en")
    assert "unit 0 (−20.0 points" in text and "unit 1 (" not in text
