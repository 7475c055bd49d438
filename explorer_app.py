"""LSTM Explorer — home page. Run with ``streamlit run explorer_app.py``.

One screen: what the app is, a sentence to type with the LSTM's hidden state
lighting up, and a link to every page. Pages are listed in ui.app.PAGES.
"""
import streamlit as st

from ui import model_source, state
from ui import shown_model as SM
from ui.app import PAGES, setup
from ui.errors import Problem
from ui.figures import sequence as figures
from ui.i18n import catalogue
from ui.widgets import sequence_box

ctx = setup("home")
tr, lang = ctx.tr, ctx.lang

st.title(tr("app.title"))
st.markdown(f"#### {tr('home.tagline')}")

st.subheader(tr("home.try"))
text, mode = sequence_box(ctx.view, lang, compact=True)
try:
    run = model_source.cached_run(ctx.view.model, text, mode, ctx.view.enc, _model=ctx.model)
    ctx.update(seq=text, mode=mode)
    st.caption(tr("home.result"))
    st.plotly_chart(figures.heatmap(run.trace["hidden"], run.tokens, "hidden", run.trace.cell, lang),
                    key="home_heatmap", width="stretch")
except Problem as err:
    st.warning(state.md_escape(err.message(lang)))
except ValueError as err:   # lstm_core.WeightError: the input does not fit an uploaded model
    st.warning(tr("explorer.does_not_fit", reason=state.md_escape(err)))
st.caption(SM.line_for(ctx, SM.Pick(ctx.view.model, "random" if ctx.model is None else "chosen"), ctx.model))
st.page_link("pages/explorer.py", label=tr("home.open_explorer"), icon="🔬", query_params={"lang": lang})

st.markdown(tr("home.facts"))

st.subheader(tr("home.pages"))
for p in PAGES[1:]:
    st.page_link(p.path, label=tr(p.title_key), icon=p.icon, query_params={"lang": lang})
    if f"home.page.{p.id}" in catalogue(lang):
        st.caption(tr(f"home.page.{p.id}"))
