"""The GRU: its equations beside the LSTM's, parameter counts, and its gates on the reader's sequence."""
import streamlit as st

from lstm_core import analysis
from ui import glossary, keys
from ui import predictions as P
from ui import shown_model as SM
from ui import teaching_pages as TP
from ui.app import setup
from ui.figures import teaching as TF
from ui.widgets import follow_widget

ctx = setup("gru")
tr, lang, view = ctx.tr, ctx.lang, ctx.view

st.title(tr("gru.title"))
st.markdown(tr("gru.intro"))
left, right = st.columns(2)
with left:
    st.markdown(f"**{tr('gru.eq_gru')}**")
    st.latex(r"""\begin{aligned}
r &= \sigma(W_r\,[x^t, h^{t-1}] + b_r) \\
u &= \sigma(W_u\,[x^t, h^{t-1}] + b_u) \\
\tilde{n} &= \tanh(W_{nx}\,x^t + b_{nx} + r \odot (W_{nh}\,h^{t-1} + b_{nh})) \\
h^t &= (1 - u) \odot \tilde{n} + u \odot h^{t-1}
\end{aligned}""")
with right:
    st.markdown(f"**{tr('gru.eq_lstm')}**")
    st.latex(r"""\begin{aligned}
z^f,\ z^i,\ z^o &= \sigma(W_{f,i,o}\,[x^t, h^{t-1}] + b_{f,i,o}) \\
z &= \tanh(W_z\,[x^t, h^{t-1}] + b_z) \\
c^t &= z^f \odot c^{t-1} + z^i \odot z \\
h^t &= z^o \odot \tanh(c^t)
\end{aligned}""")
st.markdown(tr("gru.eq_text"))
with st.expander(tr("glossary.fw")):          # where a practitioner looks: the same blocks in PyTorch and Keras
    st.markdown(tr("glossary.fw_text"))
    for kind in ("gru", "lstm"):
        st.markdown(f"**{tr(f'glossary.fw_{kind}')}**")
        st.markdown(glossary.framework_markdown(kind, lang))
    st.caption(tr("glossary.fw_gru_note"))

shown, trained = SM.page_model(ctx, ("gru",))
SM.show_line(ctx, shown, trained)
if trained is None:           # random weights of the sidebar's hidden size and seed
    tokens, X = TP.sequence_input(ctx)
    raw, note = tokens, None
else:
    tokens, raw, X, note = SM.page_input(ctx, shown, trained)
hidden_shown = shown.spec.hidden if trained is None else trained.hidden_size

st.subheader(tr("gru.params"))
c1, c2, _ = st.columns([1, 1, 2])
follow_widget(keys.GRU_INPUTS, int(X.shape[1]))     # follows the encoding's width …
follow_widget(keys.GRU_HIDDEN, int(hidden_shown))    # … and the hidden size of the model shown
inputs = c1.number_input(tr("gru.inputs"), 1, 10_000, key=keys.GRU_INPUTS)
hidden = c2.number_input(tr("gru.hidden"), 1, 1024, key=keys.GRU_HIDDEN)
counts = analysis.param_counts(int(inputs), int(hidden), view.model.layers)
st.plotly_chart(TF.params_chart(counts, lang, int(inputs), int(hidden)))
st.markdown(tr("gru.params_text", **counts))

st.subheader(tr("gru.heat"))
st.markdown(tr("gru.heat_text"))
if trained is None:
    model, trace = TP.run("gru", X, shown.spec.hidden, shown.spec.seed)
    st.caption(tr("teach.model_note", cell="GRU", inputs=X.shape[1], hidden=shown.spec.hidden, seed=shown.spec.seed,
                  params=model.param_count()))
else:
    model, trace = trained, SM.forward(shown, trained, X)
    if note:
        st.caption(note)
# r, u, ñ and h stacked over time, stepped in the browser with the cell diagram and its numbers at every step
TP.trace_player(model, trace, tokens, raw, lang, key="gru_player")
P.show_table(st, model, trace, raw, lang)
