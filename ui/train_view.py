"""The Train page's logic, without Streamlit: settings, a resumable run, results.

A ``Job`` wraps one ``lstm_core.training.trainer.Trainer`` and its ``run`` generator. The
page keeps the job in this session's ``st.session_state`` (two sessions never
share a trainer) and calls ``job.advance(SLICE_SECONDS)`` from a fragment that
reruns every ~0.4 s: training happens in short slices of the session's own
script thread, so no run blocks the server, and every run stops after
``CAP_SECONDS`` of wall-clock time (``Trainer.run(max_seconds=…)``).
"""
from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field

import numpy as np

from lstm_core.files import writer
from lstm_core.notation import CELL_KINDS
from lstm_core.training import units as unit_finder
from lstm_core.training.tasks import SHORTEST_GAP, TASKS, make_task
from lstm_core.training.trainer import Trainer

from . import keys, predictions
from .errors import Problem

CAP_SECONDS = 60
SLICE_SECONDS = 0.4
BATCH = 32
# as the command line: stop once accuracy on EVAL_SIZE held-out sequences (recall / temporal order: at the
# full gap) reaches TARGET, checked every EVAL_EVERY steps
TARGET, EVAL_EVERY, EVAL_SIZE = 0.99, 25, 512
SNAPSHOTS = 20            # time-lapse frames per run (plus step 0)
# the task's main parameter on this page: name, default, highest allowed here
TASK_PARAM = {"recall": ("gap", 20, 200), "temporal_order": ("gap", 20, 200), "adding": ("length", 30, 200),
              "brackets": ("length", 30, 200), "parity": ("length", 16, 200), "charlm": ("corpus", "en", None)}
CORPORA = ("en", "zh")
STRONG_R = 0.5            # |r| below this: the page says no unit clearly tracks the latent
PAGE_LIMITS = {"hidden": 128, "steps": 20_000}
DEFAULTS = {"task": "recall", "cell": "lstm", "hidden": 16, "lr": 0.01, "steps": 300}


@dataclass(frozen=True)
class Settings:
    task: str = DEFAULTS["task"]
    param: object = TASK_PARAM[DEFAULTS["task"]][1]     # gap / length (int) or corpus (str)
    cell: str = DEFAULTS["cell"]
    hidden: int = DEFAULTS["hidden"]
    lr: float = DEFAULTS["lr"]
    steps: int = DEFAULTS["steps"]

    def task_kwargs(self):
        name = TASK_PARAM[self.task][0]
        kw = {name: self.param}
        if name == "gap":     # mixed gaps 1..gap: the gradient finds the short path first
            kw["min_gap"] = SHORTEST_GAP[self.task]
        return kw


def build(settings: Settings):
    """(task, trainer) for ``settings``; ValueError (English, from the core) or Problem."""
    if settings.task not in TASKS:
        raise ValueError(f"unknown task {settings.task!r}; choose one of {', '.join(TASKS)}")
    name, _, hi = TASK_PARAM[settings.task]
    if hi is not None and isinstance(settings.param, (int, np.integer)) and settings.param > hi:
        raise Problem("train.limit_page", name=name, hi=hi, value=settings.param)
    for key, top in PAGE_LIMITS.items():
        value = getattr(settings, key)
        if isinstance(value, (int, np.integer)) and value > top:
            raise Problem("train.limit_page", name=key, hi=top, value=value)
    task = make_task(settings.task, **settings.task_kwargs())
    trainer = Trainer(task, cell=settings.cell, hidden=settings.hidden, lr=settings.lr, batch=BATCH, seed=0)
    if isinstance(settings.steps, bool) or not isinstance(settings.steps, (int, np.integer)) or settings.steps < 1:
        raise ValueError(f"steps must be a whole number from 1 to {PAGE_LIMITS['steps']}; got {settings.steps!r}")
    return task, trainer


def probe(task):
    """The fixed probe sequence of the task as it is measured (``strict``: recall and temporal order at
    their full gap, not the mixed gaps they train on)."""
    return task.strict().probe()


