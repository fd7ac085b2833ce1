"""Generated sequence tasks that need memory over a chosen gap, for the gating chapter.

- :func:`recall_first_symbol`: a symbol, then ``gap`` distractor steps; the target is the first
  symbol. A model reading the sequence left to right must carry one of ``symbols`` values across
  ``gap`` steps; chance accuracy is ``1 / symbols``.
- :func:`adding_problem`: two streams, random numbers and a marker with exactly two ones; the
  target is the sum of the two marked numbers (Hochreiter & Schmidhuber 1997, in the form of
  Le et al. 2015: one mark in each half). Predicting 1 whatever the input gives a mean squared
  error of 1/6 (:data:`ADDING_BASELINE_MSE`).

- :func:`motif_sequences`: token sequences of mixed lengths, zero-padded; the label says whether
  the two-token motif ``(1, 2)`` occurs anywhere. For the head-to-head chapter's variable-length
  experiment.

The first two return float32 inputs shaped ``(n, time, features)``, ready for a Keras recurrent layer, and
are fully determined by their ``seed``.
"""

from __future__ import annotations

import numpy as np

#: Mean squared error of always predicting 1 on the adding problem: the variance of U(0,1) + U(0,1).
ADDING_BASELINE_MSE = 1.0 / 6.0


def _check_int(value, name: str, minimum: int) -> int:
    if isinstance(value, bool) or int(value) != value or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, not {value!r}")
    return int(value)


def recall_first_symbol(n: int, gap: int, *, symbols: int = 4, distractors: int = 4,
                        seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``n`` sequences of ``gap + 1`` one-hot steps, and the symbol each one starts with.

    Step 0 is one of ``symbols`` signal symbols (channels ``0 .. symbols - 1``), drawn uniformly;
    steps ``1 .. gap`` are distractors drawn uniformly from ``distractors`` other symbols
    (channels ``symbols .. symbols + distractors - 1``). Returns ``x`` of shape
    ``(n, gap + 1, symbols + distractors)`` (float32) and ``y`` of shape ``(n,)`` (int64, the
    first symbol). The answer is ``gap`` steps before the end of the sequence.
    """
    n = _check_int(n, "n", 1)
    gap = _check_int(gap, "gap", 0)
    symbols = _check_int(symbols, "symbols", 2)
    distractors = _check_int(distractors, "distractors", 1)
    rng = np.random.default_rng(seed)
    y = rng.integers(0, symbols, size=n)
    tokens = np.empty((n, gap + 1), dtype=np.int64)
    tokens[:, 0] = y
    tokens[:, 1:] = symbols + rng.integers(0, distractors, size=(n, gap))
    x = np.eye(symbols + distractors, dtype=np.float32)[tokens]
    return x, y


def adding_problem(n: int, length: int, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``n`` sequences of the adding problem, ``length`` steps each, and their targets.

    Feature 0 holds numbers drawn uniformly from [0, 1); feature 1 is 1 at exactly two steps, one
    drawn from the first half of the sequence and one from the second half, and 0 elsewhere. The
    target is the sum of the two marked numbers. Returns ``x`` of shape ``(n, length, 2)``
    (float32) and ``y`` of shape ``(n,)`` (float32). The first mark lies at least
    ``length - length // 2`` steps before the end.
    """
    n = _check_int(n, "n", 1)
    length = _check_int(length, "length", 2)
    rng = np.random.default_rng(seed)
    values = rng.random((n, length))
    half = length // 2
    first = rng.integers(0, half, size=n)
    second = rng.integers(half, length, size=n)
    markers = np.zeros((n, length))
    rows = np.arange(n)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    x = np.stack([values, markers], axis=-1).astype(np.float32)
    y = (values[rows, first] + values[rows, second]).astype(np.float32)
    return x, y


#: The two adjacent tokens whose presence :func:`motif_sequences` asks about.
MOTIF = (1, 2)


def motif_sequences(n: int, min_length: int, max_length: int, *, vocabulary: int = 10,
                    pad_to: int | None = None, seed: int = 0
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``n`` token sequences with lengths drawn uniformly from ``min_length .. max_length``.

    Tokens are ``1 .. vocabulary - 1``; 0 is padding, after the sequence. Exactly half the
    sequences (rounded down) contain the motif :data:`MOTIF` (token 1 followed by token 2) once, at a
    uniform position; the others never contain it. Returns ``tokens`` (n, ``pad_to`` or
    ``max_length``; int32), ``lengths`` (n,) and ``labels`` (n,; 1 where the motif occurs).
    Chance accuracy is 0.5, and the answer can lie anywhere in the sequence.
    """
    n = _check_int(n, "n", 1)
    min_length = _check_int(min_length, "min_length", 2)
    max_length = _check_int(max_length, "max_length", min_length)
    vocabulary = _check_int(vocabulary, "vocabulary", 4)
    width = max_length if pad_to is None else _check_int(pad_to, "pad_to", max_length)
    rng = np.random.default_rng(seed)
    lengths = rng.integers(min_length, max_length + 1, size=n)
    labels = np.zeros(n, dtype=np.int64)
    labels[rng.permutation(n)[: n // 2]] = 1
    tokens = np.zeros((n, width), dtype=np.int32)
    first, second = MOTIF
    for row, (length, label) in enumerate(zip(lengths, labels)):
        seq = rng.integers(1, vocabulary, size=length)
        # Break every accidental motif: a `second` right after a `first` becomes another token.
        for t in range(1, length):
            while seq[t - 1] == first and seq[t] == second:
                seq[t] = rng.integers(1, vocabulary)
        if label:
            at = int(rng.integers(0, length - 1))
            seq[at], seq[at + 1] = first, second  # cannot form a second motif: (2, 2), (1, 1)
        tokens[row, :length] = seq
    return tokens, lengths, labels
