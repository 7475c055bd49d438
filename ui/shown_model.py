"""Which model a page shows, and the one line that says so.

Every page that runs a sequence shows the sidebar's model (a shipped trained
example, an uploaded file, a model trained on the Train page, or random
weights) when it fits the page. When the page needs another cell kind (the RNN
page while an LSTM is chosen), it shows the shipped trained example of its own
kind for the same task, and says so; when there is none, random weights of its
kind. Pages whose point only shows after training (gate statistics, the
c-versus-h comparison) open on a trained example while the sidebar has random
weights, with a switch back.

- ``pick`` (pure): the sidebar's spec and model, the kinds the page takes and
  its default example → a ``Pick`` (spec, why, the preset used).
- ``line`` (pure): the sentence naming the model, in either language.
- ``page_model`` / ``show_line`` / ``page_input``: the Streamlit side.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from lstm_core import causal

from . import keys, model_source, parsing
from .errors import Problem
from .i18n import t
from .state import ModelSpec, md_escape
from .widgets import seed_widget, sequence_box

WHY = ("chosen", "own_kind", "default", "random", "no_trained", "compare", "unfit")
PAGE_STEPS = 120           # the teaching pages analyse at most this many tokens (as teaching_pages.TEACHING_STEPS)


@dataclass(frozen=True)
class Pick:
    spec: ModelSpec            # keys the caches; a shipped example has ``preset`` set
    why: str                   # one of WHY
    chosen_cell: str = ""      # the sidebar model's cell kind, when the page shows another kind


def task_meta(model) -> dict:
    return dict((getattr(model, "meta", None) or {}).get("task") or {})


def preset_for(task: dict, cell: str, manifest) -> str:
    """The shipped example trained on the same task (and corpus) with cell ``cell``, or ""."""
    name = task.get("name")
    if not name:
        return ""
    for p in manifest:
        if p["task"] == name and p["cell"] == cell and p.get("params", {}).get("corpus") == task.get("corpus"):
            return p["name"]
    return ""


def pick(spec: ModelSpec, model, kinds, manifest, default: str = "", use_default: bool = True) -> Pick:
    """What a page taking cells ``kinds`` shows for the sidebar's ``spec`` / ``model``.

    A loaded model of a kind the page takes is shown as it is. Another kind: the shipped example of
    the page's first kind with one for the same task, else random weights of the page's first kind.
    Generated weights: the page's ``default`` example when there is one and ``use_default``, else
    the generated settings (the cell kind made one the page takes).
    """
    kinds = tuple(kinds)
    if model is not None:
        if model.kind in kinds and getattr(model, "directions", 1) == 1:
            return Pick(spec, "chosen")
        for kind in kinds:
            name = preset_for(task_meta(model), kind, manifest)
            if name:
                return Pick(ModelSpec(kind, preset=name), "own_kind", model.kind)
        return Pick(ModelSpec(kinds[0], spec.hidden if spec.generated else 16, 1, spec.seed if spec.generated else 0),
                    "no_trained", model.kind)
    if default and use_default:
        return Pick(ModelSpec(next(p["cell"] for p in manifest if p["name"] == default), preset=default), "default")
    return Pick(spec if spec.cell in kinds else spec.with_(cell=kinds[0]), "random")


# ------------------------------------------------------------------ the line
def _percent(v) -> str:
    return f"{100 * v:.1f}%"


def line(pick_: Pick, model, lang, *, info=None, trained=None, upload_name="", title="") -> str:
    """One sentence naming the model a page shows: where it comes from, its task, cell, size, and
    accuracy (with chance) when known. ``info``: the preset's manifest entry; ``trained``: the Train
    page's record; ``title``: the preset's display name."""
    tr = lambda key, **kw: t(key, lang, **kw)  # noqa: E731
    spec = pick_.spec
    if model is None:
        who = tr("shown.random", cell=spec.cell.upper(), hidden=spec.hidden, seed=spec.seed, layers=spec.layers)
    else:
        if spec.preset:
            who = tr("shown.preset", title=title or spec.preset)
        elif spec.trained:
            who = tr("shown.trained")
        else:
            who = tr("shown.upload", name=md_escape(upload_name) if upload_name else "?")
        task = task_meta(model).get("name")
        facts = [] if spec.preset else [tr(f"task.{task}") if task else tr("shown.no_task")]   # a title names it
        facts += [model.kind.upper(), f"H = {model.hidden_size}", tr("shown.layers", n=model.num_layers)]
        acc = chance = None
        if info and info.get("accuracy") is not None:
            acc, chance = info["accuracy"], info.get("chance")
        elif trained and trained.get("accuracy") is not None:
            acc, chance = trained.get("accuracy"), trained.get("chance")
        if info and info.get("heldout_accuracy") is not None:     # a language model: the text it never saw
            facts.append(tr("shown.accuracy_text", acc=_percent(info["heldout_accuracy"]),
                            chance=_percent(info.get("heldout_chance") or 0), train=_percent(acc)))
        elif acc is not None:
            facts.append(tr("shown.accuracy", acc=_percent(acc),
                            chance=_percent(chance) if chance is not None else "?"))
        who += tr("shown.dash") + tr("shown.sep").join(facts)
    lead = {"chosen": "shown.lead.chosen", "own_kind": "shown.lead.own_kind", "default": "shown.lead.default",
            "random": "shown.lead.chosen", "no_trained": "shown.lead.no_trained",
            "compare": "shown.lead.compare", "unfit": "shown.lead.unfit"}[pick_.why]
    return tr(lead, who=who, kind=spec.cell.upper(), chosen=pick_.chosen_cell.upper())


# ------------------------------------------------------------------ Streamlit side
def manifest():
    return [p.info for p in model_source.presets()]


def page_model(ctx, kinds, default: str = "", switch_key: str | None = None):
    """(Pick, model or None) for this page. With ``default`` and ``switch_key`` a radio lets the
    reader leave the trained example for the sidebar's random weights (shown only while the sidebar
    has generated weights)."""
    use_default = True
    if default and ctx.model is None and switch_key:
        seed_widget(switch_key, "trained")
        use_default = st.radio(ctx.tr("shown.switch"), ("trained", "random"), key=switch_key, horizontal=True,
                               format_func=lambda s: ctx.tr(f"shown.switch.{s}")) == "trained"
    p = pick(ctx.view.model, ctx.model, kinds, manifest(), default, use_default)
    if p.why == "chosen":
        return p, ctx.model
    if p.spec.preset:
        return p, model_source.load_preset(p.spec.preset)
    return p, None


def line_for(ctx, p: Pick, model) -> str:
    info = model_source.preset_info().get(p.spec.preset) if p.spec.preset else None
    trained = st.session_state.get(keys.TRAINED) if p.spec.trained else None
    good = st.session_state.get(keys.GOOD_UPLOAD)
    name = good[2] if good and p.spec.upload and good[0] == p.spec.upload else ""
    title = ctx.tr(f"preset.{p.spec.preset}") if p.spec.preset else ""
    return line(p, model, ctx.lang, info=info, trained=trained, upload_name=name, title=title)


def show_line(ctx, p: Pick, model):
    """The line, drawn as an info box (every page that runs a sequence draws one)."""
    st.info(line_for(ctx, p, model), icon="🧠")


def sample_text(model):
    """(mode, text) of one example of the model's task, or None."""
    from .train_view import sample_text as task_sample
    task = causal.task_of(model)
    if task is None:
        return None
    try:
        return task_sample(task)
    except (ValueError, TypeError):
        return None


