"""Reversing random sequences with three encoder-decoders: an LSTM without attention, the same
with dot-product attention, and a one-block Transformer (notebook 12, the attention chapter).

One benchmark, three rows, so the models are compared in the same run on the same data:
``seq2seq_no_attention``, ``seq2seq_attention`` and ``seq2seq_transformer``, each trained with the
full recipe of :func:`cnnrnn.models.seq2seq.reversal_recipe` (20,000 sequences of lengths 5 to
50, 7 epochs) for each seed. Value = mean exact-match accuracy (the whole sequence reversed
without a mistake, greedy decoding) at the longest length, with the minimum, maximum, every
seed's value and the accuracy at every length beside it; seconds = mean training time (``fit``).

Target (issue 10): with attention at least 0.95 at the longest length (every seed), at least
0.10 above the model without attention, on the same training-time budget of at most 1 K (the
keras.io convnet's training time in the same run: ``seconds_in_K``, added by the runner).
"""

from __future__ import annotations

import numpy as np

from benchmarks.runner import Benchmark
from cnnrnn.models import seq2seq

TARGET_EXACT, TARGET_GAP, TARGET_K = 0.95, 0.10, 1.0
ROWS = {"lstm": "seq2seq_no_attention", "lstm_attention": "seq2seq_attention",
        "transformer": "seq2seq_transformer"}


def _row(runs: list[seq2seq.Seq2SeqRun], longest: int) -> dict:
    exact = np.array([run.exact_match[longest] for run in runs])
    seconds = np.array([run.seconds for run in runs])
    lengths = list(runs[0].exact_match)
    return {
        "metric": f"exact_match_at_length_{longest}", "value": float(exact.mean()),
        "value_min": float(exact.min()), "value_max": float(exact.max()),
        "seconds": float(seconds.mean()), "seeds": [run.seed for run in runs],
        "value_per_seed": exact.round(4).tolist(), "seconds_per_seed": seconds.round(1).tolist(),
        "exact_match_by_length": {str(length): round(float(np.mean([run.exact_match[length] for run in runs])), 4)
                                  for length in lengths},
        "params": runs[0].params, "model": runs[0].name,
    }


def seq2seq_reversal() -> dict[str, dict]:
    recipe = seq2seq.reversal_recipe(fast=False)
    task = seq2seq.ReversalTask(lengths=recipe["lengths"])
    rows = {}
    for kind, row_name in ROWS.items():
        runs = [seq2seq.train_on_reversal(kind, task, examples=recipe["examples"], epochs=recipe["epochs"],
                                          seed=seed, test_per_length=recipe["test_per_length"])
                for seed in recipe["seeds"]]
        rows[row_name] = _row(runs, task.max_length)
        for run in runs:
            run.model = None  # free the memory before the next model
    attention, plain = rows["seq2seq_attention"], rows["seq2seq_no_attention"]
    level, gap = bool(attention["value_min"] >= TARGET_EXACT), attention["value"] - plain["value"]
    attention.update({
        "compared_with": "seq2seq_no_attention", "gap_over_no_attention": gap,
        "target": f"exact match at length {task.max_length} >= {TARGET_EXACT} for every seed, "
                  f">= {TARGET_GAP} above no attention, seconds <= {TARGET_K} K",
        "target_K": TARGET_K, "level_reached": level, "gap_reached": bool(gap >= TARGET_GAP),
        "exact_target_reached": level and bool(gap >= TARGET_GAP),
    })
    rows["seq2seq_transformer"]["compared_with"] = "seq2seq_attention"
    return rows


BENCHMARKS = [Benchmark(tuple(ROWS.values()), seq2seq_reversal)]