def probe_tokens(task):
    """Display tokens of the task's fixed probe sequence (adding: the marked values)."""
    b = probe(task)
    return [str(tok) for tok in b.tokens[0]]


def sample_text(task):
    """(mode, text) to type into the explorer for one example of ``task`` (its probe)."""
    b = probe(task)
    if task.vocab is None:   # numbers: one "value, marker" row per step
        x = b.inputs[:, 0]
        return "numbers", "; ".join(",".join(f"{v:.2f}".rstrip("0").rstrip(".") for v in row) for row in x)
    return "chars", "".join(b.tokens[0])


@dataclass
class Job:
    """One training run of one session."""

    settings: Settings
    task: object
    trainer: Trainer
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    snapshots: list = field(default_factory=list)      # [(step, the model's weights then)]: the time-lapse
    reason: str | None = None                          # set when the run has ended
    result: dict | None = None
    _views: dict = field(default_factory=dict, repr=False)    # probe_view's last few, by training step

    def __post_init__(self):
        every = max(1, self.settings.steps // SNAPSHOTS)
        self._gen = self.trainer.run(self.settings.steps, max_seconds=CAP_SECONDS,
                                     log_every=max(1, min(10, self.settings.steps // 50)), snapshot_every=every,
                                     eval_every=EVAL_EVERY, target_accuracy=TARGET, eval_size=EVAL_SIZE)

    @property
    def running(self):
        return self.reason is None

    @property
    def history(self):
        """(steps, loss, accuracy) arrays of the progress points so far."""
        h = np.array(self.trainer.history, dtype=np.float64).reshape(-1, 4)
        return h[:, 0], h[:, 1], h[:, 2]

    def advance(self, budget=SLICE_SECONDS):
        """Train for about ``budget`` seconds (at least one step); True once the run has ended."""
        end = time.perf_counter() + budget
        while self.running:
            try:
                ev = next(self._gen)
            except StopIteration:
                self._finish("steps")
                break
            if ev["kind"] == "snapshot":
                self.snapshots.append((ev["step"], self._keep()))
            elif ev["kind"] == "done":
                self._finish(ev["reason"])
            if time.perf_counter() >= end:
                break
        return not self.running

    def _keep(self):
        """A time-lapse frame: a copy of the weights (float32, a few hundred kB at H = 128), from which
        ``probe_view`` computes every value of the probe sequence (pre-activations too) when it is shown."""
        return self.trainer.model.copy()

    def probe_view(self, i: int) -> dict:
        """Snapshot ``i`` on the task's probe: {"trace", "tokens", "model" (the weights then), "top",
        "expected"} — the trace player's input. The last few are kept, so a rerun that shows the same
        snapshot hands the player the same trace (``ui.player.component.cached_data`` keys on it)."""
        cache = self._views
        step, model = self.snapshots[i]
        if step not in cache:
            b = probe(self.task)
            tokens = probe_tokens(self.task)
            trace = model.forward(b.inputs[:, 0].astype(model.dtype))
            top, expected = predictions.for_player(model, trace, tokens, task=self.task.strict())
            while len(cache) >= 3:
                cache.pop(next(iter(cache)))
            cache[step] = {"trace": trace, "tokens": tokens, "model": model, "top": top, "expected": expected}
        return cache[step]

    def stop(self):
        """End the run now; the model keeps every finished step."""
        if self.running:
            self._gen.close()
            self._finish("stopped")

    def _finish(self, reason):
        self.reason = reason
        tr, task = self.trainer, self.task
        if not self.snapshots or self.snapshots[-1][0] != tr.steps:    # the last frame = the final model
            self.snapshots.append((tr.steps, self._keep()))
        ev = tr.evaluate(EVAL_SIZE)      # the held-out set the target was checked on
        best = None
        if task.latent_name:
            found = unit_finder.find_units(tr.model, task, n=128)
            best = {"unit": int(found["best"]), "r": float(found["r"]), "value": found["value"],
                    "latent": found["latent"]}
        self.result = {**ev, "chance": float(task.strict().chance(scored=3000)), "steps": tr.steps,
                       "seconds": tr.seconds, "unit": best,
                       "tolerance": getattr(task, "tolerance", None)}

    def npz(self) -> bytes:
        return writer.dumps(self.trainer.model)


# ------------------------------------------------------------------ page helpers
def start(settings: Settings) -> Job:
    """A new job for ``settings`` (raises ValueError / Problem before anything runs)."""
    task, trainer = build(settings)
    return Job(settings, task, trainer)


QUERY = {"task": keys.TRAIN_TASK, "param": None, "train_cell": keys.TRAIN_CELL, "train_hidden": keys.TRAIN_HIDDEN,
         "lr": keys.TRAIN_LR, "steps": keys.TRAIN_STEPS}
WIDGET_MAX = 10_000        # number inputs on the page accept 0..this; the core and PAGE_LIMITS say the rest


def _int(raw, default):
    try:
        return min(max(int(str(raw).strip()), 0), WIDGET_MAX)
    except ValueError:
        return default


def query_settings(params) -> dict:
    """Widget key → value from the Train page's URL parameters (bad values fall back to the defaults)."""
    one = {k: (v[-1] if isinstance(v, (list, tuple)) else v) for k, v in params.items()}
    task = one.get("task") if one.get("task") in TASK_PARAM else DEFAULTS["task"]
    pname, pdefault, _ = TASK_PARAM[task]
    out = {keys.TRAIN_TASK: task}
    if "param" in one:
        if pname == "corpus":
            out[keys.TRAIN_CORPUS] = one["param"] if one["param"] in CORPORA else pdefault
        else:
            out[keys.train_param(task)] = _int(one["param"], pdefault)
    if one.get("train_cell") in CELL_KINDS:
        out[keys.TRAIN_CELL] = one["train_cell"]
    out[keys.TRAIN_HIDDEN] = _int(one.get("train_hidden", DEFAULTS["hidden"]), DEFAULTS["hidden"])
    out[keys.TRAIN_STEPS] = _int(one.get("steps", DEFAULTS["steps"]), DEFAULTS["steps"])
    try:
        lr = float(one.get("lr", DEFAULTS["lr"]))
        out[keys.TRAIN_LR] = lr if 0 <= lr <= 10 else DEFAULTS["lr"]
    except ValueError:
        out[keys.TRAIN_LR] = DEFAULTS["lr"]
    return out


def to_query(settings: Settings) -> dict:
    return {"task": settings.task, "param": str(settings.param), "train_cell": settings.cell,
            "train_hidden": str(settings.hidden), "lr": f"{settings.lr:g}", "steps": str(settings.steps)}


LATENT_ZH = {"steps since the symbol": "距那个符号的步数",
             "first symbol (+1 X, −1 Y, 0 not yet)": "第一个符号（X 为 +1，Y 为 −1，尚未出现为 0）",
             "sum of marked values so far": "到目前为止带标记数之和", "bracket depth": "括号深度",
             "parity so far": "到目前为止的奇偶性", "characters since the last break": "距上一次断开的字符数"}


def latent_name(task, lang):
    return LATENT_ZH.get(task.latent_name, task.latent_name) if lang == "zh" else task.latent_name


def short_text(tokens, limit=120):
    text = "".join(tokens) if all(len(tok) == 1 for tok in tokens) else " ".join(tokens)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def open_in_explorer(session, job):
    """Put the trained model into this session for the explorer's model picker, with a sample sequence."""
    s = job.settings
    best = (job.result or {}).get("unit") or {}
    session[keys.TRAINED] = {"id": job.id, "model": job.trainer.model, "task": s.task, "cell": s.cell,
                        "hidden": s.hidden, "steps": job.trainer.steps, "sample": sample_text(job.task),
                        "unit": best.get("unit"), "value": best.get("value"),
                        "accuracy": (job.result or {}).get("accuracy"), "chance": (job.result or {}).get("chance")}
    session[keys.SOURCE] = "trained"
