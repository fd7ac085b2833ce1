"""How far back can a model look? The models and training recipes of the reach chapter.

A causal convolution's output at position t sees the inputs t - r + 1 .. t and nothing older, where
r, the receptive field, is set by the architecture: ``1 + sum((width - 1) * dilation)`` over the
layers (:func:`receptive_field`). A recurrent layer or self-attention has no such bound. Two tasks
test what that means:

- the fill-in-the-blank sentences of :mod:`cnnrnn.cloze` (:func:`cloze_model`,
  :func:`train_cloze`): the adjective at the blank is decided by a place ``k`` words back;
- recall of the first symbol after a gap (:func:`cnnrnn.sequence_tasks.recall_first_symbol`, the
  gating chapter's task; :func:`memory_model`, :func:`train_memory`).

Both tasks are many-to-one, and every model reads its output at the last position: the blank, or
the step after the last distractor. The convolutional models are stacks of causal ``Conv1D``
layers with residual connections (:func:`causal_conv_stack`), the temporal convolutional network
(TCN) form of Bai, Kolter & Koltun (2018) without its weight normalization and dropout; dilations
1, 2, 4, ... (van den Oord et al. 2016, Yu & Koltun 2016) make the field grow exponentially with
depth. :func:`measured_reach` finds a model's reach by experiment: how many positions back a
change of the input still changes the output.

Importing this module imports Keras.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import keras
import numpy as np

from cnnrnn import cloze, shapes
from cnnrnn import sequence_tasks as tasks
from cnnrnn.models import recurrent

#: The sentence models, by the name their figures use (it picks the colour, see cnnrnn.plots).
CLOZE_KINDS = ("CNN", "CNN dilated", "LSTM", "attention")
#: The memory-task models: a TCN whose field covers every gap, the same layers with a field of 61
#: steps (the dilations restart after 8), and the LSTM as Keras builds it and with open gates.
MEMORY_KINDS = ("TCN", "TCN short", "LSTM", "LSTM open gates")

#: Six width-3 layers: undilated (field 13) for the small CNN, dilated 1 .. 32 (field 127).
CLOZE_WIDTH = 3
CLOZE_DILATIONS = {"CNN": (1, 1, 1, 1, 1, 1), "CNN dilated": (1, 2, 4, 8, 16, 32)}
#: Eight width-3 layers: dilated 1 .. 128 (field 511), or two cycles of 1 .. 8 (field 61).
MEMORY_WIDTH = 3
MEMORY_DILATIONS = {"TCN": (1, 2, 4, 8, 16, 32, 64, 128), "TCN short": (1, 2, 4, 8) * 2}


def receptive_field(width: int, dilations: Sequence[int]) -> int:
    """Inputs one output of a stack of stride-1 convolutions of ``width`` sees, one layer per
    dilation: ``1 + sum((width - 1) * d)``, from :func:`cnnrnn.shapes.receptive_field`."""
    if not dilations:
        raise ValueError("dilations must name at least one layer")
    return shapes.receptive_field([(int(width), 1, int(d)) for d in dilations])[-1]


def causal_conv_stack(x, *, filters: int, width: int, dilations: Sequence[int], name: str = "conv"):
    """Causal ``Conv1D`` layers (ReLU, ``filters`` channels), one per entry of ``dilations``.

    Causal padding puts ``(width - 1) * dilation`` zeros before the sequence, so the output at
    position t depends on inputs t, t - d, ..., t - (width - 1) d only. Each layer after the
    first adds its input back (a residual connection): that leaves the receptive field as it is
    and keeps the deep stacks easy to train.
    """
    for index, dilation in enumerate(dilations, start=1):
        y = keras.layers.Conv1D(filters, width, dilation_rate=int(dilation), padding="causal",
                                activation="relu", name=f"{name}{index}")(x)
        x = y if index == 1 else keras.layers.Add(name=f"{name}{index}_residual")([x, y])
    return x


def _last_position(x):
    return keras.layers.Lambda(lambda t: t[:, -1, :], name="last_position")(x)


def _attention_block(x, codes, *, heads: int, feed_forward: int):
    """One post-norm Transformer block computed for the last position only: its query attends over
    every non-padding position (keys and values), then a two-layer feed-forward network."""
    dim = x.shape[-1]
    query = keras.layers.Lambda(lambda t: t[:, -1:, :], name="last_query")(x)
    real = keras.layers.Lambda(lambda c: keras.ops.expand_dims(keras.ops.not_equal(c, 0), 1),
                               name="padding_mask")(codes)
    mixed = keras.layers.MultiHeadAttention(heads, dim // heads, name="self_attention")(
        query, x, attention_mask=real)
    y = keras.layers.LayerNormalization(name="norm1")(keras.layers.Add()([query, mixed]))
    hidden = keras.layers.Dense(feed_forward, activation="relu", name="feed_forward")(y)
    y = keras.layers.LayerNormalization(name="norm2")(
        keras.layers.Add()([y, keras.layers.Dense(dim, name="feed_forward_out")(hidden)]))
    return keras.layers.Flatten(name="last_position")(y)


class PositionEmbedding(keras.layers.Layer):
    """A learned vector per position 0 .. length - 1, added to the input (batch, length, dim)."""

    def __init__(self, length: int, **kwargs):
        super().__init__(**kwargs)
        self.length = int(length)

    def build(self, input_shape):
        self.positions = self.add_weight(shape=(self.length, input_shape[-1]), name="positions",
                                         initializer=keras.initializers.RandomNormal(stddev=0.02))

    def call(self, x):
        return x + self.positions[None, : keras.ops.shape(x)[1]]

    def get_config(self):
        return {**super().get_config(), "length": self.length}


def cloze_model(kind: str, *, length: int, vocab_size: int = len(cloze.VOCABULARY),
                classes: int = len(cloze.PLACES), embedding_dim: int = 32, filters: int = 32,
                units: int = 56, heads: int = 2, feed_forward: int = 192) -> keras.Model:
    """An uncompiled sentence model: word ids (batch, ``length``) -> class probabilities.

    Every kind starts with ``Embedding(vocab_size, embedding_dim)`` and ends with a softmax over
    ``classes`` read from the last position, the blank:

    - ``"CNN"``: six causal width-3 convolutions, undilated: a receptive field of 13 words;
    - ``"CNN dilated"``: the same six layers dilated 1, 2, 4, ..., 32: 127 words, the same weights;
    - ``"LSTM"``: one LSTM of ``units`` units (Keras' defaults), its last state;
    - ``"attention"``: a learned position embedding, then one Transformer block whose query is
      the last position and whose keys and values are every word (padding masked).

    The defaults give each kind about 20,000 weights.
    """
    inputs = keras.Input((length,), dtype="int32", name="codes")
    x = keras.layers.Embedding(vocab_size, embedding_dim, name="embedding")(inputs)
    if kind in CLOZE_DILATIONS:
        x = _last_position(causal_conv_stack(x, filters=filters, width=CLOZE_WIDTH,
                                             dilations=CLOZE_DILATIONS[kind]))
    elif kind == "LSTM":
        x = keras.layers.LSTM(units, name="lstm")(x)
    elif kind == "attention":
        if embedding_dim % heads:
            raise ValueError(f"embedding_dim ({embedding_dim}) must be a multiple of heads ({heads})")
        x = PositionEmbedding(length, name="position_embedding")(x)
        x = _attention_block(x, inputs, heads=heads, feed_forward=feed_forward)
    else:
        raise ValueError(f"kind must be one of {CLOZE_KINDS}, not {kind!r}")
    outputs = keras.layers.Dense(classes, activation="softmax", name="answer")(x)
    return keras.Model(inputs, outputs, name=kind.replace(" ", "_"))


def memory_model(kind: str, *, features: int = 8, classes: int = 4, filters: int = 16,
                 units: int = 32, gate_bias: float = 5.0) -> keras.Model:
    """An uncompiled model for the recall task: one-hot steps (batch, time, ``features``) ->
    probabilities of the ``classes`` first symbols, read at the last step. Any length.

    - ``"TCN"``: eight causal width-3 convolutions of ``filters`` channels dilated 1 .. 128, a
      receptive field of 511 steps;
    - ``"TCN short"``: the same eight layers dilated 1, 2, 4, 8, 1, 2, 4, 8: 61 steps, the same
      weights (a control: only the field differs);
    - ``"LSTM"``: an LSTM of ``units`` units with Keras' defaults (the gating chapter's layer);
    - ``"LSTM open gates"``: the same with forget bias ``+gate_bias`` and input bias
      ``-gate_bias`` (:func:`cnnrnn.models.recurrent.open_gates`).
    """
    inputs = keras.Input((None, features), name="steps")
    if kind in MEMORY_DILATIONS:
        x = _last_position(causal_conv_stack(inputs, filters=filters, width=MEMORY_WIDTH,
                                             dilations=MEMORY_DILATIONS[kind]))
        layer = None
    elif kind in ("LSTM", "LSTM open gates"):
        layer = keras.layers.LSTM(units, name="lstm")
        x = layer(inputs)
    else:
        raise ValueError(f"kind must be one of {MEMORY_KINDS}, not {kind!r}")
    outputs = keras.layers.Dense(classes, activation="softmax", name="answer")(x)
    model = keras.Model(inputs, outputs, name=kind.replace(" ", "_"))
    if kind == "LSTM open gates":
        recurrent.open_gates(layer, gate_bias)
    return model


def kind_receptive_field(kind: str) -> float:
    """The receptive field of a convolutional kind of :func:`cloze_model` or :func:`memory_model`,
    in positions; infinity for the LSTM and attention, whose reach the architecture does not bound."""
    if kind in CLOZE_DILATIONS:
        return receptive_field(CLOZE_WIDTH, CLOZE_DILATIONS[kind])
    if kind in MEMORY_DILATIONS:
        return receptive_field(MEMORY_WIDTH, MEMORY_DILATIONS[kind])
    if kind in CLOZE_KINDS or kind in MEMORY_KINDS:
        return float("inf")
    raise ValueError(f"unknown kind {kind!r}")


def measured_reach(model: keras.Model, inputs: np.ndarray, replacement: np.ndarray) -> int:
    """How many positions back from the last one a change of the input changes ``model``'s output.

    For each position t, a copy of ``inputs`` (batch, time, ...) gets position t from
    ``replacement`` (the same shape, different values); the result is ``time - t`` for the
    earliest t whose change moves some output by more than 1e-6 (0 if none does). For a causal
    convolution stack on a long enough input this is at most its receptive field, and equal to it
    unless a ReLU that is off for every probe hides the longest paths (it happens for some random
    weights; a batch of several probes makes it rare); for attention, the input's length. A
    recurrent layer has no such bound, but a change's effect shrinks at every step, so its
    measured reach depends on its weights (and on the threshold).
    """
    inputs, replacement = np.asarray(inputs), np.asarray(replacement)
    if inputs.shape != replacement.shape or inputs.ndim < 2:
        raise ValueError("inputs and replacement must have one shape, (batch, time, ...)")
    batch, steps = inputs.shape[:2]
    changed = np.repeat(inputs[None], steps, axis=0)                # (time, batch, time, ...)
    for t in range(steps):
        changed[t, :, t] = replacement[:, t]
    base = model.predict(inputs, batch_size=1024, verbose=0)
    moved = model.predict(changed.reshape(steps * batch, *inputs.shape[1:]), batch_size=1024,
                          verbose=0).reshape(steps, batch, -1)
    influences = np.abs(moved - base[None]).max(axis=(1, 2)) > 1e-6
    return int(steps - np.argmax(influences)) if influences.any() else 0


@dataclass
class ReachRun:
    """One trained model: its test accuracy per distance (or gap), size and training time.

    ``seconds`` is the wall-clock time of ``fit`` (graph tracing included), ``cpu_seconds`` the
    process CPU time it took (on a shared machine the more stable of the two).
    """

    kind: str
    seed: int
    params: int
    seconds: float
    cpu_seconds: float
    accuracy: dict[int, float]
    steps: int
    model: Any = field(repr=False, default=None)


def _accuracy_by(model, x, y, groups) -> dict[int, float]:
    predicted = model.predict(x, batch_size=1000, verbose=0).argmax(-1)
    return {int(g): float((predicted[groups == g] == y[groups == g]).mean()) for g in np.unique(groups)}


def _fit(model, *args, **kwargs):
    start, cpu = time.perf_counter(), time.process_time()
    history = model.fit(*args, **kwargs)
    return history, time.perf_counter() - start, time.process_time() - cpu


def train_cloze(kind: str, train: cloze.Corpus, test: cloze.Corpus, *, epochs: int, seed: int,
                batch_size: int = 64, learning_rate: float = 3e-3, verbose: int | str = 0,
                **model_kwargs) -> ReachRun:
    """Train :func:`cloze_model` ``kind`` on ``train`` (all distances mixed, shuffled each epoch)
    with Adam (``learning_rate`` decayed to 0 along a cosine over the run, each weight's gradient
    norm clipped to 1), and score ``test`` one distance at a time."""
    keras.utils.set_random_seed(seed)
    model = cloze_model(kind, length=train.codes.shape[1], **model_kwargs)
    total = epochs * int(np.ceil(len(train.labels) / batch_size))
    schedule = keras.optimizers.schedules.CosineDecay(learning_rate, total)
    model.compile(keras.optimizers.Adam(schedule, clipnorm=1.0),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    _, seconds, cpu = _fit(model, train.codes, train.labels, batch_size=batch_size, epochs=epochs,
                           shuffle=True, verbose=verbose)
    accuracy = _accuracy_by(model, test.codes, test.labels, test.distances)
    return ReachRun(kind, seed, model.count_params(), seconds, cpu, accuracy, total, model)


def fresh_batches(gap: int, batch_size: int, seed: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """An endless stream of new recall batches (a new batch every step, so nothing can be
    memorized), as in the gating chapter."""
    rng = np.random.default_rng(seed)
    while True:
        yield tasks.recall_first_symbol(batch_size, gap, seed=int(rng.integers(2**31)))


def memory_test_set(gap: int, n: int = 1000) -> tuple[np.ndarray, np.ndarray]:
    """The fixed test sequences for a gap (the gating chapter's seeds: ``10**6 + gap``)."""
    return tasks.recall_first_symbol(n, gap, seed=10**6 + gap)


def train_memory(kind: str, gap: int, *, steps: int, seed: int, learning_rate: float = 5e-3,
                 batch_size: int = 128, steps_per_epoch: int = 20, test_size: int = 1000,
                 verbose: int | str = 0, **model_kwargs) -> ReachRun:
    """Train :func:`memory_model` ``kind`` for exactly ``steps`` Adam steps (at ``learning_rate``,
    each weight's gradient norm clipped to 1, the gating chapter's recipe without its early
    stop, so every model gets the same number of steps) on fresh batches at ``gap``, then score
    :func:`memory_test_set`."""
    if steps % steps_per_epoch:
        raise ValueError(f"steps ({steps}) must be a multiple of steps_per_epoch ({steps_per_epoch})")
    keras.utils.set_random_seed(seed)
    model = memory_model(kind, **model_kwargs)
    model.compile(keras.optimizers.Adam(learning_rate, clipnorm=1.0),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    _, seconds, cpu = _fit(model, fresh_batches(gap, batch_size, seed), steps_per_epoch=steps_per_epoch,
                           epochs=steps // steps_per_epoch, shuffle=False, verbose=verbose)
    x, y = memory_test_set(gap, test_size)
    accuracy = float((model.predict(x, batch_size=1000, verbose=0).argmax(-1) == y).mean())
    return ReachRun(kind, seed, model.count_params(), seconds, cpu, {int(gap): accuracy}, steps, model)
