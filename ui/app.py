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
       ctx = setup("<id>")          # ctx.lang, ctx.view, ctx.t("key"), ctx.spec, ctx.model

2. add ``Page("<id>", "pages/<id>.py", "nav.<id>", "<icon>")`` to ``PAGES``
   and the ``nav.<id>`` title to your locale module (EN and ZH).

The list order is the sidebar order. A file in ``pages/`` that is not in
``PAGES`` still answers its URL but is not linked (keep unfinished pages out).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

# pandas is loaded fully before any session thread builds a figure: plotly imports it lazily, and a
# figure built while another thread is half-way through that import fails (tests/test_hosting_threads.py).
import pandas  # noqa: F401
import streamlit as st

from lstm_core.notation import CELL_KINDS

from . import model_source, state
from .errors import Problem
from .i18n import LANG_NAMES, LANGS, t
from .model_source import ModelSpec


class Page(NamedTuple):
    id: str
    path: str        # relative to the folder of explorer_app.py
    title_key: str   # catalogue key of the navigation title
    icon: str


PAGES = [
    Page("home", "explorer_app.py", "nav.home", "🏠"),
    Page("rnn", "pages/rnn.py", "nav.rnn", "🔁"),
    Page("lstm_cell", "pages/lstm_cell.py", "nav.lstm_cell", "🧮"),
    Page("explorer", "pages/explorer.py", "nav.explorer", "🔬"),
    Page("memory", "pages/memory.py", "nav.memory", "⏳"),
    Page("train", "pages/train.py", "nav.train", "🏋️"),
    Page("gru", "pages/gru.py", "nav.gru", "🔀"),
    Page("gates", "pages/gates.py", "nav.gates", "📊"),
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
    spec: ModelSpec
    model: object = None         # the uploaded / preset model, None for generated weights
    encodings: tuple = ()        # encodings this model accepts (first = default)

    def t(self, key, **params):
        return t(key, self.lang, **params)

    def update(self, **changes):
        """Change the view (and with it the URL)."""
        self.view = self.view.with_(**changes)
        st.session_state["view"] = self.view
        sync_url(self.view)


# ------------------------------------------------------------------ URL state
def _initial_view() -> state.View:
    """The view of this session: read from the URL on the session's first run."""
    if "view" not in st.session_state:
        view, problems = state.parse_query(st.query_params.to_dict())
        st.session_state["view"] = view
        st.session_state["url_problems"] = list(problems)
    return st.session_state["view"]


def sync_url(view: state.View) -> None:
    """Write the view into the URL: the whole query string goes to the browser
    every time, in one message. Sending only what changed is not enough: a run
    cut short by a click (a play tick racing Pause) can change the server's copy
    of the query parameters while its message to the browser is dropped, and the
    shown step and the link then disagree until the next change."""
    st.query_params.update(state.to_query(view))


def _keep_widget_values():
    """Carry keyed widget values (``w_*``) over to the page being opened.

    Streamlit treats a widget on another page as a new widget and would reset
    it; writing each value back into session state first makes it stick.
    """
    for key in list(st.session_state.keys()):
        if key.startswith("w_") and key not in NOT_SETTABLE:
            st.session_state[key] = st.session_state[key]


NOT_SETTABLE = {"w_upload"}   # file uploaders cannot be set through session state


def seed_widget(key, value):
    """Give a keyed widget its value from the view the first time it is drawn."""
    if key not in st.session_state:
        st.session_state[key] = value


def fit_widget(key, low, high, value):
    """Seed a keyed slider or number box with ``value`` and keep what it holds
    within [low, high]: a reader's unit 7 must not break the page when the
    hidden size drops to 4 (Streamlit refuses a value above a widget's max).
    A range (a, b) has both ends kept within."""
    seed_widget(key, value)
    v = st.session_state[key]
    if isinstance(v, (tuple, list)):
        st.session_state[key] = tuple(min(max(x, low), high) for x in v)
    else:
        st.session_state[key] = min(max(v, low), high)


def follow_widget(key, value):
    """Like ``seed_widget``, and again whenever ``value`` changes (e.g. the input
    width after the encoding changed); what the reader typed stays until then."""
    seen = f"_follows_{key}"
    if key not in st.session_state or st.session_state.get(seen) != value:
        st.session_state[key] = value
    st.session_state[seen] = value


# ------------------------------------------------------------------ sidebar
def _language(view) -> str:
    seed_widget("w_lang", view.lang)
    return st.sidebar.radio(t("common.language", st.session_state["w_lang"]), LANGS,
                            format_func=LANG_NAMES.get, horizontal=True, key="w_lang")


def _navigation(lang):
    with st.sidebar:
        for p in PAGES:
            st.page_link(p.path, label=t(p.title_key, lang), icon=p.icon, query_params={"lang": lang})


def _model_settings(view, lang):
    """Sidebar model picker → (view with the settings, spec, model or None, encodings)."""
    tr = lambda key, **kw: t(key, lang, **kw)  # noqa: E731
    box = st.sidebar.expander(tr("model.header"), expanded=True)
    presets = {p.id: p for p in model_source.presets()}
    trained = st.session_state.get(model_source.TRAINED)
    # what kind of weights, then (for the shipped examples) which one: 4 choices, not 14
    kinds = ["generated", "upload"] + (["preset"] if presets else []) + (["trained"] if trained else [])
    if view.preset in presets:
        seed_widget("w_source", "preset")
        seed_widget("w_preset", view.preset)
    if st.session_state.get("w_source") not in kinds:
        st.session_state["w_source"] = "generated"
    source = box.radio(tr("model.source"), kinds, key="w_source", format_func=lambda s: (
        tr("trained.source") if s == "trained" else tr(f"model.source.{s}")))
    if source == "preset":
        if st.session_state.get("w_preset") not in presets:
            st.session_state["w_preset"] = next(iter(presets))
        source = box.selectbox(tr("model.preset"), list(presets), key="w_preset",
                               format_func=lambda s: tr(presets[s].title_key))

    model, spec = None, None
    if source == "upload":
        up = box.file_uploader(tr("model.upload"), type=["npz", "safetensors"], key="w_upload",
                               help=tr("model.upload_help"))
        if up is not None:
            try:
                digest, loaded = model_source.read_upload(up.getvalue(), up.name)
                st.session_state["good_upload"] = (digest, loaded, up.name)
            except (ValueError, OSError, KeyError) as err:   # WeightError is a ValueError
                box.error(tr("model.upload_failed", name=state.md_escape(up.name), reason=state.md_escape(err)))
        good = st.session_state.get("good_upload")
        if good:
            digest, model, name = good
            spec = ModelSpec(cell=model.kind, hidden=model.hidden_size, layers=model.num_layers, upload=digest)
            box.caption(tr("model.upload_using", name=state.md_escape(name)))
        else:
            box.info(tr("model.upload_none"))
    elif source in presets:
        preset = presets[source]
        model = preset.load()
        spec = ModelSpec(cell=model.kind, hidden=model.hidden_size, layers=model.num_layers, preset=preset.id)
        info = preset.info
        box.caption(tr("preset.look", look=info["look"][lang]))
        if info.get("metric") == "accuracy":
            box.caption(tr("preset.accuracy", acc=info["accuracy"], chance=info["chance"],
                           secs=info["train_seconds"]))
        view = _apply_model_choice(view, source, model, None, info.get("unit"))
    elif source == "trained":
        model = trained["model"]
        spec = ModelSpec(cell=model.kind, hidden=model.hidden_size, layers=model.num_layers,
                         preset=f"trained:{trained['id']}")
        box.caption(tr("trained.title", task=tr(f"task.{trained['task']}"), cell=trained["cell"].upper(),
                       hidden=trained["hidden"], steps=trained["steps"]))
        view = _apply_model_choice(view, f"trained:{trained['id']}", model, trained["sample"], trained.get("unit"))
    view = view.with_(preset=source if source in presets else "")
    if source in ("generated", "upload"):
        st.session_state["applied_model"] = None   # choosing a trained model again brings its example back

    if model is not None:
        d = model.describe()
        box.caption(tr("model.describe", cell=d["cell"].upper(), hidden=d["hidden_size"], layers=d["num_layers"],
                       inputs=d["input_size"], params=f"{d['params']:,}"))
        vocab = model.meta.get("vocab")
        encodings = (("onehot_model",) if vocab else ()) + ("embedding", "onehot_sequence")
        view = view.with_(cell=model.kind, hidden=model.hidden_size, layers=model.num_layers)
    else:
        for key, name in (("w_cell", "cell"), ("w_hidden", "hidden"), ("w_layers", "layers"),
                          ("w_seed", "seed"), ("w_fb", "fb")):
            seed_widget(key, getattr(view, name))
        cell = box.selectbox(tr("model.cell"), CELL_KINDS, key="w_cell", format_func=lambda c: c.upper(),
                             help=tr("model.cell_help"))
        hidden = box.number_input(tr("model.hidden"), 1, 512, step=1, key="w_hidden", help=tr("model.hidden_help"))
        layers = box.number_input(tr("model.layers"), 1, 4, step=1, key="w_layers")
        seed = box.number_input(tr("model.seed"), 0, 2**31 - 1, step=1, key="w_seed", help=tr("model.seed_help"))
        fb = view.fb
        if cell == "lstm":
            fb = box.number_input(tr("model.forget_bias"), -10.0, 10.0, step=0.5, key="w_fb",
                                  help=tr("model.forget_bias_help"))
        view = view.with_(cell=cell, hidden=int(hidden), layers=int(layers), seed=int(seed), fb=float(fb))
        spec = spec or ModelSpec(cell, int(hidden), int(layers), int(seed), float(fb))
        encodings = ("embedding", "onehot_sequence")
    if spec is None:     # upload chosen but nothing good uploaded yet: keep the generated settings
        spec = ModelSpec(view.cell, view.hidden, view.layers, view.seed, view.fb)

    enc = view.enc
    if enc not in encodings:
        if "enc" in st.query_params and not st.session_state.get("enc_warned"):
            st.session_state.setdefault("url_problems", []).append(
                Problem("state.enc_unavailable", value=enc, used=encodings[0]))
            st.session_state["enc_warned"] = True
        enc = encodings[0]
    st.session_state["w_enc"] = enc if st.session_state.get("w_enc") not in encodings else st.session_state["w_enc"]
    enc = box.radio(tr("model.encoding"), encodings, key="w_enc", format_func=lambda e: tr(f"model.enc.{e}"),
                    help=tr("model.encoding_help"))
    return view.with_(enc=enc), spec, model, encodings


def _apply_model_choice(view, choice, model, sample, unit=None):
    """The first time a trained model is chosen: one-hot over its vocabulary, one example of its task
    in the sequence box and its telling unit selected (a link's own ``seq`` / ``enc`` / ``unit`` win on
    the session's first run)."""
    if st.session_state.get("applied_model") == choice:
        return view
    first = "applied_model" not in st.session_state
    st.session_state["applied_model"] = choice
    if model.meta.get("vocab") and not (first and "enc" in st.query_params):
        view = view.with_(enc="onehot_model")
        st.session_state["w_enc"] = "onehot_model"
    if unit is not None and 0 <= unit < model.hidden_size and not (first and "unit" in st.query_params):
        view = view.with_(unit=int(unit))
        st.session_state["w_unit"] = int(unit)
    if not (first and "seq" in st.query_params):
        if sample is None:
            from lstm_core.training.tasks import task_from_meta

            from . import train_view
            try:
                sample = train_view.sample_text(task_from_meta(model.meta))
            except (ValueError, TypeError):
                return view
        st.session_state["w_mode"], st.session_state["w_seq"] = sample
        view = view.with_(mode=sample[0], seq=sample[1], t=1)
    return view


def _escaped(params):
    return {k: state.md_escape(v) if isinstance(v, str) else v for k, v in params.items()}


def _show_url_problems(lang):
    problems = st.session_state.get("url_problems") or []
    if not problems:
        return
    box = st.container(border=True)
    items = "\n".join(f"- {t(p.key, lang, **_escaped(p.params))}" for p in problems)
    box.warning(t("state.intro", lang) + "\n\n" + items)
    if box.button(t("state.dismiss", lang), key="dismiss_url_problems"):
        st.session_state["url_problems"] = []
        st.rerun()


# ------------------------------------------------------------------ entry
def setup(page_id: str) -> Context:
    """Page config, URL state, sidebar. Call first in every page script."""
    me = page(page_id)
    _keep_widget_values()
    view = _initial_view()
    lang = st.session_state.get("w_lang", view.lang)
    lang = lang if lang in LANGS else view.lang
    st.set_page_config(page_title=f"{t(me.title_key, lang)} · {t('app.title', lang)}", page_icon=me.icon,
                       layout="wide", initial_sidebar_state="expanded")
    lang = _language(view)
    _navigation(lang)
    view, spec, model, encodings = _model_settings(view.with_(lang=lang), lang)
    st.sidebar.caption(t("common.footer", lang))
    st.session_state["view"] = view
    sync_url(view)
    _show_url_problems(lang)
    return Context(me, lang, view, spec, model, encodings)
