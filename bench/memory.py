"""Server memory after many distinct sequences, against the smallest free hosted tier.

    python -m bench.memory --sequences 200            (run it with ``nice``; ~3–5 min on 2 cores)
    python -m bench.memory --sequences 0 --big 3      (sessions at the explorer's size limit, kept open)

A real ``streamlit run explorer_app.py`` on 127.0.0.1 (``bench.loadtest.Server``).
``--contexts`` browser contexts (default 4) open ``--sequences`` deep links
between them, each a new session with its own sequence (a mix of Chinese,
English and numbers; lengths 20–400 tokens; hidden sizes 16–128; every third
link on a teaching page, with H ≤ 32 there: the RNN page's influence view is
unbounded in H, see tests/test_hosting_limits.py), waiting until the page has drawn and checking for an
exception box. RSS (VmRSS of the server and its children) is sampled after every
25 links and every 2 s (``rss_over_time``: one sample per 30 s). ``--big N`` then
opens N sessions at the explorer's size limit
(T·H·layers just under ``model_source.MAX_WORK``), keeps them open, and reports
the memory each one adds. Finally the run lists every cache in the code base
with its bounds, and exits 1 if the peak passed ``--limit`` MB (default 690).
Stops the browser and the server in every case.

``--idle S`` waits S seconds with no tab open at the end and samples again (a
closed session is dropped 120 s after its tab goes); ``--gc on|off`` overrides
``runner.postScriptGC`` of .streamlit/config.toml for an A/B::

    nice python -m bench.memory --sequences 600 --idle 150 --gc on
"""
from __future__ import annotations

import argparse
import ast
import asyncio
import json
import os
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from bench.loadtest import CHROMIUM_ARGS, EXCEPTION, IDLE, ROOT, Server, chromium_path, gc_options

LIMIT_MB = 690
MAX_SEQUENCES = 1000
TEACHING = ("rnn", "gru", "lstm_cell", "gates")   # the memory page trains on demand: left out
CJK = "".join(chr(c) for c in range(0x4E00, 0x4E00 + 3000))


