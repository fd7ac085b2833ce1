"""cnnrnn.models.recurrent: the NumPy steps equal the Keras layers, the parameter formulas equal
Keras' counts, and the input gradient is measured per step."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from cnnrnn.models import recurrent as rec  # noqa: E402


def _randomize(layer, rng, scale=0.5):
    """Give every weight of a built layer random values (biases included, so they are tested)."""
    layer.set_weights([rng.normal(scale=scale, size=w.shape).astype("float32")
                       for w in layer.get_weights()])


def _x(rng, batch=3, time=6, features=4):
    return rng.normal(size=(batch, time, features)).astype("float32")


@pytest.mark.parametrize("return_sequences", [False, True])
def test_simple_rnn_matches_keras(return_sequences):
    rng = np.random.default_rng(0)
    x = _x(rng)
    layer = keras.layers.SimpleRNN(5, return_sequences=return_sequences)
    layer(x)
    _randomize(layer, rng)
    expected = np.asarray(layer(x))
    got = rec.simple_rnn_sequence(x, layer.get_weights(), return_sequences=return_sequences)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


def test_simple_rnn_step_on_one_sequence_and_initial_state():
    rng = np.random.default_rng(1)
    x = _x(rng, batch=1)
    layer = keras.layers.SimpleRNN(3)
    layer(x)
    _randomize(layer, rng)
    h0 = rng.normal(size=(1, 3)).astype("float32")
    expected = np.asarray(layer(x, initial_state=[h0]))[0]
    np.testing.assert_allclose(rec.simple_rnn_sequence(x[0], layer.get_weights(), h0[0]),
                               expected, rtol=1e-5, atol=1e-5)
    kernel, recurrent_kernel, bias = layer.get_weights()
    h1 = rec.simple_rnn_step(x[0, 0], h0[0], kernel, recurrent_kernel, bias)
    np.testing.assert_allclose(h1, np.tanh(recurrent_kernel.T @ h0[0] + kernel.T @ x[0, 0] + bias),
                               rtol=1e-6)


def test_lstm_matches_keras_with_states():
    rng = np.random.default_rng(2)
    x = _x(rng, time=8)
    layer = keras.layers.LSTM(4, return_sequences=True, return_state=True)
    layer(x)
    _randomize(layer, rng)
    seq, h, c = (np.asarray(a) for a in layer(x))
    got_seq, got_h, got_c = rec.lstm_sequence(x, layer.get_weights(), return_sequences=True,
                                              return_state=True)
    for a, b in ((got_seq, seq), (got_h, h), (got_c, c)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("reset_after", [True, False])
def test_gru_matches_keras(reset_after):
    rng = np.random.default_rng(3)
    x = _x(rng, time=7)
    layer = keras.layers.GRU(4, reset_after=reset_after)
    layer(x)
    _randomize(layer, rng)
    expected = np.asarray(layer(x))
    got = rec.gru_sequence(x, layer.get_weights(), reset_after=reset_after)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


def test_gru_rejects_the_wrong_bias_layout():
    rng = np.random.default_rng(4)
    layer = keras.layers.GRU(2, reset_after=True)
    layer(_x(rng))
    with pytest.raises(ValueError, match="reset_after=False"):
        rec.gru_sequence(_x(rng), layer.get_weights(), reset_after=False)


def test_shape_errors_are_clear():
    rng = np.random.default_rng(5)
    layer = keras.layers.SimpleRNN(3)
    layer(_x(rng))
    with pytest.raises(ValueError, match="features"):
        rec.simple_rnn_sequence(_x(rng, features=5), layer.get_weights())
    with pytest.raises(ValueError, match="no time steps"):
        rec.simple_rnn_sequence(np.zeros((2, 0, 4)), layer.get_weights())
    with pytest.raises(ValueError, match="LSTM kernel"):
        rec.lstm_sequence(_x(rng), layer.get_weights())   # SimpleRNN weights are not LSTM weights
    kernel, recurrent_kernel, bias = layer.get_weights()
    with pytest.raises(ValueError, match="recurrent kernel"):
        rec.simple_rnn_sequence(_x(rng), [kernel, recurrent_kernel[:2], bias])
    with pytest.raises(ValueError, match="kernel, recurrent_kernel, bias"):
        rec.simple_rnn_sequence(_x(rng), layer.get_weights()[:2])


@pytest.mark.parametrize("units, features", [(1, 1), (7, 3), (32, 10)])
def test_parameter_formulas_match_keras(units, features):
    n, m = units, features
    cases = {
        ("simple_rnn", True): (keras.layers.SimpleRNN(n), n * m + n * n + n),
        ("lstm", True): (keras.layers.LSTM(n), 4 * (n * m + n * n + n)),
        ("gru", True): (keras.layers.GRU(n), 3 * (n * m + n * n + 2 * n)),
        ("gru", False): (keras.layers.GRU(n, reset_after=False), 3 * (n * m + n * n + n)),
    }
    for (kind, reset_after), (layer, formula) in cases.items():
        model = keras.Sequential([keras.Input((None, m)), layer])
        assert rec.recurrent_params(kind, n, m, reset_after=reset_after) == formula
        assert model.count_params() == formula, kind


@pytest.mark.parametrize("kind, layer", [("simple_rnn", keras.layers.SimpleRNN),
                                         ("lstm", keras.layers.LSTM), ("gru", keras.layers.GRU)])
@pytest.mark.parametrize("bidirectional", [False, True])
def test_stack_params_match_keras(kind, layer, bidirectional):
    widths, m = (6, 4, 3), 5
    layers = [keras.Input((None, m))]
    for index, width in enumerate(widths):
        cell = layer(width, return_sequences=index < len(widths) - 1)
        layers.append(keras.layers.Bidirectional(cell) if bidirectional else cell)
    model = keras.Sequential(layers)
    assert rec.stack_params(kind, widths, m, bidirectional=bidirectional) == model.count_params()


def test_parameters_do_not_depend_on_sequence_length():
    counts = {t: keras.Sequential([keras.Input((t, 3)), keras.layers.LSTM(8)]).count_params()
              for t in (10, 100, 1000)}
    assert len(set(counts.values())) == 1
    assert counts[10] == rec.recurrent_params("lstm", 8, 3)


@pytest.mark.parametrize("args, match", [(("rnn", 3, 2), "kind"), (("lstm", 0, 2), "units"),
                                         (("gru", 3, 2.5), "input_dim")])
def test_recurrent_params_rejects_bad_arguments(args, match):
    with pytest.raises(ValueError, match=match):
        rec.recurrent_params(*args)


def test_input_gradient_norms_per_step():
    rng = np.random.default_rng(6)
    x = _x(rng, batch=4, time=5, features=3)
    y = np.array([0, 1, 1, 0])
    rnn = keras.layers.SimpleRNN(6)
    model = keras.Sequential([keras.Input((5, 3)), rnn, keras.layers.Dense(2, activation="softmax")])
    norms = rec.input_gradient_norms(model, x, y)
    assert norms.shape == (5,) and (norms > 0).all()
    # By hand for one sequence: its own loss, its own gradient norm at each step.
    import tensorflow as tf
    xt = tf.constant(x[:1])
    with tf.GradientTape() as tape:
        tape.watch(xt)
        loss = keras.losses.sparse_categorical_crossentropy(y[:1], model(xt))[0]
    one = np.linalg.norm(np.asarray(tape.gradient(loss, xt))[0], axis=-1)
    per_sequence = [rec.input_gradient_norms(model, x[i:i + 1], y[i:i + 1]) for i in range(4)]
    np.testing.assert_allclose(per_sequence[0], one, rtol=1e-5)
    np.testing.assert_allclose(np.mean(per_sequence, axis=0), norms, rtol=1e-5)
    # Without a recurrent kernel the output sees only the last input: no gradient before it.
    kernel, recurrent_kernel, bias = rnn.get_weights()
    rnn.set_weights([kernel, np.zeros_like(recurrent_kernel), bias])
    norms = rec.input_gradient_norms(model, x, y)
    assert norms[-1] > 0 and np.all(norms[:-1] == 0)


@pytest.mark.parametrize("reset_after", [True, False])
def test_open_gates_sets_the_memory_gate_of_a_gru(reset_after):
    keras.utils.set_random_seed(0)
    layer = keras.layers.GRU(3, reset_after=reset_after)
    layer.build((None, None, 2))
    kernel_before = layer.get_weights()[0]
    rec.open_gates(layer, 4.0)
    kernel, recurrent_kernel, bias = layer.get_weights()
    np.testing.assert_array_equal(kernel, kernel_before)    # only the biases change
    total = bias.sum(axis=0) if reset_after else bias       # the two rows add up in z
    np.testing.assert_allclose(total[:3], 4.0)
    np.testing.assert_allclose(total[3:], 0.0)
    # With a zero input and a zero recurrent kernel, z = sigmoid(4) = 0.982 and the candidate is
    # tanh(0) = 0 (its biases are 0): one step keeps exactly that fraction of the state, whatever
    # the random kernels are.
    weights = [kernel, np.zeros_like(recurrent_kernel), bias]
    h0 = np.ones((1, 3), "float32")
    h1 = rec.gru_step(np.zeros((1, 2)), h0, *weights, reset_after=reset_after)
    np.testing.assert_allclose(h1, rec.sigmoid(4.0), rtol=1e-6)


def test_open_gates_lstm_forget_and_input_biases():
    layer = keras.layers.LSTM(2)
    layer.build((None, None, 3))
    kernel_before = layer.get_weights()[0]
    rec.open_gates(layer, 5.0)
    kernel, _, bias = layer.get_weights()
    np.testing.assert_allclose(bias, [-5, -5, 5, 5, 0, 0, 0, 0])   # input, forget, candidate, output
    np.testing.assert_array_equal(kernel, kernel_before)


def test_open_gates_rejects_other_layers():
    layer = keras.layers.SimpleRNN(2)
    layer.build((None, None, 3))
    with pytest.raises(TypeError, match="LSTM or GRU"):
        rec.open_gates(layer)
    with pytest.raises(ValueError, match="build"):
        rec.open_gates(keras.layers.LSTM(2))
