"""Strings of the Train page and of the trained presets in the model picker."""
import json
from pathlib import Path

_TASKS_EN = {"recall": "Recall a letter", "adding": "Adding problem", "temporal_order": "Temporal order",
             "brackets": "Bracket depth", "parity": "Running parity", "charlm": "Character language model"}
_TASKS_ZH = {"recall": "记住一个字母", "adding": "加法问题", "temporal_order": "时间顺序",
             "brackets": "括号深度", "parity": "奇偶性", "charlm": "字符语言模型"}
_PARAM_EN = {"gap": "Gap (distractor steps)", "length": "Sequence length", "corpus": "Corpus"}
_PARAM_ZH = {"gap": "间隔（干扰步数）", "length": "序列长度", "corpus": "语料"}


def _preset_titles(tasks, lang):
    """One title per shipped preset for the sidebar's list of trained examples, e.g. "Recall a letter · LSTM"."""
    path = Path(__file__).resolve().parents[2] / "lstm_core" / "presets" / "presets.json"
    try:
        items = json.loads(path.read_text(encoding="utf-8"))["presets"]
    except (OSError, ValueError, KeyError):
        return {}
    out, kinds = {}, [(p["task"], p["cell"], p.get("params", {}).get("corpus")) for p in items]
    for p, kind in zip(items, kinds):
        name = tasks.get(p["task"], p["task"])
        corpus = p.get("params", {}).get("corpus")
        if corpus:
            name += f" ({corpus})"
        title = f"{name} · {p['cell'].upper()}"
        length = p.get("params", {}).get("length")
        if kinds.count(kind) > 1 and length:       # two examples of one task and cell: say which is which
            title += f" · {'length' if lang == 'en' else '长度'} {length}"
            if p.get("longer"):                      # trained on `length`, measured on a longer one
                title += f" → {p['longer']['length']}"
        out[f"preset.{p['name']}"] = title
    return out


