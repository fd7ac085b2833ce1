"""The models of the regularization and residual-connections chapter.

- :func:`regularized_mlp`: a wide MLP with optional dropout after each hidden layer and an
  optional L2 penalty on its kernels, the network the chapter overfits on 1,000 digits.
- :func:`classifier_optimizer`: Adam, Adam with an L2 penalty left to the model, or AdamW with
  decoupled weight decay (Loshchilov & Hutter), so the three can be compared at one learning rate.
- :func:`train_regularized`: one seeded training run of that MLP, scored on training and test
  digits, so the generalization gap is measured the same way for every setting.
- :func:`deep_stack`: a deep stack of equal-width pre-activation blocks (batch normalization, ReLU,
  dense; He et al. 2016b), plain or with identity skip connections (a residual network), the same
  layers and parameters either way; :func:`train_deep_stack` trains one with Adam.
- :func:`kernel_gradient_norms`: the norm of the loss gradient for every dense kernel, from the
  input side to the output, the measurement of the activation-functions chapter.

Everything here builds uncompiled Keras models or compiles them in one documented way; the
notebook keeps the formulas (a residual block, inverted dropout) written out by hand.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np

from cnnrnn.training import TrainResult, fit_and_evaluate

#: The three ways the chapter regularizes the weights' size with Adam.
WEIGHT_DECAY_KINDS = ("none", "l2", "decoupled")


def regularized_mlp(
    hidden: Sequence[int] = (512, 512),
    *,
    dropout: float = 0.0,
    l2: float = 0.0,
    input_shape: tuple[int, ...] = (28, 28, 1),
    num_classes: int = 10,
    name: str = "mlp",
):
    """An uncompiled MLP: Flatten, then per entry of ``hidden`` a ``Dense(width, relu)`` (named
    ``dense_1``, ``dense_2``, ...) followed by ``Dropout(dropout)`` when ``dropout > 0``, then a
    softmax layer named ``output``.

    ``l2 > 0`` adds ``l2 * sum(kernel ** 2)`` of every kernel (biases excluded) to the loss through
    Keras' ``kernel_regularizer``; its gradient is ``2 * l2 * kernel``. Dropout and the penalty add
    no parameters: every setting has the same weights.
    """
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"dropout must be in [0, 1), not {dropout!r}")
    if l2 < 0:
        raise ValueError(f"l2 must be >= 0, not {l2!r}")
    hidden = tuple(hidden)
    if not hidden or any(int(width) != width or width < 1 for width in hidden):
        raise ValueError(f"hidden must be one or more positive layer widths, not {hidden!r}")
    regularizer = keras.regularizers.L2(l2) if l2 else None
    layers: list = [keras.Input(shape=input_shape), keras.layers.Flatten(name="flatten")]
    for depth, width in enumerate(hidden, 1):
        layers.append(keras.layers.Dense(int(width), activation="relu",
                                         kernel_regularizer=regularizer, name=f"dense_{depth}"))
        if dropout:
            layers.append(keras.layers.Dropout(dropout, name=f"dropout_{depth}"))
    layers.append(keras.layers.Dense(num_classes, activation="softmax",
                                     kernel_regularizer=regularizer, name="output"))
    return keras.Sequential(layers, name=name)


def classifier_optimizer(learning_rate: float = 1e-3, weight_decay: float = 0.0,
                         kind: str = "decoupled"):
    """The optimizer for :func:`train_regularized`.

    ``kind="decoupled"`` with ``weight_decay > 0``: AdamW, which shrinks every weight by
    ``learning_rate * weight_decay`` of itself at each step, outside Adam's gradient scaling
    (Loshchilov & Hutter, 2019); biases are left out of the decay, as the L2 penalty leaves them
    out. ``kind="none"`` with ``weight_decay > 0`` raises ``ValueError``. Any other case: plain
    Adam (an ``"l2"`` penalty then lives in the model's loss, see
    :func:`regularized_mlp`, and passes through Adam's per-weight scaling).
    """
    if kind not in WEIGHT_DECAY_KINDS:
        raise ValueError(f"kind must be one of {WEIGHT_DECAY_KINDS}, not {kind!r}")
    if weight_decay < 0:
        raise ValueError(f"weight_decay must be >= 0, not {weight_decay!r}")
    if kind == "none" and weight_decay > 0:
        raise ValueError(f"kind='none' takes no weight decay, not {weight_decay!r}")
    if kind == "decoupled" and weight_decay > 0:
        optimizer = keras.optimizers.AdamW(learning_rate, weight_decay=weight_decay)
        optimizer.exclude_from_weight_decay(var_names=["bias"])
        return optimizer
    return keras.optimizers.Adam(learning_rate)


def train_regularized(
    train: tuple[np.ndarray, np.ndarray],
    test: tuple[np.ndarray, np.ndarray],
    *,
    validation: tuple[np.ndarray, np.ndarray] | None = None,
    hidden: Sequence[int] = (512, 512),
    dropout: float = 0.0,
    weight_decay: float = 0.0,
    decay_kind: str = "decoupled",
    epochs: int = 50,
    batch_size: int = 64,
    learning_rate: float = 1e-3,
    seed: int = 0,
    verbose: int | str = 0,
    name: str = "",
) -> TrainResult:
    """Train :func:`regularized_mlp` on ``train`` and score it on ``test`` and on ``train`` itself.

    ``weight_decay`` is applied as ``decay_kind`` says: ``"decoupled"`` (AdamW, decay
    ``weight_decay`` per unit of learning rate), ``"l2"`` (Adam, with ``weight_decay / 2`` times
    the squared kernels added to the loss, whose gradient ``weight_decay * kernel`` equals the
    decoupled decay before Adam rescales it) or ``"none"``. The Keras seed is reset to ``seed``
    before the weights are drawn. ``extra`` holds ``train_accuracy`` and ``train_loss``, scored
    in inference mode (dropout off) after training, and ``gap``, training minus test accuracy.
    """
    keras.utils.set_random_seed(seed)
    l2 = weight_decay / 2 if decay_kind == "l2" else 0.0
    model = regularized_mlp(hidden, dropout=dropout, l2=l2, input_shape=train[0].shape[1:])
    model.compile(optimizer=classifier_optimizer(learning_rate, weight_decay, decay_kind),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    result = fit_and_evaluate(model, train, test, epochs=epochs, batch_size=batch_size,
                              validation=validation, verbose=verbose, name=name)
    scores = model.evaluate(train[0], train[1], batch_size=1000, verbose=0, return_dict=True)
    result.extra.update(train_accuracy=float(scores["accuracy"]), train_loss=float(scores["loss"]),
                        gap=float(scores["accuracy"]) - result.test_accuracy)
    return result


def deep_stack(
    depth: int,
    width: int = 64,
    *,
    residual: bool = False,
    bn_momentum: float = 0.9,
    input_shape: tuple[int, ...] = (28, 28, 1),
    num_classes: int = 10,
    name: str | None = None,
):
    """An uncompiled deep MLP: Flatten, a ``Dense(width, relu)`` stem named ``stem``, ``depth``
    blocks, and a softmax layer named ``output``.

    Block ``i`` computes the pre-activation branch of He et al. (2016b, "Identity mappings in deep
    residual networks"), reduced to one layer: ``f(h) = W_i relu(BN(h))``, a
    ``BatchNormalization(momentum=bn_momentum)`` named ``bn_i``, a ReLU named ``relu_i`` and a
    ``Dense(width)`` named ``block_i`` with He-normal initialisation. With ``residual=False`` the
    block passes on ``f(h)`` (a plain stack: the same layers without the skip); with
    ``residual=True`` it passes on ``h + f(h)`` (an identity skip, ``keras.layers.Add`` named
    ``skip_i``). Since ``f`` ends in a linear layer, a block can add or subtract. Both stacks have
    the same layers and the same number of parameters: an identity skip only adds its input.
    """
    if isinstance(depth, bool) or int(depth) != depth or depth < 1:
        raise ValueError(f"depth must be a positive integer, not {depth!r}")
    if isinstance(width, bool) or int(width) != width or width < 1:
        raise ValueError(f"width must be a positive integer, not {width!r}")
    layers = keras.layers
    inputs = keras.Input(shape=input_shape)
    h = layers.Flatten(name="flatten")(inputs)
    h = layers.Dense(int(width), activation="relu", name="stem")(h)
    for index in range(1, int(depth) + 1):
        fx = layers.BatchNormalization(momentum=bn_momentum, name=f"bn_{index}")(h)
        fx = layers.ReLU(name=f"relu_{index}")(fx)
        fx = layers.Dense(int(width), kernel_initializer="he_normal", name=f"block_{index}")(fx)
        h = layers.Add(name=f"skip_{index}")([h, fx]) if residual else fx
    outputs = layers.Dense(num_classes, activation="softmax", name="output")(h)
    kind = "residual" if residual else "plain"
    return keras.Model(inputs, outputs, name=name or f"{kind}_{int(depth)}x{int(width)}")


def train_deep_stack(
    depth: int,
    train: tuple[np.ndarray, np.ndarray],
    test: tuple[np.ndarray, np.ndarray],
    *,
    residual: bool = False,
    width: int = 64,
    epochs: int = 3,
    batch_size: int = 64,
    learning_rate: float = 1e-3,
    seed: int = 0,
    verbose: int | str = 0,
) -> TrainResult:
    """Train :func:`deep_stack` with Adam (``learning_rate``) on ``train`` and score it on ``test``.

    The plain and the residual stack get the same seed, data order, optimizer and epochs. ``extra``
    holds ``train_accuracy`` and ``train_loss`` scored after training in inference mode, so the
    two stacks can be compared on what they fit, not only on what they generalize to.
    """
    keras.utils.set_random_seed(seed)
    model = deep_stack(depth, width, residual=residual, input_shape=train[0].shape[1:])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    result = fit_and_evaluate(model, train, test, epochs=epochs, batch_size=batch_size,
                              verbose=verbose, name=model.name)
    scores = model.evaluate(train[0], train[1], batch_size=1000, verbose=0, return_dict=True)
    result.extra.update(train_accuracy=float(scores["accuracy"]), train_loss=float(scores["loss"]))
    return result


def kernel_gradient_norms(model, x, y, *, training: bool = False) -> np.ndarray:
    """The norm of d(loss)/d(kernel) for every ``Dense`` layer of ``model``, input side first.

    The loss is the mean sparse categorical cross-entropy of ``model(x)`` against ``y``, one
    backward pass on one batch, with ``training`` passed to the model (dropout and batch
    normalization behave accordingly). Layers are taken in the order of ``model.layers``.
    """
    import tensorflow as tf

    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    with tf.GradientTape() as tape:
        probabilities = model(x, training=training)
        loss = keras.ops.mean(keras.losses.sparse_categorical_crossentropy(y, probabilities))
    gradients = tape.gradient(loss, [layer.kernel for layer in dense])
    return np.array([float(tf.norm(gradient)) for gradient in gradients])
