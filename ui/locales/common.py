"""Strings shared by every page: app name, navigation, sidebar model picker, URL repairs."""

EN = {
    "app.title": "LSTM Explorer",
    "common.language": "Language / 语言",
    "common.footer": "Everything runs in NumPy on the server; the charts can be saved as PNG from their toolbar.",
    # navigation titles (one per entry of ui.app.PAGES)
    "nav.home": "Home",
    "nav.explorer": "Sequence explorer",
    # sidebar: the model
    "model.header": "Model",
    "model.source": "Weights",
    "model.source.generated": "Random weights (seeded)",
    "model.source.upload": "Upload a weight file",
    "model.source.preset": "A trained example",
    "model.preset": "Which example",
    "model.cell": "Cell kind",
    "model.cell_help": "LSTM: two states (c and h) and three gates. GRU: one state, two gates. "
                       "RNN: one state, no gates.",
    "model.hidden": "Hidden size H",
    "model.hidden_help": "How many units the state has (1–512). Each unit is one row of every heatmap.",
    "model.layers": "Layers",
    "model.seed": "Seed",
    "model.seed_help": "The same seed always gives the same random weights, so a shared link shows the same numbers.",
    "model.forget_bias": "Forget-gate bias",
    "model.forget_bias_help": "Added inside the forget gate. A positive bias pushes z^f toward 1, so an untrained "
                              "cell keeps more of its state rather than wiping it.",
    "model.encoding": "Tokens become vectors by",
    "model.encoding_help": "How each character or word is turned into the input vector x^t. Numbers you type are "
                           "used as they are.",
    "model.enc.embedding": "fixed random embedding",
    "model.enc.onehot_sequence": "one-hot over this sequence",
    "model.enc.onehot_model": "one-hot over the model's vocabulary",
    "model.upload": "Weight file (.npz or .safetensors)",
    "model.upload_help": "PyTorch names (weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0 …) or Keras names "
                         "(kernel, recurrent_kernel, bias). Pickled files are never opened.",
    "model.upload_failed": "“{name}” could not be used as weights. {reason}",
    "model.upload_using": "Using the weights from “{name}”.",
    "model.upload_none": "No weight file yet: the random weights set below stay in use until one is read.",
    "model.describe": "{cell}, H = {hidden}, {layers} layer(s), input size {inputs}, {params} parameters.",
    "model.too_big": "This needs T × H × layers = {steps} × {hidden} × {layers} = {work} values per quantity, more "
                     "than this app allows ({limit}). Use a shorter sequence, fewer units or fewer layers.",
    "model.too_many_params": "With {inputs} inputs per step, H = {hidden} and {layers} layer(s) the model would have "
                             "{params} weights, more than this app allows ({limit}). Use shorter vectors, fewer "
                             "units or fewer layers.",
    # repairs of the link (query parameters)
    "state.intro": "Some settings in the link could not be used, so defaults were taken:",
    "state.dismiss": "Got it",
    "state.malformed": "“{name}={value}” is not a number; using {default}.",
    "state.out_of_range": "“{name}={value}” is outside {lo}–{hi}; using {used}.",
    "state.bad_choice": "“{name}={value}” is not one of {choices}; using {default}.",
    "state.seq_cut": "The sequence in the link was longer than {limit} characters and was cut.",
    "state.step_moved": "Step {value} does not exist in a sequence of {steps} steps; showing step {used}.",
    "state.unit_moved": "Unit {value} does not exist in a layer of {units} units; showing unit {used}.",
    "state.enc_unavailable": "The encoding “{value}” does not work with this model; using “{used}”.",
    "seq.fixed": "**Sequence** (read as {mode}): `{text}`",
    "upload.button": "Upload",
    "upload.instructions": "Drag a file here or press Upload. At most {mb} MB per file.",
    "upload.instructions.weights": "Weights: a .npz or .safetensors file, at most {mb} MB. Drag it here or press "
                                   "Upload.",
    "upload.instructions.vocab": "Its vocabulary: a .json file or a text file with one token per line, at most {mb} "
                                 "MB. Drag it here or press Upload.",
    "upload.instructions.corpus": "A plain-text file (UTF-8), at most {mb} MB. Drag it here or press Upload.",
    "upload.refused": "This file was not uploaded: at most {mb} MB per file.",
    "state.bad_hide": "`hide={value}`: a link cannot hide this (it can hide {choices}), so it stays.",
}

