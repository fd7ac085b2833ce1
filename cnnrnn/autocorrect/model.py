"""The corrector: candidates from the deletion index, ranked by a character-level bidirectional GRU.

A typed word that is not a known word gets up to ``k`` candidate words from
:class:`~cnnrnn.autocorrect.candidates.CandidateIndex` (the nearest, then the most frequent).
The scorer reads one ``(typed, candidate)`` pair as a single character sequence, ``typed`` then a
separator then ``candidate``, with a bidirectional GRU: the forward state reaches the candidate's
letters carrying what was typed, the backward state the other way round. Its last states, with
the pair's edit distance and the candidate's log frequency, give one score; a softmax over the
word's candidates is trained to put the right word first (a listwise loss), on synthetic
misspellings of real words (:mod:`cnnrnn.autocorrect.noise`).

So decoding is constrained to real words by construction, the frequency acts as a prior the model
learns to weigh, and correcting a batch of words is one batched model call.
"""

from __future__ import annotations

import io
import json
import os
import time
import zipfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from cnnrnn.autocorrect.candidates import CandidateIndex
from cnnrnn.autocorrect.noise import generate
from cnnrnn.autocorrect.vocabulary import WordFrequencies, load_word_frequencies

#: Letters the scorer reads; 0 is padding and ``len(LETTERS) + 1`` separates typed from candidate.
LETTERS = "abcdefghijklmnopqrstuvwxyz"
SEPARATOR = len(LETTERS) + 1
#: Longest word, typed or candidate, the scorer reads; longer typed words pass through unchanged.
MAX_WORD_LENGTH = 20
#: Edit distances the features tell apart (0, 1, 2, and 3 or more).
DISTANCE_BUCKETS = 4
FORMAT_VERSION = 1
SHIPPED_MODEL = Path(__file__).with_name("corrector.npz")


class ModelFileError(OSError):
    """A corrector file that is missing, unreadable or of another format; the message says how
    to get a good one."""


@dataclass
class Settings:
    """Everything that defines a corrector besides its weights (saved with them)."""
    units: int = 32
    embedding: int = 16
    hidden: int = 32
    k: int = 16
    max_distance: int = 3
    index_depth: int = 2
    min_known_count: int = 1
    log_count_mean: float = 0.0
    log_count_std: float = 1.0
    training: dict = field(default_factory=dict)


def encode_pairs(typed: Sequence[str], candidates: Sequence[str]) -> np.ndarray:
    """``typed[i]``, a separator and ``candidates[i]`` as letter codes (1-26), one row per pair,
    padded with 0 to the longest row. Only lower-case ``a``-``z`` words are expected."""
    if len(typed) != len(candidates):
        raise ValueError(f"{len(typed)} typed words but {len(candidates)} candidates")
    rows = [t + "{" + c for t, c in zip(typed, candidates)]   # "{" is the code after "z"
    width = max((len(r) for r in rows), default=1)
    out = np.zeros((len(rows), width), dtype=np.int32)
    for i, r in enumerate(rows):
        out[i, :len(r)] = np.frombuffer(r.encode("ascii"), dtype=np.uint8) - (ord("a") - 1)
    return out


def pair_features(distances: np.ndarray, log_counts: np.ndarray, settings: Settings) -> np.ndarray:
    """Per pair: the edit distance one-hot (0, 1, 2, 3+) and the candidate's standardized log
    count."""
    d = np.minimum(np.asarray(distances), DISTANCE_BUCKETS - 1)
    onehot = np.eye(DISTANCE_BUCKETS, dtype=np.float32)[d]
    prior = ((np.asarray(log_counts) - settings.log_count_mean) / settings.log_count_std)
    return np.concatenate([onehot, prior.astype(np.float32)[:, None]], axis=1)


