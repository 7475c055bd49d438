"""Speed of ``lstm_core`` against PyTorch on this machine, side by side.

Run ``python -m bench.core`` (add ``--quick`` for fewer repeats). For each
cell (LSTM, GRU, RNN), shape and dtype it times ``forward`` and
``forward + backward`` of ours and of ``torch.nn.LSTM/GRU/RNN`` (CPU; in
float32 torch uses oneDNN), takes the median of several repeats and prints
the ratio ours / torch. Shapes (issue 2): (T=1000, H=128, I=64, B=1) and
(T=200, H=256, I=128, B=32).

Targets (issue 2): float64 forward ≤ 0.7× torch; float32 forward ≤ 3× torch
at B=1; float64 forward+backward ≤ 0.5× torch. This is a script, not a test:
the machine is shared and timings are noisy.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

import numpy as np

import lstm_core

SHAPES = ((1000, 128, 64, 1), (200, 256, 128, 32))   # (T, H, I, B)
CELLS = ("lstm", "gru", "rnn")


CLOCK = time.perf_counter
# Seconds to wait before each timed call. After a call, OpenBLAS's worker
# threads keep spinning on a core for about 2^28 cycles (~0.13 s here) before
# they sleep, and OpenMP's (torch's) spin too: without a pause the next call,
# the other library's, runs on a machine with one core taken. Measured on
# 2026-11-26: torch's B=32 LSTM forward took 196 ms right after ours and 137 ms
# with OpenBLAS's threads made to sleep at once, so an unpaused run flatters us.
SETTLE = 0.25


def _median_times(fns, repeats, settle=None):
    """Median time of each callable. The callables take turns, repeat by
    repeat, so a burst of load from other processes hits all of them alike;
    each call starts after a pause of ``SETTLE`` seconds, so that no thread of
    the previous call's library is still spinning."""
    settle = SETTLE if settle is None else settle
    for fn in fns:
        fn()   # warm-up (allocations, oneDNN primitive caches)
    times = [[] for _ in fns]
    for _ in range(repeats):
        for fn, ts in zip(fns, times):
            time.sleep(settle)
            t0 = CLOCK()
            fn()
            ts.append(CLOCK() - t0)
    return [statistics.median(ts) for ts in times]


def _ours(cell, T, H, I, B, dtype):
    model = lstm_core.CELLS[cell].init(I, H, seed=0, dtype=dtype)
    rng = np.random.default_rng(1)
    xs = rng.standard_normal((T, B, I)).astype(dtype)
    dh = rng.standard_normal((T, B, H)).astype(dtype)

    def fwd():
        return model.forward(xs)

    def fwd_bwd():
        return model.backward(model.forward(xs), d_hidden=dh)
    return model, fwd, fwd_bwd


def _products(cell, T, H, I, B, dtype):
    """The matrix products alone, the same ones both sides must do: a floor for
    ``forward`` and ``forward + backward`` on this machine's BLAS. Forward: the
    input projection of all steps and T recurrent products; backward: T
    recurrent products, the weight gradients [∂W_ih | ∂W_hh] and ∂x."""
    G = {"lstm": 4, "gru": 3, "rnn": 1}[cell]
    rng = np.random.default_rng(2)
    X = rng.standard_normal((T * B, I)).astype(dtype)
    XH = rng.standard_normal((T * B, I + H)).astype(dtype)
    w_x = rng.standard_normal((I, G * H)).astype(dtype)
    w_h = rng.standard_normal((H, G * H)).astype(dtype)
    w_hT = np.ascontiguousarray(w_h.T)
    h = rng.standard_normal((B, H)).astype(dtype)
    D = rng.standard_normal((T * B, G * H)).astype(dtype)
    rec, dh = np.empty((B, G * H), dtype), np.empty((B, H), dtype)

    def fwd():
        X @ w_x
        for _ in range(T):
            np.matmul(h, w_h, rec)

    def fwd_bwd():
        fwd()
        for t in range(T):
            np.matmul(D[t * B:(t + 1) * B], w_hT, dh)
        D.T @ XH
        D @ w_x.T
    return fwd, fwd_bwd


def _torch(model, cell, T, H, I, B, dtype):
    import torch
    tdt = torch.float64 if dtype == np.float64 else torch.float32
    net = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[cell](I, H).to(tdt)
    net.load_state_dict({k: torch.from_numpy(v) for k, v in model.to_torch().items()})
    rng = np.random.default_rng(1)
    xs = torch.from_numpy(rng.standard_normal((T, B, I)).astype(dtype))
    dh = torch.from_numpy(rng.standard_normal((T, B, H)).astype(dtype))

    def fwd():
        with torch.no_grad():
            return net(xs)

    def fwd_bwd():
        x = xs.clone().requires_grad_(True)
        net.zero_grad(set_to_none=True)
        out, _ = net(x)
        out.backward(dh)
    return fwd, fwd_bwd