ZH = {
    "app.title": "LSTM 探索器",
    "common.language": "语言 / Language",
    "common.footer": "所有计算都在服务器上用 NumPy 完成；每张图都可以从它的工具栏保存为 PNG。",
    "nav.home": "首页",
    "nav.explorer": "序列探索器",
    "model.header": "模型",
    "model.source": "权重来源",
    "model.source.generated": "随机权重（由种子决定）",
    "model.source.upload": "上传权重文件",
    "model.source.preset": "训练好的示例",
    "model.preset": "哪一个示例",
    "model.cell": "单元类型",
    "model.cell_help": "LSTM：两个状态（c 和 h）、三个门。GRU：一个状态、两个门。RNN：一个状态、没有门。",
    "model.hidden": "隐藏维度 H",
    "model.hidden_help": "状态中有多少个神经元（1–512）。热力图中的每一行就是一个神经元。",
    "model.layers": "层数",
    "model.seed": "随机种子",
    "model.seed_help": "同一个种子总是得到同样的随机权重，所以分享出去的链接显示的数值也相同。",
    "model.forget_bias": "遗忘门偏置",
    "model.forget_bias_help": "加在遗忘门内部。偏置为正时 z^f 被推向 1，未训练的单元就会多保留一些状态，而不是把它"
                              "清空。",
    "model.encoding": "词元变成向量的方式",
    "model.encoding_help": "每个字符或词如何变成输入向量 x^t。直接输入的数字按原样使用。",
    "model.enc.embedding": "固定的随机嵌入",
    "model.enc.onehot_sequence": "按本序列的词表做独热编码",
    "model.enc.onehot_model": "按模型的词表做独热编码",
    "model.upload": "权重文件（.npz 或 .safetensors）",
    "model.upload_help": "支持 PyTorch 的命名（weight_ih_l0、weight_hh_l0、bias_ih_l0、bias_hh_l0 …）或 Keras 的命名"
                         "（kernel、recurrent_kernel、bias）。不会打开 pickle 文件。",
    "model.upload_failed": "无法把“{name}”当作权重使用。{reason}",
    "model.upload_using": "正在使用“{name}”中的权重。",
    "model.upload_none": "还没有权重文件：在读到文件之前，继续使用下面设置的随机权重。",
    "model.describe": "{cell}，H = {hidden}，{layers} 层，输入维度 {inputs}，共 {params} 个参数。",
    "model.too_big": "这需要 T × H × 层数 = {steps} × {hidden} × {layers} = {work} 个数值（每种量），超过了本应用"
                     "的上限（{limit}）。请缩短序列，或减少神经元数、层数。",
    "model.too_many_params": "每步 {inputs} 个输入、H = {hidden}、{layers} 层时，模型会有 {params} 个权重，超过了"
                             "本应用的上限（{limit}）。请使用更短的向量，或减少神经元数、层数。",
    "state.intro": "链接中的部分设置无法使用，已改用默认值：",
    "state.dismiss": "知道了",
    "state.malformed": "“{name}={value}”不是数字；改用 {default}。",
    "state.out_of_range": "“{name}={value}”超出了 {lo}–{hi} 的范围；改用 {used}。",
    "state.bad_choice": "“{name}={value}”不在可选值 {choices} 之中；改用 {default}。",
    "state.seq_cut": "链接中的序列超过 {limit} 个字符，已被截断。",
    "state.step_moved": "共 {steps} 步的序列中没有第 {value} 步；显示第 {used} 步。",
    "state.unit_moved": "这一层只有 {units} 个神经元，没有神经元 {value}；显示神经元 {used}。",
    "state.enc_unavailable": "编码方式“{value}”不适用于这个模型；改用“{used}”。",
    "seq.fixed": "**序列**（按{mode}读）：`{text}`",
    "upload.button": "上传",
    "upload.instructions": "把文件拖到这里，或按“上传”。每个文件不超过 {mb} MB。",
    "upload.instructions.weights": "权重：.npz 或 .safetensors 文件，不超过 {mb} MB。把它拖到这里，或按“上传”。",
    "upload.instructions.vocab": "它的词表：.json 文件，或每行一个词元的文本文件，不超过 {mb} MB。"
                                 "把它拖到这里，或按“上传”。",
    "upload.instructions.corpus": "纯文本文件（UTF-8），不超过 {mb} MB。把它拖到这里，或按“上传”。",
    "upload.refused": "这个文件没有上传：每个文件不能超过 {mb} MB。",
    "state.bad_hide": "`hide={value}`：链接不能隐藏这一项（能隐藏的有 {choices}），所以它照常显示。",
}
