"""The one set-up every page runs first, and the registry of pages.

How pages are wired (checked against Streamlit 1.67's source and a real server):
a ``pages/`` folder beside ``explorer_app.py`` makes Streamlit run in its
pages-directory mode, and on a freshly started server a deep link such as
``/explorer?seq=…&lang=en`` runs ``pages/explorer.py`` directly, without the
entry file. Calling ``st.navigation`` from the entry file would switch modes
only after the home page has run once, so the first visitor of a deep link
would get other titles and paths than everyone after. This app therefore
uses the pages-directory mode alone, everywhere:

- every page script (the entry file too) starts with ``ctx = setup("<id>")``,
  which sets the page config, reads the URL once per session, and draws the
  sidebar (language, navigation, model);
- Streamlit's own navigation (file names, one language) is hidden by
  ``client.showSidebarNavigation = false`` in ``.streamlit/config.toml``;
  ``setup`` draws it instead from ``PAGES``, translated, with icons;
- a page's URL path is its file name without ``.py`` (``/explorer``), the
  same in every run of every server.

Adding a page (one line here):

1. write ``pages/<id>.py`` beginning with::

       from ui.app import setup
       ctx = setup("<id>")          # ctx.lang, ctx.view (ctx.view.model), ctx.tr("key"), ctx.model

2. add ``Page("<id>", "pages/<id>.py", "nav.<id>", "<icon>")`` to ``PAGES``
   and the ``nav.<id>`` title to your locale module (EN and ZH).

The list order is the sidebar order. A file in ``pages/`` that is not in
``PAGES`` still answers its URL but is not linked (keep unfinished pages out).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import NamedTuple

# pandas is loaded fully before any session thread builds a figure: plotly imports it lazily, and a
# figure built while another thread is half-way through that import fails (tests/test_hosting_threads.py).
import pandas  # noqa: F401
import streamlit as st

from lstm_core import corpus, files
from lstm_core.files import vocab

from . import keys, model_picker, state
from .i18n import LANG_NAMES, LANGS, t
from .widgets import keep_widget_values, seed_widget


class Page(NamedTuple):
    id: str
    path: str        # relative to the folder of explorer_app.py
    title_key: str   # catalogue key of the navigation title
    icon: str


PAGES = [
    Page("home", "explorer_app.py", "nav.home", "🏠"),
    Page("rnn", "pages/rnn.py", "nav.rnn", "🔁"),
    Page("lstm_cell", "pages/lstm_cell.py", "nav.lstm_cell", "🧮"),
    Page("lesson", "pages/lesson.py", "nav.lesson", "✍️"),
    Page("explorer", "pages/explorer.py", "nav.explorer", "🔬"),
    Page("lab", "pages/lab.py", "nav.lab", "🧪"),
    Page("memory", "pages/memory.py", "nav.memory", "⏳"),
    Page("train", "pages/train.py", "nav.train", "🏋️"),
    Page("gru", "pages/gru.py", "nav.gru", "🔀"),
    Page("gates", "pages/gates.py", "nav.gates", "📊"),
    Page("corpus", "pages/corpus.py", "nav.corpus", "📚"),
    Page("glossary", "pages/glossary.py", "nav.glossary", "📖"),
]


def page(page_id: str) -> Page:
    for p in PAGES:
        if p.id == page_id:
            return p
    raise KeyError(f"page {page_id!r} is not in ui.app.PAGES")


@dataclass
class Context:
    """What a page gets from ``setup``."""

    page: Page
    lang: str
    view: state.View
    model: object = None         # the uploaded / preset model, None for generated weights
    encodings: tuple = ()        # encodings this model accepts (first = default)

    def tr(self, key, **params):
        return t(key, self.lang, **params)

    def update(self, **changes):
        """Change the view (and with it the URL)."""
        self.view = self.view.with_(**changes)
        st.session_state[keys.VIEW] = self.view
        sync_url(self.view)


# ------------------------------------------------------------------ URL state
def _initial_view() -> state.View:
    """The view of this session: read from the URL on the session's first run."""
    if keys.VIEW not in st.session_state:
        view, problems = state.parse_query(st.query_params.to_dict())
        st.session_state[keys.VIEW] = view
        st.session_state[keys.URL_PROBLEMS] = list(problems)
    return st.session_state[keys.VIEW]


def sync_url(view: state.View) -> None:
    """Write the view into the URL: the whole query string goes to the browser
    every time, in one message. Sending only what changed is not enough: a run
    cut short by a click (a play tick racing Pause) can change the server's copy
    of the query parameters while its message to the browser is dropped, and the
    shown step and the link then disagree until the next change."""
    st.query_params.update(state.to_query(view))


# ------------------------------------------------------------------ sidebar
def _language(view) -> str:
    seed_widget(keys.LANG, view.lang)
    return st.sidebar.radio(t("common.language", st.session_state[keys.LANG]), LANGS,
                            format_func=LANG_NAMES.get, horizontal=True, key=keys.LANG)


def _navigation(lang):
    with st.sidebar:
        for p in PAGES:
            st.page_link(p.path, label=t(p.title_key, lang), icon=p.icon, query_params={"lang": lang})


