"""The convolutional models of Part II and their training recipes.

- :func:`small_cnn`: the small MNIST CNNs of the convolution, pooling and normalization chapters,
  with or without pooling, a Flatten or global-average-pooling head, batch normalization.
- :func:`mnist_cnn`: the "end to end" chapter's network, batch-normalized from its third
  convolution on (the two full-resolution convolutions are not), trained by
  :func:`train_mnist_cnn` with a one-cycle schedule (:func:`cnnrnn.schedules.one_cycle`).
- :func:`kerasio_convnet`: the keras.io "Simple MNIST convnet", trained as published by
  :func:`train_kerasio_baseline`; ``make bench`` uses its training time as the unit of machine
  speed.

The notebooks and ``benchmarks/`` call the same functions, so the book and ``make bench`` measure
the same models.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import keras
import numpy as np

from cnnrnn.datasets import mnist_pipeline
from cnnrnn.schedules import one_cycle
from cnnrnn.training import TrainResult, fit_and_evaluate

#: The chapter's settings, chosen on a validation split (see the notebook), used by the benchmark.
DEFAULT_WIDTH = 12
DEFAULT_NORMALIZE_FROM = 3
DEFAULT_EPOCHS = 3
DEFAULT_BATCH_SIZE = 128
DEFAULT_PEAK_LR = 3e-3
DEFAULT_LABEL_SMOOTHING = 0.1


def small_cnn(
    filters: Sequence[int] = (16, 32),
    *,
    pooling: str = "max",
    head: str = "flatten",
    augment_shift: int = 0,
    batch_norm: bool = False,
    bn_momentum: float = 0.9,
    input_shape: tuple[int, int, int] = (28, 28, 1),
    num_classes: int = 10,
    name: str | None = None,
):
    """An uncompiled small CNN for MNIST-sized images.

    One ``Conv2D(f, 3x3, padding="same", relu)`` per entry of ``filters`` (named ``conv1``,
    ``conv2``, ...), each followed by 2x2 pooling when ``pooling`` is ``"max"`` or ``"avg"``
    (``"none"``: no pooling, the maps keep the input size). Then ``head``: ``"flatten"``
    (Flatten, then the softmax layer sees every position) or ``"gap"`` (global average pooling:
    one mean per channel). ``augment_shift=k`` puts a ``RandomTranslation`` layer first that moves
    each training image by up to ``k`` pixels each way, filling with zeros; it is inactive at
    inference time. ``batch_norm=True`` puts a ``BatchNormalization(momentum=bn_momentum)``
    between each convolution and its ReLU, and drops the convolution's bias (the normalization's
    shift does its job).
    """
    layers = keras.layers

    if pooling not in {"max", "avg", "none"}:
        raise ValueError(f"pooling must be 'max', 'avg' or 'none', not {pooling!r}")
    if head not in {"flatten", "gap"}:
        raise ValueError(f"head must be 'flatten' or 'gap', not {head!r}")
    stack: list = [keras.Input(shape=input_shape)]
    if augment_shift:
        stack.append(layers.RandomTranslation(
            augment_shift / input_shape[0], augment_shift / input_shape[1],
            fill_mode="constant", fill_value=0.0, interpolation="nearest", name="shift"))
    for index, width in enumerate(filters, start=1):
        if batch_norm:
            stack += [layers.Conv2D(width, 3, padding="same", use_bias=False, name=f"conv{index}"),
                      layers.BatchNormalization(momentum=bn_momentum, name=f"bn{index}"),
                      layers.Activation("relu", name=f"relu{index}")]
        else:
            stack.append(layers.Conv2D(width, 3, padding="same", activation="relu",
                                       name=f"conv{index}"))
        if pooling == "max":
            stack.append(layers.MaxPooling2D(2, name=f"pool{index}"))
        elif pooling == "avg":
            stack.append(layers.AveragePooling2D(2, name=f"pool{index}"))
    stack.append(layers.Flatten(name="flatten") if head == "flatten"
                 else layers.GlobalAveragePooling2D(name="gap"))
    stack.append(layers.Dense(num_classes, activation="softmax", name="output"))
    return keras.Sequential(stack, name=name)


def mnist_cnn(width: int = DEFAULT_WIDTH, input_shape: tuple[int, ...] = (28, 28, 1),
              num_classes: int = 10, bn_momentum: float = 0.9,
              normalize_from: int = DEFAULT_NORMALIZE_FROM):
    """The course's MNIST CNN, uncompiled: five 3x3 convolutions, the later ones batch-normalized.

    The convolutions have ``width``, ``2 * width``, ``4 * width``, ``4 * width`` and ``8 * width``
    filters and valid padding; a 2x2 max pooling follows the second and the fourth, so the maps
    shrink 28 -> 26 -> 24 -> 12 -> 10 -> 8 -> 4 -> 2 pixels. Global average pooling turns the last
    maps into one vector per digit and a dense softmax layer gives the ten class probabilities.

    Convolution ``normalize_from`` and the ones after it are ``Conv2D(no bias) ->
    BatchNormalization -> ReLU`` (the normalization's shift does the bias's job); the ones before
    it are ``Conv2D(bias) -> ReLU``. The default, 3, leaves the two convolutions at full
    resolution (26x26 and 24x24 maps) unnormalized: on a CPU, normalizing those large maps costs
    about a quarter of the training time for no gain in accuracy that we could measure (the
    chapter's notebook times both). ``normalize_from=1`` normalizes all five. With ``width=12``:
    77,050 weights.

    Two convolutions before each pooling see a 5x5 window at full resolution, which a single
    3x3 convolution cannot (the VGG idea).

    ``bn_momentum=0.9`` (Keras' default is 0.99) lets the running means and variances that the
    model uses at test time follow the weights within a few dozen steps; with 0.99 they average
    over about a hundred steps, which in a run of a few hundred steps can lag far behind (the
    normalization chapter measures the drop on a small CNN).
    """
    layers = keras.layers
    inputs = keras.Input(shape=input_shape)
    x = inputs
    filters = [width, 2 * width, 4 * width, 4 * width, 8 * width]
    for number, count in enumerate(filters, 1):
        if number >= normalize_from:
            x = layers.Conv2D(count, 3, use_bias=False, name=f"conv_{number}")(x)
            x = layers.BatchNormalization(momentum=bn_momentum, name=f"bn_{number}")(x)
        else:
            x = layers.Conv2D(count, 3, name=f"conv_{number}")(x)
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


@keras.saving.register_keras_serializable(package="cnnrnn")
class SmoothedSparseCrossentropy(keras.losses.Loss):
    """Cross-entropy against smoothed targets, for integer labels.

    With ``label_smoothing`` = e and K classes, the target for a digit of class c is 1 - e + e/K
    for c and e/K for every other class, instead of 1 and 0 (Szegedy et al., 2016). Keras 3's
    ``SparseCategoricalCrossentropy`` has no such option, so this one-hot encodes the labels and
    calls ``categorical_crossentropy``. Registered, so a saved ``.keras`` model loads with it.
    """

    def __init__(self, label_smoothing: float = DEFAULT_LABEL_SMOOTHING,
                 name: str = "smoothed_sparse_crossentropy", **kwargs):
        super().__init__(name=name, **kwargs)
        self.label_smoothing = float(label_smoothing)

    def call(self, y_true, y_pred):
        labels = keras.ops.cast(keras.ops.reshape(y_true, (-1,)), "int32")
        targets = keras.ops.one_hot(labels, y_pred.shape[-1])  # K classes from the predictions
        return keras.losses.categorical_crossentropy(targets, y_pred,
                                                     label_smoothing=self.label_smoothing)

    def get_config(self):
        return {**super().get_config(), "label_smoothing": self.label_smoothing}


def compile_mnist_cnn(model: keras.Model, *, peak_lr: float, total_steps: int,
                      label_smoothing: float = DEFAULT_LABEL_SMOOTHING) -> keras.Model:
    """Compile ``model`` as the chapter trains it: Adam with a one-cycle schedule
    (:func:`cnnrnn.schedules.one_cycle`) over ``total_steps`` steps, cross-entropy with
    ``label_smoothing`` (:class:`SmoothedSparseCrossentropy`; 0 gives the plain loss), accuracy.
    Returns the model."""
    loss = (SmoothedSparseCrossentropy(label_smoothing) if label_smoothing
            else "sparse_categorical_crossentropy")
    model.compile(optimizer=keras.optimizers.Adam(one_cycle(peak_lr, total_steps)),
                  loss=loss, metrics=["accuracy"])
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
    label_smoothing: float = DEFAULT_LABEL_SMOOTHING,
    seed: int = 0,
    verbose: int | str = 0,
    callbacks: list | None = None,
) -> TrainResult:
    """Train :func:`mnist_cnn` on ``train`` = (images, labels) and score it on ``test``.

    The images go through :func:`cnnrnn.datasets.mnist_pipeline`; the optimizer is Adam with a
    one-cycle schedule that peaks at ``peak_lr`` and ends with the last of ``epochs`` epochs; the
    loss is cross-entropy with ``label_smoothing``.
    ``validation`` (optional) is scored after every epoch for the learning curves; its time counts
    in ``seconds``.
    """
    keras.utils.set_random_seed(seed)
    steps = epochs * math.ceil(len(train[0]) / batch_size)
    model = compile_mnist_cnn(mnist_cnn(width, input_shape=train[0].shape[1:]),
                              peak_lr=peak_lr, total_steps=steps, label_smoothing=label_smoothing)
    val = None if validation is None else mnist_pipeline(*validation, 1000, training=False)
    batches = mnist_pipeline(*train, batch_size, training=True, seed=seed)
    return fit_and_evaluate(model, batches, mnist_pipeline(*test, 1000, training=False),
                            epochs=epochs, validation=val, verbose=verbose, callbacks=callbacks,
                            name=model.name)


def train_kerasio_baseline(
    train: tuple[np.ndarray, np.ndarray],
    test: tuple[np.ndarray, np.ndarray],
    *,
    epochs: int = 15,
    batch_size: int = 128,
    seed: int = 0,
    verbose: int | str = 0,
) -> TrainResult:
    """Train :func:`kerasio_convnet` as the keras.io example does and score it on ``test``.

    Adam with its default learning rate, batch size 128, 15 epochs, the last 10% of the training
    digits held out with ``validation_split=0.1``, NumPy arrays fed straight to ``fit``. The example
    one-hot encodes the labels and uses categorical cross-entropy; sparse categorical
    cross-entropy on the integer labels is the same loss.
    """
    keras.utils.set_random_seed(seed)
    model = kerasio_convnet(input_shape=train[0].shape[1:])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return fit_and_evaluate(model, train, test, epochs=epochs, batch_size=batch_size,
                            validation_split=0.1, verbose=verbose, name=model.name)
