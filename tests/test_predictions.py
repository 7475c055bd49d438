"""y^t as tokens: the explorer hands the player the top outputs of every step and the task's answer."""
import numpy as np

import lstm_core.presets as shipped
from ui import model_source, predictions, state
from ui.player import player_data


def run_of(name, text):
    model = shipped.load(name)
    spec = state.ModelSpec(model.kind, model.hidden_size, model.num_layers, preset=name)
    return model, model_source.compute(spec, text, "chars", "onehot_model", model)


def test_recall_answers_the_first_letter_at_the_question_mark():
    model, run = run_of("recall_lstm", "B" + "." * 10 + "?")
    top, expected = predictions.for_player(model, run.trace, run.tokens)
    assert len(top) == len(expected) == 12
    assert expected[-1] == "B" and expected[0] is None
    probs = np.asarray(run.trace.y)[-1]
    assert top[-1][0] == ("B", float(probs.max()))                 # the label of the largest softmax output
    assert [p for _, p in top[-1]] == sorted((p for _, p in top[-1]), reverse=True) and len(top[-1]) == 5


def test_the_player_carries_them_as_labels():
    model, run = run_of("charlm_en_lstm", "and t")
    top, expected = predictions.for_player(model, run.trace, run.tokens)
    data = player_data(run, lang="zh", predictions=top, expected=expected)
    assert data["predict"]["top"][-1][0][0] == top[-1][0][0]
    assert data["predict"]["expected"][:2] == expected[:2]
    assert abs(data["predict"]["top"][-1][0][1] - top[-1][0][1]) <= 5e-4       # three decimals


def test_a_model_without_an_output_layer_predicts_nothing():
    spec = state.ModelSpec("lstm", 4)
    run = model_source.compute(spec, "abc", "chars", "embedding")
    assert predictions.for_player(None, run.trace, run.tokens) == (None, None)
    assert player_data(run)["predict"] is None
