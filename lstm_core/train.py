"""Command line: train a small RNN / LSTM / GRU on a toy task, in NumPy.

Prints a progress bar on stderr, then one JSON line::

    python -m lstm_core.train --task recall --gap 100 --cell lstm --hidden 32 --seed 0 --out recall.npz

With no other flag that trains on gaps drawn from 1 to 100 (``--min-gap``
overrides), checks accuracy on 512 held-out sequences at the full gap every 25
steps and stops at 99 % (``--target``), or after 1,000 steps.

The training itself (``Trainer``, tasks, losses, Adam) is ``lstm_core.training``.
"""
from __future__ import annotations

import argparse
import json
import sys

import numpy as np

from .models import CELLS
from .training.tasks import SHORTEST_GAP, TASKS, make_task
from .training.trainer import Trainer, check_steps, save_model

TASK_OPTIONS = ("gap", "min_gap", "symbols", "length", "min_length", "max_depth", "corpus", "max_vocab")
TARGET, EVAL_EVERY, EVAL_SIZE = 0.99, 25, 512
EPILOG = """defaults that work:
  python -m lstm_core.train --task recall --gap 100 --cell lstm --hidden 32 --seed 0
trains on gaps drawn from 1 to 100 (a short gap gives the gradient a foothold; trained on gap 100 alone
nothing learns), measures accuracy on 512 held-out sequences at the full gap 100 every 25 steps and stops
once it reaches 99% (or after --steps). A plain RNN (--cell rnn) given the same command stays near chance."""


def _bar(done, total, loss, acc, secs, width=30):
    k = int(width * done / max(total, 1))
    return f"\r[{'#' * k}{'.' * (width - k)}] {done}/{total} loss {loss:.4f} acc {acc:.3f} {secs:.1f}s"


def _ending(reason, tr, final, target, task):
    """One line on why the run ended, for stderr."""
    where = f" at the full gap {task.gap}" if task.name in SHORTEST_GAP else ""
    aim = f"{target:.1%}".replace(".0%", "%")                    # 99%, 99.5%
    acc = f"held-out accuracy{where} {final['accuracy']:.1%}"
    if reason == "target":
        return f"stopped: {acc} reached the target {aim} after {tr.steps} steps ({tr.seconds:.1f} s)"
    if reason == "time":
        return f"stopped at the time limit after {tr.steps} steps ({tr.seconds:.1f} s); {acc}"
    below = f", below the target {aim}" if target and final["accuracy"] < target else ""
    return f"ran all {tr.steps} steps ({tr.seconds:.1f} s); {acc}{below}"


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m lstm_core.train", epilog=EPILOG,
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 description="Train a small recurrent net on a toy task (NumPy).")
    ap.add_argument("--task", required=True, help=f"one of: {', '.join(TASKS)}")
    ap.add_argument("--cell", default="lstm", choices=sorted(CELLS))
    ap.add_argument("--hidden", type=int, default=32)
    ap.add_argument("--steps", type=int, default=1000, help="most training steps, one batch each (default 1000)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", help="where to save the trained model (.npz)")
    ap.add_argument("--lr", type=float, default=1e-2)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--clip", type=float, default=1.0, help="largest global gradient norm (0 = off)")
    ap.add_argument("--forget-bias", type=float, default=None,
                    help="LSTM's initial forget-gate bias (default: 3 for recall and temporal_order, 1 otherwise)")
    ap.add_argument("--max-seconds", type=float, default=None, help="stop after this much wall-clock time")
    ap.add_argument("--target", "--target-accuracy", dest="target", type=float, default=TARGET,
                    help=f"stop once accuracy on {EVAL_SIZE} held-out sequences (recall, temporal_order: at the "
                         f"full --gap) reaches this; 0 = never stop early (default {TARGET:g})")
    ap.add_argument("--eval-every", type=int, default=EVAL_EVERY,
                    help=f"check held-out accuracy every this many steps (default {EVAL_EVERY})")
    ap.add_argument("--dtype", default="float32", choices=["float32", "float64"])
    ap.add_argument("--gap", type=int, help="recall, temporal_order: steps to bridge (default 100)")
    ap.add_argument("--min-gap", type=int,
                    help="recall, temporal_order: train on gaps drawn from this up to --gap (default: the shortest, "
                         "1 for recall and 4 for temporal_order; --min-gap equal to --gap trains on the full gap only)")
    ap.add_argument("--symbols", type=int, help="recall: number of symbols")
    ap.add_argument("--length", type=int, help="adding, brackets, parity, charlm: sequence length")
    ap.add_argument("--min-length", type=int,
                    help="adding: train on lengths drawn from this up to --length (default: --length only)")
    ap.add_argument("--max-depth", type=int, help="brackets: deepest nesting")
    ap.add_argument("--corpus", help="charlm: en or zh")
    ap.add_argument("--max-vocab", type=int, help="charlm: largest vocabulary")
    ap.add_argument("--quiet", action="store_true", help="no progress bar")
    a = ap.parse_args(argv)
    if a.out and not a.out.lower().endswith((".npz", ".safetensors")):
        ap.exit(2, f"error: --out must end in .npz or .safetensors; got {a.out!r}\n")
    if not 0 <= a.target <= 1:
        ap.exit(2, f"error: --target must be from 0 (off) to 1; got {a.target:g}\n")
    if a.eval_every < 1:
        ap.exit(2, f"error: --eval-every must be a whole number from 1; got {a.eval_every}\n")
    try:
        params = {k: getattr(a, k) for k in TASK_OPTIONS if getattr(a, k) is not None}
        if a.task in SHORTEST_GAP and a.min_gap is None:
            params["min_gap"] = SHORTEST_GAP[a.task]      # mixed gaps unless told otherwise
        task = make_task(a.task, **params)
        tr = Trainer(task, cell=a.cell, hidden=a.hidden, seed=a.seed, lr=a.lr, batch=a.batch, clip=a.clip,
                     forget_bias=a.forget_bias, dtype=np.dtype(a.dtype).type)
        check_steps(a.steps)
        shown, last, reason = -1.0, None, None
        for ev in tr.run(a.steps, max_seconds=a.max_seconds, eval_every=a.eval_every,
                         target_accuracy=a.target or None, eval_size=EVAL_SIZE):
            if ev["kind"] == "progress":
                last = ev
            if not a.quiet and ((ev["kind"] == "progress" and ev["elapsed"] - shown >= 0.25)
                                or (ev["kind"] == "done" and last is not None)):
                shown = last["elapsed"]
                sys.stderr.write(_bar(last["step"], a.steps, last["loss"], last["accuracy"], last["elapsed"]))
                sys.stderr.flush()
            if ev["kind"] == "done":
                reason = ev["reason"]
    except ValueError as e:
        ap.exit(2, f"error: {e}\n")
    final = tr.evaluate(EVAL_SIZE)
    if not a.quiet:
        sys.stderr.write("\n" + _ending(reason, tr, final, a.target, task) + "\n")
    metric = "loss" if task.output == "linear" else "accuracy"
    out = {"task": a.task, "cell": a.cell, "hidden": a.hidden, "seed": a.seed, "accuracy": round(final["accuracy"], 4),
           "loss": round(final["loss"], 5), "steps": tr.steps, "seconds": round(tr.seconds, 2),
           "metric": metric, "params": task.params, "target": a.target, "reason": reason}
    if a.out:
        save_model(tr.model, a.out)
        out["out"] = a.out
    print(json.dumps(out, ensure_ascii=False))
    return out


if __name__ == "__main__":
    main()
