"""Wiring shared by the teaching pages (RNN, LSTM cell, long-term memory, GRU, gate statistics).

- ``TEACHING_IDS``: the pages' ids in ``ui.app.PAGES``.
- ``sequence_input`` / ``model_run``: the sequence box (``ui.widgets``) read
  by ``ui.model_source``, for generated cells or the sidebar's model.
- cached calls into ``lstm_core.analysis`` (bounded, like the explorer's).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

import lstm_core
from lstm_core import WeightError, analysis, notation
from lstm_core.training import experiments

from . import model_source, parsing
from .errors import Problem
from .figures import sequence as figures
from .figures.arithmetic import _factor, fmt
from .i18n import t
from .widgets import sequence_box

TEACHING_IDS = ("rnn", "lstm_cell", "memory", "gru", "gates")   # their entries live in ui.app.PAGES
CACHE = dict(max_entries=8, ttl=3600, show_spinner=False)
TEACHING_STEPS = 120     # the teaching pages analyse at most this many tokens
PRESET_GAPS = (1, 5, 10, 25, 50, 100, 200)                               # gaps the presets are tested at


# ------------------------------------------------------------------ input
def sequence_input(ctx, height=68):
    """The sequence box; returns (tokens, X (T, I)) of at most ``TEACHING_STEPS`` steps, or stops the
    page with the error."""
    view = ctx.view
    text, mode = sequence_box(view, ctx.lang, height=height)
    try:
        tokens, X, total = encoded(text, mode, encoding(view), view.model.seed)
    except Problem as err:
        st.error(err.message(ctx.lang))
        st.stop()
    ctx.update(seq=text, mode=mode)
    if total > TEACHING_STEPS:
        st.info(ctx.tr("teach.cut", n=total, limit=TEACHING_STEPS))
    return tokens, X


def encoding(view):
    """The sidebar's token encoding; a model's own vocabulary means nothing to the generated cells here."""
    return view.enc if view.enc in ("embedding", "onehot_sequence") else "onehot_sequence"


@st.cache_resource(**CACHE)
def encoded(text, mode, encoding, seed):
    """(tokens as shown, X (T, I) float64, steps before the cut) of ``model_source.read_input``."""
    inputs = model_source.read_input(text, mode, encoding, seed=seed, limit=TEACHING_STEPS)
    tokens = tuple(parsing.display_token(tok) for tok in inputs.tokens)
    X = np.array(inputs.encoded.X, dtype=np.float64)
    X.flags.writeable = False        # shared by every session that typed the same text
    return tokens, X, inputs.total


# ------------------------------------------------------------------ cached analysis
def _key(X):
    return X.shape, X.tobytes()


@st.cache_resource(**CACHE)
def _run(kind, input_size, hidden, layers, seed, fb, _X, xkey):
    kw = {"forget_bias": fb} if kind == "lstm" else {}
    model = lstm_core.CELLS[kind].init(input_size, hidden, num_layers=layers, seed=seed, **kw)
    return model, model.forward(_X)


def run(kind, X, hidden, seed, fb=1.0, layers=1):
    """(model, trace) of a generated ``kind`` model with these sizes on X."""
    return _run(kind, X.shape[1], hidden, layers, seed, fb, X, _key(X))


@st.cache_resource(**CACHE)
def _influence(kind, hidden, seed, fb, _X, xkey):
    model, _ = _run(kind, _X.shape[1], hidden, 1, seed, fb, _X, xkey)
    return analysis.first_token_influence(model, _X)


INFLUENCE_WORK = 5e9    # multiply-adds: the exact influence matrix costs about T²·H³ (T backward passes of T steps,
                        # each a batch of H copies times the H×H recurrent matrix); ~5 s of one core


def influence_steps(T, hidden):
    """How many leading steps ``influence`` measures: all T while T²·H³ stays within the budget."""
    return int(min(T, np.sqrt(INFLUENCE_WORK / float(hidden) ** 3)))


def influence(kind, X, hidden, seed, fb=1.0):
    """``analysis.first_token_influence`` on the first ``influence_steps`` steps of X (cached)."""
    X = X[: influence_steps(len(X), hidden)]
    return _influence(kind, hidden, seed, fb, X, _key(X))


@st.cache_resource(**CACHE)
def _compare(hidden, seed, fb, weight_scale, _X, xkey):
    return analysis.compare_cells(_X.shape[1], hidden, seed, _X, weight_scale=weight_scale, forget_bias=fb,
                                  influence=False, output_size=_X.shape[1])   # y: one softmax value per input


def compare(X, hidden, seed, fb, weight_scale):
    return _compare(hidden, seed, fb, weight_scale, X, _key(X))


@st.cache_resource(max_entries=1, ttl=24 * 3600, show_spinner=False)
def recall_presets():
    """``experiments.recall_from_presets`` once per server (None without presets)."""
    return experiments.recall_from_presets(gaps=PRESET_GAPS, n=256)


@st.cache_resource(max_entries=1, ttl=24 * 3600, show_spinner=False)
def recall_sweep():
    """The shipped recall-vs-gap sweep over seeds (``experiments.shipped_recall_sweep``), or None."""
    return experiments.shipped_recall_sweep()


def sweep_caption(sweep, lang):
    """What the sweep's chart shows and how it was made (settings, spread, command, time)."""
    s = sweep["settings"]
    return t("mem.recall_sweep", lang, seeds=len(s["seeds"]), hidden=s["hidden"], steps=s["steps"],
             target=s["target"], n=s["n"], symbols=s["symbols"], chance=sweep["chance"], runs=_runs(sweep),
             command=sweep["command"], minutes=sweep["seconds"] / 60)


