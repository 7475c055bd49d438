"""What the sequence explorer costs the server: bytes sent to the browser and the work per report.

Run ``python -m bench.explorer`` (``--repeats N`` for more samples).

Since the trace player (``ui.player``) steps in the browser, a step costs the
server nothing; what is left, measured with ``streamlit.testing.v1.AppTest`` on
an LSTM with H = 64 (every unit shown, top-k off) and a typed sequence of
T = 200, then T = 400 characters:

- **payload**: bytes of the player's element as Streamlit sends it (the data
  handed to ``st.components.v2``: every value of every step, 16-bit packed, the
  tokens, the top-5 outputs per step, the strings), and of every other chart
  on the page (none left) — the whole run is sent once, then steps are free;
- **a page rerun**: what any widget change costs, timed as one AppTest rerun
  of the page (served from the cached forward pass and the cached player data),
  median of ``--repeats``, wall and CPU. A report from the player (the reader
  stopped: pause, or 300 ms after the last step) reruns only the player's
  fragment, measured in a real server by ``python -m bench.player``;
- **packing**: ``ui.player.data.player_data`` of the run (once per run and
  language; ``cached_data`` shares it across sessions).

In the browser (Next → painted, play rate, page load): ``python -m bench.player``.
Many sessions at once: ``python -m bench.loadtest``. A script, not a test: the
machine is shared.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import string
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from ui import model_source, state
from ui.player.data import payload_bytes, player_data

ROOT = Path(__file__).resolve().parents[1]
H = 64


def sequence(T, seed=0):
    rng = random.Random(seed)
    return "".join(rng.choice(string.ascii_lowercase + "   ,.") for _ in range(T)).replace("  ", " a")[:T]


def open_explorer(T):
    at = AppTest.from_file(str(ROOT / "explorer_app.py"), default_timeout=120)
    for k, v in {"seq": sequence(T), "hidden": H, "lang": "en", "t": T // 2}.items():
        at.query_params[k] = str(v)
    at.switch_page("pages/explorer.py")
    at.run()
    at.toggle(key="w_topk_on").set_value(False).run()     # all 64 units: the largest view
    assert not at.exception, at.exception
    return at


def _elements(node):
    for child in (node.children.values() if isinstance(getattr(node, "children", None), dict) else []):
        yield child
        yield from _elements(child)


def sent_bytes(at):
    """(bytes of the player's data, bytes of every Plotly chart's spec) on the page as Streamlit sends them."""
    player = sum(len(e.proto.json.encode("utf-8")) for e in _elements(at.main)
                 if getattr(e.proto, "component_name", "").endswith("trace_player"))
    charts = sum(len(c.proto.spec.encode("utf-8")) for c in at.get("plotly_chart"))
    return player, charts


def payload(T):
    player, charts = sent_bytes(open_explorer(T))
    return {"T": T, "player": player, "charts": charts}


def report_ms(T, repeats):
    """Median (wall ms, CPU ms) of one rerun of the whole page."""
    at = open_explorer(T)
    wall, cpu = [], []
    for _ in range(repeats + 1):
        w0, c0 = time.perf_counter(), time.process_time()
        at.run()
        wall.append((time.perf_counter() - w0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    assert not at.exception
    return statistics.median(wall[1:]), statistics.median(cpu[1:])


def pack_ms(T, repeats):
    """Median CPU ms of ``player_data`` for one run (the forward pass excluded), and its JSON bytes."""
    run = model_source.compute(state.ModelSpec("lstm", H, 1), sequence(T), "chars", "embedding")
    cpu = []
    for _ in range(repeats):
        c0 = time.process_time()
        data = player_data(run, lang="en")
        json.dumps(data, ensure_ascii=False)
        cpu.append((time.process_time() - c0) * 1000)
    return statistics.median(cpu), payload_bytes(data)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=15)
    args = ap.parse_args(argv)
    rows = [payload(200), payload(400)]
    print(f"LSTM, H = {H}, all units shown; bytes sent to the browser for the whole run (steps then cost nothing)")
    print(f"{'T':>5} {'player data':>12} {'Plotly charts':>14}")
    for r in rows:
        print(f"{r['T']:>5} {r['player'] / 1e6:>10.3f}MB {r['charts'] / 1e6:>12.3f}MB")
    print(f"T=400 / T=200: {rows[1]['player'] / rows[0]['player']:.2f}×")
    for T in (200, 400):
        cpu, size = pack_ms(T, max(3, args.repeats // 3))
        print(f"player_data, T={T}: median {cpu:.1f} ms CPU ({size / 1e3:,.0f} kB JSON), once per run and language")
    wall, cpu = report_ms(200, args.repeats)
    print(f"a whole page rerun (AppTest, cached run and data), T=200: median {wall:.1f} ms wall, {cpu:.1f} ms CPU")


if __name__ == "__main__":
    main()
