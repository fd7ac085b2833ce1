"""A character-level language model: one recurrent layer that reads a text one character at a
time and gives, at every position, the probability of each possible next character.

- :func:`char_lm`: the model, uncompiled: an embedding of each character, one LSTM (or GRU, or
  SimpleRNN) layer, and a dense layer that gives one score (logit) per character of the vocabulary.
- :func:`conv_char_lm`: the same embedding and output layer around a stack of dilated causal
  convolutions instead of the recurrent layer (the head-to-head chapter's CNN on the same task);
  :func:`window_nats` scores either kind on the same windows of text.
- :func:`train_char_lm`: the chapter's training recipe, used by the notebook and by
  ``make bench`` (row ``char_lm_shakespeare``): stateful training on consecutive windows (truncated
  backpropagation through time, :func:`cnnrnn.text.stream_batches`), Adam with a warm-up and a
  cosine decay, gradient clipping.
- :func:`evaluate_nats`: cross-entropy in nats per character on a text read as a few long
  streams, each from a zero state at its start and with the state carried across windows after
  that; :func:`evaluate_windows` scores separate windows that each start from a zero state instead.
- :class:`CharSampler`: a copy of a trained model that reads one character at a time, for
  :meth:`~CharSampler.sample` (with a temperature), :meth:`~CharSampler.next_char_probabilities`
  for a prefix, and :meth:`~CharSampler.word_probabilities` (the probability of candidate
  whole words, as a product of character probabilities times the probability that the word ends
  there).

Costs are in nats (natural logarithms): divide by ln 2 for bits. A model that knows nothing about
a vocabulary of V characters scores ln V; the perplexity is exp(nats).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import keras
import numpy as np

from cnnrnn import text as textlib
from cnnrnn.schedules import one_cycle
from cnnrnn.training import TrainResult, fit_timed

CELLS = {"lstm": "LSTM", "gru": "GRU", "rnn": "SimpleRNN"}

#: The chapter's recipe, chosen by the search described on the chapter page (and used by
#: ``benchmarks/char_lm.py`` and the notebook's full mode).
DEFAULT_CELL = "gru"
DEFAULT_UNITS = 256
DEFAULT_EMBEDDING_DIM = 64
DEFAULT_BATCH_SIZE = 64
DEFAULT_WINDOW = 64
DEFAULT_EPOCHS = 8
DEFAULT_PEAK_LR = 5e-3
DEFAULT_WARMUP_FRACTION = 0.02
DEFAULT_CLIPNORM = 1.0


def char_lm(vocab_size: int, *, cell: str = DEFAULT_CELL, units: int = DEFAULT_UNITS,
            embedding_dim: int = DEFAULT_EMBEDDING_DIM, batch_size: int | None = None,
            window: int | None = None, stateful: bool = False, unroll: bool = False,
            name: str | None = None) -> keras.Model:
    """An uncompiled character language model: codes (batch, time) -> logits (batch, time, V).

    ``Embedding(vocab_size, embedding_dim)`` turns each character code into a vector (the same as
    multiplying a one-hot vector by a weight matrix, without the multiplication), then one
    recurrent layer ``cell`` ("lstm", "gru" or "rnn") with ``units`` units returns its state at
    every position, and ``Dense(vocab_size)`` turns each state into one score per character; the
    softmax of the scores is the next-character distribution.

    ``stateful=True`` keeps the layer's last state between calls, so the next batch continues where
    this one stopped; it needs a fixed ``batch_size``. ``window`` fixes the number of time steps
    (needed for ``unroll=True``, which replaces the loop over time by a copy of the step per
    position); None accepts any length.
    """
    if cell not in CELLS:
        raise ValueError(f"cell must be one of {sorted(CELLS)}, not {cell!r}")
    if stateful and batch_size is None:
        raise ValueError("a stateful model needs a fixed batch_size")
    if unroll and window is None:
        raise ValueError("unroll=True needs a fixed window")
    layers = keras.layers
    inputs = keras.Input(shape=(window,), batch_size=batch_size, dtype="int32", name="codes")
    x = layers.Embedding(vocab_size, embedding_dim, name="embedding")(inputs)
    recurrent = getattr(layers, CELLS[cell])
    x = recurrent(units, return_sequences=True, stateful=stateful, unroll=unroll,
                  name=cell)(x)
    logits = layers.Dense(vocab_size, name="logits")(x)
    return keras.Model(inputs, logits, name=name or f"char_{cell}{units}")


#: The causal convolutional language model of the head-to-head chapter: six width-2 layers
#: dilated 1, 2, 4, ..., 32, so each prediction sees the 64 characters before it (and no more).
CONV_DILATIONS = (1, 2, 4, 8, 16, 32)


def conv_receptive_field(dilations: Sequence[int] = CONV_DILATIONS, width: int = 2) -> int:
    """How many input characters one output of a stack of causal convolutions sees: each layer of
    width ``width`` and dilation ``d`` adds ``(width - 1) * d`` to the field, which starts at 1."""
    return 1 + sum((width - 1) * int(d) for d in dilations)


def conv_char_lm(vocab_size: int, *, filters: int = DEFAULT_UNITS,
                 embedding_dim: int = DEFAULT_EMBEDDING_DIM,
                 dilations: Sequence[int] = CONV_DILATIONS, width: int = 2,
                 name: str | None = None) -> keras.Model:
    """An uncompiled causal convolutional language model: codes (batch, time) -> logits.

    The same embedding and output layer as :func:`char_lm`, with a stack of causal ``Conv1D``
    layers (``filters`` channels, ReLU, one per entry of ``dilations``) instead of the recurrent
    layer. Causal padding means the output at position t depends on characters t, t - 1, ... only,
    back to :func:`conv_receptive_field` characters: the model never sees the character it
    predicts. Each layer after the first adds its input back (a residual connection), which keeps
    the six-layer stack easy to train. Any length is accepted; every position is computed at once.
    """
    layers = keras.layers
    inputs = keras.Input(shape=(None,), dtype="int32", name="codes")
    x = layers.Embedding(vocab_size, embedding_dim, name="embedding")(inputs)
    for index, dilation in enumerate(dilations, start=1):
        y = layers.Conv1D(filters, width, dilation_rate=int(dilation), padding="causal",
                          activation="relu", name=f"conv{index}")(x)
        x = y if index == 1 else layers.Add(name=f"residual{index}")([x, y])
    logits = layers.Dense(vocab_size, name="logits")(x)
    return keras.Model(inputs, logits, name=name or f"char_conv{filters}")


def window_nats(model: keras.Model, codes: np.ndarray, *, window: int = 128, score_from: int = 64,
                batch_size: int = 256) -> float:
    """Mean cross-entropy, in nats per character, over non-overlapping windows of ``codes``, each
    read on its own (a zero state, or zero padding before it), scoring only the positions from
    ``score_from`` on: every scored character then has at least ``score_from`` characters of
    context inside its window. Works for any model that maps codes (batch, time) to logits
    without carried state, recurrent or convolutional, so both are scored on the same characters.
    """
    if not 0 <= score_from < window:
        raise ValueError(f"score_from must be in [0, window), not {score_from}")
    inputs, targets = textlib.windows(codes, window)
    logits = model.predict(inputs, batch_size=batch_size, verbose=0)
    log_p = _log_softmax(np.asarray(logits)[:, score_from:])
    picked = np.take_along_axis(log_p, targets[:, score_from:, None], axis=-1)[..., 0]
    return float(-picked.mean())


def _stateful_layers(model: keras.Model) -> list:
    return [layer for layer in model.layers if getattr(layer, "stateful", False)]


def reset_states(model: keras.Model) -> None:
    """Set the state of every stateful recurrent layer of ``model`` to zero."""
    for layer in _stateful_layers(model):
        layer.reset_state()


def get_states(model: keras.Model) -> list[np.ndarray]:
    """The current states of ``model``'s stateful layers, as arrays (one per state tensor)."""
    return [np.array(state) for layer in _stateful_layers(model) for state in layer.states]


