"""Corpus: a model over a whole text - a unit's top contexts, pattern search, the states as .npz.

Wiring only: the corpus's tokens and the model's ids in ui.corpus_view, the run and the
searches in lstm_core.corpus.
"""
import hashlib

import numpy as np
import streamlit as st

from lstm_core import corpus
from ui import corpus_view, keys, model_source, practitioner_view, state
from ui.app import setup
from ui.errors import Problem
from ui.parsing import display_token
from ui.widgets import fit_widget, sequence_box

ctx = setup("corpus")
tr, lang, view = ctx.tr, ctx.lang, ctx.view

st.title(tr("corpus.title"))
st.markdown(tr("corpus.intro", limit_mb=corpus.MAX_BYTES // 1_000_000, values=f"{corpus.MAX_VALUES:,}",
               mib=corpus.MAX_VALUES * 2 // 2**20))
if practitioner_view.notice(ctx):
    st.stop()

# ------------------------------------------------------------------ the model
model = ctx.model
spec = ctx.view.model
if model is None:      # generated weights read the app's fixed 16-number vectors of each token
    model = model_source.generated_model(spec.cell, 16, spec.hidden, spec.layers, spec.seed, spec.forget_bias)
    st.caption(tr("corpus.generated"))
tokenizer = model.tokenizer or "chars"
L, D, W = model.num_layers, model.directions, model.width
st.caption(tr("model.describe", cell=model.kind.upper(), hidden=model.hidden_size, layers=L,
              inputs=model.input_size, params=f"{model.param_count():,}")
           + (" · " + tr("corpus.bidirectional") if D == 2 else ""))

# ------------------------------------------------------------------ the corpus
left, right = st.columns([3, 2])
pasted = left.text_area(tr("corpus.paste"), key=keys.CORPUS_TEXT, height=140)
up = right.file_uploader(tr("corpus.upload"), key=keys.CORPUS_UPLOAD, help=tr("corpus.upload_help"))
layer = L - 1
if L > 1:
    layer = right.selectbox(tr("corpus.layer"), range(L), index=L - 1, key=keys.CORPUS_LAYER,
                            format_func=lambda k: tr("explorer.layer_n", n=k + 1))
reset = right.toggle(tr("corpus.reset"), value=D == 2, key=keys.CORPUS_RESET, disabled=D == 2,
                     help=tr("corpus.reset_help"))
raw = up.getvalue().decode("utf-8", errors="replace") if up is not None else pasted
key = (hashlib.sha256(raw.encode("utf-8")).hexdigest(), spec, id(model) if ctx.model is not None else 0,
       layer, bool(reset or D == 2))

if st.button(tr("corpus.run"), type="primary", disabled=not raw.strip(), key="b_corpus_run"):
    st.session_state[keys.CORPUS_RUN] = None        # one corpus per session: the old one goes first
    try:
        text = corpus_view.read_corpus(raw)
        toks = corpus_view.tokenize(text, tokenizer)
        inputs = corpus_view.model_inputs(model, toks, seed=spec.seed)
        corpus.check_size(len(toks.index), W)
        bar = st.progress(0.0, text=tr("corpus.progress", done=0, total=f"{len(toks.index):,}"))

        def progress(done, total):
            bar.progress(done / total, text=tr("corpus.progress", done=f"{done:,}", total=f"{total:,}"))
        states = corpus.run(model, inputs.ids, layer=layer, starts=toks.starts if (reset or D == 2) else None,
                            table=inputs.table, progress=progress)
        st.session_state[keys.CORPUS_RUN] = (key, toks, states, inputs.unknown)
        bar.empty()
    except Problem as p:
        st.error(p.message(lang))
    except ValueError as e:                   # the size limit, named by lstm_core.corpus
        st.error(tr("corpus.refused", reason=state.md_escape(e)))

kept = st.session_state.get(keys.CORPUS_RUN)
if not kept:
    st.info(tr("corpus.none"))
    st.stop()
run_key, toks, states, unknown = kept
if run_key != key:
    st.warning(tr("corpus.stale"))
st.success(tr("corpus.done", steps=f"{states.steps:,}", units=states.width, mb=f"{states.nbytes / 2**20:.1f}",
              layer=states.layer + 1))
if unknown:
    st.caption(tr("corpus.unknown", n=len(unknown),
                  tokens=" ".join(f"“{state.md_escape(display_token(t))}”" for t in unknown[:20])))
if states.pieces:
    st.caption(tr("corpus.pieces", n=states.pieces, chunk=f"{corpus.CHUNK:,}"))
sep = " " if tokenizer == "words" else ""


def label(u):
    return practitioner_view.unit_label(u, states.width, states.directions)


# ------------------------------------------------------------------ (1) a unit's top contexts
st.subheader(tr("corpus.top.title"))
fit_widget(keys.CORPUS_UNIT, 0, states.width - 1, min(view.unit, states.width - 1))
unit = int(st.number_input(tr("corpus.unit", label=label(st.session_state[keys.CORPUS_UNIT])), 0,
                           states.width - 1, step=1, key=keys.CORPUS_UNIT))
values = states.states[:, unit]
lo, hi = (0.0, 1.0) if states.value in ("forget", "input", "output", "reset", "update") else (-1.0, 1.0)
top = corpus.top_contexts(states, unit)
st.caption(tr("corpus.top.help", k=len(top), unit=label(unit)))
st.html("".join(f'<div style="display:flex;gap:8px"><code style="min-width:6em">{v:+.3f} @{p + 1:,}</code>'
                f"{corpus_view.context_html(toks.distinct, toks.index, values, p, lo=lo, hi=hi, sep=sep)}</div>"
                for p, v in top))

# ------------------------------------------------------------------ (2) pattern search
st.subheader(tr("corpus.search.title"))
st.caption(tr("corpus.search.help"))
text, mode = sequence_box(view, lang, height=68)
try:
    qt = corpus_view.tokenize(corpus_view.read_corpus(text), tokenizer)
    q_in = corpus_view.model_inputs(model, qt, seed=spec.seed)
    X = q_in.table[q_in.ids] if q_in.table is not None else model.embed(q_in.ids)
    q_layer = np.asarray(model.forward(np.asarray(X, model.dtype)).layers[states.layer][states.value])
except Problem as p:
    st.error(p.message(lang))
    st.stop()
T = len(qt.index)
fit_widget(keys.CORPUS_SPAN, 1, T, (1, min(T, 3)))
c1, c2 = st.columns(2)
a, b = c1.slider(tr("corpus.span"), 1, max(T, 2), key=keys.CORPUS_SPAN, disabled=T < 2)
b = min(b, T)
thr = c2.slider(tr("corpus.threshold"), -1.0, 1.0, 0.3, 0.05, key=keys.CORPUS_THRESHOLD)
chosen = "".join(qt.distinct[i] + sep for i in qt.index[a - 1:b])
on = corpus.units_on(q_layer[a - 1:b], thr)
st.markdown(tr("corpus.search.on", span=state.md_escape(chosen), n=int(on.sum()),
               units=", ".join(label(u) for u in np.flatnonzero(on)[:40])))
if on.any():
    found = corpus.search(states, on, b - a + 1, thr)
    if not found:
        st.info(tr("corpus.search.none"))
    first = int(np.flatnonzero(on)[0])        # the results are coloured by the first unit of the pattern
    rows = [f'<div style="display:flex;gap:8px"><code style="min-width:11em">{score:.2f} · {matched}/'
            f'{int(on.sum())} +{extra} @{start + 1:,}</code>'
            + corpus_view.context_html(toks.distinct, toks.index, states.states[:, first], start,
                                       span=(start, start + b - a + 1), lo=lo, hi=hi, sep=sep) + "</div>"
            for start, score, matched, extra in found]
    st.html("".join(rows))
    st.caption(tr("corpus.search.legend", unit=label(first)))

# ------------------------------------------------------------------ (3) the states as .npz
st.subheader(tr("corpus.export"))
st.download_button(tr("corpus.export_npz"), data=lambda: corpus.npz(states, model.vocab), file_name="corpus_states.npz",
                   mime="application/octet-stream", key="dl_corpus", on_click="ignore")
st.caption(tr("corpus.export_help"))
