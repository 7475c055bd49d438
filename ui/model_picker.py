"""The sidebar's model picker, in two halves.

- ``choose(view, lang)`` draws the widgets and returns the visitor's
  ``Choice`` (what kind of weights, which example, the file that loaded, the
  generated settings). It is the only part that touches Streamlit.
- ``resolve(choice, presets)`` turns a choice into the ``ModelSpec`` that
  keys the caches, the loaded model (None for generated weights, which are
  built per sequence) and the encodings the model accepts. Pure: tested
  without Streamlit. ``example_view`` (pure too) says how the view changes
  the first time a trained model is picked: its example sequence, its
  telling unit, one-hot over its vocabulary.

``sidebar(view, lang)`` runs both and draws what the choice implies.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

import streamlit as st

from lstm_core.notation import CELL_KINDS
from lstm_core.training.tasks import task_from_meta

from . import keys, model_source, train_view, upload
from .errors import Problem, refusal
from .i18n import t
from .state import ModelSpec, View, md_escape
from .widgets import seed_widget

SOURCES = ("generated", "upload", "preset", "trained")
PLAIN_ENCODINGS = ("embedding", "onehot_sequence")


@dataclass(frozen=True)
class Choice:
    source: str = "generated"              # one of SOURCES
    preset: str = ""                       # the shipped example picked (source "preset")
    upload: tuple | None = None            # (sha256, model, file name) of the last file that loaded
    trained: dict | None = None            # the Train page's model: {id, model, task, cell, sample, unit, …}
    generated: ModelSpec = ModelSpec()     # the settings of generated weights


class Resolved(NamedTuple):
    spec: ModelSpec
    model: object          # lstm_core.Recurrent, or None for generated weights
    encodings: tuple       # the encodings this model accepts, the first one the default


def resolve(choice: Choice, presets: dict) -> Resolved:
    """What ``choice`` runs. An upload chosen with no file loaded yet runs the generated settings."""
    model, spec = None, choice.generated
    if choice.source == "upload" and choice.upload:
        digest, model, _ = choice.upload
        spec = ModelSpec(model.kind, model.hidden_size, model.num_layers, upload=digest)
    elif choice.source == "preset" and choice.preset in presets:
        model = presets[choice.preset].load()
        spec = ModelSpec(model.kind, model.hidden_size, model.num_layers, preset=choice.preset)
    elif choice.source == "trained" and choice.trained:
        model = choice.trained["model"]
        spec = ModelSpec(model.kind, model.hidden_size, model.num_layers, trained=choice.trained["id"])
    vocab = model.meta.get("vocab") if model is not None else None
    if choice.source == "upload" and model is not None:
        # an uploaded model speaks its own tokens: its vocabulary, never a silent random embedding
        # (one-hot over the typed text's own tokens stays, chosen explicitly, for a one-hot model)
        return Resolved(spec, model, ("onehot_model",) + (() if model.has_embedding else ("onehot_sequence",)))
    return Resolved(spec, model, (("onehot_model",) if vocab else ()) + PLAIN_ENCODINGS)


def example_view(model, sample=None, unit=None, from_link=(), value=None) -> dict:
    """The view changes the first time a trained ``model`` is picked: one-hot over its vocabulary,
    its ``unit``, the trace ``value`` its hint names as "color_by" (what the token strip is coloured
    by: "cell", "hidden", a gate), and ``sample`` (mode, text) — or one example of its task — in the
    sequence box. What the link names itself (``from_link``: "enc", "unit", "seq") is kept."""
    changes = {}
    if value:
        changes["color_by"] = str(value)
    if model.meta.get("vocab") and "enc" not in from_link:
        changes["enc"] = "onehot_model"
    if unit is not None and 0 <= unit < model.hidden_size and "unit" not in from_link:
        changes["unit"] = int(unit)
    if "seq" not in from_link:
        if sample is None:
            try:
                sample = train_view.sample_text(task_from_meta(model.meta))
            except (ValueError, TypeError):
                return changes
        changes.update(mode=sample[0], seq=sample[1], t=1)
    return changes


def upload_failed(name: str, err: Exception, lang: str) -> str:
    """Why the uploaded file ``name`` was refused, as markdown safe to show: the name and the reason
    escaped, and the command the reason gives (``line``: a PyTorch pickle's conversion to .safetensors)
    as a code block, copied as it is (a fence longer than any run of backticks a file name brings)."""
    reason = refusal(err, lang)
    line = (getattr(err, "params", None) or {}).get("line")
    if line and line in reason:
        head, _, tail = reason.partition(line)
        fence = "`" * max(3, 1 + max(map(len, re.findall("`+", line)), default=0))
        body = f"{md_escape(head.rstrip())}\n\n{fence}bash\n{line}\n{fence}\n\n{md_escape(tail.strip())}".rstrip()
    else:
        body = md_escape(reason)
    return t("model.upload_failed", lang, name=md_escape(name), reason=body)


# ------------------------------------------------------------------ widgets
def choose(view: View, lang: str, box) -> Choice:
    """Draw the picker's widgets in ``box``; the visitor's choice."""
    tr = lambda key, **kw: t(key, lang, **kw)  # noqa: E731
    presets = {p.id: p for p in model_source.presets()}
    trained = st.session_state.get(keys.TRAINED)
    # what kind of weights, then (for the shipped examples) which one: 4 choices, not 14
    kinds = ["generated", "upload"] + (["preset"] if presets else []) + (["trained"] if trained else [])
    if "upload" in view.hide:           # a teacher's link: no upload choice (ui.state.HIDEABLE)
        kinds.remove("upload")
    if view.model.preset in presets:
        seed_widget(keys.SOURCE, "preset")
        seed_widget(keys.PRESET, view.model.preset)
    if st.session_state.get(keys.SOURCE) not in kinds:
        st.session_state[keys.SOURCE] = "generated"
    source = box.radio(tr("model.source"), kinds, key=keys.SOURCE, format_func=lambda s: (
        tr("trained.source") if s == "trained" else tr(f"model.source.{s}")))
    choice = Choice(source=source, trained=trained)
    if source == "preset":
        if st.session_state.get(keys.PRESET) not in presets:
            st.session_state[keys.PRESET] = next(iter(presets))
        preset = box.selectbox(tr("model.preset"), list(presets), key=keys.PRESET,
                               format_func=lambda s: tr(presets[s].title_key))
        return Choice(source, preset=preset)
    if source == "upload":
        # no type filter: Streamlit would refuse other files in English; lstm_core's reader says why, translated
        up = box.file_uploader(tr("model.upload"), key=keys.UPLOAD,
                               help=tr("model.upload_help"))
        vocab = upload.vocab_box(box, lang)     # its vocabulary, unless the weight file holds it
        if up is not None:
            try:
                st.session_state[keys.GOOD_UPLOAD] = upload.load_files((up.name, up.getvalue()), vocab)
                st.session_state[keys.ENC_WARNED] = True   # the visitor's own model: no word on the link's encoding
            except (ValueError, OSError, KeyError) as err:   # WeightError is a ValueError
                box.error(upload_failed(up.name, err, lang))
        good = upload.typed_alphabet(st.session_state.get(keys.GOOD_UPLOAD))   # the alphabet typed on the page
        if good:
            return Choice(source, upload=good)
    if source in ("generated", "upload"):
        return Choice(source, generated=_generated_settings(view.model, tr, box))
    return choice


def _generated_settings(spec: ModelSpec, tr, box) -> ModelSpec:
    for key, value in ((keys.CELL, spec.cell), (keys.HIDDEN, spec.hidden), (keys.LAYERS, spec.layers),
                       (keys.SEED, spec.seed), (keys.FORGET_BIAS, spec.forget_bias)):
        seed_widget(key, value)
    cell = box.selectbox(tr("model.cell"), CELL_KINDS, key=keys.CELL, format_func=str.upper, help=tr("model.cell_help"))
    hidden = box.number_input(tr("model.hidden"), 1, 512, step=1, key=keys.HIDDEN, help=tr("model.hidden_help"))
    layers = box.number_input(tr("model.layers"), 1, 4, step=1, key=keys.LAYERS)
    seed = box.number_input(tr("model.seed"), 0, 2**31 - 1, step=1, key=keys.SEED, help=tr("model.seed_help"))
    fb = spec.forget_bias
    if cell == "lstm":
        fb = box.number_input(tr("model.forget_bias"), -10.0, 10.0, step=0.5, key=keys.FORGET_BIAS,
                              help=tr("model.forget_bias_help"))
    return ModelSpec(cell, int(hidden), int(layers), int(seed), float(fb))


def _describe(choice: Choice, model, tr, box, lang):
    """The captions under the picker: which file, what the example shows, the model's sizes."""
    if choice.source == "upload":
        if choice.upload:
            box.caption(tr("model.upload_using", name=md_escape(choice.upload[2])))
        else:
            box.info(tr("model.upload_none"))
    elif choice.source == "preset":
        info = model_source.preset_info()[choice.preset]
        if info.get("note"):
            box.caption(tr("preset.note", note=info["note"][lang]))
        box.caption(tr("preset.look", look=model_source.preset_look(choice.preset, lang)))
        if info.get("metric") == "accuracy":
            box.caption(preset_accuracy(info, lang))
    elif choice.source == "trained":
        tm = choice.trained
        box.caption(tr("trained.title", task=tr(f"task.{tm['task']}"), cell=tm["cell"].upper(),
                       hidden=tm["hidden"], steps=tm["steps"]))
    if model is not None:
        d = model.describe()
        box.caption(tr("model.describe", cell=d["cell"].upper(), hidden=d["hidden_size"], layers=d["num_layers"],
                       inputs=d["input_size"], params=f"{d['params']:,}"))


def preset_accuracy(info: dict, lang: str) -> str:
    """A trained example's accuracy as the sidebar says it: a language model's is on its own training
    text (said so), followed by its accuracy on a text it never saw when the manifest has one."""
    params = dict(acc=info["accuracy"], chance=info["chance"], secs=info["train_seconds"])
    if info.get("task") != "charlm":
        return t("preset.accuracy", lang, **params)
    text = t("preset.accuracy_text", lang, **params)
    if info.get("heldout_accuracy") is not None:
        text += " " + t("preset.heldout", lang, acc=info["heldout_accuracy"])
    return text


def _apply_example(view: View, choice: Choice, model) -> View:
    """Once per picked trained model: ``example_view``, written into the view and the widgets."""
    picked = {"preset": choice.preset, "trained": f"trained:{(choice.trained or {}).get('id')}"}.get(choice.source)
    if picked is None:
        st.session_state[keys.APPLIED_MODEL] = None    # picking a trained model again brings its example back
        return view
    if st.session_state.get(keys.APPLIED_MODEL) == picked:
        return view
    first = keys.APPLIED_MODEL not in st.session_state
    st.session_state[keys.APPLIED_MODEL] = picked
    if choice.source == "preset":
        info = model_source.preset_info()[choice.preset]
        sample, unit, value = None, info.get("unit"), info.get("value")
    else:
        sample, unit, value = choice.trained["sample"], choice.trained.get("unit"), choice.trained.get("value")
    from_link = {k for k in ("enc", "unit", "seq") if k in st.query_params} if first else set()
    changes = example_view(model, sample, unit, from_link, value)
    for name, key in (("enc", keys.ENCODING), ("unit", keys.UNIT), ("mode", keys.MODE), ("seq", keys.SEQ),
                      ("color_by", keys.COLOR_HINT)):
        if name in changes:
            st.session_state[key] = changes[name]
    changes.pop("color_by", None)             # the player's starting colour, not part of the view
    return view.with_(**changes)


def _encoding(view: View, encodings, tr, box) -> str:
    enc = view.enc
    if enc not in encodings:
        if "enc" in st.query_params and not st.session_state.get(keys.ENC_WARNED):
            st.session_state.setdefault(keys.URL_PROBLEMS, []).append(
                Problem("state.enc_unavailable", value=enc, used=encodings[0]))
            st.session_state[keys.ENC_WARNED] = True
        enc = encodings[0]
    if st.session_state.get(keys.ENCODING) not in encodings:
        st.session_state[keys.ENCODING] = enc
    return box.radio(tr("model.encoding"), encodings, key=keys.ENCODING, format_func=lambda e: tr(f"model.enc.{e}"),
                     help=tr("model.encoding_help"))


def sidebar(view: View, lang: str):
    """Draw the picker → (view with the chosen model and encoding, the loaded model or None, encodings)."""
    tr = lambda key, **kw: t(key, lang, **kw)  # noqa: E731
    box = (st.sidebar.container(key="hidden_model_picker") if "model" in view.hide   # hidden by CSS (ui.app)
           else st.sidebar.expander(tr("model.header"), expanded=True))
    choice = choose(view, lang, box)
    spec, model, encodings = resolve(choice, {p.id: p for p in model_source.presets()})
    _describe(choice, model, tr, box, lang)
    view = _apply_example(view, choice, model) if model is not None else _apply_example(view, Choice(), None)
    view = view.with_(model=spec)
    return view.with_(enc=_encoding(view, encodings, tr, box)), model, encodings
