"""The causal lab on every shipped trained example: how long each experiment takes, and what it finds.

    nice python -m bench.lab                 (every example; about a minute on 2 cores)
    python -m bench.lab recall_lstm --repeats 5

For each preset in ``lstm_core/presets/presets.json`` the lab's four experiments
run as the page runs them on a first visit (``lstm_core.causal``: one BLAS
thread, reruns shared by ``causal.WORKERS`` threads, nothing cached), on the page's 256 held-out sequences
(``causal.heldout``; the language models: windows of the text kept apart):

- edit: the first held-out sequence with its first token changed to the next
  class label (recall: the next letter), both runs compared;
- rank: every unit silenced in turn over all steps (H + 1 passes), measured live
  (the page shows the shipped ranking for exactly this range; any other range is
  live and costs at most this: a range from step a on reruns only steps a … T);
- intervene: the three units whose silence costs most, silenced, beside three
  random units (5 draws; 7 passes);
- patch: c (LSTM) or h of every unit copied at the middle step from a second
  set of 256 held-out sequences (3 passes).

``--save`` writes each preset's ranking over all steps to
``lstm_core/presets/lab_rankings.json`` (keyed by the file's SHA-256): the lab
shows that one at once instead of measuring it again; any other range of steps,
an upload or a rebuilt preset is measured live (the times below).

Times are the median of ``--repeats`` runs, each after a 0.3 s pause (BLAS
threads of the last call go quiet: docs/benchmarks.md). Target (issue 12):
every experiment ≤ 2 s. Prints a Markdown table of times and one of findings
(accuracy ± standard error over the 256 sequences, chance) for docs/teaching.md.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import statistics
import time

import numpy as np

from lstm_core import causal, presets
from lstm_core.training.trainer import blas_threads

PAUSE = 0.3
RANKINGS = "lab_rankings.json"


def timed(fn, repeats):
    out, times = None, []
    for _ in range(repeats):
        time.sleep(PAUSE)
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return out, statistics.median(times)


def edit_inputs(model, task, batch):
    """(before, after) inputs of the edit experiment: sequence 0, its first token → the next class label."""
    xs = np.asarray(batch.inputs[:, 0], dtype=model.dtype)
    after = xs.copy()
    vocab = model.meta.get("vocab")
    if vocab:
        k = int(np.argmax(xs[0]))
        labels = [v for v in vocab if v in (model.meta.get("classes") or vocab)]
        new = labels[(labels.index(vocab[k]) + 1) % len(labels)] if vocab[k] in labels else vocab[(k + 1) % len(vocab)]
        after[0] = 0
        after[0, list(vocab).index(new)] = 1
    else:
        after[0, 0] = 1.0 - after[0, 0]                      # numbers: flip the first value
    return xs, after


def one(name, repeats):
    model = presets.load(name)
    task = causal.task_of(model)
    with blas_threads(1):
        batch, t_batch = timed(lambda: causal.heldout(task), 1)
        donors = causal.heldout(task, seed=17)
        xa, xb = edit_inputs(model, task, batch)
        res_edit, t_edit = timed(lambda: causal.edit(model, xa, xb, "change", 0), repeats)
        T = batch.inputs.shape[0]
        rank, t_rank = timed(lambda: causal.rank_units(model, batch, steps=(0, T), task=task), repeats)
        top = [int(rank["units"][i]) for i in rank["order"][:3]]
        iv, t_iv = timed(lambda: causal.intervene(model, batch, "silence", units=top, draws=5, task=task), repeats)
        what = ("cell",) if model.kind == "lstm" else ("hidden",)
        pb, t_pb = (None, None)
        if model.output == "softmax":
            pb, t_pb = timed(lambda: causal.patch_batch(model, batch, donors, T // 2, range(model.hidden_size), what),
                             repeats)
    return {"name": name, "cell": model.kind, "H": model.hidden_size, "T": T, "B": batch.inputs.shape[1],
            "times": {"held-out draw": t_batch, "edit": t_edit, "rank": t_rank, "intervene": t_iv, "patch": t_pb},
            "base": rank["base"], "chance": rank["chance"], "rank": rank, "top": top, "iv": iv, "pb": pb,
            "edit_changed": int(np.sum(res_edit["changed"])) if res_edit["changed"] is not None else None,
            "edit_steps": len(res_edit["pairs"])}


def save(rows):
    """Each preset's full-range ranking, keyed by the SHA-256 of its file (a rebuilt preset is measured live)."""
    path = presets.HERE / RANKINGS
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {"rankings": {}}
    data["about"] = ("Each preset's units ranked by the accuracy lost when silenced over all steps, on the causal "
                     "lab's 256 held-out sequences (lstm_core.causal.heldout). Made by `python -m bench.lab --save`; "
                     "the lab uses an entry only for the file whose SHA-256 it names.")
    for r in rows:
        digest = hashlib.sha256(presets.path(r["name"]).read_bytes()).hexdigest()
        data["rankings"][r["name"]] = {"sha256": digest, "record": causal.ranking_record(r["rank"])}
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path}")


def pct(v):
    return "—" if v is None or not np.isfinite(v) else f"{100 * v:.1f}%"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("names", nargs="*", help="presets (default: all)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--save", action="store_true",
                    help=f"write each preset's ranking over all steps to lstm_core/presets/{RANKINGS}, which the "
                         "lab shows instead of measuring it again (only for the very file it was measured on)")
    a = ap.parse_args(argv)
    names = a.names or presets.names()
    print(f"# bench.lab — {time.strftime('%Y-%m-%d')}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; median of {a.repeats}, one BLAS thread, "
          f"{causal.WORKERS} worker threads\n")
    rows = [one(n, a.repeats) for n in names]
    if a.save:
        save(rows)
    print("| example | cell, H | T | edit | rank (H+1 passes) | intervene (7) | patch (3) | ≤ 2 s |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        tm = r["times"]
        worst = max(v for k, v in tm.items() if v is not None and k != "held-out draw")
        cells = [f"{tm[k]:.2f} s" if tm[k] is not None else "—" for k in ("edit", "rank", "intervene", "patch")]
        print(f"| {r['name']} | {r['cell'].upper()}, {r['H']} | {r['T']} | " + " | ".join(cells) +
              f" | {'yes' if worst <= 2 else 'NO'} |")
    print("\n| example | accuracy (256 held-out) | chance | silencing costs most | top 3 silenced | 3 random "
          "units (5 draws) | patch at T/2: answer follows the donor |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        rank, iv, pb = r["rank"], r["iv"], r["pb"]
        worst = "; ".join(f"unit {int(rank['units'][i])} {100 * -rank['drop'][i]:+.1f} pts" for i in rank["order"][:3])
        rnd = iv["random"]
        rnd_s = f"{pct(rnd['mean'])} (sd {100 * rnd['spread']:.1f} pts)" if rnd else "—"
        pb_s = "— (linear output)" if pb is None else f"{pct(pb['donor'])} of {pct(pb['differ'])} that differ"
        print(f"| {r['name']} | {pct(r['base']['accuracy'])} ± {100 * r['base']['spread']:.1f} | {pct(r['chance'])} "
              f"| {worst} | {pct(iv['after']['accuracy'])} ± {100 * iv['after']['spread']:.1f} | {rnd_s} | {pb_s} |")
    return rows


if __name__ == "__main__":
    main()
