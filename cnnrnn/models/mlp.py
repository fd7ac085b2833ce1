"""The multilayer perceptron of the activation-functions chapter, shared with its benchmark.

One builder, :func:`activation_mlp`, makes the same network with any of the course's activation
functions; :func:`train_activation_mlp` trains it on MNIST with fixed settings and reports the
learning curves, the test accuracy and the training time. The notebook and
``benchmarks/activations.py`` both call these, so the book and ``make bench`` measure one model.
"""

from __future__ import annotations

from collections.abc import Sequence
import numpy as np

from cnnrnn.training import TrainResult, fit_and_evaluate

#: The activation functions the chapter compares, by their Keras names.
ACTIVATIONS = ("sigmoid", "tanh", "relu", "gelu")


def activation_mlp(
    activation: str,
    hidden: Sequence[int] = (256, 256),
    input_shape: tuple[int, ...] = (28, 28, 1),
    num_classes: int = 10,
):
    """An uncompiled MLP: Flatten, one ``Dense(width, activation)`` per entry of ``hidden``, softmax.

    Every hidden layer uses the same ``activation`` (one of :data:`ACTIVATIONS`) and Keras' default
    Glorot-uniform initialisation, so models built with different activations differ in nothing
    else. The model is returned uncompiled: the caller chooses the optimizer and the loss (the
    chapter's gradient measurements need no optimizer at all). Layers are named ``dense_1``,
    ``dense_2``, ... from the input, and ``output``.
    """
    import keras

    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}, not {activation!r}")
    hidden = tuple(hidden)
    if not hidden or any(int(width) != width or width < 1 for width in hidden):
        raise ValueError(f"hidden must be one or more positive layer widths, not {hidden!r}")
    layers = [keras.Input(shape=input_shape), keras.layers.Flatten(name="flatten")]
    layers += [keras.layers.Dense(int(width), activation=activation, name=f"dense_{depth}")
               for depth, width in enumerate(hidden, 1)]
    layers.append(keras.layers.Dense(num_classes, activation="softmax", name="output"))
    return keras.Sequential(layers, name=f"mlp_{activation}")


def train_activation_mlp(
    activation: str,
    train: tuple[np.ndarray, np.ndarray],
    test: tuple[np.ndarray, np.ndarray],
    *,
    hidden: Sequence[int] = (256, 256),
    epochs: int = 5,
    batch_size: int = 128,
    learning_rate: float = 1e-3,
    validation_split: float = 0.1,
    seed: int = 0,
    verbose: int | str = 0,
) -> TrainResult:
    """Train :func:`activation_mlp` on ``train`` = (images, labels) and score it on ``test``.

    The settings are the same for every activation: Adam with ``learning_rate``, sparse
    categorical cross-entropy, ``batch_size`` digits a step, ``epochs`` passes, the last
    ``validation_split`` of the training digits held out for the validation curve, and the Keras
    seed reset to ``seed`` before the weights are drawn. ``seconds`` is the time of ``fit`` alone.
    """
    import keras

    keras.utils.set_random_seed(seed)
    model = activation_mlp(activation, hidden, input_shape=train[0].shape[1:])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return fit_and_evaluate(model, train, test, epochs=epochs, batch_size=batch_size,
                            validation_split=validation_split, verbose=verbose, name=activation)
