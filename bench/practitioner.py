"""What a practitioner's own model costs: load + first view, and the corpus view.

Run ``python -m bench.practitioner`` (``--repeats N``; ``--corpus-mb 1``).

1. Load + first view of a 2-layer bidirectional LSTM, H = 256, an embedding of
   V = 20,000 words (I = 128) and a 2-class head, float32 in ``.safetensors``
   with its vocabulary in the metadata (~21 MB): ``lstm_core.load`` of the file,
   then what the explorer does before the first paint - the forward pass of a
   typed sentence through ``ui.model_source.compute`` (tokens → ids → embedding
   → both directions of both layers → head) and the trace player's data of the top
   layer with the head's top-5 per step (``ui.player.data.player_data``), as JSON. Also the
   whole explorer page in ``AppTest`` with that file uploaded (one cold run,
   the upper bound: it includes Streamlit's own script run). Target ≤ 2 s.
2. Corpus: ``--corpus-mb`` MB of characters (the Train page's English corpus,
   repeated) through a one-layer LSTM, H = 128, one-hot over its characters:
   tokenising, ids, ``lstm_core.corpus.run`` (chunks of 8,192 steps, one
   BLAS thread, float16 kept), then a unit's top contexts and a pattern search
   (a 4-step span). Targets: the run ≤ 30 s, the search ≤ 1 s.

A script, not a test: the machine is shared, so each timed call follows a
pause (OpenBLAS's idle threads) and the median of ``--repeats`` is reported.
"""
from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

import lstm_core
from lstm_core import corpus
from lstm_core.files import safetensors as st_format

ROOT = Path(__file__).resolve().parents[1]
SENTENCE = "the film was not good but the acting was great and i liked it ."


def pause():
    time.sleep(0.3)


def timed(fn, repeats):
    out, times = None, []
    for _ in range(repeats):
        pause()
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return out, statistics.median(times)


def big_model_file(folder: Path) -> Path:
    words = ["<pad>", "<unk>"] + SENTENCE.split() + [f"w{i}" for i in range(20_000)]
    vocab = list(dict.fromkeys(words))[:20_000]
    m = lstm_core.LSTM.init(128, 256, num_layers=2, seed=0, bidirectional=True, vocab_size=len(vocab),
                            output_size=2, dtype=np.float32)
    sd = {("embedding.weight" if k == "embed.weight" else "fc." + k[4:] if k.startswith("out.") else "lstm." + k): v
          for k, v in m.to_torch().items()}
    path = folder / "sentiment_big.safetensors"
    path.write_bytes(st_format.write(sd, {"vocab": json.dumps(vocab)}))
    return path


def first_view(path: Path):
    from ui import model_source, predictions
    from ui.player.data import player_data
    from ui.state import ModelSpec

    model = lstm_core.load(path)
    spec = ModelSpec("lstm", model.hidden_size, model.num_layers, upload="bench")
    run = model_source.compute(spec, SENTENCE, "words", "onehot_model", model)
    top, expected = predictions.for_player(model, run.trace, run.tokens)
    data = player_data(run, lang="en", predictions=top, expected=expected)    # what the explorer's player receives
    json.dumps(data, ensure_ascii=False)
    return model, run


def page_run(path: Path):
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(ROOT / "explorer_app.py"), default_timeout=120)
    at.query_params["lang"] = "en"
    at.query_params["seq"] = SENTENCE
    at.query_params["mode"] = "words"
    at.switch_page("pages/explorer.py")
    at.run()
    at.radio(key="w_source").set_value("upload").run()
    at.file_uploader(key="w_upload").set_value((path.name, path.read_bytes(), "application/octet-stream"))
    t0 = time.perf_counter()
    at.run()
    took = time.perf_counter() - t0
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["good_run"].trace.directions == 2
    return took


def corpus_bench(mb: float, repeats: int):
    from ui import corpus_view
    text = (ROOT / "lstm_core/training/corpora/en.txt").read_text(encoding="utf-8")
    text = (text * (int(mb * 1_000_000) // len(text.encode()) + 1))
    text = text.encode()[: int(mb * 1_000_000)].decode("utf-8", errors="ignore")
    t0 = time.perf_counter()
    toks = corpus_view.tokenize(corpus_view.read_corpus(text), "chars")
    model = lstm_core.LSTM.init(len(toks.distinct), 128, seed=0, dtype=np.float32).with_vocab(list(toks.distinct))
    inputs = corpus_view.model_inputs(model, toks)
    t_tok = time.perf_counter() - t0
    ticks = []
    pause()
    t0 = time.perf_counter()
    states = corpus.run(model, inputs.ids, progress=lambda d, n: ticks.append(d))
    t_run = time.perf_counter() - t0
    _, t_top = timed(lambda: corpus.top_contexts(states, 7), repeats)
    on = corpus.units_on(states.states[5000:5004].astype(np.float32), 0.1)
    found, t_search = timed(lambda: corpus.search(states, on, 4, 0.1), repeats)
    return {"chars": len(text), "steps": states.steps, "units": states.width, "MiB kept": states.nbytes / 2**20,
            "tokenise + ids (s)": t_tok, "run (s)": t_run, "progress updates": len(ticks),
            "top contexts (s)": t_top, "pattern search (s)": t_search, "units in pattern": int(on.sum()),
            "matches": len(found)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--corpus-mb", type=float, default=1.0)
    ap.add_argument("--no-page", action="store_true", help="skip the AppTest page run")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        path = big_model_file(Path(d))
        size = path.stat().st_size
        (model, run), t_first = timed(lambda: first_view(path), args.repeats)
        _, t_load = timed(lambda: lstm_core.load(path), args.repeats)
        print(f"1. model file: {size / 1e6:.1f} MB, {model.param_count():,} parameters, "
              f"{model.directions} directions, vocabulary {len(model.vocab):,}")
        print(f"   lstm_core.load                      {t_load:6.3f} s (median of {args.repeats})")
        print(f"   load + forward + first heatmaps     {t_first:6.3f} s (target <= 2 s)")
        if not args.no_page:
            t_page = page_run(path)
            print(f"   explorer page in AppTest, uploaded  {t_page:6.3f} s (one cold run, upper bound)")
    res = corpus_bench(args.corpus_mb, args.repeats)
    print(f"2. corpus: {res['chars']:,} characters, {res['steps']:,} steps x {res['units']} units, "
          f"{res['MiB kept']:.0f} MiB kept, {res['progress updates']} progress updates")
    print(f"   tokenise + ids                      {res['tokenise + ids (s)']:6.2f} s")
    print(f"   corpus.run (LSTM H=128)             {res['run (s)']:6.2f} s (target <= 30 s)")
    print(f"   top contexts of a unit              {res['top contexts (s)']:6.3f} s")
    print(f"   pattern search ({res['units in pattern']} units, 4 steps)  {res['pattern search (s)']:6.3f} s "
          f"(target <= 1 s), {res['matches']} matches")


if __name__ == "__main__":
    main()
