"""Train every preset and write ``presets.json`` — one reproducible command:

    nice python -m lstm_core.presets.build            # all presets
    nice python -m lstm_core.presets.build parity_lstm brackets_lstm   # some

Each preset is trained by the command line ``python -m lstm_core.train`` with
the exact arguments recorded in the manifest (fixed steps, stopping early only
when held-out accuracy reaches a target — both deterministic, so the same
command gives the same weights). After training, the interpretable-unit
finder and the gates on the task's probe sequence fill in the line on what to
look at. Units are counted from 0.
"""
from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

import numpy as np

from ..files.reader import load
from ..train import main as train_main
from ..training.tasks import task_from_meta
from ..training.units import find_units, memory_units

HERE = Path(__file__).parent
MAX_BYTES = 200_000
LATENT_ZH = {"charlm": "距上一个空格或标点的字符数", "adding": "已累加的标记数之和",
             "brackets": "括号深度", "parity": "奇偶"}

GAP = ["--gap", "100"]
# name → CLI arguments (besides --out). Recall and temporal order train on mixed gaps and are
# measured at the full gap 100; see docs/training.md for why.
PRESETS = {
    "recall_lstm": ["--task", "recall", *GAP, "--min-gap", "1", "--cell", "lstm", "--hidden", "32",
                    "--steps", "1500", "--target-accuracy", "0.995", "--eval-every", "50"],
    "recall_gru": ["--task", "recall", *GAP, "--min-gap", "1", "--cell", "gru", "--hidden", "32",
                   "--steps", "1500", "--target-accuracy", "0.995", "--eval-every", "50"],
    "recall_rnn": ["--task", "recall", *GAP, "--min-gap", "1", "--cell", "rnn", "--hidden", "32",
                   "--steps", "1500", "--target-accuracy", "0.995", "--eval-every", "50"],
    "temporal_order_lstm": ["--task", "temporal_order", *GAP, "--min-gap", "4", "--cell", "lstm", "--hidden", "32",
                            "--steps", "1500", "--target-accuracy", "0.995", "--eval-every", "50"],
    "temporal_order_gru": ["--task", "temporal_order", *GAP, "--min-gap", "4", "--cell", "gru", "--hidden", "32",
                           "--steps", "1500", "--target-accuracy", "0.995", "--eval-every", "50"],
    "temporal_order_rnn": ["--task", "temporal_order", *GAP, "--min-gap", "4", "--cell", "rnn", "--hidden", "32",
                           "--steps", "1500", "--target-accuracy", "0.995", "--eval-every", "50"],
    "adding_lstm": ["--task", "adding", "--length", "50", "--cell", "lstm", "--hidden", "16",
                    "--steps", "2500", "--target-accuracy", "0.98", "--eval-every", "100"],
    "brackets_lstm": ["--task", "brackets", "--length", "40", "--max-depth", "6", "--cell", "lstm",
                      "--hidden", "16", "--steps", "1500", "--target-accuracy", "0.998", "--eval-every", "100"],
    "parity_lstm": ["--task", "parity", "--length", "20", "--cell", "lstm", "--hidden", "8",
                    "--steps", "1000", "--target-accuracy", "0.999", "--eval-every", "50"],
    "charlm_en_lstm": ["--task", "charlm", "--corpus", "en", "--length", "64", "--cell", "lstm",
                       "--hidden", "48", "--steps", "1200", "--eval-every", "200"],
    "charlm_zh_lstm": ["--task", "charlm", "--corpus", "zh", "--length", "48", "--max-vocab", "256",
                       "--cell", "lstm", "--hidden", "32", "--steps", "1200", "--eval-every", "200"],
}


def _keep_gate(model, task, unit):
    """Per letter: the mean over the dots of a unit's keep gate, z^f (LSTM) or u (GRU)."""
    out = []
    for letter in task.classes:
        tr = model.forward(task.encode(letter + "." * task.gap + "?"))
        out.append(float(np.mean(np.asarray(tr["forget" if model.kind == "lstm" else "update"])[1:-1, unit])))
    return np.array(out)


