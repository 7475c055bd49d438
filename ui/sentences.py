"""Sentences that state numbers, with the numbers measured on what the page shows.

Every function takes the plain results a page already computed (``lstm_core.analysis`` dicts, a
``Trace``) and returns the finished sentence in ``lang`` (or None when there is nothing to say). Pure:
no Streamlit, so each claim is tested against the numbers it quotes.
"""
from __future__ import annotations

import numpy as np

from .i18n import t


def percent(v: float) -> str:
    return f"{100 * v:.0f}%" if v >= 0.01 else f"{100 * v:.2g}%"


def number(v: float) -> str:
    """3 significant digits; powers of ten for the very small or large (gradient sizes)."""
    v = float(v)
    if v == 0 or not np.isfinite(v):
        return "0" if v == 0 else str(v)
    return f"{v:.3g}" if 1e-3 <= abs(v) < 1e4 else f"{v:.2e}"


def even_share(d: int) -> float:
    """The first token's share after ``d`` steps if every input moved h^t equally: 1 / (d + 1)."""
    return 1.0 / (d + 1)


def share_sentence(influence: dict, lang: str) -> str | None:
    """The RNN page's sentence on the first token: its share of the influence on h^t beside the share it
    would have with no fading at all (1/(d+1)), and the size ‖∂h^t/∂x^1‖ itself.

    ``influence``: ``analysis.first_token_influence`` (share, norm, matrix)."""
    share, norm = np.asarray(influence["share"]), np.asarray(influence["norm"])
    if len(share) > 10:
        d = (1, 5, 10)
        return t("rnn.share_text", lang, **{f"d{k}": percent(share[k]) for k in d},
                 **{f"r{k}": percent(even_share(k)) for k in d}, **{f"n{k}": number(norm[k]) for k in d})
    if len(share) > 1:
        return t("rnn.share_short", lang, d1=percent(share[1]), r1=percent(even_share(1)), n1=number(norm[1]))
    return None


def input0_sentence(effect: dict, first: int, last: int, lang: str) -> str:
    """What shutting z^i over steps ``first`` … ``last`` (1-based) did, measured: from step 1 the cell
    starts empty and stays so; later it fades from what it held.

    ``effect``: ``analysis.intervention_effect`` (its "changed" trace holds the cell and hidden values)."""
    c = np.asarray(effect["changed"]["cell"], dtype=np.float64)
    h = np.asarray(effect["changed"]["hidden"], dtype=np.float64)
    span = slice(first - 1, last)
    c_max, h_max = float(np.abs(c[span]).max()), float(np.abs(h[span]).max())
    if first == 1:
        return t("mem.iv_input0.from_start", lang, c=number(c_max), h=number(h_max))
    start = float(np.linalg.norm(c[first - 2]))
    end = float(np.linalg.norm(c[last - 1]))
    return t("mem.iv_input0.later", lang, a=first, b=last, start=number(start), end=number(end), h=number(h_max))


def carry_lines(trace, units: int, lang: str) -> str:
    """The LSTM cell page's lines for the primer's tip (the RNN's h^t is the LSTM's c^t): per unit,
    the carried state c before and after the step, what was kept and what was written, and h."""
    lines = []
    for j in range(units):
        c0, c1 = float(trace.c0[-1][j]), float(trace["cell"][0, j])
        f, i, z = (float(trace[g][0, j]) for g in ("forget", "input", "candidate"))
        h0, h1 = float(trace.h0[-1][j]), float(trace["hidden"][0, j])
        lines.append(t("cell.tip_line", lang, j=j, c0=f"{c0:+.2f}", c1=f"{c1:+.2f}", kept=f"{f * c0:+.2f}",
                       wrote=f"{i * z:+.2f}", h0=f"{h0:+.2f}", h1=f"{h1:+.2f}"))
    return "\n".join(lines)
