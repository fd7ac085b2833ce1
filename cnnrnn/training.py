"""Small training utilities shared by notebooks and benchmarks."""

from __future__ import annotations

import time

import numpy as np


def fit_timed(model, *args, **kwargs):
    """``model.fit(*args, **kwargs)`` that also returns the wall-clock training time in seconds.

    The time covers ``fit`` only (graph tracing included, as a reader would experience it),
    not data loading or evaluation.
    """
    start = time.perf_counter()
    history = model.fit(*args, **kwargs)
    return history, time.perf_counter() - start


def take(arrays, count: int | None, seed: int = 0):
    """The same random ``count`` rows of each array (all rows, in order, when ``count`` is None).

    Used to shrink a data set in fast mode without losing class balance by accident.
    """
    arrays = tuple(arrays)
    total = len(arrays[0])
    if any(len(array) != total for array in arrays):
        raise ValueError("take: arrays differ in length")
    if count is None or count >= total:
        return arrays
    if count <= 0:
        raise ValueError(f"take: count must be positive, not {count}")
    index = np.random.default_rng(seed).permutation(total)[:count]
    index.sort()
    return tuple(array[index] for array in arrays)