def look(model, task, res):
    """The one line (EN and ZH) on what to look at in this trained model."""
    f = find_units(model, task, n=256, seed=3)
    u, r, acc = f["best"], f["r"], res["accuracy"]
    v = "c" if model.kind == "lstm" else "h"
    k, name = model.kind, task.name
    if name == "recall":
        mem = memory_units(model, task)
        u, r = mem["best"], None
        if k != "rnn":
            keep = _keep_gate(model, task, u)
            n, S, gate = int((keep > 0.95).sum()), task.symbols, ("z^f" if k == "lstm" else "u")
            head_en = (f"Watch unit {u}'s {v}: after 100 dots it still differs from letter to letter, "
                       "and the '?' reads it")
            head_zh = f"看单元 {u} 的 {v}：经过 100 个点号后，它仍因字母不同而不同，“?”读的就是它"
            if n:
                return u, r, {"en": f"{head_en}; for {n} of {S} letters its {gate} stays above 0.95 all the way.",
                              "zh": f"{head_zh}；对 {S} 个字母中的 {n} 个，它的 {gate} 一路保持在 0.95 以上。"}
            return u, r, {"en": f"{head_en}; its {gate} averages only {keep.mean():.2f}, so the state is "
                                f"re-made at every dot, not just kept.",
                          "zh": f"{head_zh}；它的 {gate} 平均只有 {keep.mean():.2f}，可见状态是在每个点号处"
                                f"重新生成的，而不只是原样保留。"}
        ch = 1 / task.symbols
        return u, r, {"en": f"The plain RNN's h forgets the letter over 100 dots: accuracy {acc:.0%} "
                            f"(chance {ch:.1%}).",
                      "zh": f"普通 RNN 的 h 在 100 个点号后就忘了字母：准确率 {acc:.0%}（随机猜 {ch:.1%}）。"}
    if name == "temporal_order":
        if k == "rnn":
            return u, r, {"en": f"No unit holds the first X/Y to the end (best: unit {u}, r = {r:+.2f}); "
                                f"accuracy {acc:.0%}, chance 25%.",
                          "zh": f"没有单元能把第一个 X/Y 保持到结尾（最好的是单元 {u}，r = {r:+.2f}）；"
                                f"准确率 {acc:.0%}，随机猜 25%。"}
        return u, r, {"en": f"Watch unit {u}'s {v}: it takes a sign at the first X/Y and holds it to 'E' "
                            f"(r = {r:+.2f}).",
                      "zh": f"看单元 {u} 的 {v}：它在第一个 X/Y 处取定正负号，并一直保持到“E”（r = {r:+.2f}）。"}
    texts = {
        "adding": ("collects the marked numbers and follows the running sum", "收集带标记的数，跟着已加的和走"),
        "brackets": ("counts open brackets", "在数未闭合的括号"),
        "parity": ("flips with every '1', so it tracks the parity", "每遇到“1”就翻转，由此记住奇偶"),
        "charlm": ("tracks the position since the last space or punctuation mark", "记着距上一个空格或标点的位置"),
    }
    en, zh = texts[name]
    if abs(r) < 0.5:
        return u, r, {"en": f"No unit tracks '{task.latent_name}' closely; the best is unit {u}'s {v} "
                            f"(r = {r:+.2f}). Look at the gates instead.",
                      "zh": f"没有单元紧密跟踪“{LATENT_ZH.get(name, task.latent_name)}”；最接近的是单元 {u} 的 {v}"
                            f"（r = {r:+.2f}）。不如去看各个门。"}
    return u, r, {"en": f"Watch unit {u}'s {v}: it {en} (r = {r:+.2f}).",
                  "zh": f"看单元 {u} 的 {v}：它{zh}（r = {r:+.2f}）。"}


CORE_FILES = ("lstm_core/models.py", "lstm_core/lstm.py", "lstm_core/gru.py", "lstm_core/rnn.py",
              "lstm_core/activations.py", "lstm_core/train.py", "lstm_core/tasks.py", "lstm_core/losses.py",
              "lstm_core/optim.py")


def core_commit():
    """The last commit that touched the arithmetic: bit-identical rebuilds need the same one
    (a change in summation order moves float32 weights by ~1e-4)."""
    import subprocess
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%h", "--", *CORE_FILES], cwd=HERE.parent.parent,
                             capture_output=True, text=True, timeout=10)
        return out.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def build_one(name, args):
    out = HERE / f"{name}.npz"
    argv = [*args, "--seed", "0", "--out", str(out)]
    sys.stderr.write(f"{name}: python -m lstm_core.train {shlex.join(argv)}\n")
    res = train_main(argv)
    size = out.stat().st_size
    if size >= MAX_BYTES:
        raise SystemExit(f"{name}: {size:,} bytes, above the {MAX_BYTES:,}-byte limit for a preset")
    model = load(out)
    task = task_from_meta(model.meta)
    unit, r, line = look(model, task, res)
    shown = [*args, "--seed", "0", "--out", f"lstm_core/presets/{name}.npz"]
    return {"name": name, "file": out.name, "task": task.name, "params": task.params, "cell": model.kind,
            "hidden": model.hidden_size, "metric": res["metric"], "accuracy": res["accuracy"],
            "loss": res["loss"], "chance": round(task.strict().chance(), 3), "steps": res["steps"],
            "train_seconds": res["seconds"], "bytes": size, "unit": unit, "r": None if r is None else round(r, 3),
            "command": "python -m lstm_core.train " + shlex.join(shown), "look": line,
            "note": task.note, "latent": task.latent_name, "core_commit": core_commit()}


def relook(entry):
    """Recompute the look line of an existing preset (no training)."""
    model = load(HERE / entry["file"])
    task = task_from_meta(model.meta)
    unit, r, line = look(model, task, entry)
    return {**entry, "unit": unit, "r": None if r is None else round(r, 3), "look": line,
            "chance": round(task.strict().chance(), 3)}


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--relook"]:
        path = HERE / "presets.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        data["presets"] = [relook(p) for p in data["presets"]]
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return data
    unknown = [a for a in argv if a not in PRESETS]
    if unknown:
        raise SystemExit(f"unknown preset(s) {', '.join(unknown)}; choose from {', '.join(PRESETS)}")
    old = {}
    path = HERE / "presets.json"
    if path.exists():
        old = {p["name"]: p for p in json.loads(path.read_text(encoding="utf-8"))["presets"]}
    for name in argv or PRESETS:
        old[name] = build_one(name, PRESETS[name])
        entries = [old[n] for n in PRESETS if n in old]
        path.write_text(json.dumps({"about": "Trained presets; rebuild with `nice python -m lstm_core.presets.build`. "
                                             "Units are counted from 0; accuracy is on 512 held-out sequences.",
                                    "presets": entries}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return old


if __name__ == "__main__":
    main()
