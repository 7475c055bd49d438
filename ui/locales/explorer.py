"""Strings of the home page and the sequence explorer page."""

_HOWTO_COLOURS_EN = (
    "**Colours.** Gates ($z^f$, $z^i$, $z^o$, and r, u in a GRU) run from 0 (closed, dark purple) to 1 (open, yellow). "
    "The candidate z, tanh(c) and h run from −1 (blue) through 0 (white) to +1 (red). "
    "The cell state c has no fixed bound, so its scale is symmetric around 0. "
    "Hover over any square to read the token, the step, the unit and the exact value."
)
_HOWTO_COLOURS_ZH = (
    "**颜色。** 门（$z^f$、$z^i$、$z^o$，以及 GRU 的 r、u）取值从 0（关闭，深紫色）到 1（打开，黄色）。"
    "候选值 z、tanh(c) 和 h 取值从 −1（蓝）经过 0（白）到 +1（红）。"
    "细胞状态 c 没有固定的上下界，所以它的色标以 0 为中心对称。"
    "把鼠标停在任意一个方格上，就能看到对应的词元、步数、单元和精确数值。"
)

EN = {
    # home page
    "home.tagline": "Type a sentence and watch a recurrent network read it, one step at a time.",
    "home.try": "Try it here",
    "home.input": "Your sentence",
    "home.result": "The hidden state h of a small random LSTM while it reads your sentence (one row per unit, one "
                   "column per step):",
    "home.open_explorer": "Open this sentence in the sequence explorer",
    "home.pages": "What each page shows",
    "home.page.explorer": "Heatmaps of every gate and state over time, a step-by-step player, the cell at any step "
                          "with its arithmetic, and tokens coloured by a unit.",
    "home.page.rnn": "The plain recurrent cell, unrolled over your sequence: how each new h mixes the input with t"
                     "he past, and how much the first token still moves the state later on.",
    "home.page.lstm_cell": "One LSTM step in full: the four values from [x^t, h^(t−1)], the three stages (forget, "
                           "select and memorize, output) with live numbers, and small cells you set by hand.",
    "home.page.memory": "RNN, LSTM and GRU on the same input: gradients through time, forget-gate products, and "
                        "how far back each one can recall.",
    "home.page.gru": "The GRU's equations, its parameter count next to the LSTM's, and the same views.",
    "home.page.gates": "How often each gate is nearly shut or wide open over your sequence.",
    "home.page.lesson": "A guided first lesson: one LSTM unit must remember a letter across a row of dots. You set "
                        "its gates step by step (write, hold, read) and say what you expect before each answer is "
                        "shown.",
    "home.page.train": "Train a small RNN, GRU or LSTM on a toy task right here, watch the loss fall, scrub through "
                       "a time-lapse of its gates, then open the model in the explorer.",
    "home.page.glossary": "Every term with its symbol, in English and Chinese side by side, and the names PyTorch "
                          "and Keras give the same weights.",
    "home.facts": "**The idea in four lines.** A plain RNN carries one state h from step to step. An LSTM carries "
                  "two: the cell state c, built to change slowly (usually the old c plus something), and the hidde"
                  "n state h, which may change a lot from step to step. Three gates decide what of c to forget ($z"
                  "^f$), how much of the new candidate z to write ($z^i$), and how much of tanh(c) to show as h ($"
                  "z^o$): $c^t = z^f \\odot c^{t-1} + z^i \\odot z$ and $h^t = z^o \\odot \\tanh(c^t)$, where $\\o"
                  "dot$ multiplies element by element.",
    # explorer page
    "explorer.title": "Sequence explorer",
    "explorer.intro": "Type a sequence below: every character (or word, or number) is one time step. The heatmaps "
                      "show what each unit of the network holds at every step; step through time to follow it.",
    "explorer.howto.title": "New here? How to read this page",
    "explorer.howto.lstm": (
        "1. **Type** a sentence (or pick an example) — each character, word or number becomes one time step.\n"
        "2. **Step** through time with the buttons or the slider, or press **Play**. The marked column is the "
        "current step.\n"
        "3. Each **heatmap** is one quantity of the LSTM: a row per unit, a column per step. "
        "$z^f$ decides what of the old cell state c to keep, $z^i$ how much of the candidate z to write, "
        "$z^o$ how much of tanh(c) to let out as h.\n"
        "4. Below, the **cell diagram** repeats one step for one unit with its real numbers, and the "
        "**tokens** are coloured by that unit — click a token to jump to its step.\n\n" + _HOWTO_COLOURS_EN),
    "explorer.howto.gru": (
        "1. **Type** a sentence (or pick an example) — each character, word or number becomes one time step.\n"
        "2. **Step** through time with the buttons or the slider, or press **Play**.\n"
        "3. Each **heatmap** is one quantity of the GRU: a row per unit, a column per step. "
        "The reset gate r decides how much of the old h goes into the candidate ñ; the update gate u decides "
        "how much of the old h is kept instead of the candidate. A GRU has no separate cell state.\n"
        "4. Below, one step for one unit with its numbers, and the tokens coloured by that unit — click a token to "
        "jump there.\n\n" + _HOWTO_COLOURS_EN),
    "explorer.howto.rnn": (
        "1. **Type** a sentence (or pick an example) — each character, word or number becomes one time step.\n"
        "2. **Step** through time with the buttons or the slider, or press **Play**.\n"
        "3. A plain RNN has no gates: the heatmap shows its only state h, a row per unit, a column per step. "
        "Each new h mixes the input x and the previous h through one tanh.\n"
        "4. Below, one step for one unit with its numbers, and the tokens coloured by that unit — click a token to "
        "jump there.\n\n" + _HOWTO_COLOURS_EN),
    "explorer.seq": "Sequence",
    "explorer.seq_help": "Characters: every character you see is one step (Chinese, emoji and accents included). "
                         "Words: what lies between spaces, in any script (Chinese written without spaces reads "
                         "one character per step). Numbers: `1, 0.5, -2` for scalars or `1,0; 0,1` for vectors.",
    "explorer.mode": "Read the text as",
    "explorer.mode.chars": "characters",
    "explorer.mode.words": "words",
    "explorer.mode.numbers": "numbers",
    "explorer.mode_help.chars": "Each character is one step (at most {limit} steps).",
    "explorer.mode_help.words": "Each word — what lies between spaces, in any script: `我 昨天 在 图书馆` is 4 "
                                "words — is one step; punctuation is a step of its own. Chinese written without "
                                "spaces reads one character per step (at most {limit} steps).",
    "explorer.mode_help.numbers": "Scalars separated by commas or spaces, or vectors separated by “;” or new lines "
                                  "(at most {limit} steps).",
    "explorer.examples": "Examples",
    "explorer.examples_pick": "Pick an example…",
    "explorer.bad_input": "This input cannot be shown: {reason}",
    "explorer.does_not_fit": "the input does not fit the model. The model says (in English): {reason}",
    "explorer.showing_previous": "Below is still the last sequence that worked.",
    "explorer.enc_note.embedding": "Input: each distinct token ({n} of them) gets a fixed random vector of {dim} "
                                   "numbers (the same token always gets the same vector).",
    "explorer.enc_note.onehot_sequence": "Input: one-hot vectors over the {n} distinct tokens of this sequence "
                                         "(x^t has {dim} entries, one of them 1).",
    "explorer.enc_note.onehot_model": "Input: one-hot vectors over the model's own vocabulary of {dim} tokens; "
                                      "{unknown} token(s) are not in it and get an all-zero vector.",
    "explorer.enc_note.numbers": "Input: the numbers as typed, {dim} per step.",
    "explorer.layer": "Layer",
    "explorer.layer_n": "layer {n}",
    "explorer.unit": "Unit (0 = first row)",
    "explorer.unit_help": "The unit shown in the cell diagram and used to colour the tokens.",
    "explorer.topk": "Only the most telling units",
    "explorer.topk_help": "With many units the heatmaps get crowded: show only the k units that vary most over "
                          "time, or that are most active (largest average |value|). The chosen unit is always kept.",
    "explorer.topk_k": "How many units (k)",
    "explorer.topk_by": "Pick units by",
    "explorer.topk_by.variation": "change over time",
    "explorer.topk_by.activity": "activity",
    "explorer.export": "Download",
    "explorer.export_npz": "Trace as .npz",
    "explorer.export_csv": "Trace as .csv",
    "explorer.export_csv_too_big": "This trace has {rows} values, more than the {limit} a .csv may hold here; "
                                   "download the .npz instead.",
    "explorer.export_help": "Every value of every layer. The .csv has one row per value: layer, step (from 1), "
                            "token, unit, quantity, value. Charts save as PNG from their toolbar (camera icon).",
}

