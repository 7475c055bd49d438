"""Load test: many concurrent browser sessions on one real server, each with its own deep link.

    python -m bench.loadtest --sessions 40 --steps 20         (run it with ``nice``; ~5–10 min on 2 cores)

What it does, bounded in count (``--sessions`` ≤ 60) and time (``--timeout``):

1. starts ``streamlit run explorer_app.py`` on 127.0.0.1 on a free port (loopback
   only) and polls ``/_stcore/health`` until it answers ``ok``;
2. launches one headless Chromium (Debian's /usr/bin/chromium, never a download)
   and opens ``--sessions`` browser contexts at once (asyncio), each on a
   different link ``/explorer?seq=<unique word> …&mode=words&lang=zh|en&t=1``
   with its own cell kind and hidden size;
3. waits until every session has drawn its trace player (the load phase), then
   in every session presses the player's Next button ``--steps`` times, like a
   student (50–250 ms between clicks), and after each press measures the time
   from the click to the player showing the next step (its ``state().t``); after
   the last one it waits for the URL's ``t`` (the player's one report to the
   server, 300 ms after the reader stops, and the rerun that writes it) and
   checks: no exception box, the sequence box, the player's tokens and the page
   text hold this session's word and no other session's word;
4. prints errors (must be 0), the per-session isolation check, median / worst
   step latency, the server's CPU time during the stepping phase divided by the
   steps taken (stepping runs in the browser: what is left is each session's one
   report and its rerun) beside the load phase's per session, and the server's
   resident memory (VmRSS of the streamlit process and its children) before, at
   its peak and after, and over time (a sample every 2 s, every 15 s in the
   report); stops the browser and the server in every case (``finally``) and
   exits 1 if anything failed.

Memory that should stay bounded: ``--rounds N`` runs the sessions N times on the
same server, each round with new words (new forward passes, new sessions);
``--idle S`` then waits S seconds with no tab open (sessions are dropped 120 s
after their tab goes) and samples again; ``--gc on|off`` overrides
``runner.postScriptGC`` of .streamlit/config.toml for an A/B::

    nice python -m bench.loadtest --sessions 40 --steps 20 --rounds 3 --idle 150 --gc off

``Server`` and ``rss_mb`` are shared with bench/memory.py.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import statistics
import string
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
MAX_SESSIONS = 60
MAX_STEPS = 40
EXCEPTION = '[data-testid="stException"]'
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'   # the script run is over
READY = "() => (window.__lstmPlayers || []).some(p => p.root && p.root.dataset.ready === '1' && p.root.isConnected)"
P = "window.__lstmPlayers.filter(p => p.root.isConnected).slice(-1)[0]"
NEXT = 'button[data-act="next"]'                                      # the trace player's Next button
CELLS = ("lstm", "gru", "rnn")


# ------------------------------------------------------------------ server
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry))
    return out


def rss_mb(pid: int) -> float:
    """Resident memory (VmRSS) of ``pid`` and all its descendants, in MB."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
        todo += _children(p)
    return total / 1024


def end_process(proc):
    """Terminate ``proc`` (a server), kill it if it does not stop within 15 s."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def cpu_s(pid: int, skip: int | None = None) -> float:
    """CPU seconds (user + system) used so far by ``pid`` and its live descendants (except ``skip``)."""
    total, todo, tick = 0.0, [pid], os.sysconf("SC_CLK_TCK")
    while todo:
        p = todo.pop()
        if p == skip:
            continue
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])) / tick
        todo += _children(p)
    return total


def machine_busy_s() -> float:
    """CPU seconds all processes on the machine have used since boot (/proc/stat, not idle or iowait)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def gc_options(choice: str) -> dict:
    """``--gc``: ``config`` keeps .streamlit/config.toml's ``runner.postScriptGC``; ``on`` / ``off`` override it."""
    return {} if choice == "config" else {"runner.postScriptGC": "true" if choice == "on" else "false"}


