"""Causal lab: change one thing in a trained model's run and measure what follows.

Wiring only: the experiments are lstm_core.causal, cached and put into words by
ui.lab_view, drawn by ui.figures.lab; the model line and the sequence box come
from ui.shown_model, the predictions from ui.predictions.
"""
import numpy as np
import streamlit as st

from lstm_core import causal
from ui import keys, model_source, parsing, state
from ui import lab_view as LV
from ui import predictions as P
from ui import shown_model as SM
from ui.app import setup
from ui.figures import lab as LF
from ui.state import ModelSpec
from ui.widgets import fit_widget, follow_widget, seed_widget

ctx = setup("lab")
tr, lang, view = ctx.tr, ctx.lang, ctx.view

st.title(tr("lab.title"))
st.markdown(tr("lab.intro"))

# ------------------------------------------------------------------ the model (a trained one with an answer)
if LV.fits(ctx.model):
    shown, model = SM.Pick(view.model, "chosen"), ctx.model
else:
    name = SM.default_example("lab", lang) if LV.DEFAULT not in model_source.preset_info() else LV.DEFAULT
    if not name:
        st.error(tr("lab.no_model"))
        st.stop()
    model = model_source.load_preset(name)
    shown = SM.Pick(ModelSpec(model.kind, preset=name), "default" if ctx.model is None else "unfit")
SM.show_line(ctx, shown, model)
spec, task, H = shown.spec, causal.task_of(model), model.hidden_size
mode = st.session_state.get(keys.MODE, view.mode)

tokens, raw, X, note = SM.page_input(ctx, shown, model)
if note:
    st.caption(note)
trace = SM.forward(shown, model, X)
T = len(raw)
vectors = X if mode == "numbers" else None
expected = causal.expected(task, raw, X) if task is not None else [None] * T
answer_at = LV.answer_step(expected, T)
unit0 = min(max(view.unit, 0), H - 1)

# ------------------------------------------------------------------ what the model says
st.subheader(tr("lab.predictions"))
fit_widget(keys.LAB_STEP, 1, T, answer_at + 1)
step = st.slider(tr("lab.step"), 1, T, key=keys.LAB_STEP) if T > 1 else 1
if P.applies(model, trace):
    P.show_step(st, model, trace, raw, step - 1, lang)
    P.show_table(st, model, trace, raw, lang)
else:
    value = float(np.asarray(trace.y)[step - 1][0])
    want = expected[step - 1]
    st.markdown(tr("lab.linear_answer", t=step, value=f"{value:.3f}",
                   want=f"{want:.3f}" if want is not None else "—"))

# ------------------------------------------------------------------ the experiment
st.subheader(tr("lab.experiments"))
seed_widget(keys.LAB_EXPERIMENT, "edit")
exp = st.radio(tr("lab.experiment"), LV.EXPERIMENTS, key=keys.LAB_EXPERIMENT, horizontal=True,
               format_func=lambda e: tr(f"lab.exp.{e}"))
st.caption(tr(f"lab.exp_help.{exp}"))
batch = LV.heldout(spec, model)
if exp in ("rank", "intervene") and batch is None:
    st.info(tr("lab.no_task"))
    st.stop()
Tb = 0 if batch is None else batch.inputs.shape[0]


def steps_slider(key, label):
    """A range of steps of the held-out sequences (1-based, both ends shown) → 0-based half-open."""
    fit_widget(key, 1, Tb, (1, Tb))
    a, b = st.slider(label, 1, Tb, key=key) if Tb > 1 else (1, 1)
    return (a - 1, b)


def units_box(key, label):
    seed_widget(key, [unit0])
    st.session_state[key] = [u for u in st.session_state[key] if 0 <= u < H] or [unit0]
    return st.multiselect(label, list(range(H)), key=key, format_func=lambda u: tr("lab.unit_n", unit=u))