ZH = {
    "home.tagline": "输入一句话，看循环神经网络如何一步一步地读它。",
    "home.try": "在这里试试",
    "home.input": "你的句子",
    "home.result": "一个随机初始化的小 LSTM 读你这句话时的隐藏状态 h（每行一个神经元，每列一步）：",
    "home.open_explorer": "在序列探索器中打开这句话",
    "home.pages": "各页面的内容",
    "home.page.explorer": "每个门和状态随时间变化的热力图、逐步播放、任意一步的单元内部及其算式，以及按某个神经元"
                          "着色的词元。",
    "home.page.rnn": "普通循环单元在你的序列上展开：每个新的 h 如何把输入和过去混在一起，第一个词元在后面的步里还"
                     "能推动状态多少。",
    "home.page.lstm_cell": "完整的一步 LSTM：由 [x^t, h^(t−1)] 算出的四个值、带实时数值的三个阶段（忘记阶段、选择"
                           "记忆阶段、输出阶段），以及可以手动设置的小单元。",
    "home.page.memory": "RNN、LSTM 和 GRU 读同一个输入：梯度随时间的变化、遗忘门的连乘，以及各自能记住多远。",
    "home.page.gru": "GRU 的公式、它与 LSTM 的参数量对比，以及同样的几种视图。",
    "home.page.gates": "在你的序列上，每个门有多少时候几乎关闭、多少时候完全打开。",
    "home.page.lesson": "有引导的第一课：一个 LSTM 神经元要跨过一串点记住一个字母。你一步一步地设定它的门"
                        "（写入、保持、读出），每次看答案之前先说说你的预期。",
    "home.page.train": "就在这里，用玩具任务训练一个小的 RNN、GRU 或 LSTM：看损失下降，拖动门的延时回放，"
                       "再把模型放到序列探索器里细看。",
    "home.page.glossary": "所有术语及其符号，中英文并列；还有 PyTorch 和 Keras 对同一组权重的叫法。",
    "home.facts": "**四句话讲清思路。** 普通 RNN 在步与步之间只传递一个状态 h。LSTM 传递两个：按设计变化缓慢的细胞"
                  "状态 c（通常是旧的 c 再加上一点新东西），和每步之间可能变化很大的隐藏状态 h。三个门分别决定：忘"
                  "掉 c 中的哪些（$z^f$）、把新的候选值 z 写入多少（$z^i$）、把 tanh(c) 的多少作为 h 输出（$z^o$）"
                  "：$c^t = z^f \\odot c^{t-1} + z^i \\odot z$，$h^t = z^o \\odot \\tanh(c^t)$，其中 $\\odot$ 表示"
                  "逐元素相乘。",
    "explorer.title": "序列探索器",
    "explorer.intro": "在下面输入一个序列：每个字符（或词、数字）就是一个时间步。热力图显示网络的每个神经元在每一"
                      "步存着什么；逐步前进，就能跟着它看。",
    "explorer.howto.title": "第一次来？这一页怎么看",
    "explorer.howto.lstm": "1. **输入**一句话（或选一个例子）——每个字符、词或数字就是一个时间步。\n2. 用按钮或滑块"
                           "**逐步**前进，或者按**播放**。被标出的那一列就是当前步。\n3. 每张**热力图**是 LSTM 的"
                           "一种量：每行一个神经元，每列一步。$z^f$ 决定旧的细胞状态 c 保留多少，$z^i$ 决定候选值 "
                           "z 写入多少，$z^o$ 决定 tanh(c) 有多少作为 h 输出。\n4. 下方的**单元结构图**用真实数值"
                           "重现某一步、某一个神经元的计算；**词元**按这个神经元的值着色——点击一个词元就跳到那一步"
                           "。\n\n**颜色。** 门（$z^f$、$z^i$、$z^o$，以及 GRU 的 r、u）取值从 0（关闭，深紫色）到"
                           " 1（打开，黄色）。候选值 z、tanh(c) 和 h 取值从 −1（蓝）经过 0（白）到 +1（红）。细胞"
                           "状态 c 没有固定的上下界，所以它的色标以 0 为中心对称。把鼠标停在任意一个方格上，就能看"
                           "到对应的词元、步数、单元和精确数值。",
    "explorer.howto.gru": "1. **输入**一句话（或选一个例子）——每个字符、词或数字就是一个时间步。\n2. 用按钮或滑块*"
                          "*逐步**前进，或者按**播放**。\n3. 每张**热力图**是 GRU 的一种量：每行一个神经元，每列一"
                          "步。重置门 r 决定旧的 h 有多少进入候选值 ñ；更新门 u 决定保留多少旧的 h、而不是换成候选"
                          "值。GRU 没有单独的细胞状态。\n4. 下方用真实数值重现某一步、某一个神经元的计算，词元按这"
                          "个神经元的值着色——点击词元即可跳到那一步。\n\n**颜色。** 门（$z^f$、$z^i$、$z^o$，以及 "
                          "GRU 的 r、u）取值从 0（关闭，深紫色）到 1（打开，黄色）。候选值 z、tanh(c) 和 h 取值从 "
                          "−1（蓝）经过 0（白）到 +1（红）。细胞状态 c 没有固定的上下界，所以它的色标以 0 为中心对"
                          "称。把鼠标停在任意一个方格上，就能看到对应的词元、步数、单元和精确数值。",
    "explorer.howto.rnn": "1. **输入**一句话（或选一个例子）——每个字符、词或数字就是一个时间步。\n2. 用按钮或滑块*"
                          "*逐步**前进，或者按**播放**。\n3. 普通 RNN 没有门：热力图只显示它唯一的状态 h，每行一个"
                          "神经元，每列一步。每个新的 h 都是输入 x 和上一步的 h 经过一次 tanh 混合而成。\n4. 下方"
                          "用真实数值重现某一步、某一个神经元的计算，词元按这个神经元的值着色——点击词元即可跳到那"
                          "一步。\n\n**颜色。** 门（$z^f$、$z^i$、$z^o$，以及 GRU 的 r、u）取值从 0（关闭，深紫色"
                          "）到 1（打开，黄色）。候选值 z、tanh(c) 和 h 取值从 −1（蓝）经过 0（白）到 +1（红）。细"
                          "胞状态 c 没有固定的上下界，所以它的色标以 0 为中心对称。把鼠标停在任意一个方格上，就能"
                          "看到对应的词元、步数、单元和精确数值。",
    "explorer.seq": "序列",
    "explorer.seq_help": "按字符：看到的每个字符就是一步（包括汉字、表情符号和带重音的字母）。"
                         "按词：两个空格之间的就是一个词，中英文都一样（不加空格的中文按字读，一字一步）。"
                         "按数字：标量写作 `1, 0.5, -2`，向量写作 `1,0; 0,1`。",
    "explorer.mode": "把文本读作",
    "explorer.mode.chars": "字符",
    "explorer.mode.words": "词",
    "explorer.mode.numbers": "数字",
    "explorer.mode_help.chars": "每个字符是一步（最多 {limit} 步）。",
    "explorer.mode_help.words": "用空格分词，每个词一步：`我 昨天 在 图书馆` 是 4 个词；标点单独算一步。"
                                "不加空格的中文按字读，一字一步（最多 {limit} 步）。",
    "explorer.mode_help.numbers": "标量用逗号或空格分开，向量之间用“;”或换行分开（最多 {limit} 步）。",
    "explorer.examples": "例子",
    "explorer.examples_pick": "选一个例子…",
    "explorer.bad_input": "无法显示这个输入：{reason}",
    "explorer.does_not_fit": "输入与模型不匹配。模型给出的原因（英文）：{reason}",
    "explorer.showing_previous": "下面显示的仍是上一个可用的序列。",
    "explorer.enc_note.embedding": "输入方式：每个不同的词元（共 {n} 个）对应一个固定的、含 {dim} 个数的随机向量"
                                   "（同一个词元总是得到同一个向量）。",
    "explorer.enc_note.onehot_sequence": "输入方式：按本序列中 {n} 个不同的词元做独热编码"
                                         "（x^t 有 {dim} 个分量，其中一个为 1）。",
    "explorer.enc_note.onehot_model": "输入方式：按模型自带的 {dim} 个词元的词表做独热编码；"
                                      "有 {unknown} 个词元不在词表中，它们的向量全为 0。",
    "explorer.enc_note.numbers": "输入方式：按输入的数字原样使用，每步 {dim} 个数。",
    "explorer.layer": "层",
    "explorer.layer_n": "第 {n} 层",
    "explorer.unit": "神经元（0 = 第一行）",
    "explorer.unit_help": "单元结构图中显示的神经元，也用来给词元着色。",
    "explorer.topk": "只看最有代表性的神经元",
    "explorer.topk_help": "神经元很多时热力图会很拥挤：只显示随时间变化最大、或最活跃（平均 |值| 最大）的 k 个神经"
                          "元。当前选中的神经元总会保留。",
    "explorer.topk_k": "神经元个数 k",
    "explorer.topk_by": "挑选依据",
    "explorer.topk_by.variation": "随时间的变化",
    "explorer.topk_by.activity": "活跃程度",
    "explorer.export": "下载",
    "explorer.export_npz": "轨迹（.npz）",
    "explorer.export_csv": "轨迹（.csv）",
    "explorer.export_csv_too_big": "这条轨迹有 {rows} 个数值，超过了 .csv 在这里的上限 {limit}；请改为下载 .npz。",
    "explorer.export_help": "包含每一层的每个数值。.csv 每行一个数值：层、步（从 1 开始）、词元、神经元、量、值。"
                            "图表可以从工具栏（相机图标）保存为 PNG。",
}
