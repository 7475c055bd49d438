# ruff: noqa: E501  (catalogue sentences stay on one line each)
"""Strings of the teaching pages (RNN, LSTM cell, long-term memory, GRU, gate statistics)
and of their figures (``ui.figures.teaching``)."""

EN = {
    # ----------------------------------------------------------- navigation and shared
    "nav.rnn": "RNN",
    "nav.lstm_cell": "LSTM cell",
    "nav.memory": "Long-term memory",
    "nav.gru": "GRU",
    "nav.gates": "Gate statistics",
    "teach.cut": "The sequence has {n} steps; this page analyses the first {limit}.",
    "teach.unit": "Unit to follow",
    "teach.model_note": "The {cell} on this page takes its hidden size ({hidden}), seed ({seed}) and token vectors "
                        "({inputs} numbers per step) from the sidebar; the cell kind chosen there does not apply here. "
                        "{params:,} parameters, random (untrained) weights.",
    "mem.model_note": "All three take the sidebar's hidden size ({hidden}), seed ({seed}) and token vectors "
                      "({inputs} numbers per step); the cell kind chosen there does not apply here. "
                      "The weights are random (untrained).",
    "teach.heat_title": "{name} — one row per unit, one column per step",
    # ----------------------------------------------------------- RNN page
    "rnn.title": "The plain RNN",
    "rnn.intro": "A recurrent network reads a sequence one step at a time. At every step the same cell takes two "
                 "things, the input $x$ and the state $h$ handed over by the previous step, and returns a new state "
                 "$h'$ and an output $y$.",
    "rnn.symbols": "$W_x$ carries the input in, $W_h$ carries the past in, $b$ shifts the sum, and tanh squeezes the "
                   "result into −1…1. The output $y$ reads only the new state, through $W_y$ and a softmax. "
                   "There is one formula for every step: the weights are shared along the whole sequence.",
    "rnn.unrolled": "Unrolled over your sequence",
    "rnn.unrolled_text": "Drawing one box per step makes the repetition visible. The number in each box is the unit "
                         "chosen above; red is positive, blue negative.",
    "rnn.heat": "Every unit at every step",
    "rnn.heat_text": "The whole state $h$, not just one unit. Read a column to see the state after that token; "
                     "read a row to see one unit across the sequence.",
    "rnn.mix": "How each h mixes the input and the past",
    "rnn.mix_text": "How much does input $x_s$ still move the state $h_t$? The size of the derivative "
                    "$\\lVert \\partial h_t / \\partial x_s \\rVert$ answers it. The diagonal is the token just read; "
                    "moving left along a row goes back in time.",
    "rnn.share_text": "The first token's share of everything that moves $h_t$: "
                      "$\\lVert \\partial h_t/\\partial x_1\\rVert \\,/\\, \\sum_{{s\\le t}} \\lVert \\partial h_t/\\partial x_s\\rVert$. "
                      "On this sequence it is {d1} one step later, {d5} five steps later and {d10} ten steps later: "
                      "the past is mixed in again and again through $W_h$ and tanh, and each pass shrinks it.",
    "rnn.share_short": "On this sequence the share is {d1} one step later.",
    "rnn.influence_cut": "Measured on the first {n} steps: the cost grows with the steps squared times the units cubed, "
                         "so with {hidden} units the view stops there (a smaller hidden size shows more steps).",
    "rnn.next": "Why that fading matters, and what the LSTM does about it, is on the **Long-term memory** page.",
    # ----------------------------------------------------------- LSTM cell page
    "cell.title": "One LSTM step, by hand",
    "cell.intro": "An LSTM passes two states from step to step: the cell state $c$ (long memory) and the hidden "
                  "state $h$. Here is one step of a cell small enough to read. Set the input, the two old states "
                  "and the gate biases; every number below follows from them.",
    "cell.units": "Units",
    "cell.inputs": "Step input and old states",
    "cell.x": "input $x^t$",
    "cell.h_prev": "$h^{{t-1}}$, unit {j}",
    "cell.c_prev": "$c^{{t-1}}$, unit {j}",
    "cell.biases": "Gate biases (the same for every unit)",
    "cell.b_f": "forget bias $b_f$",
    "cell.b_i": "input bias $b_i$",
    "cell.b_z": "candidate bias $b_z$",
    "cell.b_o": "output bias $b_o$",
    "cell.weights": "Weights W (random, from the sidebar's seed)",
    "cell.weights_text": "Each row makes one of the four values of one unit from $[x^t, h^{t-1}]$. "
                         "They stay fixed; only the biases are yours to move.",
    "cell.s1": "1 · Put the input and the old state side by side",
    "cell.s1_text": "The cell reads one vector, the concatenation $[x^t, h^{{t-1}}]$ = {vec}.",
    "cell.s2": "2 · Four values from one matrix product",
    "cell.s2_text": "$a = W\\,[x^t, h^{t-1}] + b$ gives four numbers per unit. Three pass through a sigmoid and "
                    "become gates between 0 and 1; one passes through tanh and becomes the candidate $z$ between −1 and 1.",
    "cell.col_unit": "unit",
    "cell.col_pre": "a ({sym})",
    "cell.col_val": "{sym}",
    "cell.s3": "3 · Forget: keep part of the old memory",
    "cell.s3_text": "$z^f \\odot c^{t-1}$: each unit multiplies its old cell state by its forget gate. "
                    "1 keeps everything, 0 erases it.",
    "cell.s4": "4 · Select and memorize: write part of the candidate",
    "cell.s4_text": "$c^t = z^f \\odot c^{t-1} + z^i \\odot z$: the input gate decides how much of the candidate is added.",
    "cell.s5": "5 · Output: show part of the memory",
    "cell.s5_text": "$h^t = z^o \\odot \\tanh(c^t)$: the output gate decides how much of the squashed memory "
                    "becomes the new hidden state, the one the next step and the output layer read.",
    "cell.unit_line": "unit {j}",
    "cell.diagram": "The step drawn as a cell",
    "cell.diagram_unit": "Unit to draw",
    "cell.why": "Why tanh for z, and sigmoid for the gates?",
    "cell.why_text": "Drag $b_z$ to −4: $z$ goes to −1, and with $z^i$ open the memory is pushed *down*. "
                     "The candidate is data, and data needs a sign, so it lives in −1…1.\n\n"
                     "Drag $b_f$ to −4 and then to +4: $z^f$ slides from 0 (forget all of $c^{t-1}$) to 1 (keep "
                     "all of it), and never leaves that range. A gate only says *how much* passes, so a "
                     "fraction between 0 and 1 is exactly what it needs; it can never flip a sign or amplify.",
    # ----------------------------------------------------------- Long-term memory page
    "mem.title": "Long-term memory: RNN, GRU and LSTM side by side",
    "mem.intro": "Three cells, built with the same input, hidden size and seed, read the same sequence. "
                 "The measurements below show why plain RNNs struggle with long sequences and how gates help.",
    "mem.grad": "Gradients back through time",
    "mem.grad_text": "Training sends an error signal from late steps back to early ones. Here the loss reads only "
                     "the last state, $L = w \\cdot h_T$, and the chart shows how much of its gradient reaches "
                     "each earlier step: $\\lVert \\partial L/\\partial h_t \\rVert$ (and, for the LSTM, "
                     "$\\lVert \\partial L/\\partial c_t\\rVert$). The axis is logarithmic: each grid line is ten times smaller.",
    "mem.scale": "Scale of the recurrent weights $W_h$",
    "mem.scale_help": "Multiplies every recurrent weight matrix of all three cells. Below 1 the gradients vanish "
                      "faster; well above 1 they can grow (explode).",
    "mem.grad_numbers": "At the first step, the gradient that arrives is {rnn} of the last step's for the RNN, "
                        "{gru} for the GRU and {lstm} for the LSTM (its cell state: {lstm_c}).",
    "mem.forget_text": "The dotted line is the product of the LSTM's forget gates from step $t$ to the end, "
                       "$\\prod_{s>t} z^f_s$ (mean over units): the share of $c_t$ that survives to the last step "
                       "along the cell path. When $z^f$ stays near 1 it stays high, and so does the gradient of $c$. "
                       "Raise the forget bias in the sidebar to see it climb.",
    "mem.change": "c changes slowly, h a lot — measured",
    "mem.change_text": "For each step, how far a state moved, divided by that state's typical size: "
                       "$\\lVert c_t - c_{t-1}\\rVert / \\overline{\\lVert c\\rVert}$, and the same for $h$. "
                       "Each is measured against its own size because $h = z^o \\odot \\tanh(c)$ is squashed and so smaller than $c$.",
    "mem.change_numbers": "On this sequence the LSTM's cell state moves by {c} of its size per step on average, "
                          "its hidden state by {h}; the GRU's h by {gru}, the RNN's h by {rnn}.",
    "mem.recall": "Recall accuracy against the gap",
    "mem.recall_text": "A task that needs memory: see a letter, then a row of dots, then “?” — answer the letter. "
                       "How often does each cell still answer right as the row of dots gets longer?",
    "mem.recall_run": "Train and measure ({n} short runs)",
    "mem.recall_settings": "Hidden size {hidden}, {steps} training steps per run, seed {seed}, {symbols} letters "
                           "(chance = {chance:.0%}), LSTM forget bias {fb:g}.",
    "mem.recall_note": "One seed and short training: the lines show a trend, not a benchmark. Where a line falls "
                       "to the chance level, that cell did not learn to bridge the gap in the time it had.",
    "mem.recall_progress": "Training {done} of {total} …",
    "mem.recall_presets": "Measured on the trained presets: each cell ({hidden} units) was trained on gaps from {lo} "
                          "to {hi}, then tested here one gap at a time on {n} new sequences ({symbols} letters, "
                          "chance {chance:.0%}). Gaps beyond {hi} never occurred in training.",
    "mem.recall_quick": "Or train small fresh models at each gap yourself (about half a minute):",
    "mem.interv": "Interventions: change a gate and watch the memory",
    "mem.interv_text": "Overrule the LSTM during the forward pass and compare with the untouched run.",
    "mem.interv_kind": "Intervention",
    "mem.iv.forget0": "clamp $z^f$ to 0 (forget everything each step)",
    "mem.iv.forget1": "clamp $z^f$ to 1 (never forget)",
    "mem.iv.input0": "shut $z^i$ (write nothing new)",
    "mem.iv.silence": "silence one unit",
    "mem.interv_unit": "Unit",
    "mem.interv_steps": "Steps affected",
    "mem.interv_numbers": "At the last step the memory differs by {mem} and the hidden state by {hid} "
                          "(the untouched run's memory has size {size}).",
    "mem.interv_output": "This model has no output layer, so only the states are compared.",
    "mem.iv_explain.forget0": "With $z^f = 0$ the cell keeps nothing from the step before: $c^t = z^i \\odot z$. "
                              "Memory becomes as short as one step.",
    "mem.iv_explain.forget1": "With $z^f = 1$ nothing is ever erased: $c$ only adds, so it keeps growing "
                              "and every old input stays in it.",
    "mem.iv_explain.input0": "With $z^i = 0$ nothing new is written: $c^t = z^f \\odot c^{t-1}$ only decays "
                             "from its start (zero here), so the cell stays empty and $h$ is 0.",
    "mem.iv_explain.silence": "The chosen unit's $c$ and $h$ are held at 0; the other units feel it through "
                              "the recurrent weights.",
    "mem.cell_before": "Cell state c, untouched",
    "mem.cell_after": "Cell state c, with the intervention",
    # ----------------------------------------------------------- GRU page
    "gru.title": "The GRU",
    "gru.intro": "The gated recurrent unit keeps the idea of gates but drops the separate cell state: "
                 "it has only $h$, two gates and a candidate. Fewer parameters, and on many tasks it does about as well.",
    "gru.eq_gru": "GRU",
    "gru.eq_lstm": "LSTM",
    "gru.eq_text": "The update gate $u$ plays the LSTM's forget and input gates at once: whatever share of the old "
                   "$h$ it keeps, the candidate fills the rest. The reset gate $r$ decides how much of the old $h$ "
                   "the candidate may look at.",
    "gru.params": "Parameter counts",
    "gru.inputs": "Input size",
    "gru.hidden": "Hidden size",
    "gru.params_text": "Per layer, each weight block has $H \\cdot I + H \\cdot H$ weights plus two bias vectors of $H$ "
                       "(PyTorch's layout). The RNN has one block, the GRU three, the LSTM four: "
                       "here {rnn:,}, {gru:,} and {lstm:,}.",
    "gru.heat": "The GRU on your sequence",
    "gru.heat_text": "Reset, update and candidate, then the state $h$ they produce, for a GRU with the sidebar's "
                     "hidden size and seed.",
    # ----------------------------------------------------------- Gate statistics page
    "gates.title": "Gate statistics",
    "gates.intro": "How often is each gate unit fully open or fully shut? Each dot below is one unit of one gate: "
                   "to the right, it was mostly below the low threshold (shut); to the top, mostly above the high "
                   "threshold (open); near the corner at the origin, it moved with the input.",
    "gates.model": "The sidebar's model ({cell}, hidden size {hidden}, {layers} layer(s)) on the sequence below.",
    "gates.rnn": "A plain RNN has no gates. Choose LSTM or GRU in the sidebar.",
    "gates.low": "Shut below",
    "gates.high": "Open above",
    "gates.layer": "Layer",
    "gates.summary": "{gate}: {open} of {H} units open on more than half of the steps, {shut} shut on more than "
                     "half, {free} in between.",
    "gates.random": "Untrained weights rarely saturate: expect the dots near the origin. Load trained weights in "
                    "the sidebar to see gates that commit.",
    "gates.table": "Numbers per unit",
    "gates.col_gate": "gate",
    "gates.col_unit": "unit",
    "gates.col_left": "shut",
    "gates.col_right": "open",
    "gates.error": "This sequence does not fit the model: {reason}",
    # ----------------------------------------------------------- figures
    "tf.step": "step t",
    "tf.distance": "distance from the first token (steps)",
    "tf.grad_h": "{cell}: ‖∂L/∂h<sub>t</sub>‖",
    "tf.grad_c": "{cell}: ‖∂L/∂c<sub>t</sub>‖",
    "tf.forget_prod": "{cell}: product of z<sup>f</sup> from t to the end",
    "tf.grad_y": "size (log scale)",
    "tf.grad_title": "How much of the last step's gradient reaches step t",
    "tf.change_h": "{cell}: ‖Δh‖ / typical ‖h‖",
    "tf.change_c": "{cell}: ‖Δc‖ / typical ‖c‖",
    "tf.change_y": "change per step (relative)",
    "tf.change_title": "How much each state moves from one step to the next",
    "tf.sat_left": "fraction of steps below {low:g} (shut)",
    "tf.sat_right": "fraction of steps above {high:g} (open)",
    "tf.sat_unit": "unit {unit}",
    "tf.sat_title": "Saturation of every gate unit",
    "tf.params_y": "number of parameters",
    "tf.params_title": "Parameters for input size {inputs} and hidden size {hidden}",
    "tf.share_y": "first token's share of the influence on h<sub>t</sub>",
    "tf.share_title": "How much h<sub>t</sub> still depends on the first token",
    "tf.matrix_x": "input x<sub>s</sub> (step s)",
    "tf.matrix_y": "state h<sub>t</sub> (step t)",
    "tf.matrix_title": "‖∂h<sub>t</sub>/∂x<sub>s</sub>‖: how strongly each input moves each later state",
    "tf.matrix_color": "‖∂h<sub>t</sub>/∂x<sub>s</sub>‖",
    "tf.unrolled_title": "The same cell, repeated once per token",
    "tf.more_steps": "… {n} more",
    "tf.effect_memory": "memory (c for the LSTM, h otherwise)",
    "tf.effect_hidden": "hidden state h",
    "tf.effect_output": "output y (share of probability moved)",
    "tf.effect_y": "change caused by the intervention",
    "tf.effect_title": "What the intervention changed, step by step",
    "tf.recall_x": "gap: dots between the letter and the question (log scale)",
    "tf.recall_y": "accuracy",
    "tf.recall_title": "Recall after a gap: accuracy of each cell",
    "tf.chance": "chance",
}

