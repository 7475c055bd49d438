"""What the in-browser trace player costs: Next → painted, play rate, payload, page load.

    python -m bench.player                       (~2 min; run it on a quiet machine, e.g. with ``nice``)
    python -m bench.player --sizes 200x64 --repeats 40

Drives headless Chromium (Debian's /usr/bin/chromium) against the player's demo
page (``tests/e2e/apps/player_app.py``, one-hot text, seeded random LSTM) served
by a real ``streamlit run`` on 127.0.0.1, at 1280 × 720, for each T × H:

- **Next → painted**, median of ``--repeats`` clicks on the Next button (and
  as many ArrowRight presses), two ways: *in the page*, ``performance.now()``
  from the click event's time stamp to the next animation frame after the
  step was drawn (the player records it); *from the driver*, wall time from
  sending the click over CDP until the page has that frame (polled per frame);
- **server CPU per step**: CPU seconds the streamlit process used during the
  clicks, divided by the clicks (stepping never reaches the server; the one
  report 300 ms after the last click is counted in);
- **play**: the Play button at 20 and at 30 steps/s for ``--play-seconds``;
  steps per second actually painted (from the player's per-step frame times)
  and skipped steps (a painted step more than one after the previous) — the
  player advances at most one step per frame, so it slows down rather than skip;
- **payload**: bytes of the data as JSON (what Streamlit sends), and of the
  standalone HTML export; the server's time to pack it (``player_data``, once
  per run: ``ui.player.component.cached_data`` keeps it);
- **page load on a warm server**, with ``--load`` (T = 200, H = 64 only):
  navigation → first heatmap drawn, the player page against a bare Streamlit
  page with one 64 × 200 Plotly heatmap served by a second server in the same
  run, alternating, median of ``--load`` loads each; plus the parts: the
  server's ``player_data`` (packing), the browser's decode and first draw.
- **the explorer page itself** (``--explorer``, on by default): the app
  (``explorer_app.py``) on a third server, ``/explorer?seq=<T characters>&hidden=H``
  as a reader opens it (top-k on for H > 32, the model's sidebar, the sequence
  box): Next → painted at each size, and its page load to the first heatmap
  (the player's canvas drawn) against the same bare page, alternating, with
  what costs what: the browser's navigation → DOMContentLoaded (Streamlit's own
  frontend), → the title drawn (websocket, session, the script's first
  elements), → the player mounted (the rest of the script up to the player and
  its data), → drawn (decode + first draw); and the server's script run of a new
  session on a warm process (``AppTest``, imports done, the run and the player's
  data cached), against the bare page's (building and serialising the figure).

Targets (issue 11): Next → painted ≤ 50 ms median in the page and ≤ 100 ms from
the driver; play ≥ 20 steps/s with no skipped step at T = 200, H = 64 and ≥ 10
at T = 2,000, H = 250; payload ≤ 0.5 MB at T = 200, H = 64, linear in T · H;
page load ≤ 1.3 × the bare page.
"""
from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

from bench.loadtest import cpu_s, end_process

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "tests" / "e2e" / "apps" / "player_app.py"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
READY = "() => (window.__lstmPlayers || []).some(p => p.root && p.root.dataset.ready === '1' && p.root.isConnected)"
P = "window.__lstmPlayers.filter(p => p.root.isConnected).slice(-1)[0]"

