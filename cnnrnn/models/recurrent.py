"""Recurrent layers written out in NumPy, their parameter counts, and the gradient through time.

The chapters on recurrence and gating check every formula here against Keras, so the functions take
the weights exactly as a Keras layer stores them (``layer.get_weights()``), with inputs on the left
of the weight matrices (``x @ kernel``):

- :func:`simple_rnn_step` / :func:`simple_rnn_sequence`: ``h_t = tanh(x_t U + h_{t-1} W + b)``,
  ``keras.layers.SimpleRNN``'s ``[kernel (m, n), recurrent_kernel (n, n), bias (n,)]``.
- :func:`lstm_step` / :func:`lstm_sequence`: ``keras.layers.LSTM`` (Hochreiter & Schmidhuber 1997,
  with the forget gate of Gers et al. 2000), blocks in Keras' order input gate, forget gate,
  candidate, output gate: ``[kernel (m, 4n), recurrent_kernel (n, 4n), bias (4n,)]``.
- :func:`gru_step` / :func:`gru_sequence`: ``keras.layers.GRU`` (Cho et al. 2014), blocks in
  Keras' order update gate, reset gate, candidate:
  ``[kernel (m, 3n), recurrent_kernel (n, 3n), bias]`` where ``bias`` is ``(2, 3n)`` (an input and a recurrent bias) with ``reset_after=True``, Keras'
  default, and ``(3n,)`` with ``reset_after=False``.
- :func:`recurrent_params` and :func:`stack_params`: parameter counts from the formulas
  (SimpleRNN ``nm + n^2 + n``, LSTM ``4(nm + n^2 + n)``, GRU ``3(nm + n^2 + 2n)`` with
  ``reset_after=True``), for stacks of layers and bidirectional layers.
- :func:`open_gates`: set an LSTM's forget-gate bias to a large value *and* its input-gate bias
  to minus that (two changes), or a GRU's update-gate bias to a large value, so that the layer
  starts out keeping its state from step to step (a fixed form of the "chrono" initialization of
  Tallec & Ollivier 2018).
- :func:`input_gradient_norms`: the norm of the loss gradient with respect to the input at each
  time step, the measurement behind vanishing and exploding gradients (Bengio et al. 1994;
  Pascanu et al. 2013).

The step functions work on one sequence (``x_t`` of shape ``(m,)``) or a batch (``(batch, m)``).
NumPy only, except :func:`input_gradient_norms`, which differentiates a Keras model with TensorFlow.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: The recurrent layer kinds the parameter formulas know, with their number of gate blocks.
GATE_BLOCKS = {"simple_rnn": 1, "lstm": 4, "gru": 3}


def sigmoid(z: np.ndarray) -> np.ndarray:
    """The logistic function ``1 / (1 + exp(-z))``, Keras' default ``recurrent_activation``."""
    return 1.0 / (1.0 + np.exp(-z))


def _check_weights(weights: Sequence[np.ndarray], blocks: int, name: str) -> tuple[int, int]:
    """Check the shapes of ``[kernel, recurrent_kernel, bias]``; return ``(input_dim, units)``."""
    if len(weights) != 3:
        raise ValueError(f"{name} needs [kernel, recurrent_kernel, bias], got {len(weights)} arrays")
    kernel, recurrent_kernel, _ = (np.asarray(w) for w in weights)
    if kernel.ndim != 2 or kernel.shape[1] % blocks:
        raise ValueError(f"{name} kernel must be (input_dim, {blocks} * units), not {kernel.shape}")
    units = kernel.shape[1] // blocks
    if recurrent_kernel.shape != (units, blocks * units):
        raise ValueError(f"{name} recurrent kernel must be ({units}, {blocks * units}), "
                         f"not {recurrent_kernel.shape}")
    return kernel.shape[0], units