def _runs(sweep):
    return sum(len(seeds) for r in sweep["results"].values() for seeds in r["per_seed"])


def sweep_numbers(sweep, lang):
    """The sweep at its longest gap, per cell: mean over seeds, worst and best seed."""
    r = sweep["results"]
    gaps = next(iter(r.values()))["gaps"]
    k = len(gaps) - 1
    cell = {kind: t("mem.recall_every" if v["low"][k] == v["high"][k] else "mem.recall_range", lang,
                    mean=percent(v["accuracy"][k]), low=percent(v["low"][k]), high=percent(v["high"][k]))
            for kind, v in r.items()}
    return t("mem.recall_sweep_numbers", lang, gap=gaps[k], seeds=len(sweep["settings"]["seeds"]),
             **{kind: cell.get(kind, "—") for kind in ("rnn", "gru", "lstm")})


def below_chance_lines(pre, lang):
    """One sentence per cell that ``pre`` (``recall_from_presets``) draws below chance, with the
    measured reason (``experiments.recall_from_presets``' "why")."""
    lines = []
    for kind, r in pre["results"].items():
        why = r.get("why")
        if not why:
            continue
        gaps = sorted(why)
        accs = [r["accuracy"][r["gaps"].index(g)] for g in gaps]
        near = {g2: a for w in why.values() for g2, a in w["neighbours"].items()}
        answers = sorted({a for w in why.values() for a in w["answers"]})
        first = why[gaps[0]]
        alternates = all(a >= pre["chance"] for a in near.values()) and first["flips"] >= 0.9
        where = t("mem.at_gaps" if len(gaps) > 1 else "mem.at_gap", lang,
                  gaps=t("mem.and", lang).join(map(str, gaps)))
        lines.append(t("mem.below_chance_flip" if alternates else "mem.below_chance", lang,
                       cell=kind.upper(), where=where, accs=t("mem.and", lang).join(percent(a) for a in accs),
                       chance=f"{pre['chance']:.1%}", n=pre["settings"]["n"], answers=t("mem.sep", lang).join(answers),
                       near=t("mem.sep", lang).join(t("mem.acc_at", lang, acc=percent(a), g=g2)
                                                    for g2, a in sorted(near.items())),
                       unit=first["unit"], a=first["letters"][0], b=first["letters"][1], flips=percent(first["flips"])))
    return lines


# ------------------------------------------------------------------ shared views
def heatmap(values, tokens, name, lang, cell="lstm"):
    """Units × time heatmap of one trace value (``ui.figures.sequence.heatmap``)."""
    return figures.heatmap(values, tokens, name, cell, lang)


def trace_player(model, trace, tokens, raw, lang, key, unit=None, unit_key=None):
    """The trace player (``ui.player``, as in the explorer) for a page's run: every value over time,
    stepped in the browser, with the cell diagram and its arithmetic at each step, and a trained model's
    top 5 beside the answer its task expects. ``tokens`` as shown, ``raw`` as the model read them;
    ``unit`` where it starts; ``unit_key`` a page widget that follows the unit chosen in the player."""
    from . import predictions
    from .player.component import cached_data, player, position

    top, expected = predictions.for_player(model, trace, list(raw))
    data = cached_data(trace=trace, tokens=list(tokens), model=model.describe(), lang=lang, predictions=top,
                       expected=expected)

    def moved():
        pos = position(key)
        if pos and unit_key:
            st.session_state[unit_key] = pos["unit"]

    where = position(key) or {}
    return player(data, key=key, t=where.get("t"), unit=unit if unit is not None else where.get("unit"),
                  trace=trace, on_change=moved if unit_key else None, file_name=f"{key}.html")


