"""What the sequence explorer costs: bytes sent to the browser and time per step.

Run ``python -m bench.explorer`` (``--repeats N`` for more samples).

Payload: the page is run with ``streamlit.testing.v1.AppTest`` on an LSTM
with H = 64 (every unit shown, top-k off) and a typed sequence of T = 200,
then T = 400 characters; the figure of every ``st.plotly_chart`` on the page
is read from the element Streamlit would send (``proto.spec``, the string
``plotly.io.to_json`` made) and summed. Both views are measured: step by
step (heatmaps, token strip, cell diagram) and the in-browser animation.

Step time: the server's work for one step change, two ways, median of
``--repeats``:

- fragment: what the ``st.fragment`` redraws on a step change, timed
  directly: ``ui.figures.step_view.StepFigures`` moves the cursors of the
  cached heatmaps and token strip, builds the cell diagram, and the three
  figures are serialised as ``st.plotly_chart`` does;
- full rerun (upper bound): an AppTest click on "next", which reruns the
  whole page script (AppTest cannot run a fragment alone), served from the
  cached forward pass.

Targets (issue 3): payload ≤ 1.5 MB at T = 200 and ≤ 2.2× that at T = 400;
step change ≤ 50 ms median. A script, not a test: the machine is shared.
"""
from __future__ import annotations

import argparse
import random
import statistics
import string
import time
from pathlib import Path

import plotly.io as pio
import plotly.tools
from streamlit.testing.v1 import AppTest

from lstm_core.notation import TRACE_VALUES
from ui import model_source, state
from ui.figures import sequence as figures
from ui.figures.step_view import StepFigures

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
    at.toggle(key="w_topk_on").set_value(False).run()     # all 64 units: the largest step view
    assert not at.exception, at.exception
    return at


def chart_bytes(at):
    specs = [c.proto.spec for c in at.get("plotly_chart")]
    return sum(len(s.encode("utf-8")) for s in specs), len(specs)


def payload(T):
    at = open_explorer(T)
    step, n_step = chart_bytes(at)
    at.segmented_control(key="w_anim").set_value("animate").run()
    anim, n_anim = chart_bytes(at)
    return {"T": T, "step": step, "step_charts": n_step, "animate": anim, "animate_charts": n_anim}


def fragment_ms(T, repeats):
    """Median (wall ms, CPU ms) of the fragment's work for one step change.

    As the page does it: ``StepFigures`` moves the cursors of the session's
    heatmap stack and token strip and builds the cell diagram; then each
    figure goes through the two calls ``st.plotly_chart`` makes
    (``return_figure_from_figure_or_data``, ``plotly.io.to_json``). CPU time
    (this process only) is shown beside wall time because the machine is shared.
    """
    spec = state.ModelSpec("lstm", H, 1)
    run = model_source.compute(spec, sequence(T), "chars", "embedding")
    names, views = TRACE_VALUES["lstm"], StepFigures()
    wall, cpu = [], []
    for i in range(repeats + 2):
        s = (T // 3 + i) % len(run.tokens)
        w0, c0 = time.perf_counter(), time.process_time()
        for fig in (views.heatmaps(run, 0, names, None, "en", s), views.strip(run, 0, 0, "hidden", "en", s),
                    views.cell(run, 0, 0, "en", s)):
            pio.to_json(plotly.tools.return_figure_from_figure_or_data(fig, validate_figure=True), validate=False)
        wall.append((time.perf_counter() - w0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return statistics.median(wall[2:]), statistics.median(cpu[2:])


def rebuild_ms(T, repeats):
    """For comparison: CPU ms when every figure is built anew for each step."""
    run = model_source.compute(state.ModelSpec("lstm", H, 1), sequence(T), "chars", "embedding")
    layer, names, cpu = run.trace.layers[0], TRACE_VALUES["lstm"], []
    for i in range(repeats):
        s = (T // 3 + i) % len(run.tokens)
        c0 = time.process_time()
        for fig in (figures.heatmap_stack(layer, names, run.tokens, "lstm", "en", t=s),
                    figures.token_strip(run.tokens, layer["hidden"][:, 0], s, "en"),
                    figures.cell_diagram(run.trace, s, 0, "en")):
            pio.to_json(plotly.tools.return_figure_from_figure_or_data(fig, validate_figure=True), validate=False)
        cpu.append((time.process_time() - c0) * 1000)
    return statistics.median(cpu)


def rerun_ms(T, repeats):
    at = open_explorer(T)
    wall, cpu = [], []
    for _ in range(repeats + 1):
        w0, c0 = time.perf_counter(), time.process_time()
        at.button(key="b_next").click().run()
        wall.append((time.perf_counter() - w0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    assert not at.exception
    return statistics.median(wall[1:]), statistics.median(cpu[1:])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=15)
    args = ap.parse_args(argv)
    mb = 1e6
    rows = [payload(200), payload(400)]
    print(f"LSTM, H = {H}, all units shown; bytes of every chart's spec as sent by st.plotly_chart")
    print(f"{'T':>5} {'step view':>12} {'charts':>7} {'animation':>12} {'charts':>7}")
    for r in rows:
        print(f"{r['T']:>5} {r['step'] / mb:>10.3f}MB {r['step_charts']:>7} {r['animate'] / mb:>10.3f}MB "
              f"{r['animate_charts']:>7}")
    for view in ("step", "animate"):
        print(f"T=400 / T=200, {view}: {rows[1][view] / rows[0][view]:.2f}×")
    wall, cpu = fragment_ms(200, args.repeats)
    print(f"step change, fragment work (cursors moved, cell diagram built, 3 figures serialised), T=200: "
          f"median {wall:.1f} ms wall, {cpu:.1f} ms CPU")
    print(f"  (every figure rebuilt per step instead: median {rebuild_ms(200, args.repeats):.1f} ms CPU)")
    wall, cpu = rerun_ms(200, args.repeats)
    print(f"step change, full AppTest rerun of the page (upper bound), T=200: median {wall:.1f} ms wall, "
          f"{cpu:.1f} ms CPU")


if __name__ == "__main__":
    main()
