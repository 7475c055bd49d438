"""The causal lab's logic without widgets: which model, its held-out sequences, cached experiments.

The experiments themselves are ``lstm_core.causal``; here they are cached per
(model, settings) with bounded ``st.cache_resource`` caches (a hosted demo must
stay inside ~1 GB), and the plain sentences that report them are built from
their numbers (``ui.locales.lab``). Every result names the number of
sequences, the accuracy with its spread (the standard error over sequences,
or over random draws) and chance.
"""
from __future__ import annotations

import functools

import numpy as np
import streamlit as st

from lstm_core import causal
from lstm_core.training.trainer import blas_threads

from . import parsing
from .i18n import t
from .state import ModelSpec

CACHE = dict(max_entries=24, ttl=3600, show_spinner=False)
DRAWS = 5                  # random-unit draws beside an intervention
DEFAULT = "recall_lstm"    # the lab's model while the sidebar holds none that fits
EXPERIMENTS = ("edit", "rank", "intervene", "patch")
DONOR_SEED = 17            # held-out donors for the batch patch: another draw than the recipients


def fits(model) -> bool:
    """The lab needs a trained model with an output layer, read one direction at a time."""
    return model is not None and bool(model.output) and getattr(model, "directions", 1) == 1


# ------------------------------------------------------------------ held-out sequences
@st.cache_resource(**CACHE)
def heldout(spec: ModelSpec, _model, seed=causal.HELDOUT_SEED, n=causal.N_HELDOUT):
    """``causal.heldout`` of the model's task (None when the model carries no task)."""
    task = causal.task_of(_model)
    return None if task is None else causal.heldout(task, n=n, seed=seed)


# ------------------------------------------------------------------ the experiments, cached
RANKINGS = "lab_rankings.json"    # beside the presets: each one's ranking over all steps (python -m bench.lab --save)


@functools.lru_cache(maxsize=1)
def _shipped_rankings() -> dict:
    import json

    from lstm_core import presets
    path = presets.HERE / RANKINGS
    try:
        return json.loads(path.read_text(encoding="utf-8"))["rankings"]
    except (OSError, ValueError, KeyError):
        return {}


@functools.lru_cache(maxsize=32)
def _file_digest(name) -> str:
    import hashlib

    from lstm_core import presets
    try:
        return hashlib.sha256(presets.path(name).read_bytes()).hexdigest()
    except (OSError, ValueError):
        return ""


def shipped_ranking(preset, steps, n):
    """The ranking measured when the preset was shipped, if it is for this very file, these steps and
    this many held-out sequences; else None (then the page measures it)."""
    entry = _shipped_rankings().get(preset) if preset else None
    if not entry or entry.get("sha256") != _file_digest(preset):
        return None
    rec = entry["record"]
    if rec["n"] != n or (rec["steps"] is not None and tuple(rec["steps"]) != tuple(steps or ())):
        return None
    return {**causal.ranking_from_record(rec), "shipped": True}


@st.cache_resource(**CACHE)
def rank(spec: ModelSpec, _model, steps):
    batch = heldout(spec, _model)
    shipped = shipped_ranking(spec.preset, steps, batch.inputs.shape[1])
    if shipped is not None:      # the same file, steps and sequences: measured already (same seed, same numbers)
        return shipped
    with blas_threads(1):         # small products: one BLAS thread is fastest, and leaves a core to others
        return causal.rank_units(_model, batch, steps=steps, task=causal.task_of(_model))


@st.cache_resource(**CACHE)
def intervene(spec: ModelSpec, _model, kind, units, steps, draws=DRAWS):
    batch = heldout(spec, _model)
    with blas_threads(1):
        return causal.intervene(_model, batch, kind, units=None if units is None else list(units),
                                steps=steps, draws=draws, task=causal.task_of(_model))


@st.cache_resource(**CACHE)
def patch_batch(spec: ModelSpec, _model, step, units, what):
    batch, donors = heldout(spec, _model), heldout(spec, _model, seed=DONOR_SEED)
    with blas_threads(1):
        return causal.patch_batch(_model, batch, donors, step, list(units), what)