def _use_sample(mode, text):
    st.session_state[keys.MODE], st.session_state[keys.SEQ] = mode, text


def _read(text, mode, enc, model, seed, limit):
    """``model_source.read_input`` → (inputs, the unknown tokens' count); tokens outside the model's
    vocabulary are either zero rows (counted) or refused (Problem "input.err.unknown_tokens")."""
    inputs = model_source.read_input(text, mode, enc, seed=seed, model=model, limit=limit)
    unknown = set(inputs.encoded.unknown or ())
    return inputs, sum(1 for tok in inputs.tokens if tok in unknown)


def page_input(ctx, p: Pick, model, height=68, limit=PAGE_STEPS):
    """The sequence box read for a loaded ``model`` → (tokens shown, raw tokens, X (T, I), note or None).

    The model's own vocabulary encodes the text when it has one. When the page chose the model (a
    default or own-kind example) and the box holds tokens outside its vocabulary, the task's example
    is run instead, and the note says so; the reader's own choice runs as typed (the note counts the
    unknown tokens), or, where the reader refuses them, the page shows why and offers the example.
    Stops the page with the parser's error on text it refuses.
    """
    view = ctx.view
    text, mode = sequence_box(view, ctx.lang, height=height)
    vocab = model.meta.get("vocab")
    enc = "onehot_model" if vocab else (view.enc if view.enc in ("embedding", "onehot_sequence") else "embedding")
    sample = sample_text(model)
    note, n_unknown = None, 0
    try:
        inputs, n_unknown = _read(text, mode, enc, model, view.model.seed, limit)
    except Problem as err:
        if err.key != "input.err.unknown_tokens" or sample is None or p.why == "chosen":
            st.error(err.message(ctx.lang))
            if sample is not None:
                st.button(ctx.tr("shown.put_sample"), on_click=_use_sample, args=sample, key=f"sample_{ctx.page.id}")
            st.stop()
        inputs, n_unknown = None, len(err.params.get("tokens", "").split()) or 1
    except ValueError as err:
        st.error(ctx.tr("gates.error", reason=md_escape(err)))
        st.stop()
    ctx.update(seq=text, mode=mode)
    if inputs is None or (n_unknown and p.why != "chosen" and sample is not None):
        inputs, _ = _read(sample[1], sample[0], enc, model, view.model.seed, limit)
        note = ctx.tr("shown.sample_used", steps=len(inputs.tokens))
    elif n_unknown:
        note = ctx.tr("shown.unknown", n=n_unknown, total=len(inputs.tokens))
    if note and sample is not None:
        st.button(ctx.tr("shown.put_sample"), on_click=_use_sample, args=sample, key=f"sample_{ctx.page.id}")
    if inputs.total > limit:
        st.info(ctx.tr("teach.cut", n=inputs.total, limit=limit))
    shown = tuple(parsing.display_token(tok) for tok in inputs.tokens)
    X = np.array(inputs.encoded.X, dtype=model.dtype)
    X.flags.writeable = False
    return shown, inputs.tokens, X, note