def sequences(n: int, seed: int = 0) -> list[dict]:
    """n distinct deep-link parameter sets (seq always unique: a numbered prefix)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        kind = i % 3
        length = rng.choice((20, 60, 120, 400))
        if kind == 0:
            seq, mode = f"{i:04d}" + "".join(rng.choice(CJK) for _ in range(length)), "chars"
        elif kind == 1:
            words = ["the", "cat", "sat", "on", "mat", "and", "then", "slept", "river", "home", "memory", "gate"]
            seq, mode = f"w{i:04d} " + " ".join(rng.choice(words) for _ in range(length)), "words"
        else:
            seq, mode = f"{i}, " + ", ".join(f"{rng.uniform(-2, 2):.3f}" for _ in range(length)), "numbers"
        hidden = rng.choice((16, 32) if kind == 2 else (16, 32, 64, 128))    # kind 2 → a teaching page
        out.append({"seq": seq, "mode": mode, "lang": ("zh", "en")[i % 2], "hidden": hidden,
                    "cell": ("lstm", "gru", "rnn")[i % 3], "t": rng.randint(1, 20)})
    return out


def path_for(i: int, params: dict) -> str:
    page = TEACHING[(i // 3) % len(TEACHING)] if i % 3 == 2 else "explorer"
    return f"/{page}?" + urlencode(params)


async def _open(page, url, timeout_ms):
    await page.goto(url, wait_until="domcontentloaded")
    await page.wait_for_selector('[data-testid="stMain"] h1', timeout=timeout_ms)
    await page.wait_for_selector(IDLE, timeout=timeout_ms)
    if await page.locator(EXCEPTION).count():
        return (await page.locator(EXCEPTION).first.inner_text())[:200]
    return None


async def walk(server, links, contexts, timeout_ms, samples, every=25):
    """Open ``links`` spread over ``contexts`` pages; sample RSS every ``every`` links."""
    from playwright.async_api import async_playwright

    errors, done = [], [0]
    queue: asyncio.Queue = asyncio.Queue()
    for item in links:
        queue.put_nowait(item)

    async def worker(browser):
        ctx = await browser.new_context(viewport={"width": 1280, "height": 900})
        page = await ctx.new_page()
        page.set_default_timeout(timeout_ms)
        try:
            while not queue.empty():
                i, url = queue.get_nowait()
                try:
                    problem = await _open(page, server.url(url), timeout_ms)
                except Exception as err:   # counted; the run goes on
                    problem = f"{type(err).__name__}: {str(err).splitlines()[0][:160]}"
                if problem:
                    errors.append(f"link {i} {url[:80]}: {problem}")
                done[0] += 1
                if done[0] % every == 0:
                    samples.append((done[0], round(server.rss_mb())))
                    print(f"  {done[0]:4d} links, server RSS {samples[-1][1]} MB", flush=True)
        finally:
            await ctx.close()

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        try:
            await asyncio.gather(*(worker(browser) for _ in range(contexts)))
        finally:
            await browser.close()
    return errors


async def big_sessions(server, n, timeout_ms):
    """n sessions at the explorer's size limit, all kept open: RSS after each."""
    from playwright.async_api import async_playwright

    from ui import model_source, parsing

    hidden = 512
    steps = min(model_source.MAX_WORK // hidden, parsing.MAX_TOKENS)
    rows, errors = [], []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        try:
            for k in range(n):
                seq = "".join(CJK[(k * 977 + 7 * j) % len(CJK)] for j in range(steps))
                url = "/explorer?" + urlencode({"seq": seq, "hidden": hidden, "lang": "en", "seed": k})
                ctx = await browser.new_context(viewport={"width": 1280, "height": 900})
                page = await ctx.new_page()
                page.set_default_timeout(timeout_ms)
                started = time.perf_counter()
                try:
                    problem = await _open(page, server.url(url), timeout_ms)
                except Exception as err:
                    problem = f"{type(err).__name__}: {str(err).splitlines()[0][:160]}"
                if problem:
                    errors.append(f"big session {k}: {problem}")
                rows.append({"session": k, "T": steps, "H": hidden, "seconds": round(time.perf_counter() - started, 1),
                             "rss_mb": round(server.rss_mb())})
                print(f"  big session {k}: T={steps} H={hidden}, RSS {rows[-1]['rss_mb']} MB", flush=True)
        finally:
            await browser.close()
    return rows, errors


# ------------------------------------------------------------------ caches in the code base
def cache_bounds() -> list[dict]:
    """Every st.cache_* / lru_cache decorator with its bound arguments (read with ast)."""
    out = []
    files = [ROOT / "explorer_app.py"] + sorted((ROOT / "ui").rglob("*.py")) + sorted(
        (ROOT / "pages").rglob("*.py")) + sorted((ROOT / "lstm_core").rglob("*.py"))
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        consts = {n.targets[0].id: n.value for n in tree.body
                  if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name)}
        for node in ast.walk(tree):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for dec in node.decorator_list:
                call = dec if isinstance(dec, ast.Call) else None
                target = call.func if call else dec
                name = getattr(target, "attr", getattr(target, "id", ""))
                if name not in ("cache_data", "cache_resource", "lru_cache", "cache"):
                    continue
                bounds = {}
                for kw in (call.keywords if call else []):
                    if kw.arg is None and isinstance(kw.value, ast.Name) and kw.value.id in consts:
                        d = consts[kw.value.id]
                        if isinstance(d, ast.Call):
                            bounds.update({k.arg: ast.unparse(k.value) for k in d.keywords})
                    elif kw.arg in ("max_entries", "ttl", "maxsize"):
                        v = kw.value
                        bounds[kw.arg] = ast.unparse(consts.get(v.id, v) if isinstance(v, ast.Name) else v)
                bounds = {k: v for k, v in bounds.items() if k in ("max_entries", "ttl", "maxsize")}
                out.append({"where": f"{path.relative_to(ROOT).as_posix()}:{node.lineno} {node.name}",
                            "kind": name, "bounds": bounds or "NONE"})
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sequences", type=int, default=200)
    ap.add_argument("--contexts", type=int, default=4)
    ap.add_argument("--big", type=int, default=0, help="sessions at the size limit to open after the walk")
    ap.add_argument("--limit", type=float, default=LIMIT_MB, help="MB the server must stay under")
    ap.add_argument("--page-timeout", type=float, default=180, help="seconds allowed for one page")
    ap.add_argument("--timeout", type=float, default=900, help="seconds allowed for the whole run")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--log", type=Path)
    ap.add_argument("--gc", choices=("config", "on", "off"), default="config",
                    help="runner.postScriptGC: as in .streamlit/config.toml, or forced on / off")
    ap.add_argument("--idle", type=float, default=0,
                    help="then wait this many seconds with no tab open and sample RSS (sessions are dropped "
                         "server.disconnectedSessionTTL = 120 s after their tab goes)")
    args = ap.parse_args(argv)
    if not 0 <= args.sequences <= MAX_SEQUENCES or not 1 <= args.contexts <= 8 or not 0 <= args.big <= 10:
        ap.error(f"--sequences 0..{MAX_SEQUENCES}, --contexts 1..8, --big 0..10")
    if not 0 <= args.idle <= 900:
        ap.error("--idle 0..900")

    links = [(i, path_for(i, params)) for i, params in enumerate(sequences(args.sequences))]
    started = time.perf_counter()
    samples, errors, big = [], [], []
    server = Server(args.log, options=gc_options(args.gc))
    peak, idle = [0.0], None
    try:
        time.sleep(1.0)
        before = server.rss_mb()
        samples.append((0, round(before)))
        print(f"server on 127.0.0.1:{server.port}, RSS {before:.0f} MB; {len(links)} links in {args.contexts} "
              f"contexts", flush=True)

        async def everything():
            async def sampler():
                while True:
                    peak[0] = max(peak[0], server.rss_mb())
                    await asyncio.sleep(0.5)
            task = asyncio.create_task(sampler())
            try:
                errs = await walk(server, links, args.contexts, args.page_timeout * 1000, samples) if links else []
                rows, errs2 = await big_sessions(server, args.big, args.page_timeout * 1000) if args.big else ([], [])
                return errs + errs2, rows
            finally:
                task.cancel()

        errors, big = asyncio.run(asyncio.wait_for(everything(), args.timeout))
        after = server.rss_mb()
        healthy = server.healthy()
        if args.idle:
            print(f"  no tab open for {args.idle:.0f} s …", flush=True)
            time.sleep(args.idle)
            idle = {"seconds": args.idle, "rss_mb": round(server.rss_mb())}
    finally:
        server.stop()
    peak[0] = max(peak[0], after)
    result = {
        "command": f"python -m bench.memory --sequences {args.sequences}"
                   + (f" --big {args.big}" if args.big else "") + (f" --idle {args.idle:g}" if args.idle else "")
                   + (f" --gc {args.gc}" if args.gc != "config" else ""),
        "machine": f"{os.cpu_count()} cores, Python {sys.version.split()[0]}",
        "links_opened": len(links), "errors": len(errors), "error_list": errors[:20],
        "rss_mb": {"before": round(before), "after": round(after), "peak": round(peak[0]),
                   "after_idle": idle, "limit": args.limit, "under_limit": peak[0] < args.limit},
        "rss_curve": samples, "rss_over_time": server.rss_at(30.0), "big_sessions": big,
        "healthy_after": healthy, "wall_s": round(time.perf_counter() - started, 1),
        "caches": cache_bounds(),
    }
    print(json.dumps({k: v for k, v in result.items() if k not in ("error_list", "rss_over_time")},
                     ensure_ascii=False, indent=1))
    print("server RSS over time (s since start: MB):",
          ", ".join(f"{t:.0f}: {mb:.0f}" for t, mb in result["rss_over_time"]))
    for e in errors:
        print("  ERROR", e)
    if args.json:
        args.json.write_text(json.dumps(dict(result, rss_series=server.rss_series), ensure_ascii=False, indent=1),
                             encoding="utf-8")
    return 0 if not errors and result["rss_mb"]["under_limit"] and healthy else 1


if __name__ == "__main__":
    sys.exit(main())