@st.cache_resource(**CACHE)
def _edit(spec: ModelSpec, _model, _xa, _xb, kind, position, key):
    with blas_threads(1):
        return causal.edit(_model, _xa, _xb, kind, position)


def edit(spec, model, xa, xb, kind, position):
    return _edit(spec, model, xa, xb, kind, position, (xa.tobytes(), xb.tobytes(), xa.shape, xb.shape))


@st.cache_resource(**CACHE)
def _patch(spec: ModelSpec, _model, _xs, _donor, step, units, what, key):
    with blas_threads(1):
        return causal.patch(_model, _xs, _donor, step, list(units), what)


def patch(spec, model, xs, donor, step, units, what):
    return _patch(spec, model, xs, donor, step, tuple(units), tuple(what),
                  (xs.tobytes(), donor.tobytes(), xs.shape, donor.shape))


def top_units(r, k=3):
    """The ``k`` units whose silence costs the most accuracy (only those that cost any)."""
    return [int(r["units"][i]) for i in r["order"][:k] if r["drop"][i] > 0]


def use_units(session, units):
    """Button callback: the ranking's top units become the units of experiments 3 and 4, and 3 opens."""
    from . import keys
    session[keys.LAB_IV_UNITS] = list(units)
    session[keys.LAB_PATCH_UNITS] = list(units)
    session[keys.LAB_IV_ALL] = False
    session[keys.LAB_PATCH_ALL] = False
    session[keys.LAB_EXPERIMENT] = "intervene"


# ------------------------------------------------------------------ sequences
def encode_tokens(model, tokens, mode, enc, seed=0, vectors=None):
    """X (T, I) for ``tokens`` as the page encodes typed text for ``model`` (its vocabulary when it has
    one; numbers mode: the vectors)."""
    seq = parsing.Sequence(tuple(tokens), None if vectors is None else np.asarray(vectors, np.float64), mode)
    vocab = model.meta.get("vocab")
    enc = "onehot_model" if vocab and seq.vectors is None else enc
    e = parsing.encode(seq, enc, vocab=vocab, dim=model.input_size, seed=seed, input_size=model.input_size,
                       **({"unk": getattr(model, "unk", None)} if vocab and _takes_unk() else {}))
    return np.asarray(e.X, dtype=model.dtype)


def _takes_unk():
    import inspect
    return "unk" in inspect.signature(parsing.encode).parameters


def edit_sequence(tokens, vectors, kind, position, new_token=None, new_vector=None):
    """(tokens, vectors) after the edit; vectors (numbers mode) edited alongside, else None."""
    toks = causal.edited(tokens, kind, position, new_token)
    if vectors is None:
        return toks, None
    rows = list(np.asarray(vectors))
    rows = causal.edited(rows, kind, position, None if new_vector is None else np.asarray(new_vector))
    return toks, np.array(rows)


def default_edit(tokens, vectors):
    """(1-based step, new token text) the edit experiment starts with. Numbers (the adding problem): the
    first step whose last number is 1 (a marker), its first number v replaced by 1 − v, so the sum the
    task asks for changes; else step 1 and its own token (a vocabulary picks another one)."""
    if vectors is not None and len(vectors):
        v = np.asarray(vectors, dtype=np.float64)
        marked = np.nonzero(v[:, -1] > 0.5)[0] if v.shape[1] > 1 else []
        s = int(marked[0]) if len(marked) else 0
        new = v[s].copy()
        new[0] = round(1.0 - new[0], 2)
        return s + 1, ", ".join(f"{x:g}" for x in new)
    return 1, (str(tokens[0]) if len(tokens) else "")


def parse_vector(text, width):
    """A typed step of numbers ("0.5, 1") as a vector of ``width`` values, or None if it is not one."""
    import re
    parts = [p for p in re.split(r"[,\s;]+", str(text).strip()) if p]
    try:
        v = np.array([float(p) for p in parts], dtype=np.float64)
    except ValueError:
        return None
    return v if v.size == width and np.isfinite(v).all() else None


