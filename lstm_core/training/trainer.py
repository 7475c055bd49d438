"""Train a small RNN / LSTM / GRU on a toy task, in NumPy.

One step: draw a batch (T, B, I) → ``model.forward`` → masked loss on the
output layer (``losses``) → ``model.backward(trace, d_logits=…)`` → clip the
global gradient norm → Adam. Seeded and deterministic: the same settings and
seed give bit-identical weights (as long as no time cap cuts the run short).

For a page or a script, ``Trainer.run`` is a generator::

    tr = Trainer(make_task("recall", gap=20), cell="lstm", hidden=16, seed=0)
    for event in tr.run(steps=500, max_seconds=30, snapshot_every=50):
        if event["kind"] == "progress": ...   # step, loss, accuracy, elapsed
        if event["kind"] == "snapshot": ...   # step, values on the probe sequence
        if user_pressed_stop: break           # tr.model keeps what was learned
    tr.evaluate()                             # loss, accuracy on held-out data

The command line over this, ``python -m lstm_core.train``, is ``lstm_core/train.py``.
"""
from __future__ import annotations

import contextlib
import time

import numpy as np

from ..models import CELLS
from . import losses
from .optim import Adam, clip_by_global_norm
from .tasks import Batch

EVAL_SEED = 987_654   # held-out data: the same for every training seed
_POOL = []


def blas_threads(n):
    """Limit BLAS to ``n`` threads inside a ``with`` block (no-op if n is None or
    threadpoolctl is missing). Small recurrent matmuls run fastest on one
    thread, and one thread leaves the other cores to other users of a server."""
    if n is None:
        return contextlib.nullcontext()
    if not _POOL:
        try:
            from threadpoolctl import ThreadpoolController
            _POOL.append(ThreadpoolController())
        except ImportError:
            _POOL.append(None)
    return contextlib.nullcontext() if _POOL[0] is None else _POOL[0].limit(limits=n, user_api="blas")