@st.cache_resource(max_entries=16, ttl=3600, show_spinner=False)
def _forward(spec: ModelSpec, _model, _X, xkey):
    return _model.forward(_X)


def forward(p: Pick, model, X):
    """``model.forward(X)``, cached per (model, X) and shared read-only."""
    return _forward(p.spec, model, X, (X.shape, X.tobytes()))


@st.cache_resource(max_entries=8, ttl=3600, show_spinner=False)
def _influence(spec: ModelSpec, _model, _X, xkey):
    from lstm_core import analysis
    return analysis.first_token_influence(_model, _X)


def influence(p: Pick, model, X):
    """``analysis.first_token_influence`` of a loaded model on the first steps of X that fit the
    teaching pages' budget (``teaching_pages.influence_steps``), cached."""
    from .teaching_pages import influence_steps
    X = X[: influence_steps(len(X), model.hidden_size)]
    return _influence(p.spec, model, X, (X.shape, X.tobytes()))


# the trained example a page opens on while the sidebar has random weights: (preset, or per language)
DEFAULTS = {"gates": {"en": "charlm_en_lstm", "zh": "charlm_zh_lstm"},
            "memory": {"en": "recall_lstm", "zh": "recall_lstm"}}


def default_example(page_id, lang) -> str:
    """The page's default trained example if it is shipped, else the first shipped LSTM, else ""."""
    names = [p["name"] for p in manifest()]
    want = DEFAULTS.get(page_id, {}).get(lang, "")
    if want in names:
        return want
    return next((p["name"] for p in manifest() if p["cell"] == "lstm"), "")


# ------------------------------------------------------------------ the Long-term memory page's three cells
ORDER = ("rnn", "gru", "lstm")