def build_scorer(settings: Settings, seed: int = 0):
    """The pair scorer: letters -> embedding -> bidirectional GRU, joined with the pair features
    -> dense -> one score."""
    import keras
    keras.utils.set_random_seed(seed)
    letters = keras.Input((None,), dtype="int32", name="letters")
    features = keras.Input((DISTANCE_BUCKETS + 1,), name="features")
    x = keras.layers.Embedding(SEPARATOR + 1, settings.embedding, mask_zero=True)(letters)
    x = keras.layers.Bidirectional(keras.layers.GRU(settings.units))(x)
    x = keras.layers.Concatenate()([x, features])
    x = keras.layers.Dense(settings.hidden, activation="relu")(x)
    score = keras.layers.Dense(1)(x)
    return keras.Model([letters, features], score, name="pair_scorer")


@dataclass
class CandidateLists:
    """Training lists: for each misspelling, its ``k`` candidates (padded) and which is right."""
    letters: np.ndarray    # (n, k, width) int32
    features: np.ndarray   # (n, k, DISTANCE_BUCKETS + 1) float32
    valid: np.ndarray      # (n, k) bool
    label: np.ndarray      # (n,) int: position of the right word among the candidates
    dropped: int           # misspellings whose right word was not among the candidates


def candidate_lists(index: CandidateIndex, pairs: Sequence[tuple[str, str]],
                    settings: Settings) -> CandidateLists:
    """The ranking problems the scorer trains on: each ``(wrong, right)`` pair's shortlist, kept
    only when the right word is on it (otherwise no ranking can fix it)."""
    k = settings.k
    pairs = [(w, r) for w, r in pairs if len(w) <= MAX_WORD_LENGTH]
    lists = index.shortlist([w for w, _ in pairs], k, settings.max_distance)
    # typed, separator, candidate (at most max_distance letters longer than the typed word)
    width = 2 * MAX_WORD_LENGTH + 1 + settings.max_distance
    kept = [(w, r, c, d) for (w, r), (c, d) in zip(pairs, lists) if r in c]
    n = len(kept)
    letters = np.zeros((n, k, width), dtype=np.int32)
    features = np.zeros((n, k, DISTANCE_BUCKETS + 1), dtype=np.float32)
    valid = np.zeros((n, k), dtype=bool)
    label = np.zeros(n, dtype=np.int64)
    log_counts = np.log(index.vocabulary.counts.astype(np.float64))
    position = index.vocabulary.index
    for i, (w, r, c, d) in enumerate(kept):
        rows = encode_pairs([w] * len(c), c)
        letters[i, :len(c), :rows.shape[1]] = rows
        features[i, :len(c)] = pair_features(d, log_counts[[position[x] for x in c]], settings)
        valid[i, :len(c)] = True
        label[i] = c.index(r)
    return CandidateLists(letters, features, valid, label, len(pairs) - n)


def _listwise_model(scorer, k: int, width: int):
    """The scorer applied to each of a list's ``k`` candidates, padding masked out: (n, k)
    logits for a softmax over the list."""
    import keras
    from keras import ops

    class ListScores(keras.layers.Layer):
        def __init__(self, scorer, **kwargs):
            super().__init__(**kwargs)
            self.scorer = scorer

        def call(self, letters, features, valid):
            flat = self.scorer([ops.reshape(letters, (-1, width)),
                                ops.reshape(features, (-1, DISTANCE_BUCKETS + 1))])
            scores = ops.reshape(flat, (-1, k))
            return ops.where(valid, scores, -1e9)

    letters = keras.Input((k, width), dtype="int32")
    features = keras.Input((k, DISTANCE_BUCKETS + 1))
    valid = keras.Input((k,), dtype="bool")
    return keras.Model([letters, features, valid], ListScores(scorer)(letters, features, valid))


