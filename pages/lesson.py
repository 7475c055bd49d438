"""First lesson: write, hold, read — one LSTM unit, the student sets the gates and predicts before each reveal.

The arithmetic is ``ui.lesson`` (tested against lstm_core's LSTM); this script only wires widgets.
"""
import numpy as np
import streamlit as st

from lstm_core import notation
from ui import keys
from ui import lesson as L
from ui.app import setup
from ui.figures import lesson as figures
from ui.widgets import fit_widget, seed_widget

ctx = setup("lesson")
tr, lang = ctx.tr, ctx.lang

st.title(tr("lesson.title"))
st.markdown(tr("lesson.intro"))
st.latex(r"c^t = z^f \odot c^{t-1} + z^i \odot z \qquad h^t = z^o \odot \tanh(c^t) \qquad y = \sigma(W' h^T)")
st.caption(tr("lesson.fixed", dot=L.DOT, w=L.READOUT))

shown = st.session_state.setdefault(keys.LESSON_SHOWN, set())


def ask(qid, question, n_choices, answer_index):
    """A question with its choices; the answer (True) only after a guess and the reveal button."""
    st.markdown(question)
    guess = st.radio(tr("lesson.guess"), range(n_choices), index=None, key=keys.lesson_guess(qid),
                     format_func=lambda k: tr(f"lesson.q_{qid}.{k}"), horizontal=True)
    if qid not in shown:
        if st.button(tr("lesson.reveal"), key=f"lesson_reveal_{qid}", disabled=guess is None):
            shown.add(qid)
            st.rerun()
        if guess is None:
            st.caption(tr("lesson.guess_first"))
        return False
    if guess is not None:
        (st.success if guess == answer_index else st.info)(
            tr("lesson.you_right") if guess == answer_index else tr("lesson.you_wrong"))
    return True


# ------------------------------------------------------------ 1 write
st.subheader(tr("lesson.write"))
st.markdown(tr("lesson.write_text"))
c_write, right_write = L.answer_write(L.DEFAULT_DOTS)
if ask("write", tr("lesson.q_write"), 3, right_write):
    st.markdown(tr("lesson.a_write", c=c_write))

# ------------------------------------------------------------ 2 hold
st.subheader(tr("lesson.hold"))
st.markdown(tr("lesson.hold_text"))
left, right_hold = L.answer_hold()
if ask("hold", tr("lesson.q_hold", f=L.HOLD_FORGET, n=L.HOLD_STEPS), 4, right_hold):
    st.markdown(tr("lesson.a_hold", f=L.HOLD_FORGET, n=L.HOLD_STEPS, left=left, pct=f"{100 * left:.2g}%"))

# ------------------------------------------------------------ 3 read
st.subheader(tr("lesson.read"))
st.markdown(tr("lesson.read_text"))
y_read, right_read = L.answer_read(L.DEFAULT_DOTS)
read_run = L.run(L.set_step(L.preset("remember", L.DEFAULT_DOTS), L.DEFAULT_DOTS + 1, {"output": 0.0}), "A",
                 L.DEFAULT_DOTS)
if ask("read", tr("lesson.q_read"), 3, right_read):
    st.markdown(tr("lesson.a_read", y=y_read, c=float(read_run["cell"][-1]), h=float(read_run["hidden"][-1])))

# ------------------------------------------------------------ 4 your turn
st.subheader(tr("lesson.play"))
st.markdown(tr("lesson.play_text"))
c1, c2 = st.columns([3, 2])
seed_widget(keys.LESSON_SETTING, "remember")
seed_widget(keys.LESSON_DOTS, L.DEFAULT_DOTS)
setting = c1.radio(tr("lesson.setting"), L.SETTINGS, key=keys.LESSON_SETTING,
                   format_func=lambda s: tr(f"lesson.setting.{s}"))
dots = c2.slider(tr("lesson.dots"), L.MIN_DOTS, L.MAX_DOTS, key=keys.LESSON_DOTS)
rule = L.RULES[setting]
if rule != "free":
    st.caption(tr(f"lesson.rule.{rule}"))

