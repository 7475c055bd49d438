"""Long-term memory: RNN, GRU and LSTM side by side — gradient flow, state change, recall vs gap, interventions."""
import streamlit as st

from lstm_core import analysis
from ui import keys
from ui import shown_model as SM
from ui import teaching_pages as TP
from ui.app import setup
from ui.clipping import clip_switch
from ui.figures import teaching as TF
from ui.sentences import input0_sentence
from ui.widgets import fit_widget

ctx = setup("memory")
tr, lang, view = ctx.tr, ctx.lang, ctx.view

st.title(tr("mem.title"))
intro = st.empty()              # said once the page knows which models it compares
# trained cells by default (the sidebar's model and the shipped examples of the other kinds for its task);
# the random trio of the sidebar's size and seed on request, or when nothing trained fits
models, main = SM.trio(ctx, keys.MEM_WEIGHTS)
intro.markdown(tr("mem.intro" if models is None else "mem.intro_trained"))
if models is None:
    SM.show_line(ctx, SM.Pick(view.model.with_(cell="lstm"), "random"), None)
    tokens, X = TP.sequence_input(ctx)
    st.caption(tr("mem.model_note", inputs=X.shape[1], hidden=view.model.hidden, seed=view.model.seed))
else:
    SM.show_trio(ctx, models, main)
    tokens, raw, X, note = SM.page_input(ctx, *models[main])
    if note:
        st.caption(note)
    traces = {k: SM.forward(p, m, X) for k, (p, m) in models.items()}

# ------------------------------------------------------------ gradients
st.subheader(tr("mem.grad"))
st.markdown(tr("mem.grad_text"))
scale = st.select_slider(tr("mem.scale"), [0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0], value=1.0,
                         key=keys.MEM_SCALE, help=tr("mem.scale_help"))
if models is None:
    res = TP.compare(X, view.model.hidden, view.model.seed, view.model.forget_bias, scale)
    flows = {k: r["gradient"] for k, r in res.items()}
else:
    flows = {k: SM.gradient_flow(p, m, X, scale) for k, (p, m) in models.items()}
st.plotly_chart(TF.gradient_chart(clip_switch(ctx, flows, scale), lang))
if set(flows) == set(SM.ORDER):
    first = {k: TP.sci(f["grad_hidden"][0]) for k, f in flows.items()}
    st.markdown(tr("mem.grad_numbers", **first, lstm_c=TP.sci(flows["lstm"]["grad_cell"][0])))
if "lstm" in flows:
    st.markdown(tr("mem.forget_text"))
    if models is None:        # the sidebar's forget-gate bias exists for random weights only
        st.caption(tr("mem.forget_bias_hint"))

# ------------------------------------------------------------ c vs h
st.subheader(tr("mem.change"))
st.markdown(tr("mem.change_text"))
if models is None:
    base = TP.compare(X, view.model.hidden, view.model.seed, view.model.forget_bias, 1.0)
    changes = {k: r["change"] for k, r in base.items()}
else:
    changes = {k: analysis.state_change(tr_) for k, tr_ in traces.items()}
st.plotly_chart(TF.change_chart(changes, lang))
if set(changes) == set(SM.ORDER):
    st.markdown(tr("mem.change_numbers", c=TP.percent(changes["lstm"]["cell_rel"].mean()),
                   h=TP.percent(changes["lstm"]["hidden_rel"].mean()),
                   gru=TP.percent(changes["gru"]["hidden_rel"].mean()),
                   rnn=TP.percent(changes["rnn"]["hidden_rel"].mean())))
elif "lstm" in changes:
    st.markdown(tr("mem.change_lstm", c=TP.percent(changes["lstm"]["cell_rel"].mean()),
                   h=TP.percent(changes["lstm"]["hidden_rel"].mean())))
table = SM.change_table()
if table:
    st.markdown(SM.change_verdict(table, lang))
    with st.expander(tr("mem.change_table")):
        st.dataframe(SM.change_frame(table, lang), hide_index=True)

# ------------------------------------------------------------ recall vs gap
st.subheader(tr("mem.recall"))
st.markdown(tr("mem.recall_text"))
sweep = TP.recall_sweep()          # precomputed over seeds (lstm_core/presets/recall_sweep.json)
if sweep is not None:
    st.plotly_chart(TF.recall_chart(sweep["results"], lang, chance=sweep["chance"]), key="mem_recall_sweep")
    st.caption(TP.sweep_caption(sweep, lang))
    st.markdown(TP.sweep_numbers(sweep, lang))
pre = TP.recall_presets()
if pre is not None:
    s = pre["settings"]
    st.markdown(tr("mem.recall_trained"))
    st.plotly_chart(TF.recall_chart(pre["results"], lang, chance=pre["chance"]), key="mem_recall_presets")
    st.caption(tr("mem.recall_presets", hidden=s["hidden"], lo=s["trained_gaps"][0], hi=s["trained_gaps"][1],
                  n=s["n"], symbols=s["symbols"], chance=pre["chance"]))
    for line in TP.below_chance_lines(pre, lang):
        st.markdown(line)

# ------------------------------------------------------------ interventions
st.subheader(tr("mem.interv"))
st.markdown(tr("mem.interv_text"))
if models is None:
    lstm = base["lstm"]["model"]
elif "lstm" in models:
    lstm = models["lstm"][1]
else:          # nothing trained with a cell state: the interventions act on a random LSTM of the sidebar's size
    st.caption(tr("mem.interv_random"))
    lstm = TP.run("lstm", X, view.model.hidden, view.model.seed, view.model.forget_bias)[0]
st.page_link("pages/lab.py", label=tr("mem.to_lab"), icon="🧪", query_params={"lang": lang})
T, H = X.shape[0], lstm.hidden_size
c1, c2, c3 = st.columns([2, 1, 2])
kind = c1.radio(tr("mem.interv_kind"), TP.INTERVENTIONS, key=keys.MEM_INTERVENTION,
                format_func=lambda k: tr(f"mem.iv.{k}"))
fit_widget(keys.MEM_UNIT, 0, H - 1, min(view.unit, H - 1))
unit = c2.number_input(tr("mem.interv_unit"), 0, H - 1, key=keys.MEM_UNIT, disabled=kind != "silence")
fit_widget(keys.MEM_STEPS, 1, T, (1, T))
a, b = c3.slider(tr("mem.interv_steps"), 1, T, key=keys.MEM_STEPS) if T > 1 else (1, 1)
effect = analysis.intervention_effect(lstm, X, TP.overrides(kind, int(unit), (a - 1, b)))
st.markdown(tr(f"mem.iv_explain.{kind}"))
if kind == "input0":          # what shutting z^i did here, measured (empty from step 1; fading later)
    st.markdown(input0_sentence(effect, a, b, lang))
st.plotly_chart(TF.effect_chart(effect, lang))
if effect["output"] is None:
    st.caption(tr("mem.interv_output"))
st.markdown(tr("mem.interv_numbers", mem=f"{effect['memory'][-1]:.3g}", hid=f"{effect['hidden'][-1]:.3g}",
               size=f"{effect['memory_size'][-1]:.3g}"))
before, after = TP.heatmap_pair(effect["base"]["cell"], effect["changed"]["cell"], tokens, "cell", lang)
left, right = st.columns(2)
left.markdown(f"**{tr('mem.cell_before')}**")
left.plotly_chart(before, key="mem_c_before")
right.markdown(f"**{tr('mem.cell_after')}**")
right.plotly_chart(after, key="mem_c_after")
