"""Activation functions: the chapter's MLP (784-256-256-10) on all of MNIST with each activation.

The same model, data, seed, optimizer and epochs as the notebook's full mode
(``notebooks/01_activations.ipynb``), through :func:`cnnrnn.models.mlp.train_activation_mlp`.
The four rows come from one run so that they can be compared with each other; the runner adds
how they were measured (mode, device, versions, commit, run).
"""

from __future__ import annotations

from benchmarks.runner import Benchmark
from cnnrnn import datasets
from cnnrnn.models import mlp

HIDDEN = (256, 256)
EPOCHS = 10


def run_activation_mlps() -> dict[str, dict]:
    train, test = datasets.mnist_scaled()
    rows = {}
    for activation in mlp.ACTIVATIONS:
        result = mlp.train_activation_mlp(activation, train, test, hidden=HIDDEN, epochs=EPOCHS)
        rows[f"mlp_{activation}"] = {
            "metric": "test_accuracy",
            "value": round(result.test_accuracy, 4),
            "seconds": round(result.seconds, 1),
            "epochs": EPOCHS,
            "model": "MLP " + "-".join(map(str, (784, *HIDDEN, 10))) + f", {activation}",
        }
    return rows


BENCHMARKS = [Benchmark(rows=tuple(f"mlp_{name}" for name in mlp.ACTIVATIONS),
                        run=run_activation_mlps)]
