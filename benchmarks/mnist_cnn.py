"""The MNIST CNN of the "end to end" chapter against the keras.io "Simple MNIST convnet".

One benchmark, two rows, so both models are trained in the same run on the same machine:
``mnist_cnn`` (ours: batch normalization, a one-cycle learning rate, a few epochs) and
``mnist_cnn_kerasio_baseline`` (the keras.io example as published: 15 epochs). Value = test
accuracy on the 10,000 MNIST test digits, seconds = training time (``fit`` only).
"""

from __future__ import annotations

from benchmarks.runner import Benchmark
from cnnrnn import datasets
from cnnrnn.models import cnn

#: The chapter's settings (the notebook's full mode uses the same ones).
SETTINGS = dict(width=cnn.DEFAULT_WIDTH, epochs=cnn.DEFAULT_EPOCHS,
                batch_size=cnn.DEFAULT_BATCH_SIZE, peak_lr=cnn.DEFAULT_PEAK_LR)
TARGET_ACCURACY, TARGET_SECONDS = 0.995, 60.0


def mnist_cnn_vs_kerasio() -> dict[str, dict]:
    (x_train, y_train), test = datasets.mnist_scaled()
    train, validation = datasets.split_validation(x_train, y_train)
    ours = cnn.train_mnist_cnn(train, test, validation=validation, **SETTINGS)
    baseline = cnn.train_kerasio_baseline((x_train, y_train), test)
    reached = ours.test_accuracy >= TARGET_ACCURACY and ours.seconds <= TARGET_SECONDS
    return {
        "mnist_cnn": {
            "metric": "test_accuracy", "value": ours.test_accuracy, "seconds": ours.seconds,
            "mode": "full", "baseline": "mnist_cnn_kerasio_baseline",
            "time_ratio": baseline.seconds / ours.seconds,
            "target": f"test_accuracy >= {TARGET_ACCURACY} in <= {TARGET_SECONDS:.0f} s",
            "target_reached": reached, "params": ours.model.count_params(),
            "train_size": len(train[0]), "validation_size": len(validation[0]),
            **SETTINGS,
        },
        "mnist_cnn_kerasio_baseline": {
            "metric": "test_accuracy", "value": baseline.test_accuracy,
            "seconds": baseline.seconds, "mode": "full", "epochs": baseline.epochs,
            "batch_size": 128, "params": baseline.model.count_params(),
            "source": "https://keras.io/examples/vision/mnist_convnet/",
        },
    }


BENCHMARKS = [Benchmark(("mnist_cnn", "mnist_cnn_kerasio_baseline"), mnist_cnn_vs_kerasio)]
