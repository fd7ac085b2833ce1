"""cnnrnn.mlp: the activation-functions MLP builds as documented and trains one tiny step."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from cnnrnn import mlp  # noqa: E402


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


def test_train_one_tiny_step():
    rng = np.random.default_rng(0)
    x = rng.random((32, 28, 28, 1), dtype=np.float32)
    y = rng.integers(0, 10, 32)
    run = mlp.train_activation_mlp("gelu", (x, y), (x[:8], y[:8]), hidden=(8,), epochs=1,
                                   batch_size=32, validation_split=0.0)
    assert run.activation == "gelu" and run.epochs == 1
    assert len(run.history["loss"]) == 1 and np.isfinite(run.history["loss"][0])
    assert 0.0 <= run.test_accuracy <= 1.0
    assert run.seconds > 0


def test_same_seed_same_weights():
    def first_kernel():
        keras.utils.set_random_seed(3)
        return np.asarray(mlp.activation_mlp("sigmoid", hidden=(8,)).layers[1].kernel)

    np.testing.assert_array_equal(first_kernel(), first_kernel())