def donor_text(model, tokens, mode):
    """A second sequence to copy states from: the base sequence with its first token replaced by the
    next one in the model's vocabulary that the task uses as an answer (recall: another letter), else
    the base sequence reversed."""
    vocab = model.meta.get("vocab") or ()
    classes = model.meta.get("classes") or ()
    toks = list(tokens)
    if toks and vocab:
        pool = [c for c in vocab if c in classes] or list(vocab)
        if toks[0] in pool and len(pool) > 1:
            toks[0] = pool[(pool.index(toks[0]) + 1) % len(pool)]
            return _join(toks, mode)
    return _join(toks[::-1], mode)


def _join(tokens, mode):
    return " ".join(tokens) if mode == "words" else "".join(tokens)


def answer_step(expected, T):
    """The step to read the answer at (0-based): the last step the task scores, else the last step."""
    scored = [s for s, w in enumerate(expected) if w is not None]
    return scored[-1] if scored else T - 1


# ------------------------------------------------------------------ sentences
def pct(v) -> str:
    return "—" if v is None or not np.isfinite(v) else f"{100 * v:.1f}%"


def pts(v) -> str:
    return f"{100 * v:+.1f}".replace("-", "−")


def acc_text(s, lang) -> str:
    """“97.3% ± 1.0 (256 sequences)”: accuracy, its standard error, the number of sequences."""
    return t("lab.acc", lang, acc=pct(s["accuracy"]), spread=f"{100 * s['spread']:.1f}", n=s["n"])


def rank_text(r, lang, top=3) -> str:
    """The untouched accuracy, the units whose silence costs the most (only those that cost something),
    how many cost nothing; when none costs anything, how many raise the accuracy and which most."""
    tiny = 0.5 / r["n"]                                  # under half a sequence: no change
    order = [i for i in r["order"] if r["drop"][i] > tiny][:top]
    harmless = int((np.abs(r["drop"]) < tiny).sum())
    if not order:
        up = int(np.argmin(r["drop"]))
        return t("lab.rank_none", lang, base=acc_text(r["base"], lang), chance=pct(r["chance"]), harmless=harmless,
                 H=len(r["units"]), raised=int((r["drop"] < -tiny).sum()), unit=int(r["units"][up]),
                 acc=pct(r["accuracy"][up]))
    items = t("shown.sep", lang).join(
        t("lab.rank_item", lang, unit=int(r["units"][i]), drop=pts(-r["drop"][i]), acc=pct(r["accuracy"][i]))
        for i in order)
    return t("lab.rank_result", lang, base=acc_text(r["base"], lang), chance=pct(r["chance"]), items=items,
             harmless=harmless, H=len(r["units"]))


def below_chance_text(spec, model, base, chance, lang):
    """For an untouched accuracy more than 2 standard errors under chance: says so and what the model
    answers instead (measured on the held-out sequences), or None."""
    if not causal.below_chance(base, chance):
        return None
    shares = _answer_shares(spec, model)
    if not shares:
        return t("lab.below_chance", lang, acc=pct(base["accuracy"]), chance=pct(chance), answers="—")
    answers = t("shown.sep", lang).join(f"“{parsing.display_token(str(a))}” {pct(s)}" for a, s in shares)
    return t("lab.below_chance", lang, acc=pct(base["accuracy"]), chance=pct(chance), answers=answers)


@st.cache_resource(**CACHE)
def _answer_shares(spec: ModelSpec, _model):
    with blas_threads(1):
        return causal.answer_shares(_model, heldout(spec, _model))


def intervene_text(res, lang) -> str:
    base, after = res["base"], res["after"]
    text = t("lab.iv_result", lang, base=acc_text(base, lang), after=acc_text(after, lang), chance=pct(res["chance"]))
    rnd = res["random"]
    if rnd is not None:
        text += " " + t("lab.iv_random", lang, draws=len(rnd["accuracy"]), k=len(rnd["units"][0]),
                        mean=pct(rnd["mean"]), spread=f"{100 * rnd['spread']:.1f}",
                        lo=pct(float(np.min(rnd["accuracy"]))), hi=pct(float(np.max(rnd["accuracy"]))))
    else:
        text += " " + t("lab.iv_all", lang)
    return text


