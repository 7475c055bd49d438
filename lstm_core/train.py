"""Command line: train a small RNN / LSTM / GRU on a toy task, in NumPy.

Prints a progress bar on stderr, then one JSON line::

    python -m lstm_core.train --task recall --gap 100 --cell lstm --hidden 32 \
        --steps 2000 --seed 0 --forget-bias 3 --out recall.npz

The training itself (``Trainer``, tasks, losses, Adam) is ``lstm_core.training``.
"""
from __future__ import annotations

import argparse
import json
import sys

import numpy as np

from .models import CELLS
from .training.tasks import TASKS, make_task
from .training.trainer import Trainer, check_steps, save_model

TASK_OPTIONS = ("gap", "min_gap", "symbols", "length", "max_depth", "corpus", "max_vocab")


def _bar(done, total, loss, acc, secs, width=30):
    k = int(width * done / max(total, 1))
    return f"\r[{'#' * k}{'.' * (width - k)}] {done}/{total} loss {loss:.4f} acc {acc:.3f} {secs:.1f}s"


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m lstm_core.train",
                                 description="Train a small recurrent net on a toy task (NumPy).")
    ap.add_argument("--task", required=True, help=f"one of: {', '.join(TASKS)}")
    ap.add_argument("--cell", default="lstm", choices=sorted(CELLS))
    ap.add_argument("--hidden", type=int, default=32)
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", help="where to save the trained model (.npz)")
    ap.add_argument("--lr", type=float, default=1e-2)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--clip", type=float, default=1.0, help="largest global gradient norm (0 = off)")
    ap.add_argument("--forget-bias", type=float, default=1.0, help="LSTM's initial forget-gate bias")
    ap.add_argument("--max-seconds", type=float, default=None, help="stop after this much wall-clock time")
    ap.add_argument("--target-accuracy", type=float, default=None,
                    help="stop once held-out accuracy reaches this (checked every --eval-every steps)")
    ap.add_argument("--eval-every", type=int, default=100)
    ap.add_argument("--dtype", default="float32", choices=["float32", "float64"])
    ap.add_argument("--gap", type=int, help="recall, temporal_order: steps to bridge")
    ap.add_argument("--min-gap", type=int, help="recall, temporal_order: train on gaps from this up to --gap")
    ap.add_argument("--symbols", type=int, help="recall: number of symbols")
    ap.add_argument("--length", type=int, help="adding, brackets, parity, charlm: sequence length")
    ap.add_argument("--max-depth", type=int, help="brackets: deepest nesting")
    ap.add_argument("--corpus", help="charlm: en or zh")
    ap.add_argument("--max-vocab", type=int, help="charlm: largest vocabulary")
    ap.add_argument("--quiet", action="store_true", help="no progress bar")
    a = ap.parse_args(argv)
    if a.out and not a.out.lower().endswith((".npz", ".safetensors")):
        ap.exit(2, f"error: --out must end in .npz or .safetensors; got {a.out!r}\n")
    try:
        params = {k: getattr(a, k) for k in TASK_OPTIONS if getattr(a, k) is not None}
        task = make_task(a.task, **params)
        tr = Trainer(task, cell=a.cell, hidden=a.hidden, seed=a.seed, lr=a.lr, batch=a.batch, clip=a.clip,
                     forget_bias=a.forget_bias, dtype=np.dtype(a.dtype).type)
        check_steps(a.steps)
        best, shown, last = None, -1.0, None
        for ev in tr.run(a.steps, max_seconds=a.max_seconds, eval_every=a.eval_every,
                         target_accuracy=a.target_accuracy):
            if ev["kind"] == "progress":
                last = ev
            if not a.quiet and ((ev["kind"] == "progress" and ev["elapsed"] - shown >= 0.25)
                                or (ev["kind"] == "done" and last is not None)):
                shown = last["elapsed"]
                sys.stderr.write(_bar(last["step"], a.steps, last["loss"], last["accuracy"], last["elapsed"]))
                sys.stderr.flush()
            if ev["kind"] == "eval" and (best is None or ev["accuracy"] >= best[1]):
                best = (ev["step"], ev["accuracy"], ev["elapsed"])
    except ValueError as e:
        ap.exit(2, f"error: {e}\n")
    if not a.quiet:
        sys.stderr.write("\n")
    final = tr.evaluate()
    metric = "loss" if task.output == "linear" else "accuracy"
    out = {"task": a.task, "cell": a.cell, "hidden": a.hidden, "seed": a.seed, "accuracy": round(final["accuracy"], 4),
           "loss": round(final["loss"], 5), "steps": tr.steps, "seconds": round(tr.seconds, 2),
           "metric": metric, "params": task.params}
    if a.out:
        save_model(tr.model, a.out)
        out["out"] = a.out
    print(json.dumps(out, ensure_ascii=False))
    return out


if __name__ == "__main__":
    main()