def simple_rnn_step(x_t, h_prev, kernel, recurrent_kernel, bias):
    """One step of ``keras.layers.SimpleRNN`` (tanh): ``tanh(x_t @ kernel + h_prev @ recurrent_kernel + bias)``.

    In the column-vector notation of the chapters, ``h_t = tanh(W h_{t-1} + U x_t + b)`` with
    ``W = recurrent_kernel.T`` and ``U = kernel.T`` (Elman 1990).
    """
    return np.tanh(x_t @ kernel + h_prev @ recurrent_kernel + bias)


def lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    """One step of ``keras.layers.LSTM`` (default activations); returns ``(h_t, c_t)``.

    With ``z = x_t @ kernel + h_prev @ recurrent_kernel + bias`` cut into four blocks of ``units``
    columns in Keras' order:

    - input gate ``i = sigmoid(z_i)``: how much of the candidate to write;
    - forget gate ``f = sigmoid(z_f)``: how much of the old cell to keep;
    - candidate ``g = tanh(z_g)``: what could be written;
    - output gate ``o = sigmoid(z_o)``: how much of the cell to show;

    then ``c_t = f * c_prev + i * g`` and ``h_t = o * tanh(c_t)``.
    """
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias
    z_i, z_f, z_g, z_o = np.split(z, 4, axis=-1)
    i, f, g, o = sigmoid(z_i), sigmoid(z_f), np.tanh(z_g), sigmoid(z_o)
    c_t = f * c_prev + i * g
    h_t = o * np.tanh(c_t)
    return h_t, c_t


def gru_step(x_t, h_prev, kernel, recurrent_kernel, bias, *, reset_after: bool = True):
    """One step of ``keras.layers.GRU`` (default activations); returns ``h_t``.

    The blocks of ``units`` columns are, in Keras' order, the update gate ``z``, the reset gate
    ``r`` and the candidate ``h~`` (not a gate: the value that may replace the state):

    - ``z = sigmoid(x_t U_z + h_prev W_z + b_z)``: how much of the old state to keep;
    - ``r = sigmoid(x_t U_r + h_prev W_r + b_r)``: how much of the old state the candidate sees;
    - ``h~ = tanh(x_t U_h + r * (h_prev W_h + b_h'))`` with ``reset_after=True`` (Keras' default,
      cuDNN's form, two bias vectors: ``bias`` is ``(2, 3 units)``, input bias then recurrent
      bias), or ``h~ = tanh(x_t U_h + (r * h_prev) W_h + b_h)`` with ``reset_after=False`` (Cho
      et al. 2014's form, one bias vector);
    - ``h_t = z * h_prev + (1 - z) * h~``.
    """
    units = recurrent_kernel.shape[0]
    bias = np.asarray(bias)
    if reset_after:
        if bias.shape != (2, 3 * units):
            raise ValueError(f"reset_after=True needs a (2, {3 * units}) bias, not {bias.shape}")
        input_bias, recurrent_bias = bias
    else:
        if bias.shape != (3 * units,):
            raise ValueError(f"reset_after=False needs a ({3 * units},) bias, not {bias.shape}")
        input_bias, recurrent_bias = bias, np.zeros_like(bias)
    x_z, x_r, x_h = np.split(x_t @ kernel + input_bias, 3, axis=-1)
    w_z, w_r, w_h = np.split(recurrent_kernel, 3, axis=-1)
    b_z, b_r, b_h = np.split(recurrent_bias, 3, axis=-1)
    z = sigmoid(x_z + h_prev @ w_z + b_z)
    r = sigmoid(x_r + h_prev @ w_r + b_r)
    if reset_after:
        candidate = np.tanh(x_h + r * (h_prev @ w_h + b_h))
    else:
        candidate = np.tanh(x_h + (r * h_prev) @ w_h)
    return z * h_prev + (1.0 - z) * candidate


def _as_sequence(x) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim not in (2, 3):
        raise ValueError(f"x must be (time, features) or (batch, time, features), not {x.shape}")
    if x.shape[-2] == 0:
        raise ValueError("x has no time steps")
    return x


