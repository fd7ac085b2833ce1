"""cnnrnn.models.mlp: the activation-functions MLP builds as documented and its trainer learns."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from cnnrnn.models import mlp  # noqa: E402


@pytest.mark.parametrize("activation", mlp.ACTIVATIONS)
def test_shape_and_activation(activation):
    model = mlp.activation_mlp(activation, hidden=(16, 8))
    out = model(np.zeros((3, 28, 28, 1), "float32"))
    assert tuple(out.shape) == (3, 10)
    np.testing.assert_allclose(np.sum(np.asarray(out), axis=1), 1.0, rtol=1e-5)  # softmax
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    assert [layer.name for layer in dense] == ["dense_1", "dense_2", "output"]
    assert all(layer.activation is keras.activations.get(activation) for layer in dense[:-1])
    assert dense[-1].activation is keras.activations.softmax


def test_parameter_count():
    model = mlp.activation_mlp("relu", hidden=(256, 256))
    expected = (784 * 256 + 256) + (256 * 256 + 256) + (256 * 10 + 10)
    assert model.count_params() == expected == 269_322


def test_input_shape_and_classes():
    model = mlp.activation_mlp("tanh", hidden=(4,), input_shape=(5,), num_classes=3)
    assert model.count_params() == (5 * 4 + 4) + (4 * 3 + 3)


@pytest.mark.parametrize("bad", ["swish", "Sigmoid", "", None])
def test_unknown_activation_is_a_clear_error(bad):
    with pytest.raises(ValueError, match="activation must be one of"):
        mlp.activation_mlp(bad)


@pytest.mark.parametrize("hidden", [(), (0,), (8, -1), (2.5,)])
def test_bad_widths_are_a_clear_error(hidden):
    with pytest.raises(ValueError, match="hidden must be"):
        mlp.activation_mlp("relu", hidden=hidden)


@pytest.mark.parametrize("activation", ["gelu", "sigmoid"])
def test_trainer_learns_a_separable_problem(activation):
    # class k: a bright bar in row 2 + 2k of an otherwise noisy image; chance is 0.1
    rng = np.random.default_rng(0)
    y = rng.integers(0, 10, 600)
    x = 0.3 * rng.random((600, 28, 28, 1), dtype=np.float32)
    x[np.arange(600), 2 + 2 * y, 4:24, 0] = 1.0
    run = mlp.train_activation_mlp(activation, (x[:500], y[:500]), (x[500:], y[500:]),
                                   hidden=(32,), epochs=5, batch_size=32, learning_rate=3e-3)
    assert run.name == activation and run.epochs == 5 and len(run.history["val_loss"]) == 5
    assert run.test_accuracy >= 0.9, run.test_accuracy
    assert run.seconds > 0


def test_same_seed_same_weights():
    def first_kernel():
        keras.utils.set_random_seed(3)
        return np.asarray(mlp.activation_mlp("sigmoid", hidden=(8,)).layers[1].kernel)

    np.testing.assert_array_equal(first_kernel(), first_kernel())