def set_states(model: keras.Model, values: Sequence[np.ndarray]) -> None:
    """Overwrite the states of ``model``'s stateful layers with ``values`` (from
    :func:`get_states`; a batch of one is repeated over the model's batch)."""
    states = [state for layer in _stateful_layers(model) for state in layer.states]
    if len(states) != len(values):
        raise ValueError(f"the model has {len(states)} state tensors, got {len(values)} values")
    for state, value in zip(states, values):
        state.assign(np.broadcast_to(value, state.shape).astype(state.dtype))


class ResetStatesCallback(keras.callbacks.Callback):
    """Zero the stateful layers' states at the start of every epoch and of every evaluation, so
    each pass over a text starts from the beginning of its streams."""

    def on_epoch_begin(self, epoch, logs=None):
        reset_states(self.model)

    def on_test_begin(self, logs=None):
        reset_states(self.model)


def compile_char_lm(model: keras.Model, *, peak_lr: float, total_steps: int,
                    warmup_fraction: float = DEFAULT_WARMUP_FRACTION,
                    clipnorm: float | None = DEFAULT_CLIPNORM) -> keras.Model:
    """Compile ``model`` as the chapter trains it: Adam with a short linear warm-up to ``peak_lr``
    and a cosine decay to almost zero at ``total_steps`` (:func:`cnnrnn.schedules.one_cycle`),
    the gradient's global norm clipped at ``clipnorm``, cross-entropy on the logits (in nats per
    character). Returns the model."""
    schedule = one_cycle(peak_lr, total_steps, warmup_fraction=warmup_fraction)
    optimizer = keras.optimizers.Adam(schedule, global_clipnorm=clipnorm)
    model.compile(optimizer=optimizer,
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


def copy_with(model: keras.Model, **overrides) -> keras.Model:
    """A new :func:`char_lm` with ``model``'s layers and weights but other run-time settings
    (``batch_size``, ``window``, ``stateful``, ``unroll``): e.g. a batch of one for sampling."""
    embedding = model.get_layer("embedding")
    recurrent = next(layer for layer in model.layers if layer.name in CELLS)
    settings = dict(vocab_size=embedding.input_dim, cell=recurrent.name, units=recurrent.units,
                    embedding_dim=embedding.output_dim)
    settings.update(overrides)
    twin = char_lm(**settings)
    twin.set_weights(model.get_weights())
    return twin


def train_char_lm(
    train_codes: np.ndarray,
    validation_codes: np.ndarray | None,
    *,
    vocab_size: int,
    cell: str = DEFAULT_CELL,
    units: int = DEFAULT_UNITS,
    embedding_dim: int = DEFAULT_EMBEDDING_DIM,
    batch_size: int = DEFAULT_BATCH_SIZE,
    window: int = DEFAULT_WINDOW,
    epochs: int = DEFAULT_EPOCHS,
    peak_lr: float = DEFAULT_PEAK_LR,
    warmup_fraction: float = DEFAULT_WARMUP_FRACTION,
    clipnorm: float | None = DEFAULT_CLIPNORM,
    stateful: bool = True,
    unroll: bool = False,
    seed: int = 0,
    verbose: int | str = 0,
    callbacks: list | None = None,
) -> TrainResult:
    """Train :func:`char_lm` on ``train_codes`` for ``epochs`` epochs and score it.

    With ``stateful=True`` (the recipe) the text is cut into ``batch_size`` streams read in
    consecutive windows of ``window`` characters (:func:`cnnrnn.text.stream_batches`); the state
    is carried from window to window and zeroed at the start of each epoch, and gradients flow back
    through one window only (truncated backpropagation through time). With ``stateful=False``
    every window (:func:`cnnrnn.text.windows`) starts from a zero state and the windows are
    shuffled. ``cell="conv"`` trains :func:`conv_char_lm` (``units`` filters) instead, on shuffled
    windows (``stateful=False`` is required).

    ``validation_codes`` (optional) is scored after every epoch for the learning curves (its time
    counts in ``seconds``, as in every course trainer) and once more at the end by
    :func:`evaluate_nats`, whose value is ``test_metrics["nats_per_char"]`` (recurrent models;
    score a convolutional one with :func:`window_nats`). The returned history
    is in nats per character; ``seconds`` is the time of ``fit``.
    """
    if cell == "conv" and stateful:
        raise ValueError("a convolutional model carries no state: use stateful=False")
    keras.utils.set_random_seed(seed)
    if stateful:
        x, y = textlib.stream_batches(train_codes, batch_size, window)
    else:
        x, y = textlib.windows(train_codes, window)
        x, y = x[: len(x) // batch_size * batch_size], y[: len(y) // batch_size * batch_size]
    steps = epochs * (len(x) // batch_size)
    if cell == "conv":
        model = conv_char_lm(vocab_size, filters=units, embedding_dim=embedding_dim)
    else:
        model = char_lm(vocab_size, cell=cell, units=units, embedding_dim=embedding_dim,
                        batch_size=batch_size if stateful else None, window=window,
                        stateful=stateful, unroll=unroll)
    compile_char_lm(model, peak_lr=peak_lr, total_steps=steps, warmup_fraction=warmup_fraction,
                    clipnorm=clipnorm)
    validation = None
    if validation_codes is not None:
        validation = (textlib.stream_batches(validation_codes, batch_size, window) if stateful
                      else textlib.windows(validation_codes, window))
    history, seconds = fit_timed(
        model, x, y, batch_size=batch_size, epochs=epochs, shuffle=not stateful,
        validation_data=validation, verbose=verbose,
        callbacks=[ResetStatesCallback(), *(callbacks or [])])
    metrics = {}
    if validation_codes is not None and cell != "conv":
        metrics["nats_per_char"] = evaluate_nats(model, validation_codes, batch_size=batch_size,
                                                 window=window)
    result = TrainResult(model, history.history, metrics, seconds, epochs, name=model.name)
    result.extra.update(train_chars=int(x.size), steps=steps, batch_size=batch_size,
                        window=window, stateful=stateful)
    return result


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    logits = logits.astype(np.float64)
    top = logits.max(axis=-1, keepdims=True)
    return logits - top - np.log(np.exp(logits - top).sum(axis=-1, keepdims=True))


def evaluate_nats(model: keras.Model, codes: np.ndarray, *, batch_size: int = 32,
                  window: int = 128) -> float:
    """Mean cross-entropy, in nats per character, of ``model`` on the text ``codes``.

    The text is cut into ``batch_size`` streams of consecutive characters, read window by window
    by a stateful copy of the model: each stream starts from a zero state, so its first few
    characters are predicted with little context, and every later character from all the text
    before it in its stream, as far as the state carries it. With ``batch_size=1`` this is one
    pass over the whole text. Every character after the first one is scored exactly once: the
    last stream is padded and the padding is not counted.
    """
    codes = np.asarray(codes)
    if len(codes) < 2:
        raise ValueError("need at least two characters to score a prediction")
    batch_size = max(1, min(batch_size, len(codes) - 1))
    length = math.ceil((len(codes) - 1) / batch_size)  # predictions per stream
    steps = math.ceil(length / window)
    padded = np.zeros(batch_size * length + 1, dtype=np.int32)
    padded[: len(codes)] = codes
    valid = np.zeros(batch_size * length, dtype=bool)
    valid[: len(codes) - 1] = True
    stream_in = np.zeros((batch_size, steps * window), dtype=np.int32)
    stream_out = np.zeros_like(stream_in)
    stream_ok = np.zeros(stream_in.shape, dtype=bool)
    for row in range(batch_size):
        part = slice(row * length, (row + 1) * length)
        stream_in[row, :length] = padded[part]
        stream_out[row, :length] = padded[row * length + 1: (row + 1) * length + 1]
        stream_ok[row, :length] = valid[part]
    reader = copy_with(model, batch_size=batch_size, window=window, stateful=True, unroll=False)
    reset_states(reader)
    total, count = 0.0, 0
    for step in range(steps):
        part = slice(step * window, (step + 1) * window)
        logits = np.asarray(reader.predict_on_batch(stream_in[:, part]))
        log_p = _log_softmax(logits)
        picked = np.take_along_axis(log_p, stream_out[:, part, None], axis=-1)[..., 0]
        total -= picked[stream_ok[:, part]].sum()
        count += int(stream_ok[:, part].sum())
    return float(total / count)


def nats_of_windows(model: keras.Model, inputs: np.ndarray, targets: np.ndarray, *,
                    batch_size: int = 256, primer: np.ndarray | None = None) -> np.ndarray:
    """Cross-entropy, in nats, of each target of ``(inputs, targets)`` (arrays of shape
    (windows, length)), every window read separately from the same starting state: zero, or,
    with ``primer`` (codes), the state after reading the primer (read in pieces of the windows'
    length, so its first ``len(primer) % length`` characters are left out). Returns an array
    shaped like ``targets``.

    A model trained on streams with a carried state has rarely started from a zero state; a
    primer of ordinary text puts its state where it is used to be.
    """
    inputs, targets = np.asarray(inputs, dtype=np.int32), np.asarray(targets)
    if inputs.ndim != 2 or inputs.shape != targets.shape or not len(inputs):
        raise ValueError(f"inputs and targets must have the same shape (windows, length), not "
                         f"{inputs.shape} and {targets.shape}")
    batch_size = min(batch_size, len(inputs))
    reader = copy_with(model, batch_size=batch_size, window=None, stateful=True, unroll=False)
    reset_states(reader)
    if primer is not None and len(primer):
        # Read in pieces as long as the windows, so the reader sees one input shape only (each
        # new shape is traced again); the first len(primer) % length characters are left out.
        length = inputs.shape[1]
        primer = np.asarray(primer, dtype=np.int32)[len(primer) % length:]
        for piece in primer.reshape(-1, length):
            reader.predict_on_batch(np.tile(piece, (batch_size, 1)))
    start_state = get_states(reader)
    costs = np.zeros(targets.shape)
    for start in range(0, len(inputs), batch_size):
        batch = inputs[start: start + batch_size]
        rows = len(batch)
        if rows < batch_size:  # the last batch is padded to the reader's fixed batch size
            batch = np.concatenate([batch, np.zeros((batch_size - rows, batch.shape[1]),
                                                    batch.dtype)])
        set_states(reader, start_state)
        log_p = _log_softmax(np.asarray(reader.predict_on_batch(batch))[:rows])
        costs[start: start + rows] = -np.take_along_axis(
            log_p, targets[start: start + rows, :, None], axis=-1)[..., 0]
    return costs


def nats_by_position(model: keras.Model, codes: np.ndarray, *, window: int = 100,
                     batch_size: int = 256, primer: np.ndarray | None = None) -> np.ndarray:
    """Mean cross-entropy, in nats, at each position of non-overlapping windows of ``codes``
    (:func:`cnnrnn.text.windows`), each read from the same starting state (zero, or after
    ``primer``: see :func:`nats_of_windows`): entry t is the cost of predicting a character from
    the t + 1 characters before it and nothing else, averaged over the windows.
    """
    inputs, targets = textlib.windows(codes, window)
    return nats_of_windows(model, inputs, targets, batch_size=batch_size,
                           primer=primer).mean(axis=0)


def evaluate_windows(model: keras.Model, codes: np.ndarray, *, window: int = 100,
                     batch_size: int = 256) -> float:
    """Mean cross-entropy, in nats per character, over non-overlapping windows of ``codes`` that
    each start from a zero state: the first characters of every window are predicted with little
    or no context, so this is higher than :func:`evaluate_nats` (the mean of
    :func:`nats_by_position`)."""
    return float(nats_by_position(model, codes, window=window, batch_size=batch_size).mean())


def softmax_with_temperature(logits: np.ndarray, temperature: float) -> np.ndarray:
    """``softmax(logits / temperature)``: temperature 1 is the model's own distribution, lower
    sharpens it towards the most likely character, higher flattens it towards uniform."""
    if temperature <= 0:
        raise ValueError(f"temperature must be positive, not {temperature} (use greedy decoding "
                         "for the limit 0)")
    scaled = np.asarray(logits, dtype=np.float64) / temperature
    scaled -= scaled.max(axis=-1, keepdims=True)
    weights = np.exp(scaled)
    return weights / weights.sum(axis=-1, keepdims=True)


@dataclass
class Sample:
    """A generated text and how fast it came."""

    text: str
    seconds: float

    @property
    def chars_per_second(self) -> float:
        return len(self.text) / self.seconds if self.seconds else float("inf")


class CharSampler:
    """A trained character model turned into a reader of one text at a time.

    It holds a stateful copy of ``model`` with a batch of one (:func:`copy_with`), so a prefix is
    read once and each generated character costs one step of the recurrent layer. Every prefix
    is read from the same starting state: zero, or, with ``primer`` (a text), the state after
    reading the primer. A model trained on streams with a carried state has started from a zero
    state only at the start of each stream, once per epoch, so a primer of ordinary text (ending
    where a new passage begins) puts its state where it is used to be. The methods refuse an
    empty prefix and characters outside ``vocab`` with a clear error.
    """

    def __init__(self, model: keras.Model, vocab: textlib.CharVocab, primer: str = ""):
        self.vocab = vocab
        self.reader = copy_with(model, batch_size=1, window=None, stateful=True, unroll=False)
        if self.reader.output_shape[-1] != len(vocab):
            raise ValueError(f"the model predicts {self.reader.output_shape[-1]} characters but "
                             f"the vocabulary has {len(vocab)}")
        self.primer = primer
        reset_states(self.reader)
        if primer:
            self._read(vocab.encode(primer))
        self._start = get_states(self.reader)

    def reset(self) -> None:
        """Go back to the starting state (zero, or after the primer)."""
        set_states(self.reader, self._start)

    def _codes(self, prefix: str) -> np.ndarray:
        if not isinstance(prefix, str):
            raise TypeError(f"the prefix must be a str, not {type(prefix).__name__}")
        if not prefix:
            raise ValueError("the prefix is empty: give the model at least one character to "
                             "condition on")
        return self.vocab.encode(prefix)

    def _read(self, codes: np.ndarray) -> np.ndarray:
        """The logits after each of ``codes``, read one at a time from the current state (which
        moves on). One character per call keeps a single input shape, so the compiled step is
        reused instead of being traced again for every new prefix length."""
        steps = [np.asarray(self.reader.predict_on_batch(np.array([[code]], dtype=np.int32)))
                 for code in np.asarray(codes).tolist()]
        return np.concatenate([step[0] for step in steps], axis=0)

    def read_states(self, prefix: str) -> np.ndarray:
        """The hidden state after each character of ``prefix`` (read from the starting state),
        shape (len(prefix), units): what the model carries forward at every position."""
        codes = self._codes(prefix)
        self.reset()
        states = []
        for code in codes.tolist():
            self.reader.predict_on_batch(np.array([[code]], dtype=np.int32))
            states.append(get_states(self.reader)[0][0])
        return np.array(states)

    def next_char_logits(self, prefix: str) -> np.ndarray:
        """The logits for the character after ``prefix``, read from the sampler's starting state
        (zero, or the state after the primer)."""
        codes = self._codes(prefix)
        self.reset()
        return self._read(codes)[-1]

    def next_char_probabilities(self, prefix: str, temperature: float = 1.0) -> np.ndarray:
        """The model's distribution over the character that follows ``prefix`` (sums to one)."""
        return softmax_with_temperature(self.next_char_logits(prefix), temperature)

    def top_next_chars(self, prefix: str, k: int = 10) -> list[tuple[str, float]]:
        """The ``k`` most likely next characters with their probabilities, most likely first."""
        probabilities = self.next_char_probabilities(prefix)
        order = np.argsort(probabilities)[::-1][:k]
        return [(self.vocab.chars[code], float(probabilities[code])) for code in order]

    def _continuation(self, prefix: str, continuation: str) -> tuple[float, np.ndarray]:
        """ln P(continuation | prefix) and the log-probabilities of the character after it."""
        if not continuation:
            raise ValueError("the continuation is empty")
        prefix_codes = self._codes(prefix)
        continuation_codes = self.vocab.encode(continuation)
        codes = np.concatenate([prefix_codes, continuation_codes])
        self.reset()
        log_p = _log_softmax(self._read(codes))
        positions = np.arange(len(prefix_codes) - 1, len(codes) - 1)
        return float(log_p[positions, continuation_codes].sum()), log_p[-1]

    def continuation_log_probability(self, prefix: str, continuation: str) -> float:
        """ln P(continuation | prefix): the sum of the log-probabilities of its characters, each
        given the prefix and the characters of the continuation before it (the chain rule)."""
        return self._continuation(prefix, continuation)[0]

    def word_probabilities(self, prefix: str, candidates: Sequence[str], *,
                           word_end: bool = True) -> dict[str, float]:
        """``{candidate: P(candidate | prefix)}`` by chaining character probabilities.

        With ``word_end=True`` (the default) a candidate is a whole word: its characters in a row
        times the probability that the character after them is not a letter (a space, a
        punctuation mark, a line break), so " her" does not include "here" or "hers". With
        ``word_end=False`` it is the probability of the characters alone, which counts every
        word that starts with them.
        """
        if not candidates:
            raise ValueError("give at least one candidate")
        ends = np.array([not char.isalpha() for char in self.vocab.chars])
        probabilities = {}
        for word in candidates:
            log_p, after = self._continuation(prefix, word)
            if word_end:
                log_p += float(np.log(np.exp(after[ends]).sum()))
            probabilities[word] = math.exp(log_p)
        return probabilities

    def sample(self, prefix: str, length: int, *, temperature: float = 1.0,
               seed: int | None = 0) -> Sample:
        """``length`` characters generated after ``prefix``, each drawn from
        ``softmax(logits / temperature)`` and fed back as the next input."""
        if length < 1:
            raise ValueError(f"length must be at least 1, not {length}")
        rng = np.random.default_rng(seed)
        codes = self._codes(prefix)
        start = time.perf_counter()
        self.reset()
        logits = self._read(codes)[-1]
        generated = []
        for _ in range(length):
            probabilities = softmax_with_temperature(logits, temperature)
            code = int(rng.choice(len(probabilities), p=probabilities))
            generated.append(code)
            logits = self._read(np.array([code]))[-1]
        return Sample(self.vocab.decode(generated), time.perf_counter() - start)