def _compiled(scorer):
    """``scorer`` as one traced graph for any batch size and length (TensorFlow backend; an
    eager call runs the GRU's loop step by step in Python and is several times slower)."""
    import keras
    if keras.backend.backend() != "tensorflow":
        return lambda letters, features: scorer([letters, features], training=False)
    import tensorflow as tf
    return tf.function(lambda letters, features: scorer([letters, features], training=False),
                       input_signature=[tf.TensorSpec((None, None), tf.int32),
                                        tf.TensorSpec((None, DISTANCE_BUCKETS + 1), tf.float32)])


class Corrector:
    """A trained corrector: the vocabulary, its candidate index and the pair scorer.

    Build it once (:meth:`load`, or :func:`train`), then call :meth:`correct` on as many words as
    you like; it corrects them in one batch.
    """

    def __init__(self, scorer, settings: Settings, vocabulary: WordFrequencies | None = None,
                 index: CandidateIndex | None = None):
        self.scorer = scorer
        self.settings = settings
        self.vocabulary = vocabulary if vocabulary is not None else load_word_frequencies()
        self.index = index if index is not None else CandidateIndex(self.vocabulary,
                                                                    settings.index_depth)
        self._log_counts = np.log(self.vocabulary.counts.astype(np.float64))
        self._predict = _compiled(scorer)

    def is_known(self, word: str) -> bool:
        """Whether ``word`` (lower case) is a word of the vocabulary counted at least
        ``settings.min_known_count`` times: such words are never changed."""
        return self.vocabulary.count(word) >= max(self.settings.min_known_count, 1)

    def candidates(self, words: Sequence[str], top: int = 1) -> list[list[str]]:
        """The ``top`` best corrections of each lower-case word, best first.

        A known word, a word with letters other than ``a``-``z``, a word longer than
        :data:`MAX_WORD_LENGTH` and a word with no candidate come back as ``[word]``.
        """
        if top < 1:
            raise ValueError(f"top must be >= 1, not {top}")
        out: list[list[str] | None] = [None] * len(words)
        todo = []
        for i, w in enumerate(words):
            if (not w or self.is_known(w) or len(w) > MAX_WORD_LENGTH
                    or not w.isascii() or not w.isalpha() or not w.islower()):
                out[i] = [w]
            else:
                todo.append(i)
        lists = self.index.shortlist([words[i] for i in todo], self.settings.k,
                                     self.settings.max_distance)
        flat_typed = [words[i] for i, (c, _) in zip(todo, lists) for _ in c]
        flat_cands = [x for c, _ in lists for x in c]
        if flat_cands:
            scores = self._score(flat_typed, flat_cands,
                                 np.concatenate([d for _, d in lists]))
        start = 0
        for i, (c, _) in zip(todo, lists):
            s = scores[start:start + len(c)] if c else np.zeros(0)
            start += len(c)
            order = np.argsort(-s, kind="stable")[:top]
            out[i] = [c[j] for j in order] if c else [words[i]]
        return out

    def probabilities(self, word: str) -> list[tuple[str, int, float]]:
        """The candidates of one lower-case, unknown ``word`` with their edit distances and the
        scorer's probabilities (the softmax over the list it was trained with), most probable
        first. Empty when the word has no candidate."""
        (cands, distances), = self.index.shortlist([word], self.settings.k,
                                                   self.settings.max_distance)
        if not cands:
            return []
        scores = self._score([word] * len(cands), cands, distances).astype(np.float64)
        p = np.exp(scores - scores.max())
        p /= p.sum()
        order = np.argsort(-p, kind="stable")
        return [(cands[i], int(distances[i]), float(p[i])) for i in order]

    def correct(self, words: Sequence[str]) -> list[str]:
        """The best correction of each lower-case word (see :meth:`candidates`)."""
        return [c[0] for c in self.candidates(words, 1)]

    def _score(self, typed: list[str], cands: list[str], distances: np.ndarray,
               batch: int = 8192) -> np.ndarray:
        log_counts = self._log_counts[[self.vocabulary.index[c] for c in cands]]
        features = pair_features(distances, log_counts, self.settings)
        # pairs sorted by length so that each batch is padded only to its own longest pair
        order = np.argsort([len(t) + len(c) for t, c in zip(typed, cands)], kind="stable")
        scores = np.zeros(len(cands), dtype=np.float32)
        for start in range(0, len(order), batch):
            part = order[start:start + batch]
            letters = encode_pairs([typed[i] for i in part], [cands[i] for i in part])
            scores[part] = np.asarray(self._predict(letters, features[part]))[:, 0]
        return scores

    def save(self, path: str | os.PathLike) -> Path:
        """Write the weights and settings to one ``.npz`` file (a zip of NumPy arrays)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        arrays = {f"w{i}": w for i, w in enumerate(self.scorer.get_weights())}
        meta = {"format": FORMAT_VERSION, "settings": asdict(self.settings)}
        arrays["meta"] = np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8)
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **arrays)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(buffer.getvalue())
        tmp.replace(path)   # never leave a half-written model where a good one was
        return path

    @classmethod
    def load(cls, path: str | os.PathLike | None = None, vocabulary: WordFrequencies | None = None,
             index: CandidateIndex | None = None) -> Corrector:
        """The corrector saved at ``path`` (default: the one shipped with the package).

        ``vocabulary`` and ``index`` let several correctors share one word list and one
        candidate index (building the index takes a few seconds); by default both are built.
        """
        path = Path(path) if path is not None else SHIPPED_MODEL
        how = ("train one with `python -m cnnrnn.autocorrect train --out PATH`, or leave out "
               "--model to use the one shipped with the package")
        if not path.is_file():
            raise ModelFileError(f"no corrector model at {path}: {how}")
        try:
            with np.load(path) as data:
                meta = json.loads(bytes(data["meta"]).decode("utf-8"))
                weights = [data[f"w{i}"] for i in range(len(data.files) - 1)]
        except (OSError, ValueError, KeyError, zipfile.BadZipFile, UnicodeDecodeError) as err:
            raise ModelFileError(f"{path} is not a readable corrector model ({err}): {how}") \
                from err
        if meta.get("format") != FORMAT_VERSION:
            raise ModelFileError(f"{path} has model format {meta.get('format')}, this version "
                                 f"reads {FORMAT_VERSION}: {how}")
        settings = Settings(**meta["settings"])
        scorer = build_scorer(settings)
        try:
            scorer.set_weights(weights)
        except ValueError as err:
            raise ModelFileError(f"{path} does not match the scorer's shapes ({err}): {how}") \
                from err
        return cls(scorer, settings, vocabulary, index)


def synthetic_pairs(vocabulary: WordFrequencies, n: int, seed: int, power: float = 0.5,
                    two_error_rate: float = 0.2, noise_weights: dict | None = None
                    ) -> list[tuple[str, str]]:
    """``n`` words drawn from ``vocabulary`` (probability proportional to ``count**power``),
    each misspelled by :func:`cnnrnn.autocorrect.noise.generate` (with ``noise_weights``, default
    :data:`~cnnrnn.autocorrect.noise.DEFAULT_WEIGHTS`) into a non-word: ``[(wrong, right), ...]``.
    """
    words = vocabulary.sample(n, seed=seed, power=power, min_length=2)
    return [(m.wrong, m.right)
            for m in generate(words, seed=seed + 1, two_error_rate=two_error_rate,
                              weights=noise_weights, avoid=vocabulary)]


def training_recipe(fast: bool = False) -> dict:
    """The keyword arguments of :func:`train` for the shipped model (full) or a small run for
    tests (fast, about a minute on two cores). Chosen on synthetic validation data and Norvig's
    set 1 (``benchmarks/autocorrect_search.md``)."""
    if fast:
        return {"n_train": 6000, "n_validation": 500, "epochs": 3}
    return {"n_train": 60000, "n_validation": 4000, "epochs": 4}


def train(n_train: int = 60000, n_validation: int = 4000, epochs: int = 4, seed: int = 0,
          settings: Settings | None = None, power: float = 0.5, two_error_rate: float = 0.2,
          batch_size: int = 128, learning_rate: float = 3e-3,
          vocabulary: WordFrequencies | None = None, index: CandidateIndex | None = None,
          noise_weights: dict | None = None, verbose: int = 0) -> tuple[Corrector, dict]:
    """Train a corrector on synthetic misspellings; returns it and a record of the run (data
    sizes, seconds, per-epoch training and validation loss and accuracy).

    The validation lists are synthetic too (another seed, the same noise); real misspellings
    are for evaluation only. ``noise_weights`` changes the mix of error kinds (see
    :data:`cnnrnn.autocorrect.noise.DEFAULT_WEIGHTS`).
    """
    import keras
    vocabulary = vocabulary if vocabulary is not None else load_word_frequencies()
    settings = settings if settings is not None else Settings()
    log_counts = np.log(vocabulary.counts.astype(np.float64))
    settings.log_count_mean = float(log_counts.mean())
    settings.log_count_std = float(log_counts.std())
    started = time.perf_counter()
    index = index if index is not None else CandidateIndex(vocabulary, settings.index_depth)
    train_lists = candidate_lists(index, synthetic_pairs(vocabulary, n_train, seed, power,
                                                         two_error_rate, noise_weights), settings)
    valid_lists = candidate_lists(index, synthetic_pairs(vocabulary, n_validation, seed + 1000,
                                                         power, two_error_rate, noise_weights),
                                  settings)
    data_seconds = time.perf_counter() - started
    scorer = build_scorer(settings, seed)
    ranker = _listwise_model(scorer, settings.k, train_lists.letters.shape[2])
    ranker.compile(optimizer=keras.optimizers.Adam(learning_rate),
                   loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                   metrics=["accuracy"])
    started = time.perf_counter()
    history = ranker.fit([train_lists.letters, train_lists.features, train_lists.valid],
                         train_lists.label, batch_size=batch_size, epochs=epochs, verbose=verbose,
                         validation_data=([valid_lists.letters, valid_lists.features,
                                           valid_lists.valid], valid_lists.label))
    fit_seconds = time.perf_counter() - started
    settings.training = {"n_train": n_train, "n_validation": n_validation, "epochs": epochs,
                         "seed": seed, "power": power, "two_error_rate": two_error_rate,
                         "batch_size": batch_size, "learning_rate": learning_rate,
                         "noise_weights": noise_weights}
    record = {"train_lists": len(train_lists.label), "train_dropped": train_lists.dropped,
              # the control: always taking the list's first candidate (nearest, most frequent)
              "validation_first_candidate_accuracy": float(np.mean(valid_lists.label == 0)),
              "validation_lists": len(valid_lists.label),
              "validation_dropped": valid_lists.dropped,
              "data_seconds": data_seconds, "fit_seconds": fit_seconds,
              "history": {k: [float(x) for x in v] for k, v in history.history.items()}}
    return Corrector(scorer, settings, vocabulary, index), record


def evaluate(corrector: Corrector, pairs: Sequence[tuple[str, str]]) -> dict:
    """Top-1 and top-3 accuracy of ``corrector`` on ``(wrong, right)`` pairs, with its
    predictions and words per second (wall clock, one batch)."""
    wrongs = [w for w, _ in pairs]
    started = time.perf_counter()
    ranked = corrector.candidates(wrongs, top=3)
    seconds = time.perf_counter() - started
    top1 = float(np.mean([r[0] == right for r, (_, right) in zip(ranked, pairs)]))
    top3 = float(np.mean([right in r for r, (_, right) in zip(ranked, pairs)]))
    return {"top1": top1, "top3": top3, "seconds": seconds,
            "words_per_second": len(pairs) / seconds, "predictions": [r[0] for r in ranked],
            "ranked": ranked}
