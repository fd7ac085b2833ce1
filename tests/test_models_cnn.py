"""cnnrnn.models.cnn: model shapes and sizes, saving and loading, resuming an interrupted fit with
BackupAndRestore, and trainers that really learn (on small synthetic problems, in seconds)."""

import math

import numpy as np
import pytest

keras = pytest.importorskip("keras")
from cnnrnn import datasets  # noqa: E402
from cnnrnn.models import cnn  # noqa: E402
from cnnrnn.models.cnn import small_cnn  # noqa: E402


def test_mnist_cnn_shapes_and_weights():
    model = cnn.mnist_cnn(width=12)
    assert model.output_shape == (None, 10)
    assert model.count_params() == 77_050
    trainable = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    assert trainable == 76_666  # the batch-norm means and variances are not trained
    sizes = [model.get_layer(f"relu_{i}").output.shape[1] for i in range(1, 6)]
    assert sizes == [26, 24, 10, 8, 2]
    probabilities = model(np.zeros((2, 28, 28, 1), "float32"), training=False)
    np.testing.assert_allclose(np.sum(probabilities, axis=1), 1.0, rtol=1e-5)


@pytest.mark.parametrize("normalize_from, normalized", [(3, [3, 4, 5]), (1, [1, 2, 3, 4, 5])])
def test_mnist_cnn_normalizes_from_the_given_convolution(normalize_from, normalized):
    model = cnn.mnist_cnn(width=8, normalize_from=normalize_from)
    names = {layer.name for layer in model.layers}
    assert [i for i in range(1, 6) if f"bn_{i}" in names] == normalized
    # A normalized convolution has no bias (the normalization's shift replaces it).
    assert [model.get_layer(f"conv_{i}").use_bias for i in range(1, 6)] == [
        i not in normalized for i in range(1, 6)]


def test_mnist_cnn_with_every_convolution_normalized_is_the_earlier_model():
    assert cnn.mnist_cnn(width=16, normalize_from=1).count_params() == 136_282


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
    assert schedule["class_name"] == "CosineDecay"  # Keras' own: loads without cnnrnn
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
    done = int(model.optimizer.iterations.numpy())
    assert done == stop * math.ceil(len(x) / 16)

    fresh = tiny_model(steps)  # a new process would build and compile the model again
    history = fresh.fit(x, y, batch_size=16, epochs=epochs, verbose=0, callbacks=[backup])
    assert len(history.history["loss"]) == epochs - stop  # only the remaining epochs ran
    assert history.epoch == list(range(stop, epochs))
    assert int(fresh.optimizer.iterations.numpy()) == steps  # the optimizer state came back too
    assert not (tmp_path / "backup").exists()  # a finished run deletes its backup


def test_batch_norm_momentum_is_set():
    model = cnn.mnist_cnn(width=8)
    assert {model.get_layer(f"bn_{i}").momentum for i in (3, 4, 5)} == {0.9}


def stripes(count, seed=0):
    """A separable 'digit' problem: class k is a bright horizontal bar at row 2 + 2k, plus noise."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, count)
    images = 0.3 * rng.random((count, 28, 28, 1), dtype="float32")
    for index, label in enumerate(labels):
        images[index, 2 + 2 * label, 4:24, 0] = 1.0
    return images, labels


def test_train_mnist_cnn_learns_a_separable_problem():
    run = cnn.train_mnist_cnn(stripes(1024), stripes(300, seed=1), validation=stripes(100, 2),
                              width=4, epochs=3, batch_size=32, peak_lr=3e-3)
    assert run.epochs == 3 and len(run.history["val_accuracy"]) == 3
    assert int(run.model.optimizer.iterations.numpy()) == 3 * 32  # 32 batches of 32 per epoch
    assert run.test_accuracy >= 0.9, run.test_accuracy  # chance is 0.1
    assert run.seconds > 0


def test_train_kerasio_baseline_learns_a_separable_problem():
    run = cnn.train_kerasio_baseline(stripes(1024), stripes(300, seed=1), epochs=3)
    assert run.model.count_params() == 34_826
    assert len(run.history["val_loss"]) == 3  # validation_split=0.1 as on keras.io
    assert run.test_accuracy >= 0.9, run.test_accuracy


def test_small_cnn_shapes_and_options():
    pooled = small_cnn((4, 8), pooling="max")
    assert pooled.output_shape == (None, 10)
    assert pooled.get_layer("conv2").output.shape[1:] == (14, 14, 8)
    assert pooled.get_layer("flatten").output.shape[-1] == 7 * 7 * 8
    flat = small_cnn((4, 8), pooling="none")
    assert flat.get_layer("flatten").output.shape[-1] == 28 * 28 * 8
    gap = small_cnn((4, 8), head="gap", augment_shift=3)
    assert gap.get_layer("gap").output.shape[-1] == 8
    assert isinstance(gap.get_layer("shift"), keras.layers.RandomTranslation)
    x = np.random.default_rng(0).random((2, 28, 28, 1)).astype("float32")
    np.testing.assert_allclose(gap.predict(x, verbose=0).sum(axis=1), 1.0, rtol=1e-5)
    # the random shift moves the digits in training only: at inference it is the identity
    shift = gap.get_layer("shift")
    np.testing.assert_array_equal(shift(x, training=False), x)
    assert not np.array_equal(np.asarray(shift(x, training=True)), x)
    with pytest.raises(ValueError, match="pooling"):
        small_cnn(pooling="min")
    with pytest.raises(ValueError, match="head"):
        small_cnn(head="mean")


def test_small_cnn_with_batch_norm():
    plain = small_cnn((16, 32))
    normed = small_cnn((16, 32), batch_norm=True, bn_momentum=0.8)
    kinds = [type(layer).__name__ for layer in normed.layers]
    assert kinds[:3] == ["Conv2D", "BatchNormalization", "Activation"]
    assert normed.get_layer("bn1").momentum == 0.8 and not normed.get_layer("conv1").use_bias
    # no conv biases (16 + 32), plus gamma, beta, mean and variance per channel
    assert normed.count_params() == plain.count_params() - 48 + 4 * 48


def test_smoothed_loss_matches_the_formula_and_the_plain_loss_at_zero():
    probabilities = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]], "float32")
    labels = np.array([0, 1])
    smoothing = 0.3
    # Targets: 1 - e + e/K for the true class, e/K for the others.
    targets = np.full((2, 3), smoothing / 3) + np.eye(3)[labels] * (1 - smoothing)
    by_hand = -(targets * np.log(probabilities)).sum(axis=1).mean()
    loss = cnn.SmoothedSparseCrossentropy(smoothing)
    assert float(loss(labels, probabilities)) == pytest.approx(by_hand, rel=1e-5)
    plain = keras.losses.SparseCategoricalCrossentropy()(labels, probabilities)
    assert float(cnn.SmoothedSparseCrossentropy(0.0)(labels, probabilities)) == pytest.approx(
        float(plain), rel=1e-5)


def test_a_model_compiled_with_the_smoothed_loss_saves_and_loads(tmp_path):
    model = cnn.compile_mnist_cnn(cnn.mnist_cnn(width=4), peak_lr=1e-3, total_steps=10)
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    assert isinstance(loaded.loss, cnn.SmoothedSparseCrossentropy)
    assert loaded.loss.label_smoothing == cnn.DEFAULT_LABEL_SMOOTHING
