"""The MNIST CNN of the "end to end" chapter and its keras.io baseline, shared with the benchmark.

:func:`mnist_cnn` is the course's small convolutional network with batch normalization;
:class:`OneCycle` is its learning-rate schedule (linear warm-up, then cosine decay);
:func:`mnist_pipeline` builds the ``tf.data`` input pipeline; :func:`kerasio_convnet` is the
keras.io "Simple MNIST convnet" exactly as published. :func:`train_mnist_cnn` and
:func:`train_kerasio_baseline` train them with fixed settings and report the test accuracy and the
training time. The notebook and ``benchmarks/mnist_cnn.py`` both call these, so the book and
``make bench`` measure the same models.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import keras
import numpy as np

#: The chapter's settings, chosen on a validation split (see the notebook), used by the benchmark.
DEFAULT_WIDTH = 16
DEFAULT_EPOCHS = 3
DEFAULT_BATCH_SIZE = 128
DEFAULT_PEAK_LR = 3e-3
#: Training digits held out for the learning curves and for choosing the settings.
VALIDATION_SIZE = 5000


@keras.saving.register_keras_serializable(package="cnnrnn")
class OneCycle(keras.optimizers.schedules.LearningRateSchedule):
    """One-cycle learning rate: a linear warm-up to ``peak``, then a cosine decay to ``final``.

    Step 0 starts at ``peak / start_divisor``; the rate rises linearly to ``peak`` at step
    ``warmup_fraction * total_steps``, then follows half a cosine down to ``peak * final_fraction``
    at ``total_steps`` and stays there. ``get_config`` makes it serializable, so a model saved to a
    ``.keras`` file with this schedule in its optimizer loads again.
    """

    def __init__(self, peak: float, total_steps: int, warmup_fraction: float = 0.2,
                 start_divisor: float = 25.0, final_fraction: float = 1e-3):
        if total_steps < 1:
            raise ValueError(f"total_steps must be at least 1, not {total_steps}")
        if not 0.0 <= warmup_fraction < 1.0:
            raise ValueError(f"warmup_fraction must be in [0, 1), not {warmup_fraction}")
        self.peak = float(peak)
        self.total_steps = int(total_steps)
        self.warmup_fraction = float(warmup_fraction)
        self.start_divisor = float(start_divisor)
        self.final_fraction = float(final_fraction)

    def __call__(self, step):
        ops = keras.ops
        step = ops.cast(step, "float32")
        start = self.peak / self.start_divisor
        final = self.peak * self.final_fraction
        warmup = max(self.warmup_fraction * self.total_steps, 1.0)
        rising = start + (self.peak - start) * step / warmup
        progress = ops.clip((step - warmup) / max(self.total_steps - warmup, 1.0), 0.0, 1.0)
        falling = final + (self.peak - final) * 0.5 * (1.0 + ops.cos(math.pi * progress))
        return ops.where(step < warmup, rising, falling)

    def get_config(self):
        return {"peak": self.peak, "total_steps": self.total_steps,
                "warmup_fraction": self.warmup_fraction, "start_divisor": self.start_divisor,
                "final_fraction": self.final_fraction}


def mnist_pipeline(x: np.ndarray, y: np.ndarray, batch_size: int, *, training: bool,
                   seed: int = 0):
    """A ``tf.data.Dataset`` of ``(images, labels)`` batches: cache, shuffle (training), batch,
    prefetch.

    The arrays are cached in memory once; a training pipeline reshuffles all of them every epoch
    (with ``seed``, so runs repeat), an evaluation pipeline keeps their order. ``prefetch``
    prepares the next batch while the model trains on this one.
    """
    import tensorflow as tf

    dataset = tf.data.Dataset.from_tensor_slices((x, y)).cache()
    if training:
        dataset = dataset.shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
    return dataset.batch(batch_size).prefetch(tf.data.AUTOTUNE)


def split_validation(x: np.ndarray, y: np.ndarray, size: int = VALIDATION_SIZE):
    """``(train, validation)``: the last ``size`` examples become the validation pair."""
    if not 0 < size < len(x):
        raise ValueError(f"validation size must be between 1 and {len(x) - 1}, not {size}")
    return (x[:-size], y[:-size]), (x[-size:], y[-size:])


def mnist_cnn(width: int = DEFAULT_WIDTH, input_shape: tuple[int, ...] = (28, 28, 1),
              num_classes: int = 10, bn_momentum: float = 0.9):
    """The course's MNIST CNN, uncompiled: five 3x3 convolutions with batch normalization.

    Each convolution is ``Conv2D(3x3, valid padding, no bias) -> BatchNormalization -> ReLU``,
    with ``width``, ``2 * width``, ``4 * width``, ``4 * width`` and ``8 * width`` filters; a 2x2
    max pooling follows the second and the fourth, so the maps shrink
    28 -> 26 -> 24 -> 12 -> 10 -> 8 -> 4 -> 2 pixels. Global average pooling turns the last maps
    into one vector per digit and a dense softmax layer gives the ten class probabilities. The
    convolutions have no bias because the batch normalization after them has its own shift. With
    ``width=16``: 136,282 weights, 135,674 of them trainable.

    Two convolutions before each pooling see a 5x5 window at full resolution, which a single
    3x3 convolution cannot; on a validation split this depth was worth about 0.2 percentage points
    over a three-convolution version (see the chapter page).

    ``bn_momentum=0.9`` (Keras' default is 0.99) lets the running means and variances that the
    model uses at test time follow the weights within a few dozen steps; with 0.99 they lag far
    behind in a run of a few hundred steps and the test accuracy collapses.
    """
    layers = keras.layers
    inputs = keras.Input(shape=input_shape)
    x = inputs
    filters = [width, 2 * width, 4 * width, 4 * width, 8 * width]
    for number, count in enumerate(filters, 1):
        x = layers.Conv2D(count, 3, use_bias=False, name=f"conv_{number}")(x)
        x = layers.BatchNormalization(momentum=bn_momentum, name=f"bn_{number}")(x)
        x = layers.ReLU(name=f"relu_{number}")(x)
        if number in (2, 4):
            x = layers.MaxPooling2D(2, name=f"pool_{number // 2}")(x)
    x = layers.GlobalAveragePooling2D(name="global_pool")(x)
    outputs = layers.Dense(num_classes, activation="softmax", name="output")(x)
    return keras.Model(inputs, outputs, name=f"mnist_cnn_w{width}")


def kerasio_convnet(input_shape: tuple[int, ...] = (28, 28, 1), num_classes: int = 10):
    """The keras.io "Simple MNIST convnet" (Chollet, 2015), uncompiled, layer for layer.

    ``Conv2D(32, 3, relu) -> MaxPooling2D(2) -> Conv2D(64, 3, relu) -> MaxPooling2D(2) ->
    Flatten -> Dropout(0.5) -> Dense(10, softmax)``: 34,826 weights. The example trains it with
    Adam (default learning rate), batch size 128, 15 epochs and ``validation_split=0.1``.
    """
    layers = keras.layers
    return keras.Sequential([
        keras.Input(shape=input_shape),
        layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(num_classes, activation="softmax"),
    ], name="kerasio_convnet")


@dataclass
class CNNRun:
    """What :func:`train_mnist_cnn` or :func:`train_kerasio_baseline` measured."""

    model: keras.Model  # trained
    history: dict[str, list[float]]
    test_accuracy: float
    seconds: float  # training time: ``fit`` only, graph tracing included
    epochs: int


def compile_mnist_cnn(model: keras.Model, *, peak_lr: float, total_steps: int) -> keras.Model:
    """Compile ``model`` as the chapter trains it: Adam with a :class:`OneCycle` schedule over
    ``total_steps`` steps, sparse categorical cross-entropy, accuracy. Returns the model."""
    model.compile(optimizer=keras.optimizers.Adam(OneCycle(peak_lr, total_steps)),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def train_mnist_cnn(
    train: tuple[np.ndarray, np.ndarray],
    test: tuple[np.ndarray, np.ndarray],
    *,
    validation: tuple[np.ndarray, np.ndarray] | None = None,
    width: int = DEFAULT_WIDTH,
    epochs: int = DEFAULT_EPOCHS,
    batch_size: int = DEFAULT_BATCH_SIZE,
    peak_lr: float = DEFAULT_PEAK_LR,
    seed: int = 0,
    verbose: int | str = 0,
    callbacks: list | None = None,
) -> CNNRun:
    """Train :func:`mnist_cnn` on ``train`` = (images, labels) and score it on ``test``.

    The images go through :func:`mnist_pipeline`; the optimizer is Adam with a :class:`OneCycle`
    schedule that peaks at ``peak_lr`` and ends with the last of ``epochs`` epochs. ``validation``
    (optional) is scored after every epoch for the learning curves. ``seconds`` is the time
    ``fit`` takes (validation included), not loading or testing.
    """
    from cnnrnn.training import fit_timed

    keras.utils.set_random_seed(seed)
    steps = epochs * math.ceil(len(train[0]) / batch_size)
    model = compile_mnist_cnn(mnist_cnn(width, input_shape=train[0].shape[1:]),
                              peak_lr=peak_lr, total_steps=steps)
    val = None if validation is None else mnist_pipeline(*validation, 1000, training=False)
    # The pipeline shuffles; Keras' own shuffle= only applies to arrays, so it is switched off.
    batches = mnist_pipeline(*train, batch_size, training=True, seed=seed)
    history, seconds = fit_timed(model, batches, validation_data=val, epochs=epochs, shuffle=False,
                                 verbose=verbose, callbacks=callbacks)
    _, test_accuracy = model.evaluate(mnist_pipeline(*test, 1000, training=False), verbose=0)
    return CNNRun(model, history.history, float(test_accuracy), seconds, epochs)


def train_kerasio_baseline(
    train: tuple[np.ndarray, np.ndarray],
    test: tuple[np.ndarray, np.ndarray],
    *,
    epochs: int = 15,
    batch_size: int = 128,
    seed: int = 0,
    verbose: int | str = 0,
) -> CNNRun:
    """Train :func:`kerasio_convnet` as the keras.io example does and score it on ``test``.

    Adam with its default learning rate, batch size 128, 15 epochs, the last 10% of the training
    digits held out with ``validation_split=0.1``, NumPy arrays fed straight to ``fit``. The example
    one-hot encodes the labels and uses categorical cross-entropy; sparse categorical
    cross-entropy on the integer labels is the same loss.
    """
    from cnnrnn.training import fit_timed

    keras.utils.set_random_seed(seed)
    model = kerasio_convnet(input_shape=train[0].shape[1:])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history, seconds = fit_timed(model, train[0], train[1], batch_size=batch_size, epochs=epochs,
                                 validation_split=0.1, verbose=verbose)
    _, test_accuracy = model.evaluate(test[0], test[1], batch_size=1000, verbose=0)
    return CNNRun(model, history.history, float(test_accuracy), seconds, epochs)
