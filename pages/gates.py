"""Gate statistics: how often each gate unit of the sidebar's model is saturated on the sequence."""
import streamlit as st

from lstm_core import analysis, notation
from ui import keys
from ui import predictions as P
from ui import shown_model as SM
from ui import teaching_pages as TP
from ui.app import setup
from ui.figures import teaching as TF

ctx = setup("gates")
tr, lang, view = ctx.tr, ctx.lang, ctx.view

st.title(tr("gates.title"))
st.markdown(tr("gates.intro"))
# Gates only commit once trained: while the sidebar has random weights the page opens on the language model
# (Karpathy et al. 2015 measured saturation on character models), with a switch back to the random weights.
shown, trained = SM.page_model(ctx, ("lstm", "gru"), default=SM.default_example("gates", lang),
                               switch_key=keys.GATES_WEIGHTS)
if trained is None and view.model.cell == "rnn":
    st.info(tr("gates.rnn"))
    st.stop()
SM.show_line(ctx, shown, trained)
if trained is None:
    text, mode, trace = TP.model_run(ctx)
    raw = None
else:
    tokens, raw, X, note = SM.page_input(ctx, shown, trained)
    if note:
        st.caption(note)
    trace = SM.forward(shown, trained, X)
cell, H, L = trace.cell, trace.hidden_size, trace.num_layers

c1, c2, c3 = st.columns(3)
low = c1.slider(tr("gates.low"), 0.01, 0.49, 0.1, 0.01, key=keys.GATES_LOW)
high = c2.slider(tr("gates.high"), 0.51, 0.99, 0.9, 0.01, key=keys.GATES_HIGH)
layer = c3.selectbox(tr("gates.layer"), range(L), index=L - 1, key=keys.GATES_LAYER, format_func=lambda k: str(k + 1),
                     disabled=L == 1)
sat = analysis.gate_saturation(trace, low, high, layer=layer)
st.plotly_chart(TF.saturation_chart(sat, lang, low, high))
for gate, v in sat.items():
    st.markdown("- " + tr("gates.summary", gate=f"${notation.symbol(gate)}$", H=H, **TP.saturation_counts(v)))
if trained is None:
    st.caption(tr("gates.random"))
with st.expander(tr("gates.table")):
    st.dataframe(TP.saturation_table(sat, lang))
if raw is not None:
    P.show_table(st, trained, trace, raw, lang)
