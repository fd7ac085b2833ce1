"""The MNIST CNN of the "end to end" chapter against the keras.io "Simple MNIST convnet".

One benchmark, two rows, so both models are trained in the same run on the same machine:
``mnist_cnn`` (ours: batch normalization, a one-cycle learning rate, a few epochs) and
``mnist_cnn_kerasio_baseline`` (the keras.io example as published: 15 epochs). Value = test
accuracy on the 10,000 MNIST test digits, seconds = training time (``fit`` only).

Ours is trained with :data:`SEEDS` (three seeds): one run could meet the target by luck, so the
row's value and seconds are the means, with each seed's figures and the spread beside them, and
the target counts as reached only if *every* seed reaches the accuracy within the time.

The baseline's training time is the course's unit of machine speed, K (see
:mod:`benchmarks.runner`), so our target is a ratio that holds on any machine: test accuracy
>= 0.995 with training time <= 0.5 K. The rows also give the cost in multiply-adds, per image
and for the whole training run, so the two models can be compared independently of the CPU.
"""

from __future__ import annotations

import math

import keras
import numpy as np

from benchmarks.runner import K_ROW, Benchmark
from cnnrnn import datasets
from cnnrnn.models import cnn

#: The chapter's settings (the notebook's full mode uses the same ones).
SETTINGS = dict(width=cnn.DEFAULT_WIDTH, epochs=cnn.DEFAULT_EPOCHS,
                batch_size=cnn.DEFAULT_BATCH_SIZE, peak_lr=cnn.DEFAULT_PEAK_LR,
                label_smoothing=cnn.DEFAULT_LABEL_SMOOTHING)
TARGET_ACCURACY, TARGET_K = 0.995, 0.5
SEEDS = (0, 1, 2)


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
    runs = [cnn.train_mnist_cnn(train, test, validation=validation, seed=seed, **SETTINGS)
            for seed in SEEDS]
    baseline = cnn.train_kerasio_baseline((x_train, y_train), test)
    accuracies = np.array([run.test_accuracy for run in runs])
    seconds = np.array([run.seconds for run in runs])
    in_k = seconds / baseline.seconds  # the baseline is K for this run
    ours_madds = multiply_adds_per_image(runs[0].model)
    baseline_madds = multiply_adds_per_image(baseline.model)
    # Training work: multiply-adds per image x images seen (epochs x training images), forward only.
    ours_work = ours_madds * SETTINGS["epochs"] * len(train[0])
    baseline_work = baseline_madds * baseline.epochs * round(0.9 * len(x_train))
    return {
        "mnist_cnn": {
            "metric": "test_accuracy", "value": float(accuracies.mean()),
            "value_min": float(accuracies.min()), "value_max": float(accuracies.max()),
            "seconds": float(seconds.mean()),
            "seeds": list(SEEDS), "test_accuracy_per_seed": accuracies.round(4).tolist(),
            "seconds_per_seed": seconds.round(1).tolist(),
            "seconds_in_K_per_seed": in_k.round(3).tolist(),
            "baseline": K_ROW, "time_ratio": float(baseline.seconds / seconds.mean()),
            "target": f"test_accuracy >= {TARGET_ACCURACY} with seconds <= {TARGET_K} K, "
                      f"every seed of {list(SEEDS)}",
            "target_reached": bool((accuracies >= TARGET_ACCURACY).all()
                                   and (in_k <= TARGET_K).all()),
            "params": runs[0].model.count_params(),
            "multiply_adds_per_image": ours_madds,
            "multiply_adds_ratio": ours_madds / baseline_madds,
            "training_work_ratio": ours_work / baseline_work,
            "train_size": len(train[0]), "validation_size": len(validation[0]),
            "normalize_from": cnn.DEFAULT_NORMALIZE_FROM, **SETTINGS,
        },
        K_ROW: {
            "metric": "test_accuracy", "value": baseline.test_accuracy,
            "seconds": baseline.seconds, "epochs": baseline.epochs,
            "batch_size": 128, "params": baseline.model.count_params(),
            "multiply_adds_per_image": baseline_madds,
            "source": "https://keras.io/examples/vision/mnist_convnet/",
        },
    }


BENCHMARKS = [Benchmark(("mnist_cnn", K_ROW), mnist_cnn_vs_kerasio)]