class Trainer:
    """Holds a model, its optimiser and the task; ``step()`` trains one batch.

    task: a ``lstm_core.training.tasks.Task``; cell "lstm" | "gru" | "rnn"; hidden ≥ 1;
    lr: Adam's step size; batch: sequences per step; clip: largest global
    gradient norm (0 = no clipping); forget_bias: the LSTM's initial forget
    bias (ignored by GRU and RNN; None = the task's own, ``task.forget_bias``:
    3 for recall and temporal order, 1 elsewhere); dtype: float32 (fast) or float64;
    threads: BLAS threads while training (None = leave the library's default).
    """

    def __init__(self, task, cell="lstm", hidden=32, seed=0, lr=1e-2, batch=32, clip=1.0,
                 forget_bias=None, dtype=np.float32, layers=1, threads=1):
        if cell not in CELLS:
            raise ValueError(f"unknown cell {cell!r}; choose one of {', '.join(CELLS)}")
        if isinstance(hidden, bool) or not isinstance(hidden, (int, np.integer)) or not 1 <= hidden <= 1024:
            raise ValueError(f"hidden size must be a whole number from 1 to 1024; got {hidden!r}")
        if isinstance(batch, bool) or not isinstance(batch, (int, np.integer)) or not 1 <= batch <= 4096:
            raise ValueError(f"batch size must be a whole number from 1 to 4096; got {batch!r}")
        if not (isinstance(lr, (int, float)) and 0 < lr <= 1):
            raise ValueError(f"learning rate must be above 0 and at most 1; got {lr!r}")
        if not (isinstance(clip, (int, float)) and clip >= 0):
            raise ValueError(f"clip must be 0 (off) or above; got {clip!r}")
        self.task, self.cell, self.batch, self.clip = task, cell, int(batch), float(clip)
        self.seed = int(seed)
        self.threads = threads
        if forget_bias is None:
            forget_bias = float(getattr(task, "forget_bias", 1.0))
        kw = {"forget_bias": forget_bias} if cell == "lstm" else {}
        self.model = CELLS[cell].init(task.input_size, int(hidden), num_layers=layers, seed=self.seed,
                                      output_size=task.output_size, output=task.output, dtype=dtype, **kw)
        self.model.meta.update(task.meta())
        self.model.meta["training"] = {"cell": cell, "hidden": int(hidden), "seed": self.seed, "lr": lr,
                                       "batch": self.batch, "clip": self.clip,
                                       "forget_bias": forget_bias if cell == "lstm" else None,
                                       "dtype": np.dtype(dtype).name, "steps": 0}
        self.opt = Adam(self.model.params, lr=lr)
        self.rng = np.random.default_rng([self.seed, 1])   # data stream, apart from the init stream
        self.steps = 0
        self.seconds = 0.0
        self.history = []        # (step, loss, accuracy, elapsed) per logged point
        self._eval = None
        self._stop = False

    # ------------------------------------------------------------ one step
    def score(self, trace, batch):
        """(loss, d_logits, accuracy) of a forward pass on ``batch``."""
        if self.task.output == "linear":
            loss, d = losses.mse(trace.logits, batch.targets, batch.mask)
            acc = losses.within(trace.logits, batch.targets, self.task.tolerance, batch.mask)
        else:
            loss, d = losses.cross_entropy(trace.logits, batch.targets, batch.mask)
            acc = losses.accuracy(trace.logits, batch.targets, batch.mask)
        return loss, d, acc

    def step(self):
        """Train on one fresh batch; return (loss, accuracy) on that batch."""
        b = self.task.sample(self.rng, self.batch)
        with blas_threads(self.threads):
            tr = self.model.forward(b.inputs.astype(self.model.dtype, copy=False))
            loss, d, acc = self.score(tr, b)
            grads = self.model.backward(tr, d_logits=d.astype(self.model.dtype, copy=False))
            grads = {k: grads[k] for k in self.model.params}
            clip_by_global_norm(grads, self.clip)
            self.opt.step(grads)
        self.steps += 1
        self.model.meta["training"]["steps"] = self.steps
        return loss, acc

    def stop(self):
        """Ask a running ``run`` to end after the current step."""
        self._stop = True

    # ----------------------------------------------------------- measuring
    def evaluate(self, n=512):
        """Loss and accuracy on ``n`` held-out sequences (fixed seed) of
        ``task.strict()`` — for recall / temporal order trained on mixed gaps,
        the full gap only."""
        b = self._held_out(n)
        with blas_threads(self.threads):
            tr = self.model.forward(b.inputs.astype(self.model.dtype, copy=False))
        loss, _, acc = self.score(tr, b)
        return {"loss": loss, "accuracy": acc}

    def _held_out(self, n):
        if self._eval is None or self._eval.inputs.shape[1] != n:
            self._eval = self.task.strict().sample(np.random.default_rng(EVAL_SEED), n)
        return self._eval

    def may_reach(self, target, n=512):
        """False when the first quarter of the ``n`` held-out sequences already shows that the whole set
        cannot reach ``target``, even were every other answer right. A cheap screen before the full check
        (a quarter of the work); it never says False when the full check would pass, so a run stops at
        the same step with it as without it."""
        b, k = self._held_out(n), n // 4
        if k < 1:
            return True
        part = Batch(b.inputs[:, :k], b.targets[:, :k], b.mask[:, :k], None, lambda: [])
        with blas_threads(self.threads):
            tr = self.model.forward(part.inputs.astype(self.model.dtype, copy=False))
        _, _, acc = self.score(tr, part)
        scored, total = float(part.mask.sum()), float(b.mask.sum())
        return (acc * scored + (total - scored)) / total >= target

    def snapshot(self):
        """Every trace value of the model on the task's fixed probe sequence, (T, H) float32.

        The probe comes from the task as it is measured (``strict``): recall and
        temporal order at their full gap, not the mixed gaps they train on."""
        p = self.task.strict().probe()
        tr = self.model.forward(p.inputs[:, 0].astype(self.model.dtype))
        top = tr.layers[-1]
        vals = {k: np.asarray(top[k], np.float32) for k in top if not k.startswith("pre_")}
        if tr.y is not None:
            vals["y"] = np.asarray(tr.y, np.float32)
        return vals

    # ------------------------------------------------------------- the loop
    def run(self, steps, max_seconds=None, log_every=10, snapshot_every=None, eval_every=None,
            target_accuracy=None, eval_size=512):
        """Train up to ``steps`` more steps, yielding events as it goes.

        Events (dicts, "kind" first):
          progress  step, loss, accuracy (means over the last ``log_every``
                    training batches), elapsed seconds — every ``log_every`` steps,
                    and once more for the last steps when the run ends between;
          snapshot  step, values (see ``snapshot``) — at step 0 and every
                    ``snapshot_every`` steps, if given;
          eval      step, loss, accuracy on held-out data, elapsed — every
                    ``eval_every`` steps, if given; with ``target_accuracy``, only
                    when ``may_reach`` (a quarter of the set) says the target is
                    still within reach, so frequent checks stay cheap;
          done      step, elapsed, reason ("steps", "time", "target", "stopped").
        The run ends early after ``max_seconds`` of wall-clock time in this
        run (``elapsed`` counts all runs of this trainer), when a
        held-out accuracy reaches ``target_accuracy``, when ``stop()`` is called,
        or when the caller stops iterating; the model keeps every finished step.
        """
        check_steps(steps)
        if max_seconds is not None and not max_seconds > 0:
            raise ValueError(f"max_seconds must be above 0; got {max_seconds!r}")
        self._stop = False
        run_start = time.perf_counter()
        t0 = run_start - self.seconds        # elapsed counts every run of this trainer
        if snapshot_every and self.steps == 0:
            yield {"kind": "snapshot", "step": 0, "values": self.snapshot()}
        ls, accs, reason = [], [], "steps"
        start = self.steps
        while self.steps < start + steps:
            loss, acc = self.step()
            ls.append(loss)
            accs.append(acc)
            self.seconds = time.perf_counter() - t0
            n = self.steps
            if n % log_every == 0 or n == start + steps:
                point = {"kind": "progress", "step": n, "loss": float(np.mean(ls)),
                         "accuracy": float(np.mean(accs)), "elapsed": self.seconds}
                self.history.append((n, point["loss"], point["accuracy"], point["elapsed"]))
                ls, accs = [], []
                yield point
            if snapshot_every and n % snapshot_every == 0:
                yield {"kind": "snapshot", "step": n, "values": self.snapshot()}
            if eval_every and n % eval_every == 0 and (target_accuracy is None
                                                       or self.may_reach(target_accuracy, eval_size)):
                ev = self.evaluate(eval_size)
                self.seconds = time.perf_counter() - t0
                yield {"kind": "eval", "step": n, **ev, "elapsed": self.seconds}
                if target_accuracy is not None and ev["accuracy"] >= target_accuracy:
                    reason = "target"
                    break
            if self._stop:
                reason = "stopped"
                break
            if max_seconds is not None and time.perf_counter() - run_start >= max_seconds:
                reason = "time"
                break
        if ls:   # the steps since the last report, when the run ended between reports
            point = {"kind": "progress", "step": self.steps, "loss": float(np.mean(ls)),
                     "accuracy": float(np.mean(accs)), "elapsed": self.seconds}
            self.history.append((self.steps, point["loss"], point["accuracy"], point["elapsed"]))
            yield point
        yield {"kind": "done", "step": self.steps, "elapsed": self.seconds, "reason": reason}

    def fit(self, steps, **kw):
        """Run to the end without looking at the events; return ``evaluate()`` plus facts."""
        for ev in self.run(steps, **kw):
            last = ev
        return {**self.evaluate(), "steps": self.steps, "seconds": round(self.seconds, 2),
                "reason": last["reason"]}


def check_steps(steps):
    """ValueError unless ``steps`` is a whole number from 1 to 10,000,000."""
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or not 1 <= steps <= 10_000_000:
        raise ValueError(f"steps must be a whole number from 1 to 10000000; got {steps!r}")


def save_model(model, path):
    """Write ``model`` with its meta (vocab, task, note, latent) to ``path``."""
    model.save(path, meta=model.meta)
