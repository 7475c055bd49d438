"""The model picker's pure half: a choice → the spec, the model and the encodings; and what a
trained model's first pick does to the view. No Streamlit."""
import lstm_core
from ui import model_picker as MP
from ui.state import ModelSpec


class _Preset:
    def __init__(self, model):
        self.load = lambda: model


def _model(vocab=None, kind="lstm", hidden=6):
    m = lstm_core.CELLS[kind].init(3 if vocab is None else len(vocab), hidden, seed=0)
    if vocab:
        m.meta["vocab"] = list(vocab)
    return m


def test_generated_settings_are_the_spec():
    settings = ModelSpec("gru", 8, 2, 5, 1.5)
    spec, model, encodings = MP.resolve(MP.Choice("generated", generated=settings), {})
    assert spec == settings and spec.generated and model is None
    assert encodings == ("embedding", "onehot_sequence")


def test_upload_without_a_file_runs_the_generated_settings():
    settings = ModelSpec("rnn", 4)
    assert MP.resolve(MP.Choice("upload", generated=settings), {}).spec == settings


def test_an_upload_is_keyed_by_its_digest_and_sized_by_the_file():
    m = _model(kind="gru", hidden=5)
    spec, model, _ = MP.resolve(MP.Choice("upload", upload=("abc", m, "x.npz")), {})
    assert model is m and not spec.generated
    assert (spec.cell, spec.hidden, spec.layers, spec.upload) == ("gru", 5, 1, "abc")


def test_a_preset_with_a_vocabulary_offers_its_one_hot_first():
    m = _model(vocab="abc")
    spec, model, encodings = MP.resolve(MP.Choice("preset", preset="p"), {"p": _Preset(m)})
    assert spec.preset == "p" and model is m and encodings[0] == "onehot_model"


def test_a_trained_model_is_keyed_by_its_id():
    m = _model()
    spec, model, _ = MP.resolve(MP.Choice("trained", trained={"id": "7", "model": m}), {})
    assert spec.trained == "7" and model is m


def test_first_pick_sets_the_example_the_unit_and_one_hot():
    m = _model(vocab="ab?")
    changes = MP.example_view(m, sample=("chars", "ab?"), unit=2)
    assert changes == {"enc": "onehot_model", "unit": 2, "mode": "chars", "seq": "ab?", "t": 1}


def test_what_the_link_names_is_kept():
    m = _model(vocab="ab?")
    assert MP.example_view(m, sample=("chars", "ab?"), unit=2, from_link={"enc", "unit", "seq"}) == {}
    assert "unit" not in MP.example_view(m, sample=("chars", "a"), unit=99)     # past H: ignored


def test_first_pick_colours_the_strip_by_the_value_the_hint_names():
    m = _model(vocab="ab?")
    assert MP.example_view(m, sample=("chars", "ab?"), unit=2, value="output")["color_by"] == "output"
    assert "color_by" not in MP.example_view(m, sample=("chars", "ab?"), unit=2)


def test_every_shipped_hint_names_a_unit_and_a_value_of_its_model():
    """The "what to look at" line can be followed: its unit exists, its value is one the model's cell
    has, and the line names both (the Chinese language model's too: no "no unit shows it")."""
    from lstm_core import notation, presets
    for p in presets.manifest():
        model = presets.load(p["name"])
        assert 0 <= p["unit"] < model.hidden_size, p["name"]
        assert p["value"] in notation.TRACE_VALUES[p["cell"]], p["name"]
        if p["look"]["en"].startswith("Watch unit"):
            assert f"unit {p['unit']}'s" in p["look"]["en"], p["name"]
    zh = next(p for p in presets.manifest() if p["name"] == "charlm_zh_lstm")
    assert zh["look"]["en"].startswith("Watch unit") and "instead" not in zh["look"]["en"]


# ------------------------------------------------------------------ a refused upload, said to the visitor
def _refused(data, name):
    import pytest
    with pytest.raises(lstm_core.WeightError) as e:
        lstm_core.load(data, name=name)
    return e.value


def _code_block(markdown):
    """The one fenced code block of ``markdown``: (language, its text)."""
    import re
    blocks = re.findall(r"^(`{3,})(\w*)\n(.*?)\n\1$", markdown, re.M | re.S)
    assert len(blocks) == 1, markdown
    return blocks[0][1], blocks[0][2]


def test_a_pytorch_pickle_is_refused_with_the_one_line_that_converts_it_in_both_languages():
    """.pt/.pth/.bin/.ckpt: the message gives the exact command for that file (as a code block to copy),
    in English and in Chinese; a file name with backticks cannot close the block early."""
    from lstm_core.files.reader import convert_line
    from ui.errors import refusal
    from ui.i18n import t
    for name in ("model.pt", "ckpt.pth", "pytorch_model.bin", "last.ckpt", "my ``odd`` model.pt"):
        err = _refused(b"\x80\x04 anything", name)
        line = convert_line(name)
        assert err.key == "pickle_file" and err.params["line"] == line
        assert f'torch.load("{name}"' in line and line.count("\n") == 0
        for lang in ("en", "zh"):
            assert refusal(err, lang) == t("refusal.pickle_file", lang, line=line)
            shown = MP.upload_failed(name, err, lang)
            assert _code_block(shown) == ("bash", line), (name, lang)
            assert t("refusal.pickle_file", lang, line="").split(".")[0].split("。")[0] in shown.replace("\\", "")
    assert "下面这一行命令" in MP.upload_failed("model.pt", _refused(b"x", "model.pt"), "zh")
    assert "with this one line" in MP.upload_failed("model.pt", _refused(b"x", "model.pt"), "en")


def test_a_pytorch_checkpoint_under_another_name_gets_the_line_for_that_file():
    import io
    import zipfile

    from lstm_core.files.reader import convert_line
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("archive/data.pkl", b"\x80\x04 anything")
    err = _refused(buf.getvalue(), "weights.npz")
    assert err.key == "torch_checkpoint" and err.params["line"] == convert_line("weights.npz")
    assert convert_line("weights.npz") in str(err)
    for lang in ("en", "zh"):
        assert _code_block(MP.upload_failed("weights.npz", err, lang))[1] == convert_line("weights.npz")


def test_other_refusals_are_escaped_and_have_no_code_block():
    err = _refused(b"just some text", "[x](https://e.vil).npz")
    shown = MP.upload_failed("[x](https://e.vil).npz", err, "en")
    assert "```" not in shown and "\\[x\\]\\(https\\:" in shown


def test_the_look_line_shows_symbols_not_caret_source():
    """A hint such as recall_lstm's names z^f; the sidebar and the explorer show it as zᶠ, in both languages."""
    from ui import model_source
    from ui.i18n import LANGS
    for lang in LANGS:
        line = model_source.preset_look("recall_lstm", lang)
        assert "^" not in line and "zᶠ" in line
