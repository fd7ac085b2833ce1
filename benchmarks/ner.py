"""Entity extraction on the Broad Twitter Corpus: the most-frequent-tag baseline, a left-to-right
LSTM tagger and a bidirectional one, all scored on the test split by ``seqeval`` (entity-level F1:
an entity counts only with its type and both boundaries right).

One benchmark, three rows, so the three taggers are compared in the same run:
``ner_btc_baseline`` (every word gets its most frequent training tag; no training to speak of),
``ner_btc_lstm`` and ``ner_btc_bilstm`` (the chapter's recipe, :func:`cnnrnn.models.tagger.
train_tagger`, with :data:`SEEDS`). Value = mean entity-level test F1 over the seeds, with the
minimum, maximum and every seed's value beside it; seconds = mean training time per model
(``fit``, scoring the development split after each epoch included). As in the chapter, the
training ``@`` tokens that precede a tagged user name get that name's tag before training
(:func:`cnnrnn.ner.harmonize_mentions`; the corpus's sections disagree on them, and the
development split's convention decided it). The baseline row also records its scores when it is
trained on the labels as published (``value_published_labels``: the 0.44 of issue 8; the
retagging changes none of its tags, since ``@`` is most often ``B-PER`` either way).

Target (issue 8): the bidirectional tagger's mean F1 at least 0.65 (``level_reached``), above the
left-to-right mean by more than the spread (``gap_reached``; the spread is the larger of the two
rows' max - min over seeds), with a mean training time per model of at most 1 K (the keras.io
convnet's training time in the same run: ``seconds_in_K``, added by the runner).
``f1_target_reached`` is true only if both F1 halves are. Measured so far (notebook 10, three
seeds): the level is reached, the gap is not (the two directions are within the seed spread).
"""

from __future__ import annotations

import time

import numpy as np

from benchmarks.runner import K_ROW, Benchmark
from cnnrnn import data, ner
from cnnrnn.models import tagger

SEEDS = (0, 1, 2)
TARGET_F1, TARGET_K = 0.65, 1.0


def _row(runs, name: str, retagged: int) -> dict:
    f1 = np.array([run.test_metrics["f1"] for run in runs])
    seconds = np.array([run.seconds for run in runs])
    return {
        "metric": "entity_f1_test", "value": float(f1.mean()),
        "value_min": float(f1.min()), "value_max": float(f1.max()),
        "seconds": float(seconds.mean()), "seeds": list(SEEDS),
        "f1_per_seed": f1.round(4).tolist(), "seconds_per_seed": seconds.round(1).tolist(),
        "precision_per_seed": [round(run.test_metrics["precision"], 4) for run in runs],
        "recall_per_seed": [round(run.test_metrics["recall"], 4) for run in runs],
        "dev_f1_best_per_seed": [round(max(run.extra["dev_f1"]), 4) for run in runs],
        "best_epoch_per_seed": [run.extra["best_epoch"] for run in runs],
        "params": runs[0].model.count_params(), "model": name, "retagged_at": retagged,
        **{key: value for key, value in tagger.DEFAULTS.items()},
        "compared_with": "ner_btc_baseline",
    }


def ner_btc() -> dict[str, dict]:
    published, dev, test = (data.load_ner("btc", split) for split in ("train", "dev", "test"))
    # The chapter's data preparation: the training "@"s that precede a tagged user name get its
    # tag, the convention of the development split, chosen on it (see the notebook).
    train, retagged = ner.harmonize_mentions(published)
    gold = ner.gold_tags(test)

    start = time.perf_counter()
    baseline = ner.most_frequent_tag_baseline(train)  # its "training": counting tags per word
    baseline_seconds = time.perf_counter() - start
    baseline_scores = ner.entity_scores(gold, baseline(test))
    published_scores = ner.entity_scores(gold, ner.most_frequent_tag_baseline(published)(test))
    runs = {direction: [tagger.train_tagger(train, dev, test, bidirectional=direction == "bilstm",
                                            seed=seed) for seed in SEEDS]
            for direction in ("lstm", "bilstm")}
    lstm = _row(runs["lstm"], "lstm", retagged)
    bilstm = _row(runs["bilstm"], "bilstm", retagged)
    spread = max(lstm["value_max"] - lstm["value_min"], bilstm["value_max"] - bilstm["value_min"])
    gap = bilstm["value"] - lstm["value"]
    level_reached, gap_reached = bool(bilstm["value"] >= TARGET_F1), bool(gap > spread)
    bilstm.update({
        "gap_over_lstm": gap, "spread": spread,
        "target": f"mean entity F1 >= {TARGET_F1}, above the LSTM's mean by more than the spread "
                  f"(max - min over seeds {list(SEEDS)}), mean seconds <= {TARGET_K} K",
        "target_K": TARGET_K,
        # The time half needs K from the same run: runner.run adds seconds_in_K to the row; the
        # F1 halves are judged here.
        "level_reached": level_reached, "gap_reached": gap_reached,
        "f1_target_reached": level_reached and gap_reached,
    })
    return {
        "ner_btc_baseline": {
            "metric": "entity_f1_test", "value": baseline_scores["f1"], "seconds": baseline_seconds,
            "precision": baseline_scores["precision"], "recall": baseline_scores["recall"],
            "value_published_labels": published_scores["f1"],
            "precision_published_labels": published_scores["precision"],
            "recall_published_labels": published_scores["recall"],
            "retagged_at": retagged,
            "model": "most frequent training tag of each word (unknown words: O)",
        },
        "ner_btc_lstm": lstm,
        "ner_btc_bilstm": bilstm,
    }


BENCHMARKS = [Benchmark(("ner_btc_baseline", "ner_btc_lstm", "ner_btc_bilstm"), ner_btc)]
