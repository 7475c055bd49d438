"""Glossary: every term with its symbol, English and Chinese side by side; the framework names table."""
import streamlit as st

from ui import glossary
from ui.app import setup

ctx = setup("glossary")
tr, lang = ctx.tr, ctx.lang

st.title(tr("glossary.title"))
st.markdown(tr("glossary.intro"))
for section in glossary.SECTIONS:
    st.subheader(tr(f"glossary.section.{section}"))
    st.markdown(glossary.section_markdown(section, lang))

st.subheader(tr("glossary.fw"))
st.markdown(tr("glossary.fw_text"))
for kind in ("lstm", "gru"):
    st.markdown(f"**{tr(f'glossary.fw_{kind}')}**")
    st.markdown(glossary.framework_markdown(kind, lang))
st.caption(tr("glossary.fw_gru_note"))
