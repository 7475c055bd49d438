"""ui.lab_view: the causal lab's plain helpers (defaults, parsing, sentences)."""
import numpy as np

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