def _escaped(params):
    return {k: state.md_escape(v) if isinstance(v, str) else v for k, v in params.items()}


def _show_url_problems(lang):
    problems = st.session_state.get(keys.URL_PROBLEMS) or []
    if not problems:
        return
    box = st.container(border=True)
    items = "\n".join(f"- {t(p.key, lang, **_escaped(p.params))}" for p in problems)
    box.warning(t("state.intro", lang) + "\n\n" + items)
    if box.button(t("state.dismiss", lang), key="dismiss_url_problems"):
        st.session_state[keys.URL_PROBLEMS] = []
        st.rerun()


# Each file uploader's instructions: what it takes and up to what size (bytes; the server's own limit,
# server.maxUploadSize, caps them all). An uploader not listed says only how to upload.
UPLOADERS = {
    keys.UPLOAD: ("upload.instructions.weights", files.MAX_BYTES),
    keys.UPLOAD_VOCAB: ("upload.instructions.vocab", vocab.MAX_VOCAB_BYTES),
    keys.CORPUS_UPLOAD: ("upload.instructions.corpus", corpus.MAX_BYTES),
}


def upload_limit_mb(limit_bytes=None) -> str:
    """An upload limit in MB as the instructions say it: the smaller of ``limit_bytes`` and the server's."""
    server = st.get_option("server.maxUploadSize")           # MB
    mb = server if limit_bytes is None else min(limit_bytes / 1_000_000, server)
    return f"{mb:g}"


def page_css(hidden, lang) -> str:
    """The page's own CSS.

    - What a teacher's link hides (``View.hide``): the sidebar and the button that reopens it,
      and the model picker's box (its widgets still run, so the link's model is used).
    - The file uploader in the chosen language: Streamlit writes its button ("Upload") and its
      instructions ("20MB per file • NPZ…", cut off in the sidebar) and the reason it refuses a
      file in English only, so they are replaced by translated text that wraps; each uploader of
      ``UPLOADERS`` says what it takes (weights, a vocabulary, a text) and its own limit.
    """
    rules = [".st-key-hidden_model_picker {display: none;}"]
    if "sidebar" in hidden:
        rules.append('[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], '
                     '[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapseButton"] '
                     "{display: none !important;}")
    drop = '[data-testid="stFileUploaderDropzone"]'
    button = json.dumps(t("upload.button", lang), ensure_ascii=False)
    refused = json.dumps(t("upload.refused", lang, mb=st.get_option("server.maxUploadSize")), ensure_ascii=False)
    hint = json.dumps(t("upload.instructions", lang, mb=upload_limit_mb()), ensure_ascii=False)
    rules += [
        f"{drop} button p {{font-size: 0;}}",
        f"{drop} button p::after {{content: {button}; font-size: 0.875rem;}}",
        f'{drop} [data-testid="stFileUploaderDropzoneInstructions"] span {{display: none;}}',
        f'{drop} [data-testid="stFileUploaderDropzoneInstructions"] > div::after {{content: {hint}; '
        "white-space: normal; font-size: 0.8rem; opacity: 0.75;}",
        f"{drop} {{flex-wrap: wrap; height: auto;}}",
        *(f'.st-key-{key} {drop} [data-testid="stFileUploaderDropzoneInstructions"] > div::after '
          f'{{content: {json.dumps(t(text, lang, mb=upload_limit_mb(limit)), ensure_ascii=False)};}}'
          for key, (text, limit) in UPLOADERS.items()),
        # a file the browser refused (too large): Streamlit's tooltip says it in English
        '[data-testid="stTooltipErrorContent"] {font-size: 0;}',
        f'[data-testid="stTooltipErrorContent"]::after {{content: {refused}; font-size: 0.875rem;}}',
    ]
    return f"<style>{' '.join(rules)}</style>"


# ------------------------------------------------------------------ entry
def setup(page_id: str) -> Context:
    """Page config, URL state, sidebar. Call first in every page script."""
    me = page(page_id)
    keep_widget_values()
    view = _initial_view()
    lang = st.session_state.get(keys.LANG, view.lang)
    lang = lang if lang in LANGS else view.lang
    hidden = set(view.hide)
    st.set_page_config(page_title=f"{t(me.title_key, lang)} · {t('app.title', lang)}", page_icon=me.icon,
                       layout="wide", initial_sidebar_state="collapsed" if "sidebar" in hidden else "auto")
    lang = view.lang if "language" in hidden else _language(view)
    st.html(page_css(hidden, lang))
    if "nav" not in hidden:
        _navigation(lang)
    view, model, encodings = model_picker.sidebar(view.with_(lang=lang), lang)
    if "nav" not in hidden and page_id != "glossary":
        st.sidebar.page_link("pages/glossary.py", label=t("glossary.link", lang), icon="📖",
                             query_params={"lang": lang})
    st.sidebar.caption(t("common.footer", lang))
    st.session_state[keys.VIEW] = view
    sync_url(view)
    _show_url_problems(lang)
    return Context(me, lang, view, model, encodings)
