"""The trace player in a Streamlit page (``st.components.v2``, no iframe, no build step).

    from ui.player.component import cached_data, player

    data = cached_data(run, lang=lang, layer=k)           # built once per run, shared by sessions
    pos = player(data, t=t, unit=unit, key="player", trace=run.trace, on_change=remember)   # {"t", "unit"} or None

The browser receives the run once (``data``; re-sent only when it changes) and
steps, plays and hovers on its own. It reports the step and unit back only
when the user stops (pause, or 300 ms after the last step): that one message
reruns the page, so ``on_change`` can put ``t`` and ``unit`` in the URL. A
rerun that hands the same run back costs the browser nothing: the player keeps
its place (``assets/player.js`` caches the decoded arrays by ``data["id"]``).

Under the player: a static view of the current step, hidden by CSS, which
appears if the player has not drawn within 5 s (a script error, an old
browser), so the area is never blank; and "Download this view as HTML"
(``ui.player.export``).
"""
from __future__ import annotations

import html
import threading
import weakref
from collections import OrderedDict
from typing import Callable

import streamlit as st

from .data import player_data, step_values
from .export import ASSETS, asset, standalone_html

NAME = "lstm_explorer.trace_player"
_component = (None, None)     # (asset modification times, mount function)


def _mount():
    """Register the component once per process, and again if a file in ``assets/`` changed
    (its HTML/CSS/JS are read from there)."""
    global _component
    stamp = tuple((ASSETS / f).stat().st_mtime_ns for f in ("player.html", "player.css", "player.js"))
    if _component[0] != stamp:
        _component = (stamp, st.components.v2.component(NAME, html=asset("player.html"), css=asset("player.css"),
                                                        js=asset("player.js"), isolate_styles=True))
    return _component[1]


def _lines(trace, data, t, unit):
    """The arithmetic lines of the static view, from the exact trace when the caller gave one."""
    if trace is None:
        return []
    try:
        from ui.figures.arithmetic import arithmetic_lines
    except ImportError:                      # pragma: no cover - older layout of the ui package
        try:
            from ui.explain import arithmetic_lines
        except ImportError:
            return []
    try:
        return arithmetic_lines(trace, t - 1, unit, layer=data["layer"])
    except (IndexError, KeyError, ValueError):
        return []


FALLBACK_CSS = """<style>
.lp-fallback{visibility:hidden;max-height:0;overflow:hidden;animation:lp-fb-show 0s linear 5s forwards}
.lp-fallback.lp-show{visibility:visible;max-height:none;animation:none}
@keyframes lp-fb-show{to{visibility:visible;max-height:none}}
.lp-fallback .lp-fb-box{border:1px solid #e3b4b4;background:#fffafa;border-radius:8px;padding:10px 12px;font-size:14px}
.lp-fallback table{border-collapse:collapse;margin:6px 0}
.lp-fallback td,.lp-fallback th{border:1px solid #ddd;padding:2px 8px;text-align:left;font-variant-numeric:tabular-nums}
.lp-fallback code{font-size:13px}
</style>"""


def static_html(data: dict, key: str, trace=None) -> str:
    """The step the player is at (the one in ``data``) as plain HTML: values of the unit and the arithmetic."""
    s = data["strings"]
    t, unit = data["t"], data["unit"]
    token = data["tokens"][t - 1]
    vals = step_values(data, t, unit)
    sym = data["symbols"]
    rows = "".join(
        f"<tr><th>{html.escape(sym[n][0])}{'<sup>' + html.escape(sym[n][1]) + '</sup>' if sym[n][1] else ''}</th>"
        f"<td>{html.escape(s.get('name.' + n, n))}</td><td>{vals[n]:.3f}</td></tr>"
        for n in data["names"])
    lines = "".join(f"<li>{html.escape(s.get('stage.' + k, k))}: <code>{html.escape(line)}</code></li>"
                    for k, line in _lines(trace, data, t, unit))
    return (FALLBACK_CSS + f'<div class="lp-fallback" data-lp="{html.escape(key)}" role="status">'
            '<div class="lp-fb-box">'
            f"<p>{html.escape(s['failed'].format(reason=s['no_js'], t=t))}</p>"
            f"<p><b>{html.escape(s['static_title'].format(t=t, T=data['T'], token=token, unit=unit))}</b></p>"
            f"<table>{rows}</table>" + (f"<ul>{lines}</ul>" if lines else "") + "</div></div>")


def _noop():
    pass


# ------------------------------------------------------------------ the data, once per run
DATA_ENTRIES = 6                    # process-wide; one entry is ~0.4 MB at T = 200, H = 64, ~15 MB at 2,000 × 250
_data_cache: OrderedDict = OrderedDict()
_data_lock = threading.Lock()


def cached_data(run=None, *, trace=None, tokens=None, model=None, lang="en", layer=-1, color_by="hidden",
                title=None, predictions=None, expected=None) -> dict:
    """``player_data`` of a run, shared by every session and rerun that shows the same run (the
    forward pass is cached and read-only, so its trace object identifies it). The position (``t``,
    ``unit``) is not part of it: pass those to ``player``. Never mutate the dict returned."""
    trace = run.trace if run is not None else trace
    key = (id(trace), lang, layer, color_by, title, predictions is not None)
    with _data_lock:
        hit = _data_cache.get(key)
        if hit is not None and hit[0]() is trace:
            _data_cache.move_to_end(key)
            return hit[1]
    data = player_data(run, trace=trace, tokens=tokens, model=model, lang=lang, layer=layer, color_by=color_by,
                       title=title, predictions=predictions, expected=expected)
    with _data_lock:
        _data_cache[key] = (weakref.ref(trace), data)
        while len(_data_cache) > DATA_ENTRIES:
            _data_cache.popitem(last=False)
    return data


