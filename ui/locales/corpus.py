# ruff: noqa: E501  (catalogue sentences stay on one line each)
"""The corpus page: a model over a whole text, a unit's top contexts, pattern search."""

EN = {
    "nav.corpus": "Corpus",
    "corpus.title": "Corpus: what does a unit do?",
    "corpus.intro": "Run the sidebar's model over a whole text (up to {limit_mb} MB), then look for what its units respond to: **(1)** the 20 places where a unit is most active, each coloured by that unit (red high, blue low); **(2)** a pattern: the units that are on over a span of your sequence, and where in the corpus the same units are on over as many steps; **(3)** the states themselves, as .npz. One layer's h is kept per session, in float16: at most {values} values ({mib} MiB, steps × units); a larger corpus is refused.",
    "corpus.generated": "The sidebar has random weights: they read each token as the app's fixed 16 random numbers. Upload your model (or pick a trained example) to see what its units learned.",
    "corpus.bidirectional": "bidirectional: each line is read on its own (the ← direction needs a line's end first)",
    "corpus.paste": "Paste a corpus",
    "corpus.upload": "… or upload a text file (UTF-8)",
    "corpus.upload_help": "Plain text, at most 1 MB. It is read the way the model's vocabulary cuts text (characters or words).",
    "corpus.layer": "Layer whose states are kept",
    "corpus.reset": "Each line on its own",
    "corpus.reset_help": "On: the states start from zero at every line (as for a model trained on separate sentences). Off: the whole text is one sequence, the state carried from line to line. Bidirectional models always read line by line.",
    "corpus.run": "Run the model over the corpus",
    "corpus.progress": "Reading the corpus: {done} of {total} steps",
    "corpus.refused": "The corpus was refused: {reason}",
    "corpus.too_big": "The corpus has {size} bytes; at most {limit} bytes (1 MB) are read.",
    "corpus.empty": "The corpus is empty.",
    "corpus.none": "Paste or upload a text, then run the model over it.",
    "corpus.stale": "The states below are from an earlier run (another text, model or layer); run again to update them.",
    "corpus.done": "{steps} steps read; layer {layer}'s h kept for {units} units ({mb} MB).",
    "corpus.unknown": "{n} token(s) of the corpus are not in the vocabulary and were read as its unknown token: {tokens}",
    "corpus.pieces": "{n} line(s) longer than {chunk} steps were read in pieces of {chunk}.",
    "corpus.top.title": "(1) Where is a unit most active?",
    "corpus.unit": "Unit ({label})",
    "corpus.top.help": "The {k} places where unit {unit} is highest, each shown with the text before it, every token coloured by the unit's h (red high, white 0, blue low); the peak is outlined. Hover a token for its step and value.",
    "corpus.search.title": "(2) Where else are the same units on?",
    "corpus.search.help": "Type a sequence, select a span of its steps and a threshold: the units whose h stays above the threshold over the whole span are the pattern. The corpus's spans of the same length are ranked by how well their units on match it (shared ÷ all on in either).",
    "corpus.span": "Steps of your sequence",
    "corpus.threshold": "Threshold: a unit is on above",
    "corpus.search.on": "Over “{span}”: **{n} unit(s) on**: {units}",
    "corpus.search.none": "No span of the corpus has any of these units on throughout.",
    "corpus.search.legend": "Each line: match (shared ÷ all), units of the pattern on / in the pattern, + units on that are not in it, and where. Coloured by unit {unit}; the matching span is outlined.",
    "corpus.export": "(3) The states",
    "corpus.export_npz": "Download the corpus's states (.npz)",
    "corpus.export_help": "states (steps × units, float16), ids (the model's token ids), starts (where each line begins), layer, vocab. Read with numpy.load.",
}

