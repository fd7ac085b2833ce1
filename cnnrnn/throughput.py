"""How many sequences per second a layer reads, and trains on, as the sequences get longer.

The head-to-head chapter compares four ways to read a sequence of ``features``-wide vectors and
return one vector per step, each one layer with parameter counts of the same order
(:func:`sequence_layer`): a causal ``Conv1D``, an ``LSTM``, a ``GRU`` and a ``MultiHeadAttention``
layer used as self-attention. :func:`measure` times one layer at one length: inference (a
compiled forward pass, ``predict_on_batch``) and training (``train_on_batch``: forward, backward
and an optimizer step, on a mean-squared-error loss against a fixed random target). The notebook
and ``make bench`` (rows ``throughput_<layer>``) both call :func:`throughput_curve`, so the book
and the bench measure the same thing.

Timing rules (why the numbers can be trusted on a shared machine): every shape is run once before
timing (tracing and memory allocation are not counted), each measurement is the **median** of
``repeats`` calls, and a call is timed with ``time.perf_counter`` around a function that returns
only when the result is computed (``predict_on_batch`` returns NumPy arrays, ``train_on_batch``
returns the loss as a number).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

#: The layer kinds, in the order the chapter plots them.
KINDS = ("conv1d", "lstm", "gru", "attention")
#: The defaults of the chapter: 64 features, a batch of 16 sequences, lengths 16 to 1,024.
FEATURES, BATCH, LENGTHS = 64, 16, (16, 64, 256, 1024)
#: Width of the causal convolution's window: 8 steps x 64 x 64 weights is of the same order as
#: the LSTM's 8 x 64 x 64 (four gates, input and recurrent kernels).
CONV_WIDTH = 8
ATTENTION_HEADS = 4


def sequence_layer(kind: str, features: int = FEATURES, length: int | None = None):
    """An uncompiled one-layer model: (batch, length, features) -> (batch, length, features).

    ``kind`` is one of :data:`KINDS`: ``"conv1d"`` a causal convolution of width
    :data:`CONV_WIDTH`; ``"lstm"`` and ``"gru"`` recurrent layers returning every state;
    ``"attention"`` self-attention, ``MultiHeadAttention`` with :data:`ATTENTION_HEADS` heads of
    ``features // heads`` dimensions, every position attending to every position. ``length`` None
    accepts any length.
    """
    import keras

    layers = keras.layers
    inputs = keras.Input((length, features))
    if kind == "conv1d":
        outputs = layers.Conv1D(features, CONV_WIDTH, padding="causal", name="conv1d")(inputs)
    elif kind == "lstm":
        outputs = layers.LSTM(features, return_sequences=True, name="lstm")(inputs)
    elif kind == "gru":
        outputs = layers.GRU(features, return_sequences=True, name="gru")(inputs)
    elif kind == "attention":
        attention = layers.MultiHeadAttention(ATTENTION_HEADS, features // ATTENTION_HEADS,
                                              name="self_attention")
        outputs = attention(inputs, inputs)
    else:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    return keras.Model(inputs, outputs, name=f"{kind}_layer")


@dataclass(frozen=True)
class Throughput:
    """One layer at one length: sequences per second, and the median seconds per batch."""

    kind: str
    length: int
    batch: int
    params: int
    inference_seconds: float
    training_seconds: float

    @property
    def inference_per_second(self) -> float:
        return self.batch / self.inference_seconds

    @property
    def training_per_second(self) -> float:
        return self.batch / self.training_seconds


def median_seconds(call, repeats: int) -> float:
    """The median wall-clock time of ``repeats`` calls of ``call()``, after one untimed call."""
    call()  # the first call traces and allocates: not timed
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(kind: str, length: int, *, batch: int = BATCH, features: int = FEATURES,
            repeats: int = 5, seed: int = 0) -> Throughput:
    """Time :func:`sequence_layer` ``kind`` on a batch of ``batch`` random sequences of ``length``.

    Returns the median over ``repeats`` timed calls (after one untimed call) of a forward pass and
    of a training step.
    """
    import keras

    if length < 1 or batch < 1 or repeats < 1:
        raise ValueError("length, batch and repeats must be positive")
    keras.utils.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, length, features)).astype("float32")
    target = rng.normal(size=(batch, length, features)).astype("float32")
    model = sequence_layer(kind, features, length)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    inference = median_seconds(lambda: model.predict_on_batch(x), repeats)
    training = median_seconds(lambda: float(model.train_on_batch(x, target)), repeats)
    return Throughput(kind, length, batch, model.count_params(), inference, training)


def throughput_curve(kind: str, lengths: Sequence[int] = LENGTHS, **settings) -> list[Throughput]:
    """:func:`measure` at every length of ``lengths`` (shortest first), same other settings."""
    return [measure(kind, length, **settings) for length in sorted(lengths)]


def log_log_slope(lengths: Sequence[int], seconds: Sequence[float]) -> float:
    """The slope of log(seconds) against log(length), fitted by least squares.

    1 means time proportional to length, 2 proportional to its square, 0 constant (the batch is
    too small to keep the machine busy, or fixed costs dominate).
    """
    lengths, seconds = np.log(np.asarray(lengths, float)), np.log(np.asarray(seconds, float))
    if len(lengths) < 2:
        raise ValueError("a slope needs at least two lengths")
    return float(np.polyfit(lengths, seconds, 1)[0])