def player(data: dict, *, key: str = "player", t: int | None = None, unit: int | None = None, rows=None,
           color_by: str | None = None, trace=None, on_change: Callable | None = None, download: bool = True,
           file_name: str = "lstm-trace.html", fallback: bool = True, fragment: bool = True) -> dict | None:
    """Mount the player for ``data``; return where the user last stopped, {"t", "unit"} (or None).

    ``t`` (1-based) and ``unit`` say where it stands (default: the ones in
    ``data``), clamped to the run; ``rows`` the units the heatmaps show, in
    order (default all); ``color_by`` the value that colours the token strip.
    ``on_change`` runs (as a Streamlit callback, before the rerun) when the
    user stops somewhere new; read the position with ``position(key)``.
    ``trace`` (the exact one) lets the static fallback print the arithmetic too.

    ``fragment`` (default): the player lives in an ``st.fragment``, so a report
    reruns only it (and ``on_change``, e.g. the URL), not the page: a class
    stepping at once costs the server a few ms per report instead of a page
    run. When the reader chooses another unit in the player the whole page
    reruns once, so widgets that show the unit (a unit box, a slider) follow.
    """
    def reported():
        pos = position(key)
        if pos and pos["unit"] != st.session_state.get(f"_{key}_unit_shown"):
            st.session_state[f"_{key}_unit_moved"] = True
        if on_change is not None:
            on_change()

    args = dict(key=key, t=t, unit=unit, rows=rows, color_by=color_by, trace=trace, on_change=reported,
                download=download, file_name=file_name, fallback=fallback)
    if not fragment:
        return _mount_player(data, **args)

    def stepped():
        if st.session_state.pop(f"_{key}_unit_moved", False):
            st.rerun(scope="app")          # the page's own unit widgets follow the player's unit
        _mount_player(data, **args)

    st.fragment(stepped)()
    return position(key)


def _mount_player(data: dict, *, key, t, unit, rows, color_by, trace, on_change, download, file_name,
                  fallback) -> dict | None:
    data = dict(data, mount_key=key)
    if t is not None:
        data["t"] = int(min(max(int(t), 1), data["T"]))
    if unit is not None:
        data["unit"] = int(min(max(int(unit), 0), data["H"] - 1))
    if rows is not None:
        data["rows"] = [int(u) for u in rows if 0 <= int(u) < data["H"]] or None
    if color_by in data["names"]:
        data["color_by"] = color_by
    sent = dict(data)
    # A rerun that only answers the player's own report (a new report since the last hand-over, or the
    # page echoing it: t and unit into the URL, then here) hands the browser the same data as last time,
    # so Streamlit sends a reference to it instead of the whole run again. ``ack``: the number of the
    # last report heard, so the browser can tell a rerun that answers an older report (the reader has
    # stepped on since) from the page moving the player itself.
    handed = st.session_state.get(f"_{key}_handed")
    raw = st.session_state.get(key)
    reported, number = position_of(raw), report_number(raw)
    news = number > st.session_state.get(f"_{key}_heard", 0)      # this run answers a report not yet answered
    st.session_state[f"_{key}_heard"] = number
    if handed and len(handed) == 3 and handed[0] == data["id"] and (
            news or reported == {"t": data["t"], "unit": data["unit"]}):
        (sent["t"], sent["unit"]), sent["ack"] = handed[1], handed[2]
        st.session_state[f"_{key}_unit_shown"] = reported["unit"] if reported else data["unit"]
    else:
        sent["ack"] = number
        st.session_state[f"_{key}_handed"] = (data["id"], (data["t"], data["unit"]), sent["ack"])
        st.session_state[f"_{key}_unit_shown"] = data["unit"]
    result = _mount()(key=key, data=sent, default={"pos": None}, on_pos_change=on_change or _noop,
                      width="stretch", height="content")
    if fallback:
        st.html(static_html(data, key, trace))
    if download:
        st.download_button(data["strings"]["download"], data=lambda: standalone_html(data), file_name=file_name,
                           mime="text/html", key=f"{key}__download", on_click="ignore",
                           help=data["strings"]["download_help"])
    return position_of(result)


def position_of(result) -> dict | None:
    pos = result.get("pos") if result is not None else None
    if isinstance(pos, dict) and isinstance(pos.get("t"), int) and isinstance(pos.get("unit"), int):
        return {"t": pos["t"], "unit": pos["unit"]}
    return None


def report_number(result) -> int:
    """The browser numbers its reports (1, 2, …); 0 before the first."""
    pos = result.get("pos") if result is not None else None
    n = pos.get("n") if isinstance(pos, dict) else None
    return n if isinstance(n, int) and not isinstance(n, bool) and n >= 0 else 0


def position(key: str = "player") -> dict | None:
    """Inside an ``on_change`` callback: the position the player ``key`` just sent."""
    return position_of(st.session_state.get(key))
