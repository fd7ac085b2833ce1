"""The MNIST CNN of the "end to end" chapter against the keras.io "Simple MNIST convnet".

One benchmark, two rows, so both models are trained in the same run on the same machine:
``mnist_cnn`` (ours: batch normalization, a one-cycle learning rate, a few epochs) and
``mnist_cnn_kerasio_baseline`` (the keras.io example as published: 15 epochs). Value = test
accuracy on the 10,000 MNIST test digits, seconds = training time (``fit`` only).

The baseline's training time is the course's unit of machine speed, K (see
:mod:`benchmarks.runner`), so our target is a ratio that holds on any machine: test accuracy
>= 0.995 with training time <= 0.5 K.
"""

from __future__ import annotations

import math

import keras

from benchmarks.runner import K_ROW, Benchmark
from cnnrnn import datasets
from cnnrnn.models import cnn

#: The chapter's settings (the notebook's full mode uses the same ones).
SETTINGS = dict(width=cnn.DEFAULT_WIDTH, epochs=cnn.DEFAULT_EPOCHS,
                batch_size=cnn.DEFAULT_BATCH_SIZE, peak_lr=cnn.DEFAULT_PEAK_LR)
TARGET_ACCURACY, TARGET_K = 0.995, 0.5


def multiply_adds_per_image(model: keras.Model) -> int:
    """Multiply-adds of the convolutions and dense layers for one image (the rest is cheap).

    Each kernel weight is used once per output position: out_h * out_w * k_h * k_w * c_in * c_out
    for a convolution, in * out for a dense layer (no positions).
    """
    return sum(math.prod(layer.kernel.shape) * math.prod(layer.output.shape[1:-1])
               for layer in model.layers
               if isinstance(layer, (keras.layers.Conv2D, keras.layers.Dense)))


def mnist_cnn_vs_kerasio() -> dict[str, dict]:
    (x_train, y_train), test = datasets.mnist_scaled()
    train, validation = datasets.split_validation(x_train, y_train)
    ours = cnn.train_mnist_cnn(train, test, validation=validation, **SETTINGS)
    baseline = cnn.train_kerasio_baseline((x_train, y_train), test)
    in_k = ours.seconds / baseline.seconds  # the baseline is K for this run
    return {
        "mnist_cnn": {
            "metric": "test_accuracy", "value": ours.test_accuracy, "seconds": ours.seconds,
            "baseline": K_ROW, "time_ratio": baseline.seconds / ours.seconds,
            "target": f"test_accuracy >= {TARGET_ACCURACY} with seconds <= {TARGET_K} K",
            "target_reached": ours.test_accuracy >= TARGET_ACCURACY and in_k <= TARGET_K,
            "params": ours.model.count_params(),
            "multiply_adds_per_image": multiply_adds_per_image(ours.model),
            "train_size": len(train[0]), "validation_size": len(validation[0]),
            **SETTINGS,
        },
        K_ROW: {
            "metric": "test_accuracy", "value": baseline.test_accuracy,
            "seconds": baseline.seconds, "epochs": baseline.epochs,
            "batch_size": 128, "params": baseline.model.count_params(),
            "multiply_adds_per_image": multiply_adds_per_image(baseline.model),
            "source": "https://keras.io/examples/vision/mnist_convnet/",
        },
    }


BENCHMARKS = [Benchmark(("mnist_cnn", K_ROW), mnist_cnn_vs_kerasio)]