EN = {
    "nav.train": "Train",
    "train.title": "Train a small network, live",
    "train.intro": "Pick a toy task and a cell, press **Train**, and watch the loss fall. Training runs here in "
                   "NumPy, in short slices, for at most {cap} seconds per run. Afterwards, scrub through training "
                   "time to see the gates take shape, then open the model in the sequence explorer.",
    "train.task": "Task",
    "train.cell": "Cell",
    "train.hidden": "Hidden size H",
    "train.lr": "Learning rate (Adam)",
    "train.steps": "Training steps",
    "train.steps_help": "One step = one batch of {batch} sequences. The run stops earlier once accuracy on {n} "
                        "held-out sequences reaches {target:.0%} (checked every {every} steps), or after {cap} s.",
    "train.curriculum": "Each training sequence draws its own gap from {lo} to {gap} (short gaps first give the "
                        "gradient a foothold); accuracy is measured at the full gap of {gap}.",
    "train.start": "Train",
    "train.stop": "Stop (keep what was learned)",
    "train.reset": "Discard this run",
    "train.progress": "Step {step} of {total} · {secs:.1f} s of at most {cap} s",
    "train.chart_title": "Loss and accuracy on the training batches",
    "train.step": "training step",
    "train.loss": "loss",
    "train.accuracy": "accuracy",
    "train.chance": "chance",
    "train.no_run": "No training run yet in this session. Choose the settings above and press **Train**.",
    "train.bad_settings": "These settings cannot be trained",
    "train.limit_page": "{name} must be at most {hi} on this page (longer runs: use the command line); got {value}",
    "train.ended.steps": "Finished all {step} steps.",
    "train.ended.time": "Stopped at the time cap of {cap} s, after {step} steps.",
    "train.ended.stopped": "Stopped by you after {step} steps; the model keeps what it learned.",
    "train.ended.target": "Stopped at step {step} because it reached the target: accuracy on {n} held-out "
                          "sequences is at least {target:.0%}.",
    "train.result": "Accuracy **{acc:.1%}** (chance **{chance:.1%}**), loss {loss:.4f}, on {n} test sequences the "
                    "task draws with a seed of their own (a small task can repeat a sequence it also trained on).",
    "train.result_linear": "Accuracy **{acc:.1%}** on {n} test sequences (answers within ±{tol} of the true sum; a"
                           " constant guess gets **{chance:.1%}**), mean squared error {loss:.4f}.",
    "train.result_text": "Next-character accuracy **{acc:.1%}** (chance **{chance:.1%}**), loss {loss:.4f}, on {n}"
                         " windows of the text it trained on: this measures how well it learned that text, not how"
                         " it does on text it never saw.",
    "train.unit": "Interpretable unit: **unit {unit}**'s {value} follows *{latent}* with correlation r = {r:+.2f}.",
    "train.unit_none": "No unit follows a known variable for this task.",
    "train.unit_weak": "No unit clearly follows *{latent}* yet: the closest is **unit {unit}**'s {value}, with "
                       "correlation only r = {r:+.2f}. The network may hold the answer spread over several units; "
                       "look at the time-lapse below.",
    "train.open": "Open in the explorer",
    "train.download": "Download the weights (.npz)",
    "train.timelapse": "Time-lapse: the gates on one fixed probe sequence",
    "train.timelapse_help": "Each snapshot is the model at one moment of training, run on the same probe sequence. "
                            "Move the slider to go back and forth in training time; the player below steps "
                            "through the probe, one token at a time, with the cell's numbers at every step.",
    "train.timelapse_title": "{task}, {cell}, after {step} training steps",
    "train.snapshot": "Training step of the snapshot",
    "train.probe": "Probe sequence: {text}",
    "train.value.cell": "c",
    "train.value.hidden": "h",
    "trained.source": "Trained in this session",
    "trained.title": "{task} · {cell} · H={hidden} · {steps} steps",
    "preset.look": "What to look at: {look}",
    "preset.note": "The task: {note}",
    "preset.accuracy": "Accuracy {acc:.1%} (chance {chance:.1%}), trained in {secs:.0f} s.",
    "preset.accuracy_text": "Accuracy {acc:.1%} on its training text (chance {chance:.1%}), trained in {secs:.0f} "
                            "s.",
    "preset.heldout": "On a text it never saw: {acc:.1%}.",
    "preset.unknown": "The link asked for a preset named “{value}”, which does not exist; choices: {choices}.",
    **{f"task.{k}": v for k, v in _TASKS_EN.items()},
    **{f"train.param.{k}": v for k, v in _PARAM_EN.items()},
    **_preset_titles(_TASKS_EN, "en"),
}

