"""Unit tests for cnnrnn.cnn: model shapes and sizes, the one-cycle schedule, the tf.data pipeline,
saving and loading, and resuming an interrupted fit with BackupAndRestore. No long training."""

import math

import numpy as np
import pytest

keras = pytest.importorskip("keras")
from cnnrnn import cnn  # noqa: E402


def test_mnist_cnn_shapes_and_weights():
    model = cnn.mnist_cnn(width=16)
    assert model.output_shape == (None, 10)
    assert model.count_params() == 136_282
    trainable = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    assert trainable == 135_674  # the batch-norm means and variances are not trained
    sizes = [model.get_layer(f"relu_{i}").output.shape[1] for i in range(1, 6)]
    assert sizes == [26, 24, 10, 8, 2]
    probabilities = model(np.zeros((2, 28, 28, 1), "float32"), training=False)
    np.testing.assert_allclose(np.sum(probabilities, axis=1), 1.0, rtol=1e-5)


def test_mnist_cnn_width_scales_filters():
    model = cnn.mnist_cnn(width=8)
    assert [model.get_layer(f"conv_{i}").filters for i in range(1, 6)] == [8, 16, 32, 32, 64]
    assert model.count_params() < cnn.mnist_cnn(width=16).count_params()


def test_kerasio_convnet_matches_the_published_summary():
    model = cnn.kerasio_convnet()
    assert model.count_params() == 34_826  # "Total params: 34,826" on keras.io
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == ["Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D", "Flatten", "Dropout",
                     "Dense"]
    assert model.output_shape == (None, 10)


def schedule_values(schedule, steps):
    return np.array([float(schedule(step)) for step in steps])


def test_one_cycle_start_peak_and_end():
    schedule = cnn.OneCycle(peak=0.01, total_steps=1000, warmup_fraction=0.2, start_divisor=25,
                            final_fraction=1e-3)
    start, peak, middle, end, after = schedule_values(schedule, [0, 200, 600, 1000, 5000])
    assert start == pytest.approx(0.01 / 25)
    assert peak == pytest.approx(0.01)
    assert middle == pytest.approx((0.01 + 1e-5) / 2, rel=1e-5)  # half-way down the cosine
    assert end == pytest.approx(1e-5)
    assert after == pytest.approx(1e-5)  # stays at the floor after the last step


def test_one_cycle_rises_then_falls():
    schedule = cnn.OneCycle(peak=3e-3, total_steps=300)
    values = schedule_values(schedule, range(301))
    top = int(np.argmax(values))
    assert top == 60
    assert np.all(np.diff(values[: top + 1]) > 0)
    assert np.all(np.diff(values[top:]) <= 0)


def test_one_cycle_rejects_bad_arguments():
    with pytest.raises(ValueError, match="total_steps"):
        cnn.OneCycle(1e-3, 0)
    with pytest.raises(ValueError, match="warmup_fraction"):
        cnn.OneCycle(1e-3, 10, warmup_fraction=1.0)


def test_one_cycle_config_round_trip():
    schedule = cnn.OneCycle(peak=2e-3, total_steps=123, warmup_fraction=0.3, start_divisor=10,
                            final_fraction=0.01)
    copy = cnn.OneCycle.from_config(schedule.get_config())
    assert copy.get_config() == schedule.get_config()
    restored = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(schedule))
    assert isinstance(restored, cnn.OneCycle)
    steps = [0, 10, 37, 100, 123]
    np.testing.assert_allclose(schedule_values(restored, steps), schedule_values(schedule, steps))


def test_pipeline_batches_and_order():
    x = np.arange(10 * 28 * 28, dtype="float32").reshape(10, 28, 28, 1)
    y = np.arange(10)
    batches = list(cnn.mnist_pipeline(x, y, 4, training=False))
    assert [tuple(b[0].shape) for b in batches] == [(4, 28, 28, 1), (4, 28, 28, 1), (2, 28, 28, 1)]
    np.testing.assert_array_equal(np.concatenate([b[1] for b in batches]), y)  # order kept
    first, second = ([int(v) for b in cnn.mnist_pipeline(x, y, 4, training=True) for v in b[1]]
                     for _ in range(2))
    assert sorted(first) == list(range(10))  # every digit once per epoch
    assert first != list(range(10))  # shuffled


