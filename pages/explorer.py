"""Sequence explorer: type a sequence, step through time, see every gate and state.

Wiring only: parsing lives in ui.parsing, the forward pass in
ui.model_source (cached), stepping, heatmaps, the token strip and the
cell diagram in the browser (ui.player), the URL in ui.state.
"""
import streamlit as st

from lstm_core import WeightError
from lstm_core.notation import TRACE_VALUES
from ui import keys, model_source, practitioner_view, state
from ui import predictions as P
from ui import shown_model as SM
from ui.app import setup
from ui.errors import Problem
from ui.figures import arithmetic as explain
from ui.player.component import cached_data, player, position
from ui.widgets import fit_widget, seed_widget, sequence_box

# the explorer's own spacing: less room above the title, a smaller title (the player needs the height)
COMPACT_CSS = """<style>
[data-testid="stMainBlockContainer"] {padding-top: 2.6rem;}
[data-testid="stMainBlockContainer"] h1 {font-size: 2rem; padding: 0.2rem 0;}
@media (max-width: 768px) {[data-testid="stMainBlockContainer"] {padding-top: 4rem;}}
</style>"""

ctx = setup("explorer")
tr, lang, view = ctx.tr, ctx.lang, ctx.view

# One screen: at 1280 × 720 the player's controls, heatmaps and cell diagram show without scrolling the page,
# so what comes before it is short: the intro and the how-to fold into one expander beside the title, the
# notes on the input and the model go below the player.
st.html(COMPACT_CSS)
c_title, c_about = st.columns([3, 4], vertical_alignment="center")
c_title.title(tr("explorer.title"))
with c_about.expander(tr("explorer.howto.title"), expanded=False):
    st.markdown(tr("explorer.intro"))
    st.markdown(tr(f"explorer.howto.{ctx.view.model.cell}"))
practitioner_view.notice(ctx)          # an uploaded model without a vocabulary: said at the top, and how to give one


# ------------------------------------------------------------------ input
text, mode = sequence_box(view, lang, height=68, examples=True, dense=True)
if ctx.view.model.preset in model_source.preset_info():        # a shipped trained model: what to look at
    st.caption("🔎 " + tr("preset.look", look=model_source.preset_look(ctx.view.model.preset, lang)))

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
st.caption("🧠 " + SM.line_for(ctx, SM.Pick(view.model, "random" if ctx.model is None else "chosen"), ctx.model))
if error:
    st.error(tr("explorer.bad_input", reason=state.md_escape(error)))
    if run is None:
        st.stop()
    st.caption(tr("explorer.showing_previous"))

trace, tokens = run.trace, run.tokens
T, H, L, cell = trace.steps, trace.hidden_size, trace.num_layers, trace.cell
enc = run.encoded

if enc.encoding == "onehot_model":
    practitioner_view.vocab_panel(ctx.model, enc.unknown, lang)   # the model's vocabulary, unknown tokens marked

fitted, problems = state.fit_step(view, T, H)
for p in problems:
    st.warning(tr(p.key, **p.params))
if fitted != view:
    ctx.update(t=fitted.t, unit=fitted.unit)

# ------------------------------------------------------------------ what to show
names = TRACE_VALUES[cell]
player_box = st.container()       # the player goes here, above the controls that choose what it shows
c_unit, c_top, c_layer, _ = st.columns(4)    # the widths they had beside the strip's colour, now the player's
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
# what colours the token strip is the player's own select; it starts at what a picked trained model's hint
# names (ui.model_picker), else at h
color_by = st.session_state.get(keys.COLOR_HINT)
if fitted.unit != unit:
    ctx.update(unit=unit)

# ------------------------------------------------------------------ time: stepped in the browser by the player
def player_moved():
    """The player reports where the reader stopped (on pause, or 300 ms after the last step): into the URL."""
    pos = position("player")
    if pos:
        st.session_state[keys.UNIT] = pos["unit"]
        ctx.update(t=pos["t"], unit=pos["unit"])


top, expected = P.for_player(ctx.model, trace, tokens)
data = cached_data(run, lang=lang, layer=layer_ix, predictions=top, expected=expected)
with player_box:
    player(data, key="player", t=ctx.view.t, unit=unit, rows=units, color_by=color_by, trace=trace,
           on_change=player_moved, file_name="lstm-explorer.html")

# ------------------------------------------------------------------ what the model predicts, every step in a table
P.show_table(st, ctx.model, trace, tokens, lang)   # the step shown is in the player, beside y^t

# ------------------------------------------------------------------ about the input and the model (below the player)
st.caption((practitioner_view.enc_note(enc, ctx.model, lang) or
            tr(f"explorer.enc_note.{enc.encoding}", n=len(enc.vocab or ()), dim=enc.X.shape[1],
               unknown=len(enc.unknown or ()))) + " " +
           tr("model.describe", cell=cell.upper(), hidden=H, layers=L, inputs=run.model["input_size"],
              params=f"{run.model['params']:,}"))
practitioner_view.directions_note(trace, lang)
if ctx.model is not None and ctx.model.meta.get("ignored"):
    st.caption(tr("vocab.ignored", names=state.md_escape(", ".join(ctx.model.meta["ignored"][:12]))))

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
