"""The entity-extraction chapter's tagger and its training recipe.

:func:`build_tagger` makes a word-by-word tagger: for every word a word embedding (the word's
normalized form), character features (a small convolution over the word's letters, max-pooled,
as in Ma and Hovy, 2016), and optionally an embedding of its shape (capitalized, ``@``, URL ...);
then one LSTM layer, left to right or bidirectional (Huang et al., 2015; Lample et al., 2016),
and a softmax over the BIO tags at every position. :func:`train_tagger` trains it with Adam on
length-bucketed batches, scores the development sentences after every epoch, keeps the weights
of the best epoch (early stopping on the development F1) and scores the test sentences, if given,
once at the end. The notebook and ``benchmarks/ner.py`` call the same function, so the book and
``make bench`` measure the same recipe.

The chapter's settings (:data:`DEFAULTS`) were chosen on the development split.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import keras
import numpy as np

from cnnrnn import ner
from cnnrnn.training import TrainResult

#: The recipe's settings, chosen on the development split (see the chapter's notebook).
DEFAULTS = dict(units=100, word_dim=100, char_dim=25, char_filters=50, char_width=3,
                casing_dim=8, dropout=0.5, word_dropout=0.1, min_count=1, epochs=8,
                batch_size=32, learning_rate=2e-3, clipnorm=5.0, schedule="constant")
#: Width of the no-context control's hidden layer (``units=0``).
NO_CONTEXT_UNITS = 100


@keras.saving.register_keras_serializable(package="cnnrnn")
class WordDropout(keras.layers.Layer):
    """While training, replace each known word id by the unknown id with probability ``rate``.

    The model then learns to tag from the characters, the shape and the context when the word
    itself is unknown, which is what it faces on new text (Lample et al., 2016, replace rare
    training words by the unknown word in the same spirit). Padding (id 0) is left alone; at
    inference the layer does nothing.
    """

    def __init__(self, rate: float, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        if not 0.0 <= rate < 1.0:
            raise ValueError(f"rate must be in [0, 1), not {rate}")
        self.rate = float(rate)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.supports_masking = True

    def call(self, ids, training=None):
        if not training or self.rate == 0.0:
            return ids
        drop = keras.random.uniform(keras.ops.shape(ids), seed=self.seed_generator) < self.rate
        return keras.ops.where(drop & (ids > ner.UNK), ner.UNK, ids)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}


@keras.saving.register_keras_serializable(package="cnnrnn")
class PaddingMask(keras.layers.Layer):
    """``PaddingMask()([features, word_ids])`` returns ``features`` unchanged, masked where
    ``word_ids`` is padding (id 0), so that the layers after it (the LSTM, the loss) skip those
    positions.

    Why not ``Embedding(mask_zero=True)``: Keras 3's ``Concatenate`` merges a masked input with
    unmasked ones (the character and casing features) into an all-true mask, so the word
    embedding's mask would be lost on the way and the backward LSTM would read the padding.
    """

    def call(self, inputs):
        return inputs[0]

    def compute_mask(self, inputs, mask=None):
        return keras.ops.not_equal(inputs[1], ner.PAD)

    def compute_output_shape(self, input_shape):
        return input_shape[0]


def build_tagger(
    inputs: ner.TaggingInputs,
    *,
    bidirectional: bool = True,
    units: int = DEFAULTS["units"],
    word_dim: int = DEFAULTS["word_dim"],
    char_dim: int = DEFAULTS["char_dim"],
    char_filters: int = DEFAULTS["char_filters"],
    char_width: int = DEFAULTS["char_width"],
    casing_dim: int = DEFAULTS["casing_dim"],
    dropout: float = DEFAULTS["dropout"],
    word_dropout: float = DEFAULTS["word_dropout"],
    seed: int | None = None,
) -> keras.Model:
    """An uncompiled tagger: (words, chars, casing) id arrays in, tag probabilities out.

    Shapes: ``words`` and ``casing`` (batch, T), ``chars`` (batch, T, C) with C =
    ``inputs.max_word_chars``; output (batch, T, number of tags). Word id 0 is padding: a mask
    tells the LSTM to skip those steps and the loss to ignore them. ``units`` is per direction, so the bidirectional layer has twice the state (and twice
    the recurrent weights) of the left-to-right one; ``casing_dim=0`` leaves the shape feature out.
    ``units=0`` replaces the LSTM by a dense layer of :data:`NO_CONTEXT_UNITS` tanh units applied
    to each word on its own: a tagger that sees no context at all (``bidirectional`` is ignored).
    """
    layers = keras.layers
    max_chars = inputs.max_word_chars
    words = keras.Input(shape=(None,), dtype="int32", name="words")
    chars = keras.Input(shape=(None, max_chars), dtype="int32", name="chars")
    shapes = keras.Input(shape=(None,), dtype="int32", name="casing")

    word_ids = WordDropout(word_dropout, seed=seed, name="word_dropout")(words)
    word_vectors = layers.Embedding(len(inputs.words), word_dim, name="word_embedding")(word_ids)
    # Character features: embed each character, slide a width-3 filter bank along the word,
    # keep each filter's maximum over the word's characters.
    char_vectors = layers.Embedding(len(inputs.chars), char_dim, name="char_embedding")(chars)
    char_maps = layers.Conv2D(char_filters, (1, char_width), padding="same", activation="tanh",
                              name="char_conv")(char_vectors)
    char_pooled = layers.MaxPooling2D((1, max_chars), name="char_max")(char_maps)
    char_features = layers.Reshape((-1, char_filters), name="char_features")(char_pooled)
    features = [word_vectors, char_features]
    if casing_dim:
        features.append(layers.Embedding(len(ner.CASINGS), casing_dim,
                                         name="casing_embedding")(shapes))
    x = layers.Concatenate(name="word_features")(features)
    x = PaddingMask(name="padding_mask")([x, words])  # from here on, padding is skipped
    x = layers.Dropout(dropout, seed=seed, name="dropout_in")(x)
    if units:
        recurrent = layers.LSTM(units, return_sequences=True, name="lstm")
        if bidirectional:
            recurrent = layers.Bidirectional(recurrent, name="bilstm")
        x = recurrent(x)
    else:  # the no-context control: each word is tagged from its own features alone
        x = layers.Dense(NO_CONTEXT_UNITS, activation="tanh", name="word_only")(x)
    x = layers.Dropout(dropout, seed=seed, name="dropout_out")(x)
    outputs = layers.Dense(len(inputs.tags), activation="softmax", name="tags")(x)
    name = (("bi" if bidirectional else "") + f"lstm_tagger_{units}") if units else "word_only"
    return keras.Model({"words": words, "chars": chars, "casing": shapes}, outputs, name=name)


def compile_tagger(model: keras.Model, *, learning_rate=DEFAULTS["learning_rate"],
                   clipnorm: float | None = DEFAULTS["clipnorm"]) -> keras.Model:
    """Adam with gradient-norm clipping, cross-entropy over the real (unmasked) words."""
    model.compile(optimizer=keras.optimizers.Adam(learning_rate, clipnorm=clipnorm),
                  loss="sparse_categorical_crossentropy")
    return model


def training_dataset(arrays: dict, batch_size: int, seed: int):
    """A ``tf.data.Dataset`` of ``(inputs, tags)`` batches from :func:`cnnrnn.ner.batches`, newly
    shuffled and bucketed by length at every pass (epoch ``e`` uses seed ``seed * 1000 + e``)."""
    import tensorflow as tf

    max_chars = arrays["chars"].shape[2]
    passes = iter(range(10**6))

    def generate():
        epoch_seed = seed * 1000 + next(passes)
        for inputs, tags, _ in ner.batches(arrays, batch_size, seed=epoch_seed):
            yield inputs, tags

    signature = ({"words": tf.TensorSpec((None, None), tf.int32),
                  "chars": tf.TensorSpec((None, None, max_chars), tf.int32),
                  "casing": tf.TensorSpec((None, None), tf.int32)},
                 tf.TensorSpec((None, None), tf.int32))
    count = -(-len(arrays["words"]) // batch_size)  # batches per pass, so Keras knows an epoch
    dataset = tf.data.Dataset.from_generator(generate, output_signature=signature)
    return dataset.apply(tf.data.experimental.assert_cardinality(count)).prefetch(2)


def predict_probabilities(model: keras.Model, arrays: dict, batch_size: int = 256) -> np.ndarray:
    """Tag probabilities (N, T, tags) for :func:`cnnrnn.ner.encode`'s arrays, in their order.

    The arrays are padded (with masked, empty sentences and padding words) to a whole number of
    batches of a multiple of 32 words, so that calls with different data reuse one compiled
    function per width instead of tracing a new one for every shape.
    """
    count, length = arrays["words"].shape
    rows, width = -(-count // batch_size) * batch_size, -(-length // 32) * 32
    padded = {}
    for key, array in ner.model_inputs(arrays).items():
        padded[key] = np.zeros((rows, width, *array.shape[2:]), array.dtype)
        padded[key][:count, :length] = array
    return model.predict(padded, batch_size=batch_size, verbose=0)[:count, :length]


def predict_tags(model: keras.Model, arrays: dict, tags: Sequence[str], *,
                 viterbi: bool = True) -> list[list[str]]:
    """Tag lists for the encoded sentences: BIO-respecting Viterbi decoding by default,
    ``viterbi=False`` for the most likely tag of each word on its own."""
    lengths = arrays["mask"].sum(axis=1).astype(int)
    return ner.decode_all(predict_probabilities(model, arrays), lengths, tags, viterbi=viterbi)


class BestOnDevelopment(keras.callbacks.Callback):
    """After every epoch, score the development sentences (entity F1, Viterbi decoding); keep the
    best epoch's weights and put them back when training ends (early stopping without stopping:
    the run has a fixed number of epochs, the best one is kept). With ``patience``, stop after
    that many epochs without a better score."""

    def __init__(self, arrays: dict, sentences, tags: Sequence[str], patience: int | None = None,
                 viterbi: bool = True):
        super().__init__()
        self.arrays, self.gold, self.tags = arrays, ner.gold_tags(sentences), list(tags)
        self.patience, self.viterbi = patience, viterbi
        self.scores: list[float] = []
        self.best_weights = None
        self.best_epoch = 0

    def on_epoch_end(self, epoch, logs=None):
        predicted = predict_tags(self.model, self.arrays, self.tags, viterbi=self.viterbi)
        score = ner.entity_scores(self.gold, predicted)["f1"]
        self.scores.append(score)
        if logs is not None:
            logs["dev_f1"] = score
        if score >= max(self.scores):
            self.best_weights, self.best_epoch = self.model.get_weights(), epoch + 1
        elif self.patience is not None and epoch + 1 - self.best_epoch >= self.patience:
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.best_weights is not None:
            self.model.set_weights(self.best_weights)


def train_tagger(
    train: Sequence[ner.Sentence],
    dev: Sequence[ner.Sentence],
    test: Sequence[ner.Sentence] | None = None,
    *,
    bidirectional: bool = True,
    seed: int = 0,
    epochs: int = DEFAULTS["epochs"],
    batch_size: int = DEFAULTS["batch_size"],
    learning_rate: float = DEFAULTS["learning_rate"],
    clipnorm: float | None = DEFAULTS["clipnorm"],
    schedule: str = DEFAULTS["schedule"],
    min_count: int = DEFAULTS["min_count"],
    patience: int | None = None,
    viterbi: bool = True,
    verbose: int | str = 0,
    inputs: ner.TaggingInputs | None = None,
    **model_settings,
) -> TrainResult:
    """Train a tagger on ``train``, keep its best epoch on ``dev``, score ``test`` (if given).

    ``model_settings`` go to :func:`build_tagger` (``units``, ``casing_dim``, ``word_dropout``
    ...). The vocabularies are built from ``train`` (words seen at least ``min_count`` times)
    unless ``inputs`` is given. ``seconds`` is the time of ``fit``, development scoring after
    every epoch included. ``test_metrics`` holds the test set's entity precision, recall and F1
    (empty without ``test``); ``extra`` holds ``inputs``, ``dev_f1`` (one per epoch),
    ``best_epoch`` and, with ``test``, ``test_predicted`` (the decoded tags).
    """
    keras.utils.set_random_seed(seed)
    inputs = inputs or ner.TaggingInputs.build(train, min_count=min_count)
    train_arrays, dev_arrays = ner.encode(train, inputs), ner.encode(dev, inputs)
    rate = learning_rate
    if schedule == "cosine":
        steps = epochs * -(-len(train) // batch_size)
        rate = keras.optimizers.schedules.CosineDecay(learning_rate, steps)
    elif schedule != "constant":
        raise ValueError(f"schedule must be 'constant' or 'cosine', not {schedule!r}")
    model = compile_tagger(build_tagger(inputs, bidirectional=bidirectional, seed=seed,
                                        **model_settings),
                           learning_rate=rate, clipnorm=clipnorm)
    best = BestOnDevelopment(dev_arrays, dev, inputs.tags, patience=patience, viterbi=viterbi)
    dataset = training_dataset(train_arrays, batch_size, seed)
    start = time.perf_counter()
    history = model.fit(dataset, epochs=epochs, callbacks=[best], shuffle=False, verbose=verbose)
    seconds = time.perf_counter() - start
    extra = {"inputs": inputs, "dev_f1": best.scores, "best_epoch": best.best_epoch}
    test_metrics: dict[str, float] = {}
    if test is not None:
        predicted = predict_tags(model, ner.encode(test, inputs), inputs.tags, viterbi=viterbi)
        test_metrics = ner.entity_scores(ner.gold_tags(test), predicted)
        extra["test_predicted"] = predicted
    return TrainResult(model, history.history, test_metrics, seconds, len(best.scores),
                       model.name, extra)