ZH = {
    "nav.corpus": "语料",
    "corpus.title": "语料：一个神经元在做什么？",
    "corpus.intro": "让侧边栏的模型读完一整段文本（最多 {limit_mb} MB），再看它的神经元对什么有反应：**（1）** 某"
                    "个神经元最活跃的 20 处，每处按该神经元着色（红高蓝低）；**（2）** 一个模式：在你的序列的一段"
                    "上保持开启的神经元，以及语料中同样这些神经元在同样多步上开启的地方；**（3）** 状态本身，导出"
                    "为 .npz。每个会话只保留一层的 h，以 float16 存储：最多 {values} 个数值（{mib} MiB，步数 × 神"
                    "经元数）；更大的语料会被拒绝。",
    "corpus.generated": "侧边栏当前是随机权重：它把每个词元读作本应用固定的 16 个随机数。上传你的模型（或选一个训"
                        "练好的示例），才能看到神经元学到了什么。",
    "corpus.bidirectional": "双向：每一行单独读入（← 方向需要先读到一行的末尾）",
    "corpus.paste": "粘贴语料",
    "corpus.upload": "……或上传文本文件（UTF-8）",
    "corpus.upload_help": "纯文本，最多 1 MB。按模型词表的切分方式读入（按字符或按词）。",
    "corpus.layer": "保留哪一层的状态",
    "corpus.reset": "每行单独读",
    "corpus.reset_help": "开：每一行都从零状态开始（适合用独立句子训练的模型）。关：整段文本是一个序列，状态从一行延续到下一行。双向模型总是逐行读。",
    "corpus.run": "让模型读完语料",
    "corpus.progress": "正在读语料：第 {done} / {total} 步",
    "corpus.refused": "语料被拒绝：{reason}",
    "corpus.too_big": "语料有 {size} 字节；最多读 {limit} 字节（1 MB）。",
    "corpus.empty": "语料是空的。",
    "corpus.none": "粘贴或上传一段文本，然后让模型读一遍。",
    "corpus.stale": "下面的状态来自之前的一次运行（别的文本、模型或层）；请重新运行以更新。",
    "corpus.done": "已读 {steps} 步；保留了第 {layer} 层 {units} 个神经元的 h（{mb} MB）。",
    "corpus.unknown": "语料中有 {n} 个词元不在词表里，已按未知词元读入：{tokens}",
    "corpus.pieces": "有 {n} 行超过 {chunk} 步，按每段 {chunk} 步分段读入。",
    "corpus.top.title": "（1）一个神经元在哪里最活跃？",
    "corpus.unit": "神经元（{label}）",
    "corpus.top.help": "神经元 {unit} 最高的 {k} 处，每处连同前文一起显示，每个词元按该神经元的 h 着色（红为高，白"
                       "为 0，蓝为低）；峰值处加框。把鼠标移到词元上可看步数和数值。",
    "corpus.search.title": "（2）同样的神经元还在哪里开启？",
    "corpus.search.help": "输入一个序列，选出其中一段步数和一个阈值：在整段上 h 都高于阈值的神经元构成模式。语料中"
                          "同样长度的各段按其开启的神经元与模式的吻合程度排序（共有的 ÷ 任一方开启的）。",
    "corpus.span": "你的序列中的步",
    "corpus.threshold": "阈值：高于它的神经元算开启",
    "corpus.search.on": "在“{span}”上：**{n} 个神经元开启**：{units}",
    "corpus.search.none": "语料中没有哪一段让这些神经元始终开启。",
    "corpus.search.legend": "每行依次为：吻合度（共有 ÷ 全部），模式中开启的神经元数 / 模式的神经元数，+ 不在模式"
                            "中却开启的神经元数，以及位置。按神经元 {unit} 着色；吻合的一段加框。",
    "corpus.export": "（3）状态",
    "corpus.export_npz": "下载语料的状态（.npz）",
    "corpus.export_help": "states（步数 × 神经元数，float16）、ids（模型的词元编号）、starts（每行的起点）、layer"
                          "、vocab。用 numpy.load 读取。",
}