def machine():
    """A short description of the machine, numpy/torch versions and BLAS."""
    lines = []
    try:
        with open("/proc/cpuinfo") as f:
            model = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), "?")
    except OSError:
        model = platform.processor() or "?"
    lines.append(f"CPU: {model}, {os.cpu_count()} logical cores")
    lines.append(f"Python {platform.python_version()}, numpy {np.__version__}")
    try:
        import torch
        lines.append(f"torch {torch.__version__}, {torch.get_num_threads()} threads, "
                     f"oneDNN {'on' if torch.backends.mkldnn.is_available() else 'off'}")
    except ImportError:
        lines.append("torch not installed")
    try:
        from threadpoolctl import threadpool_info
        for info in threadpool_info():
            if info.get("user_api") == "blas":
                lines.append(f"numpy BLAS: {info.get('internal_api')} {info.get('version')} "
                             f"kernel {info.get('architecture')}, {info.get('num_threads')} threads")
    except ImportError:
        lines.append("numpy BLAS: (install threadpoolctl to see it)")
    env = {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in os.environ}
    lines.append(f"OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE: {env or 'unset'}")
    lines.append("load average before the run: " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))
    return lines


def limit_threads(n):
    """Run numpy's BLAS and torch on ``n`` threads (needs threadpoolctl for numpy)."""
    try:
        import torch
        torch.set_num_threads(n)
    except ImportError:
        pass
    from threadpoolctl import threadpool_limits
    return threadpool_limits(n)


def run(repeats=5, cells=CELLS, shapes=SHAPES, dtypes=(np.float64, np.float32), floor=False, settle=None):
    rows = []
    for cell in cells:
        for T, H, I, B in shapes:
            for dtype in dtypes:
                model, f, fb = _ours(cell, T, H, I, B, dtype)
                tf, tfb = _torch(model, cell, T, H, I, B, dtype)
                fns, names = [f, tf, fb, tfb], ["ours_f", "torch_f", "ours_fb", "torch_fb"]
                if floor:
                    fns += _products(cell, T, H, I, B, dtype)
                    names += ["blas_f", "blas_fb"]
                times = _median_times(fns, repeats, settle)
                r = dict(cell=cell, shape=(T, H, I, B), dtype=np.dtype(dtype).name, **dict(zip(names, times)))
                rows.append(r)
                print(_fmt(r), flush=True)
    return rows


HEADER = ("| cell | T, H, I, B | dtype | ours fwd ms | torch fwd ms | ratio | "
          "ours fwd+bwd ms | torch fwd+bwd ms | ratio |\n"
          "|---|---|---|---:|---:|---:|---:|---:|---:|")
FLOOR_HEADER = (HEADER.replace(" |\n", " | products alone fwd ms | ratio | products alone fwd+bwd ms | ratio |\n", 1)
                + "---:|---:|---:|---:|")


def _fmt(r):
    T, H, I, B = r["shape"]
    line = (f"| {r['cell'].upper()} | {T}, {H}, {I}, {B} | {r['dtype']} | {r['ours_f'] * 1e3:.1f} | "
            f"{r['torch_f'] * 1e3:.1f} | {r['ours_f'] / r['torch_f']:.2f} | {r['ours_fb'] * 1e3:.1f} | "
            f"{r['torch_fb'] * 1e3:.1f} | {r['ours_fb'] / r['torch_fb']:.2f} |")
    if "blas_f" in r:
        line += (f" {r['blas_f'] * 1e3:.1f} | {r['blas_f'] / r['torch_f']:.2f} | "
                 f"{r['blas_fb'] * 1e3:.1f} | {r['blas_fb'] / r['torch_fb']:.2f} |")
    return line


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--quick", action="store_true", help="3 repeats")
    ap.add_argument("--cells", default=",".join(CELLS))
    ap.add_argument("--threads", type=int, default=0,
                    help="run numpy's BLAS and torch on this many threads (default: as configured)")
    ap.add_argument("--floor", action="store_true",
                    help="also time the matrix products alone (the same ones both sides do): "
                         "how close to this machine's BLAS a ratio can get")
    ap.add_argument("--shapes", default="all", choices=("all", "b1", "b32"),
                    help="both issue shapes, or only the B=1 or the B=32 one")
    ap.add_argument("--dtypes", default="float64,float32")
    ap.add_argument("--settle", type=float, default=SETTLE,
                    help="seconds of pause before each timed call (default %(default)s; 0 = none, "
                         "which lets one library's spinning threads slow the other down)")
    ap.add_argument("--cpu-time", action="store_true",
                    help="time with the process's CPU time instead of the wall clock: steadier on a "
                         "busy machine, meaningful with --threads 1 only")
    args = ap.parse_args(argv)
    global CLOCK
    if args.cpu_time:
        if args.threads != 1:
            ap.error("--cpu-time needs --threads 1")
        CLOCK = time.process_time
    limiter = limit_threads(args.threads) if args.threads else None
    for line in machine():
        print(line)
    print(f"threads: {args.threads or 'as configured'}; clock: {'process CPU time' if args.cpu_time else 'wall'}; "
          f"median of {3 if args.quick else args.repeats} repeats, {args.settle} s pause before each call")
    print()
    print(FLOOR_HEADER if args.floor else HEADER)
    shapes = {"all": SHAPES, "b1": SHAPES[:1], "b32": SHAPES[1:]}[args.shapes]
    try:
        run(repeats=3 if args.quick else args.repeats, cells=args.cells.split(","), shapes=shapes,
            dtypes=tuple(np.dtype(d).type for d in args.dtypes.split(",")), floor=args.floor,
            settle=args.settle)
    finally:
        if limiter is not None:
            limiter.restore_original_limits()


if __name__ == "__main__":
    main()
