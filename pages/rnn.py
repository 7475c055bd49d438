"""The plain RNN: its equation, unrolled over the reader's sequence, and how fast the first token fades."""
import streamlit as st

from ui import keys
from ui import predictions as P
from ui import shown_model as SM
from ui import teaching_pages as TP
from ui.app import setup
from ui.figures import teaching as TF
from ui.sentences import share_sentence
from ui.widgets import fit_widget

ctx = setup("rnn")
tr, lang, view = ctx.tr, ctx.lang, ctx.view

st.title(tr("rnn.title"))
st.markdown(tr("rnn.intro"))
st.latex(r"h' = \tanh\left(W_h\,h + W_x\,x + b\right) \qquad y = \operatorname{softmax}\left(W_y\,h'\right)")
st.markdown(tr("rnn.symbols"))

shown, trained = SM.page_model(ctx, ("rnn",))
SM.show_line(ctx, shown, trained)
if trained is None:           # random weights of the sidebar's hidden size and seed
    tokens, X = TP.sequence_input(ctx)
    raw = tokens
    model, trace = TP.run("rnn", X, shown.spec.hidden, shown.spec.seed)
    st.caption(tr("teach.model_note", cell="RNN", inputs=X.shape[1], hidden=model.hidden_size,
                  seed=shown.spec.seed, params=model.param_count()))
else:
    tokens, raw, X, note = SM.page_input(ctx, shown, trained)
    if note:
        st.caption(note)
    model, trace = trained, SM.forward(shown, trained, X)
H = model.hidden_size

st.subheader(tr("rnn.unrolled"))
st.markdown(tr("rnn.unrolled_text"))
fit_widget(keys.RNN_UNIT, 0, H - 1, min(view.unit, H - 1))
unit = st.slider(tr("teach.unit"), 0, max(H - 1, 1), key=keys.RNN_UNIT, disabled=H == 1)
if unit != view.unit:
    ctx.update(unit=unit)
st.plotly_chart(TF.unrolled_diagram(tokens, lang, values=trace["hidden"][:, unit], max_steps=10))

st.subheader(tr("rnn.heat"))
st.markdown(tr("rnn.heat_text"))
# h over time, stepped in the browser with h = tanh(…) at every step; a row clicked there moves the slider above
TP.trace_player(model, trace, tokens, raw, lang, key="rnn_player", unit=unit, unit_key=keys.RNN_UNIT)
P.show_table(st, model, trace, raw, lang)

st.subheader(tr("rnn.mix"))
st.markdown(tr("rnn.mix_text"))
fi = (TP.influence("rnn", X, shown.spec.hidden, shown.spec.seed) if trained is None
      else SM.influence(shown, trained, X))
if len(fi["share"]) < len(tokens):
    st.caption(tr("rnn.influence_cut", n=len(fi["share"]), hidden=H))
st.plotly_chart(TF.influence_heatmap(fi["matrix"], tokens[: len(fi["share"])], lang))
sentence = share_sentence(fi, lang)       # the share beside 1/(d+1), and the size itself, measured
if sentence:
    st.markdown(sentence)
st.plotly_chart(TF.share_chart(fi, lang))
st.info(tr("rnn.next"))
