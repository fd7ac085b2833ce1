"""cnnrnn.training.fit_and_evaluate: it learns, times fit, and reads arrays and datasets alike."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")
from cnnrnn.training import TrainResult, fit_and_evaluate  # noqa: E402


def separable(count, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(count, 8)).astype("float32")
    return x, (x[:, 0] + x[:, 1] > 0).astype("int64")


def classifier():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"),
                              keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def test_learns_from_arrays():
    result = fit_and_evaluate(classifier(), separable(512), separable(256, seed=1), epochs=10,
                              batch_size=32, validation_split=0.1, name="tiny")
    assert isinstance(result, TrainResult) and result.name == "tiny" and result.epochs == 10
    assert len(result.history["val_loss"]) == 10
    assert result.test_accuracy >= 0.9, result.test_accuracy  # chance is 0.5
    assert result.test_metrics["loss"] < result.history["loss"][0]
    assert result.seconds > 0


def test_learns_from_datasets():
    import tensorflow as tf

    train = tf.data.Dataset.from_tensor_slices(separable(512)).batch(32)
    test = tf.data.Dataset.from_tensor_slices(separable(256, seed=1)).batch(64)
    result = fit_and_evaluate(classifier(), train, test, epochs=10, validation=test)
    assert result.test_accuracy >= 0.9, result.test_accuracy
    assert len(result.history["val_accuracy"]) == 10


def test_validation_split_needs_arrays():
    import tensorflow as tf

    train = tf.data.Dataset.from_tensor_slices(separable(64)).batch(32)
    with pytest.raises(ValueError, match="validation_split needs array"):
        fit_and_evaluate(classifier(), train, train, epochs=1, validation_split=0.1)


def test_accuracy_missing_is_a_clear_error():
    result = TrainResult(model=None, history={}, test_metrics={"loss": 1.0}, seconds=1.0, epochs=1)
    with pytest.raises(KeyError, match="no accuracy"):
        result.test_accuracy