BARE_APP = '''
import numpy as np
import plotly.graph_objects as go
import streamlit as st

z = np.random.default_rng(0).random((64, 200)).astype(np.float32)
st.subheader("Bare heatmap")
st.plotly_chart(go.Figure(go.Heatmap(z=z)))
'''
# records when plotly's heatmap image first appears (ms since navigation began)
FIRST_HEATMAP = '''
new MutationObserver((m, obs) => {
  if (!window.__firstHeatmap && document.querySelector(".js-plotly-plot .heatmaplayer image")) {
    window.__firstHeatmap = performance.now(); obs.disconnect();
  }
}).observe(document, {subtree: true, childList: true});
'''
# records when the page's first heading appears (the script's first elements drawn), and when the first
# script run is over (Streamlit marks the app "notRunning" after having been "running")
FIRST_TITLE = '''
new MutationObserver((m, obs) => {
  if (!window.__firstTitle && document.querySelector("h1, h3")) window.__firstTitle = performance.now();
  const app = document.querySelector('[data-testid="stApp"]');
  const st = app && app.getAttribute("data-test-script-state");
  if (st === "running") window.__ran = true;
  if (window.__ran && st === "notRunning" && !window.__firstIdle) window.__firstIdle = performance.now();
  if (window.__firstTitle && window.__firstIdle) obs.disconnect();
}).observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ["data-test-script-state"]});
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``streamlit run <script>`` on 127.0.0.1:<free port>; ``stop()`` ends it."""

    def __init__(self, script: Path):
        self.port = free_port()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.address", "127.0.0.1",
             "--server.port", str(self.port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with code {self.proc.returncode}")
            try:
                with urllib.request.urlopen(self.url("/_stcore/health"), timeout=5) as r:
                    if r.read().strip() == b"ok":
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("no answer from /_stcore/health within 90 s")

    def url(self, path="/", **params):
        return f"http://127.0.0.1:{self.port}{path}" + (("?" + urlencode(params)) if params else "")

    def cpu_s(self):
        return cpu_s(self.proc.pid)

    def stop(self):
        end_process(self.proc)


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def explorer_text(T):
    """T characters of plain text (the one-hot/embedding explorer input of the given length)."""
    return ("the quick brown fox jumps over the lazy dog. " * (T // 45 + 1))[:T]


def explorer_url(server, T, H):
    text = explorer_text(T)
    return server.url("/explorer", lang="en", hidden=H, seq=text, mode="chars", cell="lstm", t=1, unit=0)


def open_player(browser, server, T, H, explorer=False):
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    pg = ctx.new_page()
    pg.set_default_timeout(180_000)
    pg.goto(explorer_url(server, T, H) if explorer else server.url("/", cell="lstm", H=H, T=T, lang="en", t=1,
                                                                    unit=0))
    pg.wait_for_function(READY, timeout=180_000)
    pg.evaluate(f"() => {P}.root.scrollIntoView()")
    pg.wait_for_timeout(300)
    return ctx, pg


def next_painted(pg, server, repeats, how):
    """(page ms list, driver ms list, server CPU s) for ``repeats`` steps by button click or key."""
    nxt = pg.locator('button[data-act="next"]')
    box = nxt.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    if how == "key":
        pg.evaluate(f"() => {P}.root.focus()")
    n0 = pg.evaluate(f"() => {P}.stats.next.length")
    page_ms, driver_ms = [], []
    cpu0 = server.cpu_s()
    for i in range(repeats):
        t0 = time.perf_counter()
        if how == "key":
            pg.keyboard.press("ArrowRight")
        else:
            pg.mouse.click(x, y)
        pg.wait_for_function(f"() => {P}.stats.next.length >= {n0 + i + 1}", polling="raf")
        driver_ms.append((time.perf_counter() - t0) * 1000)
        pg.wait_for_timeout(60)
    pg.wait_for_timeout(1500)              # the one report to the server, 300 ms after the last step, and its rerun
    cpu = server.cpu_s() - cpu0
    page_ms = pg.evaluate(f"() => {P}.stats.next.slice({n0})")
    return page_ms, driver_ms, cpu


def report_cost(pg, server, repeats):
    """Server CPU ms per report: ``repeats`` times one Next, then a wait until the player has reported it
    and the server has written it into the URL (what a reader stepping slowly, one step per pause, costs)."""
    nxt = pg.locator('button[data-act="next"]')
    cpu0 = server.cpu_s()
    for _ in range(repeats):
        nxt.click()
        t_ = pg.evaluate(f"() => {P}.state().t")
        pg.wait_for_function(f"() => new URLSearchParams(location.search).get('t') === '{t_}'", timeout=60_000)
        pg.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    return (server.cpu_s() - cpu0) / repeats * 1000


def play(pg, speed, seconds):
    pg.evaluate(f"() => {{ const p = {P}; p.go(0); p.speedIn.value = '{speed}'; "
                "p.speedIn.dispatchEvent(new Event('input')); }")
    pg.locator('button[data-act="play"]').click()
    pg.wait_for_timeout(int(seconds * 1000))
    pg.evaluate(f"() => {P}.pause(true)")
    steps = pg.evaluate(f"() => {P}.stats.play")
    if len(steps) < 2:
        return {"speed": speed, "steps_per_s": 0.0, "skipped": 0, "painted": len(steps)}
    t0, t1 = steps[0][1], steps[-1][1]
    skipped = sum(max(0, b[0] - a[0] - 1) for a, b in zip(steps, steps[1:]))
    late = sum(1 for a, b in zip(steps, steps[1:]) if b[1] - a[1] > 1.5 * 1000 / speed)
    return {"speed": speed, "steps_per_s": (len(steps) - 1) / ((t1 - t0) / 1000), "skipped": skipped,
            "late_frames": late, "painted": len(steps)}


def payloads(sizes):
    sys.path.insert(0, str(ROOT))
    from tests.e2e.apps import player_app  # noqa: E402  (the demo's own recipe: the very same numbers)
    from ui.player.data import payload_bytes
    from ui.player.export import standalone_html
    out = {}
    for T, H in sizes:
        run = player_app.make_run("lstm", H, 1, T)
        player_app.make_data({"H": str(H), "T": str(T)}, run)      # the first call also reads the pre-activations
        t0 = time.perf_counter()
        data = player_app.make_data({"H": str(H), "T": str(T)}, run)
        pack_ms = (time.perf_counter() - t0) * 1000
        out[(T, H)] = {"json_bytes": payload_bytes(data), "html_bytes": len(standalone_html(data).encode()),
                       "pack_ms": pack_ms}
    return out


DCL = "() => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"


def page_loads(browser, server, bare, repeats, explorer=False):
    """Median navigation → first heatmap (ms) of the player page (the demo, or the explorer) and the bare
    Plotly page, alternating; and the parts of each load (ms since navigation began)."""
    player_ms, bare_ms, parts, bare_parts = [], [], [], []
    for i in range(repeats + 1):            # the first round warms both servers up and is dropped
        ctx = browser.new_context(viewport={"width": 1280, "height": 720})
        ctx.add_init_script(FIRST_TITLE)
        pg = ctx.new_page()
        pg.set_default_timeout(120_000)
        pg.goto(explorer_url(server, 200, 64) if explorer else server.url("/", cell="lstm", H=64, T=200, lang="en"))
        pg.wait_for_function(READY)
        pg.wait_for_timeout(300)
        timing = dict(pg.evaluate(f"() => {P}.timing"), dcl=pg.evaluate(DCL),
                      title=pg.evaluate("() => window.__firstTitle || null"),
                      idle=pg.evaluate("() => window.__firstIdle || null"))
        ctx.close()
        ctx = browser.new_context(viewport={"width": 1280, "height": 720})
        ctx.add_init_script(FIRST_HEATMAP)
        ctx.add_init_script(FIRST_TITLE)
        pg = ctx.new_page()
        pg.set_default_timeout(120_000)
        pg.goto(bare.url("/"))
        pg.wait_for_function("() => window.__firstHeatmap")
        first = pg.evaluate("() => window.__firstHeatmap")
        bare_timing = {"dcl": pg.evaluate(DCL), "title": pg.evaluate("() => window.__firstTitle || null"),
                       "heatmap": first}
        ctx.close()
        if i:
            player_ms.append(timing["readyAt"])
            bare_ms.append(first)
            parts.append(timing)
            bare_parts.append(bare_timing)
    return player_ms, bare_ms, parts, bare_parts


def script_runs(bare_app: Path, repeats: int):
    """Median wall ms of one script run of a NEW session on a warm process (AppTest; imports done, the
    explorer's run and player data cached): the explorer page at T = 200, H = 64, and the bare page."""
    from streamlit.testing.v1 import AppTest

    def explorer_once():
        at = AppTest.from_file(str(ROOT / "explorer_app.py"), default_timeout=120)
        for k, v in {"lang": "en", "hidden": 64, "seq": explorer_text(200), "mode": "chars"}.items():
            at.query_params[k] = str(v)
        at.switch_page("pages/explorer.py")
        t0 = time.perf_counter()
        at.run()
        took = time.perf_counter() - t0
        assert not at.exception, at.exception
        return took * 1000

    def bare_once():
        at = AppTest.from_file(str(bare_app), default_timeout=120)
        t0 = time.perf_counter()
        at.run()
        return (time.perf_counter() - t0) * 1000

    explorer_once(), bare_once()                      # imports, the forward pass, the player's data
    return median([explorer_once() for _ in range(repeats)]), median([bare_once() for _ in range(repeats)])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="200x64,2000x250", help="T x H pairs, comma separated")
    ap.add_argument("--repeats", type=int, default=30, help="Next clicks (and ArrowRight presses) per size")
    ap.add_argument("--play-seconds", type=float, default=4.0)
    ap.add_argument("--load", type=int, default=5, help="page loads per page for the load ratio (0: skip)")
    ap.add_argument("--no-explorer", dest="explorer", action="store_false",
                    help="skip the explorer page (its Next → painted and its page load)")
    ap.add_argument("--json", action="store_true", help="print the raw figures as JSON too")
    args = ap.parse_args(argv)
    sizes = [tuple(int(v) for v in s.split("x")) for s in args.sizes.split(",")]

    from playwright.sync_api import sync_playwright

    results = {"sizes": {}, "payload": {}}
    for (T, H), p in payloads(sizes).items():
        results["payload"][f"{T}x{H}"] = p
    server = Server(APP)
    bare = app = None
    try:
        with sync_playwright() as pw, tempfile.TemporaryDirectory() as tmp:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            bare_app = Path(tmp) / "bare_heatmap.py"
            bare_app.write_text(BARE_APP)
            pages = [("demo", server)]
            if args.explorer:
                app = Server(ROOT / "explorer_app.py")
                pages.append(("explorer", app))
            for which, srv in pages:
                for T, H in sizes:
                    ctx, pg = open_player(browser, srv, T, H, explorer=which == "explorer")
                    r = {"timing": pg.evaluate(f"() => {P}.timing")}
                    for how in ("click", "key"):
                        page_ms, driver_ms, cpu = next_painted(pg, srv, args.repeats, how)
                        r[how] = {"page_median_ms": median(page_ms), "page_max_ms": max(page_ms),
                                  "driver_median_ms": median(driver_ms), "driver_max_ms": max(driver_ms),
                                  "server_cpu_ms_per_step": cpu / args.repeats * 1000}
                    if which == "demo":
                        r["play"] = [play(pg, speed, args.play_seconds) for speed in (20, 30)]
                    else:
                        pg.evaluate(f"() => {P}.go(0)")
                        r["report_cpu_ms"] = report_cost(pg, srv, max(5, args.repeats // 2))
                    results["sizes" if which == "demo" else "explorer_sizes"] = {
                        **results.get("sizes" if which == "demo" else "explorer_sizes", {}), f"{T}x{H}": r}
                    ctx.close()
            if args.load:
                bare = Server(bare_app)
                for which, srv in pages:
                    player_ms, bare_ms, parts, bare_parts = page_loads(browser, srv, bare, args.load,
                                                                       explorer=which == "explorer")
                    results["load" if which == "demo" else "explorer_load"] = {
                        "player_ms": player_ms, "bare_ms": bare_ms,
                        "player_median_ms": median(player_ms), "bare_median_ms": median(bare_ms),
                        "ratio": median(player_ms) / median(bare_ms),
                        "decode_ms": median([p["decode"] for p in parts]),
                        "draw_ms": median([p["draw"] for p in parts]),
                        "parts": {k: median([p[k] for p in parts if p.get(k) is not None])
                                  for k in ("dcl", "title", "mountAt", "readyAt", "idle")},
                        "bare_parts": {k: median([p[k] for p in bare_parts if p.get(k) is not None])
                                       for k in ("dcl", "title", "heatmap")}}
                if args.explorer:
                    results["explorer_load"]["script_ms"], results["explorer_load"]["bare_script_ms"] = \
                        script_runs(bare_app, max(3, args.load))
            browser.close()
    finally:
        server.stop()
        for s in (bare, app):
            if s:
                s.stop()
    report(results)
    if args.json:
        print(json.dumps(results, indent=1, default=str))


def report(r):
    print("Trace player (headless Chromium, 1280 x 720)\n")
    print("| T x H | via | Next → painted, page median (max) | from driver median (max) | server CPU / step |")
    print("| --- | --- | --- | --- | --- |")
    for size, s in r["sizes"].items():
        for how in ("click", "key"):
            m = s[how]
            print(f"| {size} | {how} | {m['page_median_ms']:.1f} ms ({m['page_max_ms']:.1f}) | "
                  f"{m['driver_median_ms']:.1f} ms ({m['driver_max_ms']:.1f}) | {m['server_cpu_ms_per_step']:.2f} ms |")
    print("\n| T x H | play speed | painted steps/s | skipped | late frames | first decode / draw |")
    print("| --- | --- | --- | --- | --- | --- |")
    for size, s in r["sizes"].items():
        for p in s["play"]:
            print(f"| {size} | {p['speed']}/s | {p['steps_per_s']:.1f} | {p['skipped']} | {p.get('late_frames', 0)} | "
                  f"{s['timing']['decode']:.0f} / {s['timing']['draw']:.0f} ms |")
    print("\n| T x H | data as JSON | standalone HTML | player_data (server) |")
    print("| --- | --- | --- | --- |")
    for size, p in r["payload"].items():
        print(f"| {size} | {p['json_bytes'] / 1e3:,.0f} kB | {p['html_bytes'] / 1e3:,.0f} kB | {p['pack_ms']:.0f} ms |")
    if "load" in r:
        ld = r["load"]
        print(f"\nPage load, warm server, navigation → first heatmap (median of {len(ld['player_ms'])}): "
              f"player {ld['player_median_ms']:.0f} ms, bare Plotly page {ld['bare_median_ms']:.0f} ms, "
              f"ratio {ld['ratio']:.2f}; in the player page: decode {ld['decode_ms']:.1f} ms, "
              f"first draw {ld['draw_ms']:.1f} ms")
    if "explorer_sizes" in r:
        print("\nThe explorer page (/explorer?seq=<T characters>&hidden=H)\n")
        print("| T x H | via | Next → painted, page median (max) | from driver median (max) | server CPU / step |")
        print("| --- | --- | --- | --- | --- |")
        for size, s in r["explorer_sizes"].items():
            for how in ("click", "key"):
                m = s[how]
                print(f"| {size} | {how} | {m['page_median_ms']:.1f} ms ({m['page_max_ms']:.1f}) | "
                      f"{m['driver_median_ms']:.1f} ms ({m['driver_max_ms']:.1f}) | "
                      f"{m['server_cpu_ms_per_step']:.2f} ms |")
        for size, s in r["explorer_sizes"].items():
            print(f"\nServer CPU per report at {size} (one Next, then wait until the URL has it): "
                  f"{s['report_cpu_ms']:.1f} ms")
    if "explorer_load" in r:
        ld = r["explorer_load"]
        p, b = ld["parts"], ld["bare_parts"]
        print(f"\nExplorer page load, warm server, navigation → first heatmap (median of {len(ld['player_ms'])}): "
              f"explorer {ld['player_median_ms']:.0f} ms, bare Plotly page {ld['bare_median_ms']:.0f} ms, "
              f"ratio {ld['ratio']:.2f}")
        print("| ms since navigation | explorer | bare page |\n| --- | --- | --- |")
        print(f"| DOMContentLoaded (Streamlit's frontend) | {p['dcl']:.0f} | {b['dcl']:.0f} |")
        print(f"| first heading drawn (websocket, session, script's first elements) | {p['title']:.0f} | "
              f"{b['title']:.0f} |")
        print(f"| player mounted (rest of the script, its data sent) | {p['mountAt']:.0f} | — |")
        print(f"| the first script run over (the page's last element sent) | {p['idle']:.0f} | — |")
        print(f"| first heatmap drawn | {p['readyAt']:.0f} (decode {ld['decode_ms']:.0f}, draw {ld['draw_ms']:.0f}) "
              f"| {b['heatmap']:.0f} |")
        if "script_ms" in ld:
            print(f"| server: one script run of a new session, warm process (AppTest) | {ld['script_ms']:.0f} | "
                  f"{ld['bare_script_ms']:.0f} |")


if __name__ == "__main__":
    main()
