"""One LSTM step by hand: sliders for x^t, h^(t-1), c^(t-1) and the gate biases; every stage with its numbers."""
import numpy as np
import streamlit as st

from lstm_core import analysis
from ui import keys
from ui import teaching_pages as TP
from ui.app import setup
from ui.figures import arithmetic as explain
from ui.sentences import carry_lines

ctx = setup("lstm_cell")
tr, lang, view = ctx.tr, ctx.lang, ctx.view

st.title(tr("cell.title"))
st.markdown(tr("cell.intro"))
st.latex(r"c^t = z^f \odot c^{t-1} + z^i \odot z \qquad h^t = z^o \odot \tanh(c^t) \qquad y^t = \sigma(W' h^t)")

n = st.radio(tr("cell.units"), [1, 2, 3, 4], index=1, horizontal=True, key=keys.CELLPAGE_UNITS)
left, right = st.columns(2)
with left:
    st.markdown(f"**{tr('cell.inputs')}**")
    x = st.slider(tr("cell.x"), -2.0, 2.0, 1.0, 0.1, key=keys.CELLPAGE_X)
    h_prev = np.array([st.slider(tr("cell.h_prev", j=j), -1.0, 1.0, 0.0, 0.05, key=keys.cellpage_h0(j))
                       for j in range(n)])
    c_prev = np.array([st.slider(tr("cell.c_prev", j=j), -3.0, 3.0, 0.5, 0.1, key=keys.cellpage_c0(j))
                       for j in range(n)])
with right:
    st.markdown(f"**{tr('cell.biases')}**")
    b = {g: st.slider(tr(f"cell.b_{k}"), -4.0, 4.0, v, 0.1, key=keys.cellpage_bias(k))
         for g, k, v in (("forget", "f", 1.0), ("input", "i", 0.0), ("candidate", "z", 0.0), ("output", "o", 0.0))}

model = analysis.hand_set_lstm(n, seed=view.model.seed, **b)
trace = model.forward(np.array([[x]]), h0=h_prev[None], c0=c_prev[None])

with st.expander(tr("cell.weights")):
    st.markdown(tr("cell.weights_text"))
    st.dataframe(TP.weight_table(model, lang))

st.subheader(tr("cell.s1"))
vec = ", ".join(explain.fmt(v) for v in np.concatenate([[x], h_prev]))
st.markdown(tr("cell.s1_text", vec=f"[{vec}]"))

st.subheader(tr("cell.s2"))
st.markdown(tr("cell.s2_text"))
st.dataframe(TP.gate_table(trace, lang))

lines = [dict(explain.arithmetic_lines(trace, 0, j)) for j in range(n)]
for title, text, stages in (("cell.s3", "cell.s3_text", ("forget",)),
                          ("cell.s4", "cell.s4_text", ("input", "candidate", "memorize")),
                          ("cell.s5", "cell.s5_text", ("output_gate", "output"))):
    st.subheader(tr(title))
    st.markdown(tr(text))
    st.code("\n".join(f"{tr('cell.unit_line', j=j)}:  " + "   ".join(
        [lines[j][k] for k in stages] + ([TP.kept_line(trace, j)] if stages == ("forget",) else []))
        for j in range(n)), language=None)

st.subheader(tr("cell.tip"))
st.markdown(tr("cell.tip_text"))
st.code(carry_lines(trace, n, lang), language=None)

st.subheader(tr("cell.diagram"))
shown = st.radio(tr("cell.diagram_unit"), range(n), horizontal=True, key=keys.CELLPAGE_DRAW) if n > 1 else 0
st.plotly_chart(TP.cell_diagram(trace, 0, shown, lang))

st.subheader(tr("cell.why"))
st.markdown(tr("cell.why_text"))