ZH = {
    "nav.train": "训练",
    "train.title": "现场训练一个小网络",
    "train.intro": "选一个玩具任务和一种单元，按下 **训练**，看损失一路下降。训练就在这里用 NumPy 分成小段进行，"
                   "每次最多 {cap} 秒。训练之后，可以拖动训练时间，看门是怎样逐渐成形的，"
                   "再把模型放到序列探索器里细看。",
    "train.task": "任务",
    "train.cell": "单元类型",
    "train.hidden": "隐藏维度 H",
    "train.lr": "学习率（Adam）",
    "train.steps": "训练步数",
    "train.steps_help": "一步 = 一批 {batch} 条序列。每 {every} 步检查一次：在 {n} 条留出序列上的准确率"
                        "一旦达到 {target:.0%} 就提前停下；运行满 {cap} 秒也会停下。",
    "train.curriculum": "每条训练序列的间隔在 {lo} 到 {gap} 之间随机抽取（先有短间隔，梯度才有抓手）；"
                        "准确率则在完整间隔 {gap} 上测量。",
    "train.start": "训练",
    "train.stop": "停止（保留已学到的）",
    "train.reset": "丢弃这次训练",
    "train.progress": "第 {step} 步，共 {total} 步 · 已用 {secs:.1f} 秒，上限 {cap} 秒",
    "train.chart_title": "训练批次上的损失和准确率",
    "train.step": "训练步",
    "train.loss": "损失",
    "train.accuracy": "准确率",
    "train.chance": "随机猜",
    "train.no_run": "本次会话还没有训练过。请在上面选好设置，然后按 **训练**。",
    "train.bad_settings": "这些设置无法训练",
    "train.limit_page": "在本页面上 {name} 最多为 {hi}（更长的训练请用命令行）；收到的是 {value}",
    "train.ended.steps": "{step} 步全部完成。",
    "train.ended.time": "到达 {cap} 秒的时间上限，在第 {step} 步停下。",
    "train.ended.stopped": "你在第 {step} 步停止了训练；模型保留已学到的内容。",
    "train.ended.target": "在第 {step} 步停下，因为已达到目标：在 {n} 条留出序列上的准确率不低于 {target:.0%}。",
    "train.result": "准确率 **{acc:.1%}**（随机猜 **{chance:.1%}**），损失 {loss:.4f}；测试用的是任务以单独的随机"
                    "种子抽出的 {n} 条序列（小任务里可能有与训练时相同的序列）。",
    "train.result_linear": "在 {n} 条测试序列上的准确率 **{acc:.1%}**（答案与真实和相差不超过 ±{tol}；始终猜同一个"
                           "数只能得到 **{chance:.1%}**），均方误差 {loss:.4f}。",
    "train.result_text": "预测下一个字符的准确率 **{acc:.1%}**（随机猜 **{chance:.1%}**），损失 {loss:.4f}；测的是"
                         "它训练所用文本中的 {n} 个窗口：这说明它把这段文本学得多好，而不是它在没见过的文本上表现"
                         "如何。",
    "train.unit": "可解释的神经元：**神经元 {unit}** 的 {value} 跟随“{latent}”变化，相关系数 r = {r:+.2f}。",
    "train.unit_none": "这个任务没有哪个神经元跟随已知的变量。",
    "train.unit_weak": "还没有哪个神经元明显跟随“{latent}”：最接近的是 **神经元 {unit}** 的 {value}，相关系数只有 "
                       "r = {r:+.2f}。网络可能把答案分散在几个神经元里；请看下面的延时回放。",
    "train.open": "在序列探索器中打开",
    "train.download": "下载权重（.npz）",
    "train.timelapse": "延时回放：同一条探测序列上的门",
    "train.timelapse_help": "每个快照都是训练过程中某一时刻的模型，在同一条探测序列上运行的结果。"
                            "拖动滑块，就能在训练时间里前后移动；下面的播放器沿探测序列逐个词元前进，"
                            "每一步都给出单元里的数值。",
    "train.timelapse_title": "{task}，{cell}，训练 {step} 步之后",
    "train.snapshot": "快照所在的训练步",
    "train.probe": "探测序列：{text}",
    "train.value.cell": "c",
    "train.value.hidden": "h",
    "trained.source": "本次会话中训练的模型",
    "trained.title": "{task} · {cell} · H={hidden} · {steps} 步",
    "preset.look": "看点：{look}",
    "preset.note": "任务：{note}",
    "preset.accuracy": "准确率 {acc:.1%}（随机猜 {chance:.1%}），训练用时 {secs:.0f} 秒。",
    "preset.accuracy_text": "在它的训练文本上准确率 {acc:.1%}（随机猜 {chance:.1%}），训练用时 {secs:.0f} 秒。",
    "preset.heldout": "在它没见过的文本上：{acc:.1%}。",
    "preset.unknown": "链接要求的预设“{value}”不存在；可选：{choices}。",
    **{f"task.{k}": v for k, v in _TASKS_ZH.items()},
    **{f"train.param.{k}": v for k, v in _PARAM_ZH.items()},
    **_preset_titles(_TASKS_ZH, "zh"),
}
