"""One way to train and score a model, shared by every trainer in :mod:`cnnrnn.models`.

:func:`fit_and_evaluate` fits a compiled model, times ``fit`` and scores the result on a test
set; :class:`TrainResult` is what it returns. The chapters' trainers (the activation MLP, the MNIST
CNN, the keras.io baseline, the recurrent models to come) differ only in the model and the recipe
they pass in, so a benchmark and a notebook that call the same trainer measure the same thing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class TrainResult:
    """What one training run measured.

    ``seconds`` is the wall-clock time of ``fit`` alone (graph tracing and per-epoch validation
    included, as a reader would experience them), not loading the data or testing.
    ``test_metrics`` holds every compiled metric on the test set; ``test_accuracy`` is its
    ``"accuracy"`` entry, the number most chapters report.
    """

    model: Any  # the trained keras.Model
    history: dict[str, list[float]]
    test_metrics: dict[str, float]
    seconds: float
    epochs: int
    name: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def test_accuracy(self) -> float:
        if "accuracy" not in self.test_metrics:
            raise KeyError(f"no accuracy among the test metrics {sorted(self.test_metrics)}")
        return self.test_metrics["accuracy"]


def fit_timed(model, *args, **kwargs):
    """``model.fit(*args, **kwargs)`` that also returns the wall-clock training time in seconds."""
    start = time.perf_counter()
    history = model.fit(*args, **kwargs)
    return history, time.perf_counter() - start


def _is_pair(data) -> bool:
    return isinstance(data, (tuple, list)) and len(data) == 2


def fit_and_evaluate(
    model,
    train,
    test,
    *,
    epochs: int,
    batch_size: int | None = None,
    validation=None,
    validation_split: float = 0.0,
    verbose: int | str = 0,
    callbacks: list | None = None,
    eval_batch_size: int = 1000,
    name: str = "",
) -> TrainResult:
    """Fit the compiled ``model`` on ``train``, time ``fit``, and score it on ``test``.

    ``train``, ``validation`` and ``test`` are each an ``(inputs, targets)`` pair of arrays or a
    ``tf.data.Dataset`` of batches. With arrays, ``fit`` batches and shuffles them itself
    (``batch_size``, ``validation_split``); a dataset brings its own batching and order, so
    ``shuffle`` is left off (Keras ignores it for datasets and warns).
    """
    if _is_pair(train):
        history, seconds = fit_timed(model, train[0], train[1], batch_size=batch_size,
                                     epochs=epochs, validation_data=validation,
                                     validation_split=validation_split, verbose=verbose,
                                     callbacks=callbacks)
    else:
        if validation_split:
            raise ValueError("validation_split needs array inputs; pass validation= instead")
        history, seconds = fit_timed(model, train, epochs=epochs, validation_data=validation,
                                     shuffle=False, verbose=verbose, callbacks=callbacks)
    if _is_pair(test):
        scores = model.evaluate(test[0], test[1], batch_size=eval_batch_size, verbose=0,
                                return_dict=True)
    else:
        scores = model.evaluate(test, verbose=0, return_dict=True)
    return TrainResult(model, history.history, {k: float(v) for k, v in scores.items()},
                       seconds, epochs, name)
