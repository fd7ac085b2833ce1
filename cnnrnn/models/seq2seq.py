"""Encoder-decoder models for the attention chapter, and the reversal task they are compared on.

Three models map a sequence of input codes to a sequence of output codes:

- :func:`build_lstm_seq2seq` with ``attention=None``: an LSTM encoder whose final state is the
  only thing the LSTM decoder is told about the input (the fixed-size bottleneck);
- the same with ``attention="dot"`` or ``"additive"``: at every output step the decoder state
  scores every encoder state, and the weighted sum of the encoder states joins the decoder state
  before the output layer (Luong et al. 2015's recipe on Keras' attention layers);
- :func:`build_transformer_seq2seq`: one self-attention block over the input and one causal
  self-attention plus cross-attention block over the output so far, with learned positions.

All three are trained with teacher forcing on ``[encoder_codes, decoder_codes]`` (the decoder
reads the target shifted right behind a start code) and generate with :func:`greedy_decode`, one
output step at a time. Code 0 is padding everywhere and is masked.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from cnnrnn.seq2seq_data import make_copy_or_reverse

ATTENTION_KINDS = (None, "dot", "additive")


def _keras():
    import keras

    return keras


def _positive_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def build_lstm_seq2seq(input_vocab: int, target_vocab: int, *, units: int = 128,
                       embedding_dim: int = 32, attention: str | None = None,
                       bidirectional: bool = False):
    """An LSTM encoder-decoder, with or without attention; outputs logits ``(batch, steps, target_vocab)``.

    The decoder (``units`` wide) starts from the encoder's final state in both cases, so the only
    difference is the attention read-out. A bidirectional encoder has ``units // 2`` per direction
    and hands the decoder both final states, joined (as Bahdanau et al. 2015 read the input). With attention, the layer named ``"attention"`` is called with
    ``return_attention_scores=True``: :func:`alignment_model` reads its weights from there.
    """
    keras = _keras()
    input_vocab = _positive_int(input_vocab, "input_vocab")
    target_vocab = _positive_int(target_vocab, "target_vocab")
    if attention not in ATTENTION_KINDS:
        raise ValueError(f"attention must be one of {ATTENTION_KINDS}, got {attention!r}")
    encoder_codes = keras.Input((None,), dtype="int32", name="encoder_codes")
    decoder_codes = keras.Input((None,), dtype="int32", name="decoder_codes")
    embedded = keras.layers.Embedding(input_vocab, embedding_dim, mask_zero=True)(encoder_codes)
    if bidirectional:
        if units % 2:
            raise ValueError(f"a bidirectional encoder needs an even number of units, got {units}")
        encoder_states, h_forward, c_forward, h_backward, c_backward = keras.layers.Bidirectional(
            keras.layers.LSTM(units // 2, return_sequences=True, return_state=True), name="encoder")(embedded)
        h = keras.layers.Concatenate()([h_forward, h_backward])
        c = keras.layers.Concatenate()([c_forward, c_backward])
    else:
        encoder_states, h, c = keras.layers.LSTM(units, return_sequences=True, return_state=True,
                                                 name="encoder")(embedded)
    decoder_in = keras.layers.Embedding(target_vocab, embedding_dim, mask_zero=True)(decoder_codes)
    decoder_states = keras.layers.LSTM(units, return_sequences=True, name="decoder")(
        decoder_in, initial_state=[h, c])
    if attention is not None:
        layer = (keras.layers.Attention(name="attention") if attention == "dot"
                 else keras.layers.AdditiveAttention(name="attention"))
        context, _ = layer([decoder_states, encoder_states], return_attention_scores=True)
        decoder_states = keras.layers.Concatenate()([decoder_states, context])
    logits = keras.layers.Dense(target_vocab, name="logits")(decoder_states)
    name = f"lstm_{attention}_attention" if attention else "lstm_no_attention"
    return keras.Model([encoder_codes, decoder_codes], logits, name=name)


def alignment_model(model):
    """A model with the same inputs that returns the attention weights ``(batch, out_steps, in_steps)``.

    Raises ``ValueError`` for a model built without attention.
    """
    keras = _keras()
    try:
        layer = model.get_layer("attention")
    except ValueError:
        raise ValueError(f"model {model.name!r} has no layer named 'attention'") from None
    return keras.Model(model.inputs, layer.output[1])


def _position_embedding_layer():
    keras = _keras()

    @keras.saving.register_keras_serializable(package="cnnrnn")
    class TokenAndPositionEmbedding(keras.layers.Layer):
        """Token embedding plus a learned embedding of the position (0, 1, ...); masks code 0."""

        def __init__(self, vocab: int, max_length: int, dim: int, **kwargs):
            super().__init__(**kwargs)
            self.vocab, self.max_length, self.dim = vocab, max_length, dim
            self.tokens = keras.layers.Embedding(vocab, dim)
            self.positions = keras.layers.Embedding(max_length, dim)

        def call(self, codes):
            steps = keras.ops.arange(keras.ops.shape(codes)[1])
            return self.tokens(codes) + self.positions(steps)

        def compute_mask(self, codes, mask=None):
            return keras.ops.not_equal(codes, 0)

        def get_config(self):
            return {**super().get_config(), "vocab": self.vocab, "max_length": self.max_length,
                    "dim": self.dim}

    return TokenAndPositionEmbedding


def build_transformer_seq2seq(input_vocab: int, target_vocab: int, max_length: int, *,
                              dim: int = 64, heads: int = 4, feed_forward: int = 256,
                              positions: bool = True):
    """A one-block Transformer encoder-decoder (post-norm, as in Vaswani et al. 2017); outputs logits.

    ``max_length`` bounds both the input and the output length (the learned positions).
    ``positions=False`` leaves the position embeddings out (an experiment: self-attention alone
    cannot tell the order of its inputs; only the causal mask still orders the decoder's).
    """
    keras = _keras()
    input_vocab = _positive_int(input_vocab, "input_vocab")
    target_vocab = _positive_int(target_vocab, "target_vocab")
    max_length = _positive_int(max_length, "max_length")
    if dim % heads:
        raise ValueError(f"dim ({dim}) must be a multiple of heads ({heads})")
    embedding = _position_embedding_layer()

    def block(x, context=None, context_mask=None, causal=False, prefix=""):
        # Add layers, not "+": they carry the padding mask on to the next attention layer.
        mixed = keras.layers.MultiHeadAttention(heads, dim // heads, name=f"{prefix}self_attention")(
            x, x, use_causal_mask=causal)
        x = keras.layers.LayerNormalization()(keras.layers.Add()([x, mixed]))
        if context is not None:
            mixed = keras.layers.MultiHeadAttention(heads, dim // heads, name=f"{prefix}cross_attention")(
                x, context, attention_mask=context_mask)
            x = keras.layers.LayerNormalization()(keras.layers.Add()([x, mixed]))
        hidden = keras.layers.Dense(feed_forward, activation="relu")(x)
        return keras.layers.LayerNormalization()(keras.layers.Add()([x, keras.layers.Dense(dim)(hidden)]))

    encoder_codes = keras.Input((None,), dtype="int32", name="encoder_codes")
    decoder_codes = keras.Input((None,), dtype="int32", name="decoder_codes")
    def embed(vocab, length):
        if positions:
            return embedding(vocab, length, dim)
        return keras.layers.Embedding(vocab, dim, mask_zero=True)

    encoded = block(embed(input_vocab, max_length)(encoder_codes), prefix="encoder_")
    # Keras' cross-attention did not pick up the encoder's padding mask by itself (padding the
    # input changed the output; tests/test_models_seq2seq.py), so it gets it explicitly.
    cross_mask = keras.ops.logical_and(keras.ops.expand_dims(keras.ops.not_equal(decoder_codes, 0), 2),
                                       keras.ops.expand_dims(keras.ops.not_equal(encoder_codes, 0), 1))
    decoded = block(embed(target_vocab, max_length + 1)(decoder_codes), context=encoded,
                    context_mask=cross_mask, causal=True, prefix="decoder_")
    logits = keras.layers.Dense(target_vocab, name="logits")(decoded)
    return keras.Model([encoder_codes, decoder_codes], logits, name="transformer")


def compile_seq2seq(model, learning_rate: float, total_steps: int | None = None):
    """Adam with the learning rate (cosine-decayed to 0 over ``total_steps`` when given), and
    cross-entropy on the logits; the padding is masked out of the loss."""
    keras = _keras()
    rate = (keras.optimizers.schedules.CosineDecay(learning_rate, total_steps)
            if total_steps else learning_rate)
    model.compile(keras.optimizers.Adam(rate),
                  keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


def greedy_decode(model, encoder_codes, steps: int, start_code: int, *, batch_size: int = 512) -> np.ndarray:
    """Generate ``steps`` output codes per input, each the most likely given the ones before.

    One model call per output step: generation is serial whatever the architecture, because
    step ``t`` needs the output of step ``t - 1``. Each call runs the whole model on the outputs so
    far, padded with code 0 to ``steps`` so that every call has the same shape (one trace); the
    decoders are causal and mask code 0, so the padding changes nothing (a production decoder would
    also cache the encoder's states and the decoder's past, which saves work per step but not
    steps). Returns int32 ``(batch, steps)``.
    """
    steps = _positive_int(steps, "steps")
    batch_size = _positive_int(batch_size, "batch_size")
    encoder_codes = np.asarray(encoder_codes, dtype=np.int32)
    if encoder_codes.ndim != 2 or not len(encoder_codes):
        raise ValueError(f"encoder_codes must be a non-empty (batch, steps) array, got shape {encoder_codes.shape}")
    decoder_codes = np.zeros((len(encoder_codes), steps), np.int32)
    decoder_codes[:, 0] = start_code
    outputs = np.zeros((len(encoder_codes), steps), np.int32)
    for t in range(steps):
        for rows in range(0, len(encoder_codes), batch_size):
            chunk = slice(rows, rows + batch_size)
            logits = model.predict_on_batch([encoder_codes[chunk], decoder_codes[chunk]])
            outputs[chunk, t] = np.asarray(logits)[:, t].argmax(-1)
        if t + 1 < steps:
            decoder_codes[:, t + 1] = outputs[:, t]
    return outputs


@dataclass(frozen=True)
class ReversalTask:
    """Reverse a random sequence of ``symbols`` symbols, as teacher-forcing arrays.

    Codes: 0 pads, ``1 .. symbols`` are the symbols, ``symbols + 1`` starts the decoder; so both
    vocabularies have ``symbols + 2`` codes. Every array is padded to ``max(lengths)``.
    """

    lengths: tuple[int, ...]
    symbols: int = 9

    def __post_init__(self):
        if not self.lengths:
            raise ValueError("lengths must not be empty")
        for length in self.lengths:
            _positive_int(length, "every length")
        _positive_int(self.symbols, "symbols")

    @property
    def vocab(self) -> int:
        return self.symbols + 2

    @property
    def start_code(self) -> int:
        return self.symbols + 1

    @property
    def max_length(self) -> int:
        return max(self.lengths)

    def batch(self, n: int, length: int, seed: int):
        """``(encoder_codes, decoder_codes, targets)`` for ``n`` sequences of one length."""
        inputs, targets = make_copy_or_reverse(n, length, self.symbols + 1, seed=seed, reverse=True)
        padded = np.zeros((3, n, self.max_length), np.int32)
        padded[0, :, :length] = inputs
        padded[1, :, 0] = self.start_code
        padded[1, :, 1:length] = targets[:, :-1]
        padded[2, :, :length] = targets
        return padded[0], padded[1], padded[2]

    def training_set(self, n: int, seed: int):
        """``n`` examples spread as equally as possible over the lengths, shuffled; ``(inputs,
        targets)`` for ``fit``. The sequences of ``lengths[i]`` come from seed ``seed * 1000 + i``."""
        n = _positive_int(n, "n")
        counts = [n // len(self.lengths) + (i < n % len(self.lengths)) for i in range(len(self.lengths))]
        parts = [self.batch(count, length, seed=seed * 1000 + i)
                 for i, (count, length) in enumerate(zip(counts, self.lengths)) if count]
        arrays = [np.concatenate(column) for column in zip(*parts)]
        order = np.random.default_rng(seed).permutation(len(arrays[0]))
        encoder_codes, decoder_codes, targets = (a[order] for a in arrays)
        return [encoder_codes, decoder_codes], targets

    def correct_symbols(self, model, n: int, length: int, seed: int) -> np.ndarray:
        """Boolean ``(n, length)``: which output symbols greedy decoding got right, on ``n`` fresh
        sequences of one length (output step ``t`` is input symbol ``length - 1 - t``)."""
        encoder_codes, _, targets = self.batch(_positive_int(n, "n"), length, seed=seed)
        return greedy_decode(model, encoder_codes, length, self.start_code) == targets[:, :length]

    def exact_match_by_length(self, model, n: int, seed: int = 10_000) -> dict[int, float]:
        """Share of ``n`` fresh sequences per length that greedy decoding reverses without a mistake.

        The test sequences of length ``lengths[i]`` come from seed ``seed + i``; training sets with
        seeds 0 to 9 use seeds below 10,000 (:meth:`training_set`), so the two never share a draw.
        """
        return {length: float(self.correct_symbols(model, n, length, seed + i).all(axis=1).mean())
                for i, length in enumerate(self.lengths)}


@dataclass
class Seq2SeqRun:
    """One trained model on the reversal task: exact match per length and the seconds of ``fit``."""

    name: str
    seed: int
    model: object
    exact_match: dict[int, float]
    seconds: float
    params: int


def train_on_reversal(kind: str, task: ReversalTask, *, examples: int, epochs: int, seed: int,
                      test_per_length: int = 500, batch_size: int = 128, bidirectional: bool = True,
                      positions: bool = True, verbose=0) -> Seq2SeqRun:
    """Build, train and score one model: ``kind`` is ``"lstm"``, ``"lstm_attention"`` or ``"transformer"``.

    Adam with a cosine decay to 0 over the run, from 2e-3 for the LSTMs and 1e-3 for the
    Transformer (the rates of the prototypes in ``benchmarks/attention_search.md``; not tuned
    further). LSTM encoders are bidirectional unless ``bidirectional=False``; the Transformer has
    learned positions unless ``positions=False`` (an exercise of the chapter).
    """
    keras = _keras()
    keras.utils.set_random_seed(seed)
    if kind == "lstm":
        model, rate = build_lstm_seq2seq(task.vocab, task.vocab, bidirectional=bidirectional), 2e-3
    elif kind == "lstm_attention":
        model, rate = build_lstm_seq2seq(task.vocab, task.vocab, attention="dot",
                                         bidirectional=bidirectional), 2e-3
    elif kind == "transformer":
        model, rate = build_transformer_seq2seq(task.vocab, task.vocab, task.max_length,
                                                positions=positions), 1e-3
    else:
        raise ValueError(f"kind must be 'lstm', 'lstm_attention' or 'transformer', got {kind!r}")
    inputs, targets = task.training_set(examples, seed)
    steps = epochs * -(-len(targets) // batch_size)
    compile_seq2seq(model, rate, steps)
    start = time.perf_counter()
    model.fit(inputs, targets, batch_size=batch_size, epochs=epochs, verbose=verbose)
    seconds = time.perf_counter() - start
    scores = task.exact_match_by_length(model, test_per_length)
    return Seq2SeqRun(kind, seed, model, scores, seconds, model.count_params())


def reversal_recipe(fast: bool = False) -> dict:
    """The chapter's reversal experiment: lengths, training examples, epochs, seeds, test size.

    Full mode (the book, ``make bench``): lengths 5 to 50, 20,000 sequences, 7 epochs, seeds
    0-2. Fast mode (the tests): lengths 4 to 16, 10,000 sequences, 5 epochs, seeds 0-1. The runs
    behind both choices are in ``benchmarks/attention_search.md``.
    """
    if fast:
        return {"lengths": (4, 8, 12, 16), "examples": 10_000, "epochs": 5, "seeds": (0, 1),
                "test_per_length": 300}
    return {"lengths": (5, 10, 20, 30, 40, 50), "examples": 20_000, "epochs": 7, "seeds": (0, 1, 2),
            "test_per_length": 500}
