"""Sequence explorer: type a sequence, step through time, see every gate and state.

Wiring only: parsing lives in ui.parsing, the forward pass in
ui.model_source (cached), charts in ui.figures.sequence, the cell
arithmetic in ui.figures.arithmetic, the URL in ui.state.
"""
import streamlit as st

from lstm_core import WeightError
from lstm_core.notation import TRACE_VALUES
from ui import keys, model_source, parsing, practitioner_view, state
from ui.app import setup
from ui.errors import Problem
from ui.figures import arithmetic as explain
from ui.figures import sequence as figures
from ui.figures.step_view import StepFigures
from ui.i18n import catalogue
from ui.widgets import fit_widget, seed_widget, sequence_box

ctx = setup("explorer")
tr, lang, view = ctx.tr, ctx.lang, ctx.view

st.title(tr("explorer.title"))
st.markdown(tr("explorer.intro"))
if ctx.view.model.preset in model_source.preset_info():        # a shipped trained model: what to look at
    st.info(tr("preset.look", look=model_source.preset_info()[ctx.view.model.preset]["look"][lang]), icon="🔎")
with st.expander(tr("explorer.howto.title"), expanded=False):
    st.markdown(tr(f"explorer.howto.{ctx.view.model.cell}"))
practitioner_view.notice(ctx)          # an uploaded model without a vocabulary: said at the top, and how to give one


# ------------------------------------------------------------------ input
text, mode = sequence_box(view, lang, height=90, examples=True)

# ------------------------------------------------------------------ forward pass (cached)
error = None
try:
    run = model_source.cached_run(ctx.view.model, text, mode, view.enc, _model=ctx.model)
    st.session_state[keys.GOOD_RUN] = run
    ctx.update(seq=text, mode=mode)
except Problem as err:
    error = err.message(lang)
except (WeightError, ValueError) as err:
    error = tr("explorer.does_not_fit", reason=err)
run = st.session_state.get(keys.GOOD_RUN)
if error:
    st.error(tr("explorer.bad_input", reason=state.md_escape(error)))
    if run is None:
        st.stop()
    st.caption(tr("explorer.showing_previous"))

trace, tokens = run.trace, run.tokens
T, H, L, cell = trace.steps, trace.hidden_size, trace.num_layers, trace.cell
enc = run.encoded
st.caption(tr(f"explorer.enc_note.{enc.encoding}", n=len(enc.vocab or ()), dim=enc.X.shape[1],
              unknown=len(enc.unknown or ())) + " " +
           tr("model.describe", cell=cell.upper(), hidden=H, layers=L, inputs=run.model["input_size"],
              params=f"{run.model['params']:,}"))

if enc.encoding == "onehot_model":
    practitioner_view.vocab_panel(ctx.model, enc.unknown, lang)   # the model's vocabulary, unknown tokens marked
practitioner_view.directions_note(trace, lang)
if ctx.model is not None and ctx.model.meta.get("ignored"):
    st.caption(tr("vocab.ignored", names=state.md_escape(", ".join(ctx.model.meta["ignored"][:12]))))

fitted, problems = state.fit_step(view, T, H)
for p in problems:
    st.warning(tr(p.key, **p.params))
if fitted != view:
    ctx.update(t=fitted.t, unit=fitted.unit)

# ------------------------------------------------------------------ what to show
names = TRACE_VALUES[cell]


def value_label(name):
    return tr("explorer.value.candidate_gru" if (cell, name) == ("gru", "candidate") else f"explorer.value.{name}")


c_unit, c_top, c_by, c_layer = st.columns(4)
layer_ix = L - 1
if L > 1:
    if st.session_state.get(keys.LAYER) not in range(L):
        st.session_state[keys.LAYER] = L - 1
    layer_ix = c_layer.selectbox(tr("explorer.layer"), range(L), key=keys.LAYER,
                                 format_func=lambda k: tr("explorer.layer_n", n=k + 1))
layer = trace.layers[layer_ix]
fit_widget(keys.UNIT, 0, H - 1, ctx.view.unit)
unit = int(c_unit.number_input(tr("explorer.unit"), 0, H - 1, step=1, key=keys.UNIT, help=tr("explorer.unit_help")))
seed_widget(keys.TOPK_ON, H > 32)
top_on = c_top.toggle(tr("explorer.topk"), key=keys.TOPK_ON, help=tr("explorer.topk_help"))
units = None
if top_on:
    fit_widget(keys.TOPK_K, 1, H, 16)
    k = c_top.slider(tr("explorer.topk_k"), 1, max(H, 2), key=keys.TOPK_K)
    by = c_top.radio(tr("explorer.topk_by"), ("variation", "activity"), key=keys.TOPK_BY, horizontal=True,
                     format_func=lambda b: tr(f"explorer.topk_by.{b}"))
    units = sorted(explain.top_units(layer, k, by=by, names=names))
    if unit not in units:
        units = sorted(set(units) | {unit})
if st.session_state.get(keys.COLOR_BY) not in names:
    st.session_state[keys.COLOR_BY] = "hidden"
color_by = c_by.selectbox(tr("explorer.color_by"), names, key=keys.COLOR_BY,
                        format_func=lambda n: value_label(n))
