"""Training benchmarks (not tests): step time against PyTorch, and long gaps.

    python bench/train.py step             # one training step, NumPy vs torch, float32 and float64
    python bench/train.py gaps             # recall / temporal order at gap 100, 30 CPU-s budget, 3 seeds
    python bench/train.py gaps --seeds 5 --budget 30 --tasks recall --clock wall

Prints Markdown tables (pasted into docs/benchmarks.md). Both libraries run
on one thread (NumPy's BLAS via threadpoolctl, ``torch.set_num_threads(1)``),
which is also how ``lstm_core.train`` trains. torch is optional: without it
the step table has NumPy's column only. The machine is shared and noisy, so
each timing is the median of several repeats.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from lstm_core.models import CELLS  # noqa: E402
from lstm_core.training import losses  # noqa: E402
from lstm_core.training.optim import Adam, clip_by_global_norm  # noqa: E402
from lstm_core.training.tasks import make_task  # noqa: E402
from lstm_core.training.trainer import Trainer, blas_threads  # noqa: E402

T, B, H, I, O = 50, 32, 64, 16, 16


def _median_times(fns, reps, inner):
    """Median seconds per call of each function, timed in alternation (A, B, A, B …)
    so that a burst of load on the shared machine hits both sides alike.

    Returns [(cpu, wall), …]: CPU time of this process (all its threads) and
    wall-clock time. On a machine shared with other jobs the CPU time is the
    steadier measure of the work done; both are reported.
    """
    for fn in fns:
        fn()  # warm up
    out = [([], []) for _ in fns]
    for _ in range(reps):
        for fn, (cpu, wall) in zip(fns, out):
            c, w = time.process_time(), time.perf_counter()
            for _ in range(inner):
                fn()
            cpu.append((time.process_time() - c) / inner)
            wall.append((time.perf_counter() - w) / inner)
    return [(statistics.median(c), statistics.median(w)) for c, w in out]


def numpy_step(cell, dtype, rng):
    """Closure doing one step: forward, cross-entropy on every step, backward, clip, Adam."""
    m = CELLS[cell].init(I, H, seed=0, output_size=O, dtype=dtype)
    opt = Adam(m.params, lr=1e-3)
    x = rng.normal(size=(T, B, I)).astype(dtype)
    k = rng.integers(0, O, (T, B))

    def step():
        with blas_threads(1):
            tr = m.forward(x)
            _, d = losses.cross_entropy(tr.logits, k)
            g = m.backward(tr, d_logits=d.astype(dtype))
            g = {n: g[n] for n in m.params}
            clip_by_global_norm(g, 1.0)
            opt.step(g)
    return step


def torch_step(cell, dtype, rng):
    import torch
    torch.set_num_threads(1)
    tdt = {np.float32: torch.float32, np.float64: torch.float64}[dtype]
    rnn = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[cell](I, H).to(tdt)
    lin = torch.nn.Linear(H, O).to(tdt)
    params = list(rnn.parameters()) + list(lin.parameters())
    opt = torch.optim.Adam(params, lr=1e-3)
    x = torch.tensor(rng.normal(size=(T, B, I)), dtype=tdt)
    k = torch.tensor(rng.integers(0, O, (T * B,)))

    def step():
        opt.zero_grad()
        h, _ = rnn(x)
        loss = torch.nn.functional.cross_entropy(lin(h).reshape(T * B, O), k)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
    return step


def bench_step(reps=9, inner=5, cells=("lstm", "gru", "rnn")):
    try:
        import torch  # noqa: F401
        have_torch = True
    except ImportError:
        have_torch = False
    print(f"One training step (forward + backward + clip + Adam), T={T}, B={B}, H={H}, I={I}, "
          f"O={O}, cross-entropy on every step; median of {reps} alternating rounds of {inner}, one thread "
          f"each; CPU ms = this process's CPU time per step (steady under other users' load), wall ms in "
          f"brackets\n")
    print("| cell | dtype | NumPy CPU ms (wall) | torch CPU ms (wall) | NumPy / torch (CPU) |")
    print("| --- | --- | ---: | ---: | ---: |")
    rng = np.random.default_rng(0)
    rows = []
    nan = (float("nan"), float("nan"))
    for cell in cells:
        for dtype in (np.float32, np.float64):
            fns = [numpy_step(cell, dtype, rng)] + ([torch_step(cell, dtype, rng)] if have_torch else [])
            a, b = ([(c * 1e3, w * 1e3) for c, w in _median_times(fns, reps, inner)] + [nan])[:2]
            rows.append((cell, np.dtype(dtype).name, a, b))
            print(f"| {cell} | {np.dtype(dtype).name} | {a[0]:.2f} ({a[1]:.2f}) | {b[0]:.2f} ({b[1]:.2f}) "
                  f"| {a[0] / b[0]:.2f}× |", flush=True)
    return rows


def one_run(task_name, cell, seed, budget, forget_bias, min_gap, hidden, gap, lr=1e-2, batch=32, clock="cpu"):
    """Train until ``budget`` seconds of the chosen clock have passed or held-out accuracy
    reaches 99%. clock "cpu": this process's CPU time (one thread, so one core's worth,
    whatever else the shared machine runs); "wall": wall-clock time."""
    params = {"gap": gap}
    if min_gap:
        params["min_gap"] = min_gap
    tr = Trainer(make_task(task_name, **params), cell=cell, hidden=hidden, seed=seed, lr=lr,
                 batch=batch, forget_bias=forget_bias)
    now = time.process_time if clock == "cpu" else time.perf_counter
    t0, hit = now(), None
    for ev in tr.run(10_000_000, eval_every=50, target_accuracy=0.99, eval_size=1000):
        if ev["kind"] == "eval" and ev["accuracy"] >= 0.99 and hit is None:
            hit = now() - t0
        if now() - t0 >= budget:
            break
    acc = tr.evaluate(1000)["accuracy"]
    return {"acc": acc, "steps": tr.steps, "seconds": now() - t0, "hit": hit, "wall": tr.seconds}


def bench_gaps(seeds=3, budget=30.0, hidden=32, gap=100, tasks=("recall", "temporal_order"), clock="cpu"):
    configs = [("lstm", 1.0, 1), ("lstm", 0.0, 1), ("lstm", 3.0, 1), ("gru", None, 1), ("rnn", None, 1),
               ("lstm", 1.0, None), ("lstm", 3.0, None)]
    what = "CPU seconds (one thread)" if clock == "cpu" else "wall-clock seconds"
    print(f"Gap {gap}, H={hidden}, batch 32, Adam lr 0.01, clip 1, float32, one thread; each run stops at "
          f"{budget:.0f} {what} or when held-out accuracy (1000 sequences, fixed gap {gap}) reaches 99% "
          f"(checked every 50 steps). 'mixed' trains on gaps drawn from min_gap..{gap}; "
          f"'fixed' trains on gap {gap} only. Chance: recall 1/8, temporal order 1/4.\n")
    print("| task | cell | forget bias | training gaps | seeds ≥ 99% | accuracy per seed | "
          "seconds to 99% per seed | steps per seed |")
    print("| --- | --- | ---: | --- | ---: | --- | --- | --- |")
    for task in tasks:
        for cell, fb, mg in configs:
            if mg is not None:
                mg = 1 if task == "recall" else 4
            runs = [one_run(task, cell, s, budget, fb if fb is not None else 1.0, mg, hidden, gap, clock=clock)
                    for s in range(seeds)]
            ok = sum(r["acc"] >= 0.99 for r in runs)
            accs = ", ".join(f"{r['acc']:.3f}" for r in runs)
            hits = ", ".join("—" if r["hit"] is None else f"{r['hit']:.1f}" for r in runs)
            steps = ", ".join(str(r["steps"]) for r in runs)
            fbs = "—" if fb is None else f"{fb:g}"
            gaps = f"mixed {mg}..{gap}" if mg else f"fixed {gap}"
            print(f"| {task} | {cell} | {fbs} | {gaps} | {ok}/{seeds} | {accs} | {hits} | {steps} |", flush=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("part", choices=["step", "gaps", "all"])
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--budget", type=float, default=30.0)
    ap.add_argument("--hidden", type=int, default=32)
    ap.add_argument("--gap", type=int, default=100)
    ap.add_argument("--tasks", default="recall,temporal_order")
    ap.add_argument("--clock", choices=["cpu", "wall"], default="cpu",
                    help="budget in this process's CPU seconds (default; immune to other users' load) or wall-clock")
    a = ap.parse_args(argv)
    if a.part in ("step", "all"):
        bench_step()
        print()
    if a.part in ("gaps", "all"):
        bench_gaps(a.seeds, a.budget, a.hidden, a.gap, tuple(a.tasks.split(",")), a.clock)


if __name__ == "__main__":
    main()