def heatmap_pair(before, after, tokens, name, lang, cell="lstm"):
    """Two heatmaps of the same value on one shared colour range, so they can be compared square by square."""
    figs = [heatmap(v, tokens, name, lang, cell) for v in (before, after)]
    lo = min(float(f.data[0].zmin) for f in figs)
    hi = max(float(f.data[0].zmax) for f in figs)
    for f in figs:
        f.data[0].update(zmin=lo, zmax=hi)
    return figs


def percent(v):
    return f"{100 * v:.0f}%" if v >= 0.01 else f"{100 * v:.2g}%"


def sci(v):
    """1.2×10⁻⁵ style for the small numbers of gradient flow."""
    if not np.isfinite(v) or v == 0:
        return "0"
    e = int(np.floor(np.log10(abs(v))))
    if -2 <= e <= 2:
        return f"{v:.3g}"
    sup = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
    return f"{v / 10 ** e:.1f}×10{str(e).translate(sup)}"


def weight_table(model, lang):
    """``analysis.weight_rows`` as a labelled table: rows "zᶠ · unit 0", columns x, h0 … h(H−1), b."""
    W, b, names = analysis.weight_rows(model)
    I = model.input_size
    cols = ["x" if I == 1 else f"x{i + 1}" for i in range(I)] + [f"h{j}" for j in range(model.hidden_size)]
    index = [notation.symbol(g, style="plain") + " · " + t("cell.unit_line", lang, j=j) for g, j in names]
    df = pd.DataFrame(W, index=index, columns=cols)
    df["b"] = b
    return df.round(2)


def gate_table(trace, lang):
    """One row per unit: pre-activation a and value of z^f, z^i, z, z^o at the trace's first step."""
    rows = []
    for j in range(trace.hidden_size):
        row = {t("cell.col_unit", lang): j}
        for g in ("forget", "input", "candidate", "output"):
            row[t("cell.col_pre", lang, sym=notation.symbol(g, style='plain'))] = float(trace[f"pre_{g}"][0, j])
            row[t("cell.col_val", lang, sym=notation.symbol(g, style='plain'))] = float(trace[g][0, j])
        rows.append(row)
    return pd.DataFrame(rows).set_index(t("cell.col_unit", lang)).round(3)


def cell_diagram(trace, step, unit, lang):
    """The cell diagram of ``ui.figures.sequence`` for one step and unit."""
    return figures.cell_diagram(trace, step, unit, lang)


def kept_line(trace, unit):
    """'z^f×c^(t-1) = 0.73×0.50 = 0.37': what the forget stage keeps of one unit's memory (step 0)."""
    f, c = float(trace["forget"][0, unit]), float(trace.c0[-1][unit])
    return f"z^f×c^(t-1) = {_factor(f, 2)}×{_factor(c, 2)} = {fmt(f * c)}"


INTERVENTIONS = ("forget0", "forget1", "input0", "silence")


def overrides(kind, unit, steps):
    """The ``lstm_core`` override records for an intervention of the Long-term memory page."""
    if kind == "forget0":
        return [lstm_core.clamp("forget", 0.0, steps=steps)]
    if kind == "forget1":
        return [lstm_core.clamp("forget", 1.0, steps=steps)]
    if kind == "input0":
        return [lstm_core.clamp("input", 0.0, steps=steps)]
    return [lstm_core.silence([unit], steps=steps)]


def model_run(ctx):
    """(text, mode, trace) of the sidebar's model on the sequence box, as the explorer computes it."""
    view = ctx.view
    text, mode = sequence_box(view, ctx.lang)
    try:
        run = model_source.cached_run(view.model, text, mode, view.enc, _model=ctx.model)
    except Problem as err:
        st.error(err.message(ctx.lang))
        st.stop()
    except (WeightError, ValueError) as err:
        st.error(ctx.tr("gates.error", reason=str(err)))
        st.stop()
    ctx.update(seq=text, mode=mode)
    return text, mode, run.trace


def saturation_counts(v):
    """Units open (> high) on more than half the steps, shut (< low) on more than half, and the rest."""
    n_open = int((v["right"] > 0.5).sum())
    n_shut = int((v["left"] > 0.5).sum())
    return {"open": n_open, "shut": n_shut, "free": len(v["left"]) - n_open - n_shut}


def saturation_table(sat, lang):
    rows = [{t("gates.col_gate", lang): notation.symbol(g), t("gates.col_unit", lang): j,
             t("gates.col_left", lang): percent(float(v["left"][j])),
             t("gates.col_right", lang): percent(float(v["right"][j]))}
            for g, v in sat.items() for j in range(len(v["left"]))]
    return pd.DataFrame(rows)
