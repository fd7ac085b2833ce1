"""Sequential MNIST: a recurrent layer that reads a digit one pixel row at a time.

The head-to-head chapter trains the same task both ways: the MNIST CNN of Part II sees the whole
28x28 image at once; :func:`row_reader` sees 28 time steps of 28 pixels, top row first, and
classifies the digit from its last hidden state. :func:`train_row_reader` is the recipe, used by
the notebook and by ``make bench`` (rows ``seq_mnist_lstm`` and ``seq_mnist_gru``), so both
measure the same thing.

The recipe (:data:`RECIPE`): 128 units, Adam with the one-cycle schedule of
:func:`cnnrnn.schedules.one_cycle` peaking at 3e-3, batch 128, gradient norm clipped to 1
(recurrent layers meet the occasional large step; see the gating chapter), 8 epochs. It was set
once from the MNIST chapter's recipe and not tuned: the test digits played no part in it (the
development log, ``benchmarks/head_to_head_search.md``, records the runs).
"""

from __future__ import annotations

import math

import keras
import numpy as np

from cnnrnn.datasets import mnist_pipeline
from cnnrnn.schedules import one_cycle
from cnnrnn.training import TrainResult, fit_and_evaluate

CELLS = {"lstm": keras.layers.LSTM, "gru": keras.layers.GRU, "rnn": keras.layers.SimpleRNN}
#: The chapter's recipe (the notebook's full mode and the bench).
RECIPE = dict(units=128, epochs=8, batch_size=128, peak_lr=3e-3, clipnorm=1.0)


def as_rows(images: np.ndarray) -> np.ndarray:
    """Images (N, 28, 28) or (N, 28, 28, 1) as sequences (N, 28 time steps, 28 pixels), float32.

    Row ``t`` of the image is time step ``t``: the layer reads the digit from top to bottom.
    """
    images = np.asarray(images)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim != 3:
        raise ValueError(f"expected images shaped (N, H, W) or (N, H, W, 1), not {images.shape}")
    return images.astype("float32")


def row_reader(cell: str = "lstm", units: int = RECIPE["units"], rows: int = 28, width: int = 28,
               classes: int = 10) -> keras.Model:
    """An uncompiled model: (batch, rows, width) pixels -> class probabilities.

    One recurrent layer (``cell`` = "lstm", "gru" or "rnn") reads the rows in order; a dense
    softmax layer reads its final state. Nothing else: no convolution, no pooling.
    """
    if cell not in CELLS:
        raise ValueError(f"cell must be one of {sorted(CELLS)}, not {cell!r}")
    return keras.Sequential([keras.Input((rows, width)), CELLS[cell](units, name=cell),
                             keras.layers.Dense(classes, activation="softmax", name="output")],
                            name=f"row_reader_{cell}_{units}")


def train_row_reader(
    cell: str,
    train: tuple[np.ndarray, np.ndarray],
    test: tuple[np.ndarray, np.ndarray],
    *,
    validation: tuple[np.ndarray, np.ndarray] | None = None,
    units: int = RECIPE["units"],
    epochs: int = RECIPE["epochs"],
    batch_size: int = RECIPE["batch_size"],
    peak_lr: float = RECIPE["peak_lr"],
    clipnorm: float | None = RECIPE["clipnorm"],
    seed: int = 0,
    verbose: int | str = 0,
) -> TrainResult:
    """Train :func:`row_reader` on ``train`` = (images, labels) and score it on ``test``.

    Images may be (N, 28, 28) or (N, 28, 28, 1); they are read as rows (:func:`as_rows`).
    ``seconds`` is the time of ``fit`` (per-epoch validation included when ``validation`` is
    given), as for every trainer of the course.
    """
    keras.utils.set_random_seed(seed)
    x_train, x_test = as_rows(train[0]), as_rows(test[0])
    model = row_reader(cell, units, rows=x_train.shape[1], width=x_train.shape[2])
    steps = epochs * math.ceil(len(x_train) / batch_size)
    model.compile(optimizer=keras.optimizers.Adam(one_cycle(peak_lr, steps), clipnorm=clipnorm),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    val = None if validation is None else mnist_pipeline(as_rows(validation[0]), validation[1],
                                                         1000, training=False)
    return fit_and_evaluate(model, mnist_pipeline(x_train, train[1], batch_size, training=True, seed=seed),
                            mnist_pipeline(x_test, test[1], 1000, training=False),
                            epochs=epochs, validation=val, verbose=verbose, name=model.name)
