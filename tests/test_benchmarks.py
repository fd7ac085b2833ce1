"""The benchmark modules are found, their row names are unique, `make bench` refuses fast mode,
and the MNIST CNN benchmark counts multiply-adds and judges its target in K."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from benchmarks.__main__ import discover
from benchmarks.runner import K_ROW

ROOT = Path(__file__).resolve().parent.parent


def test_every_benchmark_module_is_found_with_unique_rows():
    rows = [row for bench in discover() for row in bench.rows]
    assert rows, "no benchmarks found"
    assert len(rows) == len(set(rows)), f"duplicate row names: {rows}"


def test_bench_refuses_fast_mode():
    result = subprocess.run([sys.executable, "-m", "benchmarks"], cwd=ROOT, capture_output=True,
                            text=True, env={"CNNRNN_FAST": "1", "PATH": ""}, timeout=120)
    assert result.returncode != 0 and "full mode" in result.stderr


def test_multiply_adds_count_every_kernel_weight_at_every_position():
    from benchmarks.mnist_cnn import multiply_adds_per_image
    from cnnrnn.models import cnn

    # conv 26*26*3*3*1*32 + conv 11*11*3*3*32*64 + dense 1600*10 (pooling and dropout: none)
    assert multiply_adds_per_image(cnn.kerasio_convnet()) == 194_688 + 2_230_272 + 16_000


@pytest.mark.parametrize("ours_seconds, accuracies, reached", [
    (40.0, (0.996, 0.995, 0.997), True),      # every seed in time and above 0.995
    (60.0, (0.996, 0.996, 0.996), False),     # too slow: 0.6 K
    (40.0, (0.997, 0.994, 0.997), False)])    # the mean is above 0.995, one seed is not
def test_mnist_cnn_target_is_a_ratio_to_the_baseline_for_every_seed(
        monkeypatch, ours_seconds, accuracies, reached):
    """0.995 accuracy within 0.5 K for every seed, K being the keras.io baseline's 100 s."""
    from benchmarks import mnist_cnn as module
    from cnnrnn.models import cnn
    from cnnrnn.training import TrainResult

    digits = (np.zeros((4, 28, 28, 1), "float32"), np.zeros(4, "int64"))
    by_seed = dict(zip(module.SEEDS, accuracies))
    monkeypatch.setattr(module.datasets, "mnist_scaled", lambda: (digits, digits))
    monkeypatch.setattr(module.datasets, "split_validation", lambda x, y: ((x, y), (x, y)))
    monkeypatch.setattr(module.cnn, "train_mnist_cnn", lambda *a, seed, **k: TrainResult(
        cnn.mnist_cnn(), {}, {"accuracy": by_seed[seed]}, ours_seconds, 3))
    monkeypatch.setattr(module.cnn, "train_kerasio_baseline", lambda *a, **k: TrainResult(
        cnn.kerasio_convnet(), {}, {"accuracy": 0.99}, 100.0, 15))
    rows = module.mnist_cnn_vs_kerasio()
    ours = rows["mnist_cnn"]
    assert ours["target_reached"] is reached
    assert ours["target"].startswith("test_accuracy >= 0.995 with seconds <= 0.5 K")
    assert ours["value"] == pytest.approx(np.mean(accuracies))
    assert (ours["value_min"], ours["value_max"]) == (min(accuracies), max(accuracies))
    assert ours["test_accuracy_per_seed"] == list(accuracies)
    assert ours["seconds_in_K_per_seed"] == [ours_seconds / 100.0] * len(module.SEEDS)
    assert ours["multiply_adds_ratio"] == pytest.approx(
        ours["multiply_adds_per_image"] / rows[K_ROW]["multiply_adds_per_image"])
    assert ours["training_work_ratio"] > 0