class Server:
    """``streamlit run explorer_app.py`` on 127.0.0.1:<free port>; ``stop()`` always ends it.

    ``options`` are extra Streamlit settings (``{"runner.postScriptGC": "true"}``) given on the command line, over
    .streamlit/config.toml. A thread samples the server's RSS every ``sample_every`` seconds into ``rss_series``
    as ``(seconds since start, MB)``, so a run can show memory over time, not only its peak."""

    def __init__(self, log_path: Path | None = None, start_timeout: float = 90, options: dict | None = None,
                 sample_every: float = 2.0):
        self.port = free_port()
        self.log = open(log_path, "wb") if log_path else subprocess.DEVNULL
        extra = [arg for key, value in (options or {}).items() for arg in (f"--{key}", str(value))]
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "explorer_app.py", "--server.address", "127.0.0.1",
             "--server.port", str(self.port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none", *extra],
            cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)
        self.started = time.perf_counter()
        self.rss_series: list[tuple[float, float]] = []
        self._stop_sampling = threading.Event()
        self._sampler = None
        try:
            self._wait_healthy(start_timeout)
        except BaseException:
            self.stop()
            raise
        if sample_every:
            self._sampler = threading.Thread(target=self._sample, args=(sample_every,), daemon=True)
            self._sampler.start()

    def _sample(self, every):
        while not self._stop_sampling.is_set() and self.proc.poll() is None:
            self.rss_series.append((round(time.perf_counter() - self.started, 1), round(self.rss_mb(), 1)))
            self._stop_sampling.wait(every)

    def rss_at(self, every_s: float = 30.0) -> list[tuple[float, float]]:
        """``rss_series`` thinned to about one sample per ``every_s`` seconds (for a report)."""
        out, next_t = [], 0.0
        for t, mb in self.rss_series:
            if t >= next_t:
                out.append((t, mb))
                next_t = t + every_s
        return out

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(self.url("/_stcore/health"), timeout=5) as r:
                return r.status == 200 and r.read().strip() == b"ok"
        except OSError:
            return False

    def _wait_healthy(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with code {self.proc.returncode}")
            if self.healthy():
                return
            time.sleep(0.3)
        raise RuntimeError(f"no answer from /_stcore/health within {timeout:.0f} s")

    def rss_mb(self) -> float:
        return rss_mb(self.proc.pid)

    def cpu_s(self) -> float:
        return cpu_s(self.proc.pid)

    def stop(self):
        self._stop_sampling.set()
        end_process(self.proc)
        if self.log is not subprocess.DEVNULL:
            self.log.close()


def chromium_path() -> str:
    path = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    if not path:
        raise SystemExit("no Chromium found (apt-get install chromium); no browser is downloaded")
    return path


# ------------------------------------------------------------------ one session
def unique_words(n: int, seed: int = 0) -> list[str]:
    """n distinct words no other word contains (fixed length, a session-number prefix)."""
    rng = random.Random(seed)
    return [f"Q{i:02d}" + "".join(rng.choice(string.ascii_lowercase) for _ in range(6)) for i in range(n)]


def link(i: int, word: str) -> tuple[str, str, str]:
    lang = ("zh", "en")[i % 2]
    seq = (f"{word} walks past the river and {word} comes home, then the rain starts and {word} runs back "
           f"over the old bridge to the small house on the hill")        # words mode: 25 steps
    params = {"seq": seq, "mode": "words", "lang": lang, "t": 1, "cell": CELLS[i % 3], "hidden": 8 + (i % 5) * 4,
              "seed": i}
    return "/explorer?" + urlencode(params), seq, lang


class Phase:
    """The load phase ends when every session has drawn its player (or failed): then all start stepping,
    and the server's CPU counter is read, so loading and stepping are counted apart."""

    def __init__(self, n, server):
        self.n, self.server, self.count, self.event, self.cpu_at_start = n, server, 0, asyncio.Event(), None

    def arrive(self):
        self.count += 1
        if self.count >= self.n and not self.event.is_set():
            self.cpu_at_start = (self.server.cpu_s(), time.perf_counter())
            self.event.set()


async def _check(page, result, word, others, seq, t, timeout_ms):
    problems = []
    await page.wait_for_selector(IDLE, timeout=timeout_ms)
    await page.locator('[data-testid="stTextArea"] textarea').first.wait_for(state="attached", timeout=timeout_ms)
    if await page.locator(EXCEPTION).count():
        problems.append(f"exception box at step {t}: {(await page.locator(EXCEPTION).first.inner_text())[:200]}")
    box = await page.locator('[data-testid="stTextArea"] textarea').first.input_value()
    if box != seq:
        problems.append(f"sequence box holds {box[:60]!r} at step {t}")
    tokens = await page.evaluate(f"() => {P}.data.tokens")          # what the player draws (canvas, not text)
    if word not in tokens:
        problems.append(f"own word not among the player's tokens at step {t}")
    text = await page.locator("body").inner_text()
    leaked = [w for w in others if w in text or w in box or w in page.url or any(w in tok for tok in tokens)]
    if leaked:
        problems.append(f"saw other sessions' words {leaked[:3]} at step {t}")
    shown = (await page.evaluate(f"() => {P}.state()"))["t"]
    if shown != t:
        problems.append(f"player shows step {shown}, expected {t}")
    result["errors"] += problems
    result["isolated"] = result["isolated"] and not any("other sessions" in p or "holds" in p for p in problems)


async def session(browser, server, i, words, steps, timeout_ms, phase):
    word = words[i]
    others = [w for w in words if w != word]
    path, seq, lang = link(i, word)
    n = len(seq.split())
    rng = random.Random(i)
    result = {"session": i, "lang": lang, "word": word, "latencies": [], "page_ms": [], "errors": [],
              "isolated": True, "load_s": None, "reports": None}
    context = await browser.new_context(viewport={"width": 1280, "height": 900},
                                        locale="zh-CN" if lang == "zh" else "en-US")
    arrived = False
    try:
        page = await context.new_page()
        page.set_default_timeout(timeout_ms)
        started = time.perf_counter()
        await page.goto(server.url(path), wait_until="domcontentloaded")
        await page.wait_for_function(READY, timeout=timeout_ms, polling=100)
        result["load_s"] = time.perf_counter() - started
        await _check(page, result, word, others, seq, 1, timeout_ms)
        phase.arrive()
        arrived = True
        await phase.event.wait()
        button = page.locator(NEXT)
        last = min(steps, n - 1) + 1
        for t in range(2, last + 1):
            await asyncio.sleep(rng.uniform(0.05, 0.25))               # a student's pace between clicks
            clicked = time.perf_counter()
            await button.click()
            await page.wait_for_function(f"() => {P}.state().t === {t}", timeout=timeout_ms, polling="raf")
            result["latencies"].append(time.perf_counter() - clicked)
        result["page_ms"] = await page.evaluate(f"() => {P}.stats.next.slice()")
        await page.wait_for_function(f"() => new URLSearchParams(location.search).get('t') === '{last}'",
                                     timeout=timeout_ms)               # the one report, and the rerun it caused
        await _check(page, result, word, others, seq, last, timeout_ms)
        result["reports"] = int(await page.evaluate(f"() => {P}.root.dataset.sends || '0'"))
    except Exception as err:   # a timeout or a closed page: counted, never hides the others
        result["errors"].append(f"{type(err).__name__}: {str(err).splitlines()[0][:200]}")
        result["isolated"] = False
    finally:
        if not arrived:
            phase.arrive()
        await context.close()
    return result


async def drive(server, sessions, steps, timeout_s, sample, phase, round_=0):
    from playwright.async_api import async_playwright

    words = unique_words(sessions, seed=round_)            # each round its own words: new runs, new sessions
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        try:
            tasks = [session(browser, server, i, words, steps, timeout_s * 1000, phase) for i in range(sessions)]
            results = await asyncio.gather(*tasks)
            phase.cpu_at_end = (server.cpu_s(), time.perf_counter())
            return results
        finally:
            await browser.close()


async def _sampler(server, peak, stop):
    while not stop.is_set():
        peak[0] = max(peak[0], server.rss_mb())
        try:
            await asyncio.wait_for(stop.wait(), 0.5)
        except asyncio.TimeoutError:
            pass


async def run(server, sessions, steps, step_timeout, total_timeout, round_=0):
    peak, stop = [server.rss_mb()], asyncio.Event()
    phase = Phase(sessions, server)
    sampler = asyncio.create_task(_sampler(server, peak, stop))
    try:
        results = await asyncio.wait_for(drive(server, sessions, steps, step_timeout, peak, phase, round_),
                                         total_timeout)
        return results, peak[0], phase
    finally:
        stop.set()
        await sampler


# ------------------------------------------------------------------ report
def summary(results, rss_before, rss_peak, rss_after, elapsed, args, cpu=None):
    lat = [x for r in results for x in r["latencies"]]
    page_ms = [x for r in results for x in r.get("page_ms") or []]
    reports = [r["reports"] for r in results if r.get("reports") is not None]
    loads = [r["load_s"] for r in results if r["load_s"] is not None]
    errors = [f"session {r['session']}: {e}" for r in results for e in r["errors"]]
    extra = ((f" --rounds {args.rounds}" if args.rounds != 1 else "") + (f" --idle {args.idle:g}" if args.idle else "")
             + (f" --gc {args.gc}" if args.gc != "config" else ""))
    return {
        "command": f"python -m bench.loadtest --sessions {args.sessions} --steps {args.steps}{extra}",
        "machine": f"{os.cpu_count()} cores, Python {sys.version.split()[0]}",
        "sessions": len(results), "steps_per_session": args.steps, "steps_measured": len(lat),
        "errors": len(errors), "error_list": errors[:20],
        "isolated_sessions": sum(r["isolated"] for r in results),
        "first_view_s": {"median": round(statistics.median(loads), 2), "worst": round(max(loads), 2)}
        if loads else None,
        "step_latency_s": {"median": round(statistics.median(lat), 3),
                           "p90": round(statistics.quantiles(lat, n=10)[-1], 3) if len(lat) >= 10 else None,
                           "worst": round(max(lat), 3)} if lat else None,
        "next_to_painted_in_page_ms": {"median": round(statistics.median(page_ms), 1),
                                       "worst": round(max(page_ms), 1)} if page_ms else None,
        "reports_to_server_per_session": {"median": statistics.median(reports), "max": max(reports)}
        if reports else None,
        "server_rss_mb": {"before": round(rss_before), "peak": round(rss_peak), "after": round(rss_after)},
        "wall_s": round(elapsed, 1),
        "cpu_s": cpu,
    }


def print_report(s, results):
    print(f"\n== load test: {s['sessions']} sessions × {s['steps_per_session']} steps ({s['machine']})")
    for r in results:
        lat = r["latencies"]
        print(f"  session {r['session']:2d} [{r['lang']}] {r['word']}: "
              f"{'only its own sequence' if r['isolated'] and not r['errors'] else 'FAILED'}, "
              f"{len(lat)} steps, first view {r['load_s'] or float('nan'):.1f} s"
              + (f", step median {statistics.median(lat):.2f} s" if lat else ""))
    print(json.dumps({k: v for k, v in s.items() if k not in ("error_list", "rss_over_time")}, ensure_ascii=False,
                     indent=1))
    if s.get("rss_over_time"):
        print("server RSS over time (s since start: MB):",
              ", ".join(f"{t:.0f}: {mb:.0f}" for t, mb in s["rss_over_time"]))
    for e in s["error_list"]:
        print("  ERROR", e)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sessions", type=int, default=40)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--step-timeout", type=float, default=300, help="seconds allowed for one page load or step")
    ap.add_argument("--timeout", type=float, default=1200, help="seconds allowed for the whole run")
    ap.add_argument("--json", type=Path, help="also write the summary here")
    ap.add_argument("--log", type=Path, help="server log file (default: none)")
    ap.add_argument("--rounds", type=int, default=1,
                    help="run the sessions this many times on the same server, each round with new words "
                         "(does memory keep growing round after round?)")
    ap.add_argument("--idle", type=float, default=0,
                    help="then wait this many seconds with no session open and sample RSS (closed sessions are "
                         "dropped server.disconnectedSessionTTL = 120 s after their tab goes)")
    ap.add_argument("--gc", choices=("config", "on", "off"), default="config",
                    help="runner.postScriptGC: as in .streamlit/config.toml, or forced on / off")
    args = ap.parse_args(argv)
    if not 1 <= args.sessions <= MAX_SESSIONS or not 1 <= args.steps <= MAX_STEPS:
        ap.error(f"--sessions must be 1..{MAX_SESSIONS} and --steps 1..{MAX_STEPS}")
    if not 1 <= args.rounds <= 10 or not 0 <= args.idle <= 900:
        ap.error("--rounds must be 1..10 and --idle 0..900")

    started = time.perf_counter()
    server = Server(args.log, options=gc_options(args.gc))
    results, rounds, idle = [], [], None
    try:
        time.sleep(1.0)
        before = server.rss_mb()
        cpu0 = server.cpu_s(), machine_busy_s(), os.getloadavg()[0]
        print(f"server on 127.0.0.1:{server.port} healthy, RSS {before:.0f} MB; opening {args.sessions} sessions …",
              flush=True)
        deadline = time.monotonic() + args.timeout
        for r in range(args.rounds):
            cpu_round = server.cpu_s()
            got, peak_r, phase = asyncio.run(run(server, args.sessions, args.steps, args.step_timeout,
                                                 max(1.0, deadline - time.monotonic()), r))
            results += got
            row = {"round": r + 1, "at_s": round(time.perf_counter() - server.started, 1),
                   "rss_mb_peak": round(peak_r), "rss_mb_after": round(server.rss_mb()),
                   "errors": sum(len(x["errors"]) for x in got), "isolated": sum(x["isolated"] for x in got)}
            steps_taken = sum(len(x["latencies"]) for x in got)
            if phase.cpu_at_start and getattr(phase, "cpu_at_end", None) and steps_taken:
                stepping = phase.cpu_at_end[0] - phase.cpu_at_start[0]
                loading = phase.cpu_at_start[0] - cpu_round
                row.update({"server_load_phase_s": round(loading, 2),
                            "server_load_phase_per_session_ms": round(loading / args.sessions * 1000, 1),
                            "server_stepping_phase_s": round(stepping, 2),
                            "stepping_phase_wall_s": round(phase.cpu_at_end[1] - phase.cpu_at_start[1], 1),
                            "server_cpu_per_step_ms": round(stepping / steps_taken * 1000, 2)})
            rounds.append(row)
            print(f"  round {r + 1}: RSS peak {row['rss_mb_peak']} MB, after {row['rss_mb_after']} MB, "
                  f"{row['errors']} errors", flush=True)
        peak = max(x["rss_mb_peak"] for x in rounds)
        healthy = server.healthy()
        after = server.rss_mb()
        cpu = {"server": round(server.cpu_s() - cpu0[0], 1),
               "whole_machine": round(machine_busy_s() - cpu0[1], 1),   # browsers, server, everyone else
               "load_avg_before": round(cpu0[2], 1), "load_avg_after": round(os.getloadavg()[0], 1)}
        cpu.update({k: v for k, v in rounds[0].items() if k.startswith(("server_", "stepping_"))})
        if args.idle:
            print(f"  no session open for {args.idle:.0f} s …", flush=True)
            time.sleep(args.idle)
            idle = {"seconds": args.idle, "rss_mb": round(server.rss_mb())}
    finally:
        server.stop()
    s = summary(results, before, peak, after, time.perf_counter() - started, args, cpu)
    s["healthy_after"] = healthy
    s["server_rss_mb"]["after_idle"] = idle
    s["rounds"] = rounds
    s["rss_over_time"] = server.rss_at(15.0)          # (seconds since the server started, MB)
    print_report(s, results)
    if args.json:
        args.json.write_text(json.dumps(dict(s, rss_series=server.rss_series), ensure_ascii=False, indent=1),
                             encoding="utf-8")
    return 0 if s["errors"] == 0 and s["isolated_sessions"] == s["sessions"] and healthy else 1

if __name__ == "__main__":
    sys.exit(main())