if exp == "edit":
    c1, c2, c3 = st.columns([2, 1, 2])
    kind = c1.radio(tr("lab.edit_kind"), causal.EDITS, key=keys.LAB_EDIT_KIND, horizontal=True,
                    format_func=lambda k: tr(f"lab.edit.{k}"))
    if kind == "delete" and T < 2:
        st.info(tr("lab.edit_too_short"))
        st.stop()
    top = T + 1 if kind == "insert" else T
    first_pos, first_new = LV.default_edit(raw, vectors)     # numbers: a marked value changed; else step 1
    fit_widget(keys.LAB_EDIT_POS, 1, top, first_pos)
    pos = int(c2.number_input(tr("lab.edit_pos"), 1, top, key=keys.LAB_EDIT_POS, help=tr("lab.edit_pos_help")))
    new, new_vec = None, None
    if kind != "delete":
        vocab = [str(v) for v in (model.meta.get("vocab") or ())]
        if vocab and vectors is None:
            here = raw[pos - 1] if pos - 1 < T else None
            others = [v for v in vocab if v != here]
            if st.session_state.get(keys.LAB_EDIT_TOKEN) not in vocab:
                st.session_state[keys.LAB_EDIT_TOKEN] = others[0] if others else vocab[0]
            new = c3.selectbox(tr("lab.edit_token"), vocab, key=keys.LAB_EDIT_TOKEN, format_func=parsing.display_token)
        else:
            if not isinstance(st.session_state.get(keys.LAB_EDIT_TOKEN), str) or (
                    vectors is not None and LV.parse_vector(st.session_state[keys.LAB_EDIT_TOKEN], X.shape[1]) is None):
                st.session_state[keys.LAB_EDIT_TOKEN] = first_new
            typed = c3.text_input(tr("lab.edit_token_typed" if vectors is None else "lab.edit_vector",
                                     n=X.shape[1]), key=keys.LAB_EDIT_TOKEN)
            new = typed.strip()
            if vectors is not None:
                new_vec = LV.parse_vector(typed, X.shape[1])
                if new_vec is None:
                    st.error(tr("lab.bad_vector", n=X.shape[1]))
                    st.stop()
            elif not new:
                st.info(tr("lab.edit_empty"))
                st.stop()
    toks_b, vec_b = LV.edit_sequence(raw, vectors, kind, pos - 1, new, new_vec)
    try:
        Xb = LV.encode_tokens(model, toks_b, mode, view.enc, view.model.seed, vec_b)
    except ValueError as err:
        st.error(tr("lab.bad_edit", reason=state.md_escape(err.message(lang) if hasattr(err, "message") else err)))
        st.stop()
    res = LV.edit(spec, model, X, Xb, kind, pos - 1)
    want_b = causal.expected(task, toks_b, Xb) if task is not None else [None] * len(toks_b)
    pairs = res["pairs"]
    if not pairs:
        st.info(tr("lab.edit_nothing_after"))
        st.stop()
    st.markdown(LV.edit_text(res, raw, toks_b, expected, want_b, lang))
    steps_b = [b + 1 for _, b in pairs]
    toks_shown = [toks_b[b] for _, b in pairs]
    if res["d_cell"] is not None:
        st.plotly_chart(LF.diff_heatmap(res["d_cell"], steps_b, toks_shown, "c", lang, unit=unit0,
                                        changed=res["changed"]), key="lab_edit_c")
    st.plotly_chart(LF.diff_heatmap(res["d_hidden"], steps_b, toks_shown, "h", lang, unit=unit0,
                                    changed=res["changed"]), key="lab_edit_h")
    if res["changed"] is not None:
        with st.expander(tr("lab.edit_answers")):
            st.dataframe(LV.edit_frame(res, raw, toks_b, expected, want_b, lang), hide_index=True)

elif exp == "rank":
    rng_steps = steps_slider(keys.LAB_RANK_STEPS, tr("lab.rank_steps"))
    with st.spinner(tr("lab.running", n=batch.inputs.shape[1], runs=H + 1)):
        r = LV.rank(spec, model, rng_steps)
    st.markdown(LV.rank_text(r, lang))
    if below := LV.below_chance_text(spec, model, r["base"], r["chance"], lang):
        st.markdown(below)
    if r.get("shipped"):
        st.caption(tr("lab.rank_shipped"))
    st.plotly_chart(LF.ranking_chart(r, lang), key="lab_rank")
    st.caption(LV.heldout_text(model, batch, lang))
    best = LV.top_units(r)
    if best:
        st.button(tr("lab.use_top", units=", ".join(map(str, best))), on_click=LV.use_units,
                  args=(st.session_state, best), key="lab_use_top")
    with st.expander(tr("lab.rank_table")):
        st.dataframe(LV.rank_frame(r, lang), hide_index=True)