if fitted.unit != unit:
    ctx.update(unit=unit)

seed_widget(keys.ANIMATION, "step")
c_view, c_play = st.columns([3, 1], vertical_alignment="bottom")
anim = c_view.segmented_control(tr("explorer.view"), ("step", "animate"), key=keys.ANIMATION,
                                format_func=lambda v: tr(f"explorer.view.{v}"))


# ------------------------------------------------------------------ time (server-side stepping)
def press(action):
    st.session_state[keys.STEP] = state.move(st.session_state[keys.STEP], action, T)


def set_playing(on):
    """Play and pause are two buttons that set, not toggle, the state: a click Streamlit happens to
    deliver twice (a timer tick racing it) cannot undo itself. They sit outside the fragment, so a
    click reruns the page, which re-creates the fragment with or without its timer (run_every)."""
    st.session_state[keys.PLAYING] = on
    if on and st.session_state.get(keys.STEP, 1) >= T:
        st.session_state[keys.STEP] = 0   # the first tick shows step 1


def jump_to_token():
    points = (st.session_state.get("strip") or {}).get("selection", {}).get("points") or []
    if points:
        data = points[0].get("customdata")
        data = data[0] if isinstance(data, (list, tuple)) else data
        if data is not None:
            st.session_state[keys.STEP] = min(max(int(data) + 1, 1), T)


def stage_label(stage):
    key = f"explorer.stage.{stage}"
    return tr(key) if key in catalogue(lang) else stage


playing = st.session_state.get(keys.PLAYING, False) and anim != "animate"
if anim != "animate":
    if playing:
        c_play.button(tr("explorer.pause"), on_click=set_playing, args=(False,), key="b_pause", width="stretch")
    else:
        c_play.button(tr("explorer.play"), on_click=set_playing, args=(True,), key="b_play", width="stretch",
                      type="primary")
step_figs = st.session_state.setdefault(keys.STEP_FIGURES, StepFigures())   # per session: moves cursors only


@st.fragment(run_every=0.8 if playing else None)
def step_view():
    now = st.session_state.get(keys.STEP, ctx.view.t)
    if playing:   # one step per tick; stop at the end
        if now >= T:
            st.session_state[keys.PLAYING] = False
            st.rerun()
        now += 1
    st.session_state[keys.STEP] = min(max(now, 1), T)
    buttons = st.columns([1, 1, 1, 1, 4])
    for col, action in zip(buttons, ("first", "prev", "next", "last")):
        col.button(tr(f"explorer.{action}"), on_click=press, args=(action,), key=f"b_{action}", width="stretch")
    t = st.slider(tr("explorer.step"), 1, max(T, 2), key=keys.STEP, disabled=T < 2)
    t = min(t, T)
    s = t - 1
    ctx.update(t=t)
    token = state.md_escape(parsing.display_token(tokens[s]))
    st.markdown(tr("explorer.now", t=t, steps=T, token=token, unit=unit))

    heat = step_figs.heatmaps(run, layer_ix, names, units, lang, s)
    if trace.directions == 2:        # rows →j (reads left to right) and ←j (right to left)
        practitioner_view.label_directions(heat, H)
    st.plotly_chart(heat, key="heatmaps", width="stretch")
    st.caption(tr("explorer.strip_help", unit=unit, value=value_label(color_by)))
    st.plotly_chart(step_figs.strip(run, layer_ix, unit, color_by, lang, s), key="strip",
                    on_select=jump_to_token, selection_mode="points", width="stretch")
    fig_col, text_col = st.columns([3, 2])
    fig_col.plotly_chart(step_figs.cell(run, layer_ix, unit, lang, s), key="cell", width="stretch")
    with text_col:
        st.markdown("**" + tr("explorer.arithmetic", unit=unit, t=t) + "**")
        for stage, line in explain.arithmetic_lines(trace, s, unit, layer=layer_ix):
            st.markdown(f"**{stage_label(stage)}** — `{line}`")
    if ctx.view.model.upload:        # an uploaded model's head: top 5 next tokens, or its classes at the last step
        practitioner_view.prediction_panel(ctx.model, run, s, lang)


if anim == "animate":
    st.caption(tr("explorer.animate_help"))
    st.plotly_chart(figures.animated_stack(layer, names, tokens, cell, lang, units=units, t0=ctx.view.t - 1),
                    key="animated", width="stretch")
else:
    step_view()

# ------------------------------------------------------------------ export
st.divider()
st.subheader(tr("explorer.export"))
e1, e2 = st.columns(2)
e1.download_button(tr("explorer.export_npz"), data=lambda: model_source.trace_npz(run), file_name="trace.npz",
                   mime="application/octet-stream", key="dl_npz", on_click="ignore")
rows = model_source.csv_rows(run)
e2.download_button(tr("explorer.export_csv"), data=lambda: model_source.trace_csv_bytes(run), file_name="trace.csv",
                   mime="text/csv", key="dl_csv", on_click="ignore", disabled=rows > model_source.CSV_MAX_ROWS,
                   help=tr("explorer.export_csv_too_big", rows=f"{rows:,}", limit=f"{model_source.CSV_MAX_ROWS:,}")
                   if rows > model_source.CSV_MAX_ROWS else None)
st.caption(tr("explorer.export_help"))
