"""cnnrnn.models.deep: the regularized MLP and the plain/residual deep stacks build as documented."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from cnnrnn.models import deep  # noqa: E402


def test_regularized_mlp_shapes_and_parameters():
    model = deep.regularized_mlp((16, 8))
    out = model(np.zeros((3, 28, 28, 1), "float32"))
    assert tuple(out.shape) == (3, 10)
    np.testing.assert_allclose(np.sum(np.asarray(out), axis=1), 1.0, rtol=1e-5)  # softmax
    expected = (784 * 16 + 16) + (16 * 8 + 8) + (8 * 10 + 10)
    assert model.count_params() == expected
    # Dropout and an L2 penalty add no weights.
    assert deep.regularized_mlp((16, 8), dropout=0.5, l2=1e-3).count_params() == expected


def test_dropout_layers_follow_each_hidden_layer():
    names = [layer.name for layer in deep.regularized_mlp((8, 8), dropout=0.3).layers]
    assert names == ["flatten", "dense_1", "dropout_1", "dense_2", "dropout_2", "output"]
    assert not any(isinstance(layer, keras.layers.Dropout)
                   for layer in deep.regularized_mlp((8, 8)).layers)


def test_dropout_is_off_at_inference_and_on_in_training():
    keras.utils.set_random_seed(0)
    model = deep.regularized_mlp((64,), dropout=0.5)
    x = np.random.default_rng(0).random((4, 28, 28, 1)).astype("float32")
    a, b = np.asarray(model(x)), np.asarray(model(x))
    np.testing.assert_array_equal(a, b)                    # inference: deterministic
    assert not np.allclose(np.asarray(model(x, training=True)), a)


def test_train_regularized_l2_adds_half_lambda_times_squared_kernels():
    # decay_kind="l2": Keras' L2(weight_decay / 2) adds weight_decay / 2 * sum(kernel ** 2),
    # whose gradient is weight_decay * kernel (biases excluded).
    rng = np.random.default_rng(0)
    x, y = rng.random((8, 3)).astype("float32"), rng.integers(0, 2, 8)
    run = deep.train_regularized((x, y), (x, y), hidden=(4,), weight_decay=0.4, decay_kind="l2",
                                 epochs=1, batch_size=8)
    kernels = [layer.kernel for layer in run.model.layers if isinstance(layer, keras.layers.Dense)]
    expected = 0.2 * sum(float(np.sum(np.asarray(k) ** 2)) for k in kernels)
    assert float(sum(run.model.losses)) == pytest.approx(expected, rel=1e-5)
    assert type(run.model.optimizer) is keras.optimizers.Adam


def test_train_regularized_decoupled_adds_no_loss():
    rng = np.random.default_rng(0)
    x, y = rng.random((8, 3)).astype("float32"), rng.integers(0, 2, 8)
    run = deep.train_regularized((x, y), (x, y), hidden=(4,), weight_decay=0.4,
                                 decay_kind="decoupled", epochs=1, batch_size=8)
    assert len(run.model.losses) == 0
    assert isinstance(run.model.optimizer, keras.optimizers.AdamW)


def test_no_decay_kind_with_a_decay_is_rejected():
    with pytest.raises(ValueError, match="none"):
        deep.classifier_optimizer(1e-3, 0.5, "none")


def test_l2_penalty_is_added_to_the_loss():
    model = deep.regularized_mlp((4,), l2=0.1, input_shape=(3,), num_classes=2)
    model(np.zeros((1, 3), "float32"))
    kernels = [layer.kernel for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    expected = 0.1 * sum(float(np.sum(np.asarray(k) ** 2)) for k in kernels)
    assert float(sum(model.losses)) == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize("kwargs, match", [({"dropout": 1.0}, "dropout"), ({"l2": -1}, "l2"),
                                           ({"hidden": ()}, "hidden")])
def test_regularized_mlp_rejects_bad_settings(kwargs, match):
    with pytest.raises(ValueError, match=match):
        deep.regularized_mlp(**kwargs)


def test_optimizers():
    adamw = deep.classifier_optimizer(1e-3, 0.5, "decoupled")
    assert isinstance(adamw, keras.optimizers.AdamW) and adamw.weight_decay == 0.5
    assert type(deep.classifier_optimizer(1e-3, 0.5, "l2")) is keras.optimizers.Adam
    assert type(deep.classifier_optimizer(1e-3, 0.0, "none")) is keras.optimizers.Adam
    assert type(deep.classifier_optimizer(1e-3, 0.0, "decoupled")) is keras.optimizers.Adam
    with pytest.raises(ValueError, match="kind"):
        deep.classifier_optimizer(1e-3, 0.1, "L2")


def test_decoupled_decay_skips_biases():
    optimizer = deep.classifier_optimizer(0.1, 1.0, "decoupled")
    kernel = keras.Variable(np.ones((2, 2), "float32"), name="kernel")
    bias = keras.Variable(np.ones((2,), "float32"), name="bias")
    optimizer.apply_gradients([(np.zeros((2, 2), "float32"), kernel),
                               (np.zeros((2,), "float32"), bias)])
    np.testing.assert_allclose(np.asarray(kernel), 0.9, rtol=1e-6)  # shrunk by lr * decay
    np.testing.assert_allclose(np.asarray(bias), 1.0)


@pytest.mark.parametrize("residual", [False, True])
def test_deep_stack_shapes(residual):
    model = deep.deep_stack(3, 8, residual=residual)
    out = model(np.zeros((2, 28, 28, 1), "float32"))
    assert tuple(out.shape) == (2, 10)
    dense = [layer.name for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    assert dense == ["stem", "block_1", "block_2", "block_3", "output"]
    assert [l.name for l in model.layers if isinstance(l, keras.layers.BatchNormalization)] == \
        ["bn_1", "bn_2", "bn_3"]
    skips = [layer for layer in model.layers if isinstance(layer, keras.layers.Add)]
    assert len(skips) == (3 if residual else 0)


def test_skips_add_no_parameters():
    plain, residual = deep.deep_stack(5, 16), deep.deep_stack(5, 16, residual=True)
    # stem, 5 x (kernel + bias + 4 batch-normalization numbers per unit), output
    expected = (784 * 16 + 16) + 5 * (16 * 16 + 16 + 4 * 16) + (16 * 10 + 10)
    assert plain.count_params() == residual.count_params() == expected


def test_a_skip_adds_the_input():
    keras.utils.set_random_seed(1)
    model = deep.deep_stack(2, 6, residual=True, input_shape=(4,), num_classes=3)
    x = np.random.default_rng(1).normal(size=(5, 4)).astype("float32")
    before = keras.Model(model.input, model.get_layer("stem").output)(x)
    branch = keras.Model(model.input, model.get_layer("block_1").output)(x)
    after = keras.Model(model.input, model.get_layer("skip_1").output)(x)
    np.testing.assert_allclose(np.asarray(after), np.asarray(before) + np.asarray(branch),
                               rtol=1e-6)
    # In the plain stack, the same layer's output goes on unchanged.
    plain = deep.deep_stack(2, 6, input_shape=(4,), num_classes=3)
    plain.set_weights(model.get_weights())
    h = keras.Model(plain.input, plain.get_layer("block_1").output)(x)
    np.testing.assert_allclose(np.asarray(h), np.asarray(branch), rtol=1e-6)
    out_plain, out_residual = np.asarray(plain(x)), np.asarray(model(x))
    assert not np.allclose(out_plain, out_residual)   # same weights, different function


@pytest.mark.parametrize("bad", [0, -1, 2.5])
def test_deep_stack_rejects_bad_depth(bad):
    with pytest.raises(ValueError, match="depth"):
        deep.deep_stack(bad)


def test_blocks_are_pre_activation_and_can_subtract():
    keras.utils.set_random_seed(0)
    model = deep.deep_stack(2, 8, residual=True, input_shape=(4,), num_classes=3)
    names = [layer.name for layer in model.layers]
    assert names.index("bn_1") < names.index("relu_1") < names.index("block_1") < names.index("skip_1")
    assert isinstance(model.get_layer("block_1").kernel_initializer, keras.initializers.HeNormal)
    x = np.random.default_rng(0).normal(size=(64, 4)).astype("float32")
    branch = np.asarray(keras.Model(model.input, model.get_layer("block_1").output)(x))
    assert (branch < 0).any() and (branch > 0).any()   # the branch can lower h, not only raise it


def test_kernel_gradient_norms_one_per_dense_layer():
    keras.utils.set_random_seed(0)
    model = deep.deep_stack(4, 8, residual=True)
    rng = np.random.default_rng(0)
    x = rng.random((16, 28, 28, 1)).astype("float32")
    y = rng.integers(0, 10, 16)
    norms = deep.kernel_gradient_norms(model, x, y)
    assert norms.shape == (6,) and np.all(norms > 0) and np.all(np.isfinite(norms))


def test_train_regularized_reports_the_gap():
    # class k: a bright bar in row 2 + 2k of an otherwise noisy image; chance is 0.1
    rng = np.random.default_rng(0)
    y = rng.integers(0, 10, 400)
    x = 0.3 * rng.random((400, 28, 28, 1), dtype=np.float32)
    x[np.arange(400), 2 + 2 * y, 4:24, 0] = 1.0
    run = deep.train_regularized((x[:300], y[:300]), (x[300:], y[300:]), hidden=(32,),
                                 dropout=0.2, weight_decay=0.1, epochs=4, batch_size=32,
                                 learning_rate=3e-3)
    assert run.test_accuracy >= 0.9, run.test_accuracy
    assert run.extra["gap"] == pytest.approx(run.extra["train_accuracy"] - run.test_accuracy)
    assert len(run.history["loss"]) == 4


def test_train_deep_stack_reports_training_scores():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 10, 200)
    x = 0.3 * rng.random((200, 28, 28, 1), dtype=np.float32)
    x[np.arange(200), 2 + 2 * y, 4:24, 0] = 1.0
    run = deep.train_deep_stack(2, (x[:150], y[:150]), (x[150:], y[150:]), residual=True,
                                width=16, epochs=2, batch_size=32)
    assert set(run.extra) == {"train_accuracy", "train_loss"}
    assert run.model.name == "residual_2x16" and len(run.history["loss"]) == 2