def patch_batch_text(res, lang) -> str:
    if not res["scored"] or not np.isfinite(res["donor"]):
        return t("lab.pb_none", lang)
    return t("lab.pb_result", lang, n=res["n"], differ=pct(res["differ"]), donor=pct(res["donor"]),
             own=pct(res["own"]), acc=acc_text(res["accuracy"], lang), base=acc_text(res["base"], lang),
             chance=pct(res["chance"]))


def _ans(a) -> str:
    if a is None:
        return "—"
    if isinstance(a, float):
        return f"{a:.3f}"
    if isinstance(a, list):
        return ", ".join(f"{v:.3f}" for v in a)
    return f"“{parsing.display_token(str(a))}”"


def _tok(tok) -> str:
    from .state import md_escape
    return md_escape(parsing.display_token(str(tok)))


def edit_text(res, before, after, want_before, want_after, lang) -> str:
    """How many answers the edit changed, and the answer at the last scored step, before and after."""
    pairs, changed = res["pairs"], res["changed"]
    scored = [k for k, (_, b) in enumerate(pairs) if want_after[b] is not None]
    text = t("lab.edit_result", lang, n=int(np.sum(changed)), k=len(pairs))
    if scored:
        text += " " + t("lab.edit_scored", lang, ks=len(scored), ns=int(np.sum(changed[scored])))
    k = (scored or [len(pairs) - 1])[-1]
    a, b = pairs[k]
    text += " " + t("lab.edit_at", lang, t=b + 1, tok=_tok(after[b]), before=_ans(res["answers_before"][k]),
                    after=_ans(res["answers_after"][k]), want_before=_ans(want_before[a]),
                    want_after=_ans(want_after[b]))
    return text


def edit_frame(res, before, after, want_before, want_after, lang):
    import pandas as pd
    rows = []
    for k, (a, b) in enumerate(res["pairs"]):
        rows.append({t("lab.col_step", lang): b + 1, t("lab.col_token", lang): parsing.display_token(str(after[b])),
                     t("lab.col_before", lang): _ans(res["answers_before"][k]).strip("“”"),
                     t("lab.col_after", lang): _ans(res["answers_after"][k]).strip("“”"),
                     t("lab.col_expected", lang): _ans(want_after[b]).strip("“”"),
                     t("lab.col_changed", lang): "●" if res["changed"][k] else ""})
    return pd.DataFrame(rows)


def rank_frame(r, lang):
    import pandas as pd
    return pd.DataFrame([{t("lab.col_unit", lang): int(r["units"][i]),
                          t("lab.col_acc", lang): f"{pct(r['accuracy'][i])} ± {100 * r['spread'][i]:.1f}",
                          t("lab.col_drop", lang): pts(-r["drop"][i])} for i in r["order"]])


def heldout_text(model, batch, lang) -> str:
    """What the 256 sequences are: their task, length, where they come from, and what chance means."""
    task = causal.task_of(model)
    B, T = batch.inputs.shape[1], batch.inputs.shape[0]
    text_apart = callable(getattr(task.strict(), "heldout", None))
    return t("lab.heldout_text" if text_apart else "lab.heldout", lang, n=B, steps=T, task=t(f"task.{task.name}", lang))


def patch_text(res, tokens, expected, answer_at, lang) -> str:
    """The answer at the scored step (or the last one) untouched, patched and the donor's, and how many
    answers the patch changed."""
    s0 = res["step"]
    k = (answer_at if answer_at >= s0 else len(tokens) - 1) - s0
    text = t("lab.patch_result", lang, t=s0 + 1, n=int(np.sum(res["changed"])), k=len(res["changed"]))
    text += " " + t("lab.patch_at", lang, ta=s0 + k + 1, tok=_tok(tokens[s0 + k]),
                    before=_ans(res["answers_before"][k]), after=_ans(res["answers_after"][k]),
                    donor=_ans(res["answers_donor"][k]), want=_ans(expected[s0 + k]))
    return text