ZH = {
    # ----------------------------------------------------------- navigation and shared
    "nav.rnn": "RNN",
    "nav.lstm_cell": "LSTM 单元",
    "nav.memory": "长期记忆",
    "nav.gru": "GRU",
    "nav.gates": "门的统计",
    "teach.cut": "序列共有 {n} 步，本页只分析前 {limit} 步。",
    "teach.unit": "跟踪的单元",
    "teach.model_note": "本页的 {cell} 从侧边栏取隐藏维度（{hidden}）、随机种子（{seed}）和词元向量（每步 {inputs} 个数）；"
                        "侧边栏选的单元类型在这里不起作用。共 {params:,} 个参数，权重随机（未训练）。",
    "mem.model_note": "三者都从侧边栏取隐藏维度（{hidden}）、随机种子（{seed}）和词元向量（每步 {inputs} 个数）；"
                      "侧边栏选的单元类型在这里不起作用。权重随机（未训练）。",
    "teach.heat_title": "{name}——每行一个单元，每列一步",
    # ----------------------------------------------------------- RNN page
    "rnn.title": "普通 RNN",
    "rnn.intro": "循环神经网络一步一步地读序列。每一步都是同一个单元：它接收两样东西——输入 $x$ 和上一步交来的"
                 "状态 $h$——然后给出新的状态 $h'$ 和输出 $y$。",
    "rnn.symbols": "$W_x$ 把输入带进来，$W_h$ 把过去带进来，$b$ 平移这个和，tanh 把结果压到 −1…1 之间。"
                   "输出 $y$ 只读新状态，经过 $W_y$ 和 softmax。每一步用的都是这一个公式：权重在整条序列上共享。",
    "rnn.unrolled": "在你的序列上展开",
    "rnn.unrolled_text": "每一步画一个方框，重复就一目了然。方框里的数字是上面选中的单元；红色为正，蓝色为负。",
    "rnn.heat": "每个单元在每一步的值",
    "rnn.heat_text": "这里是整个状态 $h$，而不只是一个单元。看一列，是读完那个词元后的状态；看一行，是一个单元在整条序列上的变化。",
    "rnn.mix": "每个 h 怎样混合输入与过去",
    "rnn.mix_text": "输入 $x_s$ 还能把状态 $h_t$ 推动多少？导数的大小 $\\lVert \\partial h_t / \\partial x_s \\rVert$ "
                    "给出答案。对角线是刚读进的词元；沿一行往左走，就是往回看过去。",
    "rnn.share_text": "第一个词元在推动 $h_t$ 的全部影响中所占的份额："
                      "$\\lVert \\partial h_t/\\partial x_1\\rVert \\,/\\, \\sum_{{s\\le t}} \\lVert \\partial h_t/\\partial x_s\\rVert$。"
                      "在这条序列上，一步之后是 {d1}，五步之后是 {d5}，十步之后是 {d10}："
                      "过去一次又一次地经过 $W_h$ 和 tanh 重新混合，每经过一次就缩小一些。",
    "rnn.share_short": "在这条序列上，一步之后的份额是 {d1}。",
    "rnn.influence_cut": "只在前 {n} 步上测量：计算量随步数的平方乘以单元数的立方增长，所以有 {hidden} 个单元时只看到这里（隐藏维度小一些就能看到更多步）。",
    "rnn.next": "这种衰减为什么要紧、LSTM 又怎样应对，请看 **长期记忆** 页。",
    # ----------------------------------------------------------- LSTM cell page
    "cell.title": "亲手算一步 LSTM",
    "cell.intro": "LSTM 在步与步之间传递两个状态：细胞状态 $c$（长期记忆）和隐藏状态 $h$。下面是一个小到能逐个数读的"
                  "单元的一步。设定输入、两个旧状态和门的偏置，下面每个数都由它们算出。",
    "cell.units": "单元个数",
    "cell.inputs": "本步输入与旧状态",
    "cell.x": "输入 $x^t$",
    "cell.h_prev": "$h^{{t-1}}$，单元 {j}",
    "cell.c_prev": "$c^{{t-1}}$，单元 {j}",
    "cell.biases": "门的偏置（各单元相同）",
    "cell.b_f": "遗忘偏置 $b_f$",
    "cell.b_i": "输入偏置 $b_i$",
    "cell.b_z": "候选偏置 $b_z$",
    "cell.b_o": "输出偏置 $b_o$",
    "cell.weights": "权重 W（随机，来自侧边栏的种子）",
    "cell.weights_text": "每一行由 $[x^t, h^{t-1}]$ 算出某个单元的四个值之一。权重固定不变，能动的只有偏置。",
    "cell.s1": "1 · 把输入和旧状态并排放在一起",
    "cell.s1_text": "单元读入的是一个拼接向量 $[x^t, h^{{t-1}}]$ = {vec}。",
    "cell.s2": "2 · 一次矩阵乘法得到四个值",
    "cell.s2_text": "$a = W\\,[x^t, h^{t-1}] + b$ 为每个单元给出四个数。其中三个经过 sigmoid，成为 0 到 1 之间的门；"
                    "一个经过 tanh，成为 −1 到 1 之间的候选值 $z$。",
    "cell.col_unit": "单元",
    "cell.col_pre": "a（{sym}）",
    "cell.col_val": "{sym}",
    "cell.s3": "3 · 遗忘：保留一部分旧记忆",
    "cell.s3_text": "$z^f \\odot c^{t-1}$：每个单元把旧的细胞状态乘以自己的遗忘门。1 表示全部保留，0 表示全部抹去。",
    "cell.s4": "4 · 选择记忆：写入一部分候选值",
    "cell.s4_text": "$c^t = z^f \\odot c^{t-1} + z^i \\odot z$：输入门决定把多少候选值加进去。",
    "cell.s5": "5 · 输出：展示一部分记忆",
    "cell.s5_text": "$h^t = z^o \\odot \\tanh(c^t)$：输出门决定压缩后的记忆有多少成为新的隐藏状态——下一步和输出层读的正是它。",
    "cell.unit_line": "单元 {j}",
    "cell.diagram": "画成单元图的这一步",
    "cell.diagram_unit": "要画的单元",
    "cell.why": "为什么 z 用 tanh，门用 sigmoid？",
    "cell.why_text": "把 $b_z$ 拖到 −4：$z$ 趋向 −1，只要 $z^i$ 打开，记忆就被往下推。"
                     "候选值是数据，数据需要正负号，所以它取 −1…1。\n\n"
                     "把 $b_f$ 从 −4 拖到 +4：$z^f$ 从 0（忘掉全部 $c^{t-1}$）滑到 1（全部保留），始终不出这个范围。"
                     "门只回答“放过多少”，0 到 1 之间的比例正合适；它既不会翻转正负，也不会放大。",
    # ----------------------------------------------------------- Long-term memory page
    "mem.title": "长期记忆：RNN、GRU、LSTM 并排比较",
    "mem.intro": "三种单元用相同的输入、隐藏维度和随机种子构建，读同一条序列。下面的测量说明普通 RNN 为什么难以处理长序列，"
                 "以及门怎样帮上忙。",
    "mem.grad": "沿时间反向传播的梯度",
    "mem.grad_text": "训练时，误差信号从后面的步传回前面的步。这里的损失只读最后一个状态 $L = w \\cdot h_T$，"
                     "图中是它的梯度传回每一步时还剩多少：$\\lVert \\partial L/\\partial h_t \\rVert$"
                     "（LSTM 还有 $\\lVert \\partial L/\\partial c_t\\rVert$）。纵轴是对数坐标：每条网格线小十倍。",
    "mem.scale": "循环权重 $W_h$ 的缩放",
    "mem.scale_help": "把三种单元的循环权重矩阵都乘以这个数。小于 1 时梯度消失得更快；明显大于 1 时梯度可能变大（爆炸）。",
    "mem.grad_numbers": "传到第一步的梯度，RNN 只剩最后一步的 {rnn}，GRU 剩 {gru}，LSTM 剩 {lstm}（其细胞状态：{lstm_c}）。",
    "mem.forget_text": "点线是 LSTM 从第 $t$ 步到末尾的遗忘门连乘 $\\prod_{s>t} z^f_s$（对单元取平均）："
                       "沿细胞通路，$c_t$ 能留到最后一步的比例。$z^f$ 一直接近 1 时它就保持在高处，$c$ 的梯度也一样。"
                       "在侧边栏调高遗忘偏置，可以看到它升高。",
    "mem.change": "c 变化慢，h 变化大——实测",
    "mem.change_text": "每一步状态移动了多远，再除以该状态的平均大小：$\\lVert c_t - c_{t-1}\\rVert / \\overline{\\lVert c\\rVert}$，"
                       "$h$ 同理。之所以各用各的大小衡量，是因为 $h = z^o \\odot \\tanh(c)$ 经过压缩，比 $c$ 小。",
    "mem.change_numbers": "在这条序列上，LSTM 的细胞状态平均每步变化其大小的 {c}，隐藏状态变化 {h}；"
                          "GRU 的 h 变化 {gru}，RNN 的 h 变化 {rnn}。",
    "mem.recall": "回忆准确率与间隔",
    "mem.recall_text": "一个需要记忆的任务：先看到一个字母，接着是一串点，然后是“?”——答出那个字母。"
                       "点越来越多时，每种单元还能有多少次答对？",
    "mem.recall_run": "训练并测量（{n} 次短训练）",
    "mem.recall_settings": "隐藏维度 {hidden}，每次训练 {steps} 步，种子 {seed}，{symbols} 个字母"
                           "（随机猜 = {chance:.0%}），LSTM 遗忘偏置 {fb:g}。",
    "mem.recall_note": "只用一个种子、训练很短：曲线显示的是趋势，不是基准成绩。某条线降到随机猜的水平，"
                       "说明那种单元在给定时间内没学会跨过这段间隔。",
    "mem.recall_progress": "正在训练第 {done} / {total} 个……",
    "mem.recall_presets": "在训练好的预设模型上测得：每种单元（{hidden} 个单元）都在 {lo} 到 {hi} 的间隔上训练过，"
                          "这里每次固定一个间隔，用 {n} 条新序列测试（{symbols} 个字母，随机猜为 {chance:.0%}）。"
                          "超过 {hi} 的间隔在训练中从未出现过。",
    "mem.recall_quick": "也可以自己在每个间隔上训练几个新的小模型（约半分钟）：",
    "mem.interv": "干预：改动一个门，看记忆怎样变",
    "mem.interv_text": "在前向计算中强行改写 LSTM，再与未改动的结果比较。",
    "mem.interv_kind": "干预方式",
    "mem.iv.forget0": "把 $z^f$ 固定为 0（每步全部忘掉）",
    "mem.iv.forget1": "把 $z^f$ 固定为 1（从不遗忘）",
    "mem.iv.input0": "关闭 $z^i$（不写入任何新内容）",
    "mem.iv.silence": "让一个单元静默",
    "mem.interv_unit": "单元",
    "mem.interv_steps": "受影响的步",
    "mem.interv_numbers": "到最后一步，记忆相差 {mem}，隐藏状态相差 {hid}（未改动时记忆的大小为 {size}）。",
    "mem.interv_output": "这个模型没有输出层，所以只比较状态。",
    "mem.iv_explain.forget0": "$z^f = 0$ 时，单元不保留上一步的任何东西：$c^t = z^i \\odot z$。记忆只剩一步那么长。",
    "mem.iv_explain.forget1": "$z^f = 1$ 时，什么都不会被抹去：$c$ 只加不减，于是不断变大，每个旧输入都留在里面。",
    "mem.iv_explain.input0": "$z^i = 0$ 时不写入新内容：$c^t = z^f \\odot c^{t-1}$ 只会从初值（这里是零）衰减，"
                             "所以细胞一直是空的，$h$ 为 0。",
    "mem.iv_explain.silence": "选中单元的 $c$ 和 $h$ 被固定为 0；其他单元通过循环权重感受到这一变化。",
    "mem.cell_before": "细胞状态 c（未改动）",
    "mem.cell_after": "细胞状态 c（施加干预后）",
    # ----------------------------------------------------------- GRU page
    "gru.title": "GRU",
    "gru.intro": "门控循环单元（GRU）保留了门的思想，但去掉了单独的细胞状态：它只有 $h$、两个门和一个候选值。"
                 "参数更少，在许多任务上效果与 LSTM 相近。",
    "gru.eq_gru": "GRU",
    "gru.eq_lstm": "LSTM",
    "gru.eq_text": "更新门 $u$ 一个人同时担任 LSTM 的遗忘门和输入门：旧 $h$ 保留多少，剩下的就由候选值补足。"
                   "重置门 $r$ 决定候选值能看到多少旧的 $h$。",
    "gru.params": "参数个数",
    "gru.inputs": "输入维度",
    "gru.hidden": "隐藏维度",
    "gru.params_text": "每一层里，每个权重块有 $H \\cdot I + H \\cdot H$ 个权重，外加两个长度为 $H$ 的偏置向量"
                       "（PyTorch 的存法）。RNN 有一个块，GRU 三个，LSTM 四个：这里分别是 {rnn:,}、{gru:,} 和 {lstm:,}。",
    "gru.heat": "GRU 读你的序列",
    "gru.heat_text": "重置门、更新门和候选值，以及它们得出的状态 $h$；GRU 使用侧边栏的隐藏维度和种子。",
    # ----------------------------------------------------------- Gate statistics page
    "gates.title": "门的统计",
    "gates.intro": "每个门单元有多少时候完全打开或完全关闭？下图每个点是某个门的一个单元：越靠右，越常低于下限（关闭）；"
                   "越靠上，越常高于上限（打开）；靠近原点，说明它随输入变化。",
    "gates.model": "侧边栏的模型（{cell}，隐藏维度 {hidden}，{layers} 层）读下面的序列。",
    "gates.rnn": "普通 RNN 没有门。请在侧边栏选择 LSTM 或 GRU。",
    "gates.low": "低于此值算关闭",
    "gates.high": "高于此值算打开",
    "gates.layer": "层",
    "gates.summary": "{gate}：{H} 个单元中，{open} 个在超过一半的步里打开，{shut} 个在超过一半的步里关闭，{free} 个介于两者之间。",
    "gates.random": "未训练的权重很少饱和：点多半聚在原点附近。在侧边栏载入训练过的权重，就能看到果断开合的门。",
    "gates.table": "各单元的数值",
    "gates.col_gate": "门",
    "gates.col_unit": "单元",
    "gates.col_left": "关闭",
    "gates.col_right": "打开",
    "gates.error": "这条序列与模型不匹配：{reason}",
    # ----------------------------------------------------------- figures
    "tf.step": "时间步 t",
    "tf.distance": "距第一个词元的步数",
    "tf.grad_h": "{cell}：‖∂L/∂h<sub>t</sub>‖",
    "tf.grad_c": "{cell}：‖∂L/∂c<sub>t</sub>‖",
    "tf.forget_prod": "{cell}：从 t 到末尾的 z<sup>f</sup> 连乘",
    "tf.grad_y": "大小（对数坐标）",
    "tf.grad_title": "最后一步的梯度有多少能传回到第 t 步",
    "tf.change_h": "{cell}：‖Δh‖ / h 的平均大小",
    "tf.change_c": "{cell}：‖Δc‖ / c 的平均大小",
    "tf.change_y": "每步的相对变化",
    "tf.change_title": "每个状态从一步到下一步变了多少",
    "tf.sat_left": "低于 {low:g} 的步数比例（关闭）",
    "tf.sat_right": "高于 {high:g} 的步数比例（打开）",
    "tf.sat_unit": "单元 {unit}",
    "tf.sat_title": "每个门单元的饱和程度",
    "tf.params_y": "参数个数",
    "tf.params_title": "输入维度 {inputs}、隐藏维度 {hidden} 时的参数个数",
    "tf.share_y": "第一个词元在 h<sub>t</sub> 所受影响中的占比",
    "tf.share_title": "h<sub>t</sub> 还有多少取决于第一个词元",
    "tf.matrix_x": "输入 x<sub>s</sub>（第 s 步）",
    "tf.matrix_y": "状态 h<sub>t</sub>（第 t 步）",
    "tf.matrix_title": "‖∂h<sub>t</sub>/∂x<sub>s</sub>‖：每个输入对之后每个状态的推动有多大",
    "tf.matrix_color": "‖∂h<sub>t</sub>/∂x<sub>s</sub>‖",
    "tf.unrolled_title": "同一个单元，每个词元重复一次",
    "tf.more_steps": "…… 还有 {n} 步",
    "tf.effect_memory": "记忆（LSTM 看 c，其余看 h）",
    "tf.effect_hidden": "隐藏状态 h",
    "tf.effect_output": "输出 y（被挪动的概率份额）",
    "tf.effect_y": "干预造成的变化",
    "tf.effect_title": "干预在每一步改变了什么",
    "tf.recall_x": "间隔：字母与提问之间的点数（对数坐标）",
    "tf.recall_y": "准确率",
    "tf.recall_title": "隔一段再回忆：各单元的准确率",
    "tf.chance": "随机猜",
}
