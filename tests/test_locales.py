"""The catalogues: every key in both languages, the primer's words in Chinese, one word per idea,
no English left in a Chinese sentence, and a refused file's reason translated."""
import importlib
import io
import pkgutil
import re

import pytest

import lstm_core
import ui.locales
from ui.errors import refusal
from ui.i18n import catalogue, t

MODULES = [importlib.import_module(f"ui.locales.{m.name}") for m in pkgutil.iter_modules(ui.locales.__path__)]


@pytest.mark.parametrize("mod", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_every_key_exists_in_both_languages(mod):
    assert set(mod.EN) == set(mod.ZH), sorted(set(mod.EN) ^ set(mod.ZH))


@pytest.mark.parametrize("mod", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_both_languages_name_the_same_fields(mod):
    fields = re.compile(r"(?<!\{)\{([A-Za-z_0-9]+)[^{}]*\}(?!\})")
    for key in mod.EN:
        assert set(fields.findall(mod.EN[key])) == set(fields.findall(mod.ZH[key])), key


def test_the_lstm_cell_page_uses_the_primers_three_stage_names():
    zh = catalogue("zh")
    assert "忘记阶段" in zh["cell.s3"]
    assert "选择记忆阶段" in zh["cell.s4"]
    assert "输出阶段" in zh["cell.s5"]
    assert "忘记门" in zh["cell.s3_text"]            # the primer's name for the forget gate, noted once


# one Chinese word per idea: the cell kind is 单元 (LSTM 单元), a unit of a state is 神经元
DRIFT = {"遗忘偏置": "遗忘门偏置", "隐藏层大小": "隐藏维度", "随机水平": "随机猜", "序列探索页": "序列探索器",
         "单元个数": "神经元个数", "每行一个单元": "每行一个神经元", "单元 {": "神经元 {", "号单元": "号神经元"}


def test_no_drifting_terms_in_chinese():
    found = {k: w for k, v in catalogue("zh").items() for w in DRIFT if w in v}
    assert not found, {k: f"{w} → {DRIFT[w]}" for k, w in found.items()}
    nav = catalogue("zh")["nav.explorer"]
    assert nav == "序列探索器" and catalogue("zh")["explorer.title"] == nav


# Latin words a Chinese sentence may keep: symbols, proper names, file formats, code and key names
ALLOWED = {
    "LSTM", "GRU", "RNN", "tanh", "sigmoid", "softmax", "PyTorch", "Keras", "NumPy", "Adam", "BPTT", "NaN", "PNG",
    "PDF", "HTML", "JSON", "UTF", "MB", "MiB", "Python", "pickle", "npz", "npy", "csv", "json", "safetensors",
    "zip", "float", "Home", "End", "English", "Language", "emoji", "chars", "words", "vocab", "numpy", "load",
    "states", "ids", "starts", "layer", "en", "zh", "Jaccard", "Karpathy", "TensorFlow", "Playground",
    "kernel", "bias",                                    # Keras's array names
}


def _latin_words(text):
    text = re.sub(r"\$[^$]*\$", " ", text)               # math
    text = re.sub(r"`[^`]*`", " ", text)                 # code
    text = re.sub(r"\{[^{}]*\}", " ", text)              # format fields
    text = re.sub(r"<[^>]+>", " ", text)                 # html tags
    text = re.sub(r"[\w.\-/]*[_./][\w.\-/]*", " ", text)  # identifiers, file names, paths (docs/weights.md)
    text = re.sub(r"“[^”]*”", " ", text)                 # quoted examples
    return re.findall(r"[A-Za-z]{2,}", text)


def test_no_untranslated_english_in_chinese():
    leftovers = {k: sorted(set(w for w in _latin_words(v) if w not in ALLOWED))
                 for k, v in catalogue("zh").items()}
    leftovers = {k: v for k, v in leftovers.items() if v}
    assert not leftovers, leftovers


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("data, key", [(b"", "empty"), (b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "not_weights"),
                                       (b"PK\x03\x04broken", "corrupt"), (b"just some text", "not_weights")])
def test_a_refused_files_reason_is_translated(data, key, lang):
    with pytest.raises(lstm_core.WeightError) as e:
        lstm_core.load(io.BytesIO(data), name="x.npz")
    assert e.value.key == key
    text = refusal(e.value, lang)
    assert text != t("refusal.other", lang, detail=str(e.value)) and "{" not in text
    if lang == "zh":
        assert not re.search(r"[A-Za-z]{4,}", re.sub(r"[\w.]*\.\w+", "", text))   # no English words, file types aside


def test_an_unknown_refusal_quotes_the_english_reason():
    assert "boom" in refusal(ValueError("boom"), "zh")
    assert refusal(lstm_core.WeightError("odd", key="no_such_key"), "zh") == t("refusal.other", "zh", detail="odd")