def trio(ctx, switch_key):
    """The cells the Long-term memory page compares: ({kind: (Pick, model)}, the main kind), or
    (None, None) for its random trio. The main model is the sidebar's loaded model, or (random
    sidebar, switch on "trained") the page's default example; beside it the shipped examples of the
    other kinds trained on the same task, where there are any."""
    man = manifest()
    if ctx.model is None:
        seed_widget(switch_key, "trained")
        use = st.radio(ctx.tr("shown.switch"), ("trained", "random"), key=switch_key, horizontal=True,
                       format_func=lambda s: ctx.tr(f"shown.switch.{s}")) == "trained"
        name = default_example("memory", ctx.lang)
        if not use or not name:
            return None, None
        main = model_source.load_preset(name)
        main_pick = Pick(ModelSpec(main.kind, preset=name), "default")
    else:
        if getattr(ctx.model, "directions", 1) != 1:
            return None, None
        main, main_pick = ctx.model, Pick(ctx.view.model, "chosen")
    out = {}
    for kind in ORDER:
        if kind == main.kind:
            out[kind] = (main_pick, main)
            continue
        name = preset_for(task_meta(main), kind, man)
        if name:
            out[kind] = (Pick(ModelSpec(kind, preset=name), "compare"), model_source.load_preset(name))
    return out, main.kind


def show_trio(ctx, models, main):
    """One line per model of the comparison, the main one first, in one box."""
    lines = [line_for(ctx, *models[main])] + [line_for(ctx, *models[k]) for k in ORDER if k in models and k != main]
    st.info("\n\n".join(lines), icon="🧠")


@st.cache_resource(max_entries=16, ttl=3600, show_spinner=False)
def _flow(spec: ModelSpec, _model, scale, _X, xkey):
    from lstm_core import analysis
    return analysis.gradient_flow(_model, _X, scale)


def gradient_flow(p: Pick, model, X, scale=1.0):
    """``analysis.gradient_flow`` of a loaded model on X (W_hh scaled by ``scale``), cached."""
    return _flow(p.spec, model, float(scale), X, (X.shape, X.tobytes()))


CHANGE_SEQUENCES = 64


@st.cache_resource(max_entries=1, ttl=24 * 3600, show_spinner=False)
def change_table():
    """``causal.state_change`` of every shipped trained example on ``CHANGE_SEQUENCES`` held-out sequences of
    its task: [{name, cell, task, cell_rel, hidden_rel, holds, n}], once per server."""
    rows = []
    for p in manifest():
        model = model_source.load_preset(p["name"])
        task = causal.task_of(model)
        if task is None:
            continue
        m = causal.state_change(model, causal.heldout(task, n=CHANGE_SEQUENCES))
        rows.append({"name": p["name"], "cell": p["cell"], "task": p["task"], "cell_rel": m["cell"],
                     "hidden_rel": m["hidden"], "ratio": m["ratio"], "holds": m["holds"], "n": m["n"]})
    return rows


def _pct(v) -> str:
    return f"{100 * v:.1f}%"


def change_verdict(rows, lang) -> str:
    """Where "c changes slowly, h a lot" holds among the shipped trained LSTMs, and where it does not,
    with the measured numbers (``change_table``)."""
    lstms = [r for r in rows if r["cell"] == "lstm" and r["cell_rel"] is not None]
    if not lstms:
        return ""
    title = lambda r: t(f"preset.{r['name']}", lang)  # noqa: E731
    item = lambda r: t("mem.change_item", lang, title=title(r), c=_pct(r["cell_rel"]), h=_pct(r["hidden_rel"]))  # noqa: E731
    sep = t("shown.sep", lang)
    yes = [r for r in lstms if r["holds"]]
    no = [r for r in lstms if not r["holds"]]
    text = t("mem.change_verdict", lang, n=lstms[0]["n"], holds=len(yes), total=len(lstms),
             yes=sep.join(item(r) for r in yes) or "—")
    if no:
        text += " " + t("mem.change_fails", lang, no=sep.join(item(r) for r in no))
    return text


def change_frame(rows, lang):
    """``change_table`` as a table: example, cell, mean relative change of c and of h, h/c."""
    import pandas as pd
    out = []
    for r in rows:
        out.append({t("mem.col_model", lang): t(f"preset.{r['name']}", lang),
                    t("mem.col_c", lang): "—" if r["cell_rel"] is None else _pct(r["cell_rel"]),
                    t("mem.col_h", lang): _pct(r["hidden_rel"]),
                    t("mem.col_ratio", lang): "—" if r["ratio"] is None else f"{r['ratio']:.2f}"})
    return pd.DataFrame(out)