def _prepare(x, weights, blocks: int, name: str):
    """Check ``x`` and ``weights`` together; return ``x`` as float64 and a zero state."""
    x = _as_sequence(x)
    m, units = _check_weights(weights, blocks, name)
    if x.shape[-1] != m:
        raise ValueError(f"x has {x.shape[-1]} features, the kernel expects {m}")
    return x, np.zeros((*x.shape[:-2], units))


def _initial(state, zeros: np.ndarray) -> np.ndarray:
    return zeros if state is None else np.asarray(state, dtype=np.float64)


def _run(step, x, states, return_sequences):
    outputs = []
    for t in range(x.shape[-2]):
        states = step(x[..., t, :], states)
        outputs.append(states[0])
    if return_sequences:
        return np.stack(outputs, axis=-2)
    return outputs[-1]


def simple_rnn_sequence(x, weights, h0=None, *, return_sequences: bool = False) -> np.ndarray:
    """Run :func:`simple_rnn_step` over ``x`` (``(time, m)`` or ``(batch, time, m)``) from ``h0``
    (zeros by default); return the last state, or every state with ``return_sequences=True``,
    as ``keras.layers.SimpleRNN`` with the same ``weights`` does."""
    x, zeros = _prepare(x, weights, 1, "SimpleRNN")
    kernel, recurrent_kernel, bias = weights
    h = _initial(h0, zeros)

    def step(x_t, states):
        return (simple_rnn_step(x_t, states[0], kernel, recurrent_kernel, bias),)

    return _run(step, x, (h,), return_sequences)


def lstm_sequence(x, weights, h0=None, c0=None, *, return_sequences: bool = False,
                  return_state: bool = False):
    """Run :func:`lstm_step` over ``x`` from ``(h0, c0)`` (zeros by default), as
    ``keras.layers.LSTM`` does; with ``return_state=True`` also return the last ``(h, c)``."""
    x, zeros = _prepare(x, weights, 4, "LSTM")
    kernel, recurrent_kernel, bias = weights
    h, c = _initial(h0, zeros), _initial(c0, zeros)
    last = {}

    def step(x_t, states):
        h_t, c_t = lstm_step(x_t, states[0], states[1], kernel, recurrent_kernel, bias)
        last["state"] = (h_t, c_t)
        return h_t, c_t

    out = _run(step, x, (h, c), return_sequences)
    return (out, *last["state"]) if return_state else out


def gru_sequence(x, weights, h0=None, *, reset_after: bool = True,
                 return_sequences: bool = False) -> np.ndarray:
    """Run :func:`gru_step` over ``x`` from ``h0`` (zeros by default), as ``keras.layers.GRU``
    with the same ``reset_after`` does."""
    x, zeros = _prepare(x, weights, 3, "GRU")
    kernel, recurrent_kernel, bias = weights
    h = _initial(h0, zeros)

    def step(x_t, states):
        return (gru_step(x_t, states[0], kernel, recurrent_kernel, bias, reset_after=reset_after),)

    return _run(step, x, (h,), return_sequences)


def _positive_int(value, name: str) -> int:
    if isinstance(value, bool) or int(value) != value or value < 1:
        raise ValueError(f"{name} must be a positive integer, not {value!r}")
    return int(value)


def recurrent_params(kind: str, units: int, input_dim: int, *, reset_after: bool = True) -> int:
    """Parameters of one recurrent layer with ``units`` units (n) on ``input_dim`` features (m).

    Each gate block has an input kernel (``n * m``), a recurrent kernel (``n * n``) and a bias
    (``n``): SimpleRNN has one block, ``nm + n^2 + n``; LSTM four, ``4(nm + n^2 + n)``; GRU
    three, with a second bias vector when ``reset_after=True`` (Keras' default):
    ``3(nm + n^2 + 2n)``, else ``3(nm + n^2 + n)``. None of these depends on the sequence length.
    """
    if kind not in GATE_BLOCKS:
        raise ValueError(f"kind must be one of {sorted(GATE_BLOCKS)}, not {kind!r}")
    n, m = _positive_int(units, "units"), _positive_int(input_dim, "input_dim")
    biases = 2 if kind == "gru" and reset_after else 1
    return GATE_BLOCKS[kind] * (n * m + n * n + biases * n)