def tiny_problem(samples=64):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(samples, 8)).astype("float32")
    y = (x[:, 0] > 0).astype("int64")
    return x, y


def tiny_model(total_steps):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(4, activation="relu"),
                              keras.layers.Dense(2, activation="softmax")])
    return cnn.compile_mnist_cnn(model, peak_lr=1e-2, total_steps=total_steps)


def test_save_and_load_keeps_predictions_and_schedule(tmp_path):
    x, y = tiny_problem()
    model = tiny_model(total_steps=8)
    model.fit(x, y, batch_size=16, epochs=2, verbose=0)
    path = tmp_path / "tiny.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-6)
    schedule = loaded.optimizer.get_config()["learning_rate"]
    assert schedule["registered_name"] == "cnnrnn>OneCycle"
    assert schedule["config"] == model.optimizer.get_config()["learning_rate"]["config"]


class Interrupt(keras.callbacks.Callback):
    """Raise at the start of epoch ``epoch`` (0-based), as a crash or a lost machine would."""

    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.epoch:
            raise RuntimeError(f"interrupted before epoch {epoch + 1}")


def test_backup_and_restore_resumes_where_training_stopped(tmp_path):
    x, y = tiny_problem()
    epochs, stop = 5, 2
    steps = epochs * math.ceil(len(x) / 16)
    backup = keras.callbacks.BackupAndRestore(backup_dir=str(tmp_path / "backup"))
    model = tiny_model(steps)
    with pytest.raises(RuntimeError, match="interrupted"):
        model.fit(x, y, batch_size=16, epochs=epochs, verbose=0,
                  callbacks=[backup, Interrupt(stop)])
    assert (tmp_path / "backup").is_dir()
    done = int(model.optimizer.iterations)
    assert done == stop * math.ceil(len(x) / 16)

    fresh = tiny_model(steps)  # a new process would build and compile the model again
    history = fresh.fit(x, y, batch_size=16, epochs=epochs, verbose=0, callbacks=[backup])
    assert len(history.history["loss"]) == epochs - stop  # only the remaining epochs ran
    assert history.epoch == list(range(stop, epochs))
    assert int(fresh.optimizer.iterations) == steps  # the optimizer state came back too
    assert not (tmp_path / "backup").exists()  # a finished run deletes its backup


def test_split_validation_takes_the_last_examples():
    x, y = np.arange(20).reshape(10, 2), np.arange(10)
    (x_train, y_train), (x_val, y_val) = cnn.split_validation(x, y, size=3)
    np.testing.assert_array_equal(y_train, np.arange(7))
    np.testing.assert_array_equal(y_val, [7, 8, 9])
    assert x_train.shape == (7, 2) and x_val.shape == (3, 2)
    with pytest.raises(ValueError, match="validation size"):
        cnn.split_validation(x, y, size=10)


def test_batch_norm_momentum_is_set():
    model = cnn.mnist_cnn(width=8)
    assert {model.get_layer(f"bn_{i}").momentum for i in (1, 2, 3)} == {0.9}


def random_digits(count, seed=0):
    rng = np.random.default_rng(seed)
    return rng.random((count, 28, 28, 1), dtype="float32"), rng.integers(0, 10, count)


def test_train_functions_run_and_report():
    train, test = random_digits(256), random_digits(100, seed=1)
    run = cnn.train_mnist_cnn(train, test, validation=random_digits(50, 2), width=4, epochs=2)
    assert run.epochs == 2 and len(run.history["val_accuracy"]) == 2
    assert 0.0 <= run.test_accuracy <= 1.0 and run.seconds > 0
    assert int(run.model.optimizer.iterations) == 2 * 2  # two batches of 128 per epoch
    baseline = cnn.train_kerasio_baseline(train, test, epochs=1)
    assert baseline.epochs == 1 and baseline.model.count_params() == 34_826
    assert len(baseline.history["val_loss"]) == 1  # validation_split=0.1 as on keras.io