# the gates the student set: start from the setting, follow the number of dots
held = st.session_state.get(keys.LESSON_GATES)
if held is None or held["setting"] != setting:
    held = {"setting": setting, "dots": dots, "gates": L.preset(setting, dots)}
elif held["dots"] != dots:
    held = {"setting": setting, "dots": dots, "gates": L.constrain(L.resize(held["gates"], dots), rule)}
st.session_state[keys.LESSON_GATES] = held
gates = held["gates"]

# predict before the reveal (the named settings; "my own" is a free playground)
revealed = setting == "own" or f"setting_{setting}" in shown
if not revealed:
    st.markdown(tr("lesson.q_setting", dots=dots))
    guess = st.radio(tr("lesson.guess"), range(2), index=None, key=keys.lesson_guess(f"setting_{setting}"),
                     format_func=lambda k: tr(f"lesson.q_setting.{k}"), horizontal=True)
    if st.button(tr("lesson.reveal"), key="lesson_reveal_setting", disabled=guess is None):
        shown.add(f"setting_{setting}")
        st.rerun()
    if guess is None:
        st.caption(tr("lesson.guess_first"))
    st.stop()

T = dots + 2
labels = [f"{k + 1} · {tok}" for k, tok in enumerate(L.tokens("A", dots))]
fit_widget(keys.LESSON_STEP, 0, T - 1, 0)
seed_widget(keys.LESSON_EVERY_DOT, True)
step = st.select_slider(tr("lesson.step"), options=range(T), format_func=lambda k: labels[k], key=keys.LESSON_STEP)
every = st.checkbox(tr("lesson.every_dot"), key=keys.LESSON_EVERY_DOT)
# the sliders show the chosen step's gates whenever the step, the setting or the dots change
where = (setting, dots, step)
if st.session_state.get(keys.LESSON_EDITED) != where:
    for g in L.GATES:
        st.session_state[keys.lesson_gate(g)] = float(gates[g][step])
    st.session_state[keys.LESSON_EDITED] = where
cols = st.columns(3)
values = {}
for col, g in zip(cols, L.GATES):
    fixed = (rule == "tie" and g == "input") or (rule == "no_forget" and g == "forget")
    values[g] = col.slider(tr("lesson.gate", sym=notation.symbol(g), t=step + 1), 0.0, 1.0, step=0.05,
                           key=keys.lesson_gate(g), disabled=fixed)
changed = L.constrain(L.set_step(gates, step, values, every_dot=every), rule)
if any(not np.allclose(changed[g], gates[g]) for g in L.GATES):
    st.session_state[keys.LESSON_GATES] = {"setting": setting, "dots": dots, "gates": changed}
    st.session_state[keys.LESSON_EDITED] = None     # the next run shows the values the rule gave (a tied gate)
    st.rerun()

result = L.lesson(gates, dots)
st.plotly_chart(figures.timeline(result, gates, lang, step=step), key="lesson_timeline")
for letter in L.LETTERS:
    r = result[letter]
    st.markdown(tr("lesson.stream", tokens=" ".join(r["tokens"]), c=float(r["cell"][-1]), h=float(r["hidden"][-1]),
                   y=r["y"], answer=tr(f"lesson.answer.{r['answer'] or 'none'}"), mark="✓" if r["right"] else "✗"))
(st.success if result["right"] else st.warning)(tr("lesson.right") if result["right"] else tr("lesson.wrong"))
untouched = all(np.allclose(gates[g], L.preset(setting, dots)[g]) for g in L.GATES)
if not untouched and st.button(tr("lesson.reset"), key="lesson_reset"):
    st.session_state[keys.LESSON_GATES] = None
    st.session_state[keys.LESSON_EDITED] = None
    st.rerun()
if untouched and setting in ("forget", "tie", "no_forget"):
    st.info(tr(f"lesson.tip.{setting}", dot=L.DOT))
st.markdown(tr("lesson.next"))
