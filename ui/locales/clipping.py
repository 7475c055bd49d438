# ruff: noqa: E501  (catalogue sentences stay on one line each)
"""Strings of the gradient view's clipping switch (``ui/clipping.py``, Long-term memory page)."""

EN = {
    "clip.switch": "Clip the gradient as the trainer does (norm at most {limit})",
    "clip.help": "Exploding gradients are handled in practice by clipping, not by the LSTM's gates: before each update this app's trainer scales the whole gradient down when its norm passes the limit. Clipping divides every step's gradient by the same number, so the shape over time does not change.",
    "clip.text": "**What handles exploding gradients.** The primer says the LSTM helps against exploding gradients too; in practice that job falls to clipping, which this app's trainer applies before every update (norm at most {limit}). Here, for the loss above, the gradient of all weights has norm {items}. Clipping caps the size of an update; it does not bring back a gradient that has vanished.",
    "clip.item": "{norm} for the {cell} (clipping multiplies it by {scale})",
    "clip.sep": ", ",
    "clip.none": "None of them passes {limit} on this sequence, so here clipping changes nothing.",
}

ZH = {
    "clip.switch": "像训练程序那样裁剪梯度（范数不超过 {limit}）",
    "clip.help": "实际中对付梯度爆炸靠的是裁剪，而不是 LSTM 的门：每次更新之前，只要梯度的范数超过上限，本应用的训练程序就把整个梯度按比例缩小。裁剪让每一步的梯度都除以同一个数，所以梯度随时间的形状不变。",
    "clip.text": "**梯度爆炸靠什么解决。** 入门材料说 LSTM 也能缓解梯度爆炸；实际上这件事靠的是梯度裁剪，本应用的训练程序在每次更新之前都会裁剪（范数不超过 {limit}）。这里对上面的损失，全部权重的梯度范数分别为：{items}。裁剪只限制一次更新的大小，已经消失的梯度它救不回来。",
    "clip.item": "{cell} 为 {norm}（裁剪时乘以 {scale}）",
    "clip.sep": "；",
    "clip.none": "在这条序列上它们都没有超过 {limit}，所以这里裁剪不改变任何东西。",
}
