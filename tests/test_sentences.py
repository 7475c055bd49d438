"""ui.sentences: each sentence quotes the numbers it was given, measured on the page's own results."""
import numpy as np
import pytest

import lstm_core
from lstm_core import analysis
from ui import sentences as S
from ui.i18n import LANGS, t
from ui.model_picker import preset_accuracy

XS = np.eye(3)[[0, 1, 2, 1, 0, 2, 2, 1, 0, 0, 1, 2, 0]]


@pytest.mark.parametrize("lang", LANGS)
def test_the_share_sentence_puts_the_share_beside_one_over_d_plus_one_and_the_norm(lang):
    fi = analysis.first_token_influence(lstm_core.RNN.init(3, 4, seed=0), XS)
    text = S.share_sentence(fi, lang)
    for d in (1, 5, 10):
        assert S.percent(fi["share"][d]) in text
        assert S.percent(1 / (d + 1)) in text
        assert S.number(fi["norm"][d]) in text
    short = S.share_sentence({k: v[:3] for k, v in fi.items()}, lang)
    assert S.percent(fi["share"][1]) in short and "50%" in short
    assert S.share_sentence({k: v[:1] for k, v in fi.items()}, lang) is None


def test_with_no_fading_the_share_is_exactly_one_over_d_plus_one():
    J = np.tril(np.ones((12, 12)))                 # every input moves every later state equally
    share = J[:, 0] / J.sum(1)
    assert np.allclose(share, [S.even_share(d) for d in range(12)])


@pytest.mark.parametrize("lang", LANGS)
def test_shutting_the_input_gate_from_step_one_leaves_the_cell_empty(lang):
    m = lstm_core.LSTM.init(3, 4, seed=2)
    effect = analysis.intervention_effect(m, XS, [lstm_core.clamp("input", 0.0, steps=(0, 6))])
    text = S.input0_sentence(effect, 1, 6, lang)
    assert text == t("mem.iv_input0.from_start", lang, c="0", h="0")
    later = S.input0_sentence(analysis.intervention_effect(m, XS, [lstm_core.clamp("input", 0.0, steps=(4, 9))]),
                              5, 9, lang)
    c = analysis.intervention_effect(m, XS, [lstm_core.clamp("input", 0.0, steps=(4, 9))])["changed"]["cell"]
    assert S.number(np.linalg.norm(c[3])) in later and S.number(np.linalg.norm(c[8])) in later


@pytest.mark.parametrize("lang", LANGS)
def test_carry_lines_are_the_step_arithmetic(lang):
    m = analysis.hand_set_lstm(2, seed=1, forget=1.0)
    tr = m.forward(np.array([[0.5]]), h0=np.array([[0.1, -0.2]]), c0=np.array([[0.5, -1.0]]))
    lines = S.carry_lines(tr, 2, lang).splitlines()
    assert len(lines) == 2
    f, i, z = (float(tr[g][0, 1]) for g in ("forget", "input", "candidate"))
    for number in (f * -1.0, i * z, float(tr["cell"][0, 1])):
        assert f"{number:+.2f}" in lines[1]


@pytest.mark.parametrize("lang", LANGS)
def test_a_language_models_accuracy_says_it_is_on_its_training_text(lang):
    info = {"task": "charlm", "accuracy": 0.953, "chance": 0.1, "train_seconds": 30}
    text = preset_accuracy(info, lang)
    assert text == t("preset.accuracy_text", lang, acc=0.953, chance=0.1, secs=30)
    with_heldout = preset_accuracy({**info, "heldout_accuracy": 0.41}, lang)
    assert with_heldout.endswith(t("preset.heldout", lang, acc=0.41))
    assert preset_accuracy({**info, "task": "recall"}, lang) == t("preset.accuracy", lang, acc=0.953, chance=0.1,
                                                                    secs=30)