def stack_params(kind: str, units: Sequence[int], input_dim: int, *, bidirectional: bool = False,
                 reset_after: bool = True) -> int:
    """Parameters of a stack of recurrent layers of widths ``units``, the first on ``input_dim``
    features, each next one on the previous layer's output.

    With ``bidirectional=True`` every layer is ``keras.layers.Bidirectional`` (a forward and a
    backward copy, outputs concatenated): twice the parameters of one direction, and the next
    layer sees ``2 * units`` features.
    """
    units = [_positive_int(u, "units") for u in units]
    if not units:
        raise ValueError("units must name at least one layer width")
    directions = 2 if bidirectional else 1
    total, features = 0, _positive_int(input_dim, "input_dim")
    for width in units:
        total += directions * recurrent_params(kind, width, features, reset_after=reset_after)
        features = directions * width
    return total


def open_gates(layer, bias: float = 5.0) -> None:
    """Start a built ``keras.layers.LSTM`` or ``GRU`` with its memory gate open, in place.

    LSTM: the forget-gate bias becomes ``bias`` and the input-gate bias ``-bias``, so at the start
    ``f = sigmoid(bias)`` (0.993 for 5) of the cell is kept at each step and little is written over
    it. Keras' default (``unit_forget_bias=True``) is a forget bias of 1, ``f = 0.73``.
    GRU: the update-gate bias becomes ``bias`` (on the input bias row when ``reset_after=True``,
    the recurrent bias row set to 0), so ``h_t = z h_{t-1} + (1 - z) h~`` starts with
    ``z = sigmoid(bias)``; Keras' default bias of 0 gives ``z = 0.5``. The other biases and all
    kernels are left as they are. Tallec & Ollivier (2018) draw such biases at random to cover a
    range of time scales ("chrono" initialization); one value is enough here.
    """
    import keras

    if not layer.built:
        raise ValueError("build the layer first (call it on an input, or build its model)")
    kernel, recurrent_kernel, bias_values = layer.get_weights()
    units = recurrent_kernel.shape[0]
    bias_values = bias_values.copy()
    if isinstance(layer, keras.layers.LSTM):
        bias_values[:units] = -bias
        bias_values[units:2 * units] = bias
    elif isinstance(layer, keras.layers.GRU):
        if bias_values.ndim == 2:      # reset_after=True: [input bias, recurrent bias]
            bias_values[0, :units] = bias
            bias_values[1, :units] = 0.0
        else:
            bias_values[:units] = bias
    else:
        raise TypeError(f"open_gates needs an LSTM or GRU layer, not {type(layer).__name__}")
    layer.set_weights([kernel, recurrent_kernel, bias_values])


def input_gradient_norms(model, x, y, loss_fn=None) -> np.ndarray:
    """The norm of d(loss)/d(x_t) at every time step t, averaged over the sequences of a batch.

    ``model`` maps ``x`` (``(batch, time, features)``) to predictions; ``loss_fn(y, prediction)``
    returns one loss per sequence (default: sparse categorical cross-entropy on probabilities).
    The losses are *summed*, so each sequence's gradient is that of its own loss, and the
    returned array (length ``time``) holds, per step, the mean over the batch of each
    sequence's gradient norm over the features. For a many-to-one model, step ``t`` lies
    ``time - 1 - t`` steps before the output.
    """
    import keras
    import tensorflow as tf

    if loss_fn is None:
        loss_fn = keras.losses.sparse_categorical_crossentropy
    x = tf.convert_to_tensor(np.asarray(x, dtype=np.float32))
    if x.shape.rank != 3:
        raise ValueError(f"x must be (batch, time, features), not {tuple(x.shape)}")
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = tf.reduce_sum(loss_fn(y, model(x, training=False)))
    gradient = tape.gradient(loss, x)
    if gradient is None:
        raise ValueError("the loss does not depend on the input")
    return tf.reduce_mean(tf.norm(gradient, axis=-1), axis=0).numpy()