elif exp == "intervene":
    kinds = tuple(causal.INTERVENTIONS) if model.kind == "lstm" else ("silence",)
    if st.session_state.get(keys.LAB_IV_KIND) not in kinds:
        st.session_state[keys.LAB_IV_KIND] = kinds[0]
    c1, c2 = st.columns([2, 3])
    kind = c1.radio(tr("lab.iv_kind"), kinds, key=keys.LAB_IV_KIND, format_func=lambda k: tr(f"lab.iv.{k}"))
    every = c2.checkbox(tr("lab.iv_all_units"), key=keys.LAB_IV_ALL)
    with c2:
        units = None if every else units_box(keys.LAB_IV_UNITS, tr("lab.units"))
        rng_steps = steps_slider(keys.LAB_IV_STEPS, tr("lab.iv_steps"))
    if units is not None and not units:
        st.info(tr("lab.pick_units"))
        st.stop()
    with st.spinner(tr("lab.running", n=batch.inputs.shape[1], runs=2 + LV.DRAWS)):
        res = LV.intervene(spec, model, kind, None if units is None else tuple(sorted(units)), rng_steps)
    st.markdown(LV.intervene_text(res, lang))
    if below := LV.below_chance_text(spec, model, res["base"], res["chance"], lang):
        st.markdown(below)
    st.plotly_chart(LF.intervention_chart(res, lang), key="lab_iv")
    st.caption(LV.heldout_text(model, batch, lang))

else:   # patch
    what_opts = (("cell",), ("hidden",), ("cell", "hidden")) if model.kind == "lstm" else (("hidden",),)
    follow_widget(keys.LAB_PATCH_DONOR, LV.donor_text(model, raw, mode))
    donor_text = st.text_area(tr("lab.donor"), key=keys.LAB_PATCH_DONOR, height=68, help=tr("lab.donor_help"))
    try:
        d_inputs = model_source.read_input(donor_text, mode, "onehot_model" if model.meta.get("vocab") else view.enc,
                                           seed=view.model.seed, model=model, limit=SM.PAGE_STEPS)
    except ValueError as err:
        st.error(tr("lab.bad_donor", reason=state.md_escape(err.message(lang) if hasattr(err, "message") else err)))
        st.stop()
    Xd = np.asarray(d_inputs.encoded.X, dtype=model.dtype)
    top = min(T, len(Xd))
    c1, c2, c3 = st.columns([1, 2, 2])
    fit_widget(keys.LAB_PATCH_STEP, 1, top, max(1, min(top, (answer_at + 1) // 2)))
    pstep = int(c1.number_input(tr("lab.patch_step"), 1, top, key=keys.LAB_PATCH_STEP))
    with c2:
        every = st.checkbox(tr("lab.iv_all_units"), key=keys.LAB_PATCH_ALL)
        units = list(range(H)) if every else units_box(keys.LAB_PATCH_UNITS, tr("lab.units"))
    labels = {("cell",): "c", ("hidden",): "h", ("cell", "hidden"): "c + h"}
    if st.session_state.get(keys.LAB_PATCH_WHAT) not in [labels[w] for w in what_opts]:
        st.session_state[keys.LAB_PATCH_WHAT] = labels[what_opts[0]]
    what_label = c3.radio(tr("lab.patch_what"), [labels[w] for w in what_opts], key=keys.LAB_PATCH_WHAT,
                          horizontal=True)
    what = next(w for w in what_opts if labels[w] == what_label)
    if not units:
        st.info(tr("lab.pick_units"))
        st.stop()
    res = LV.patch(spec, model, X, Xd, pstep - 1, sorted(units), what)
    st.markdown(LV.patch_text(res, raw, expected, answer_at, lang))
    later, mark = list(range(pstep, T + 1)), None if every else units[0]
    if res["d_cell"] is not None:
        st.plotly_chart(LF.diff_heatmap(res["d_cell"], later, raw[pstep - 1:], "c", lang, unit=mark,
                                        changed=res["changed"]), key="lab_patch_c")
    st.plotly_chart(LF.diff_heatmap(res["d_hidden"], later, raw[pstep - 1:], "h", lang, unit=mark,
                                    changed=res["changed"]), key="lab_patch_h")
    if batch is not None and model.output == "softmax" and pstep <= Tb:
        with st.spinner(tr("lab.running", n=batch.inputs.shape[1], runs=3)):
            pb = LV.patch_batch(spec, model, pstep - 1, tuple(sorted(units)), what)
        st.markdown(LV.patch_batch_text(pb, lang))
        st.caption(LV.heldout_text(model, batch, lang))
