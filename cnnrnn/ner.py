"""Named-entity recognition as sequence tagging: inputs, batches, a baseline, decoding and scores.

The entity-extraction chapter tags every word of a tweet with a BIO tag (``B-PER`` begins a
person's name, ``I-PER`` continues it, ``O`` is outside every entity). This module holds what the
notebook and the benchmark share, so that both measure the same thing:

- :class:`Vocabulary` (strings to integer ids, with a padding and an unknown-word id) and
  :class:`TaggingInputs` (the word, character and casing vocabularies and the tag list, built
  from the training sentences), with :func:`word_key` (the normalized form a word is looked up
  by) and :func:`casing` (a word's shape: lower case, capitalized, upper case, ``@``, URL ...).
- :func:`encode` (sentences to padded id arrays) and :func:`batches` (length-bucketed, shuffled
  batches for training, each padded only to its own longest sentence).
- :func:`most_frequent_tag_baseline`: every word gets the tag it had most often in training.
- :func:`allowed_transitions` and :func:`viterbi_decode`: the best tag sequence under the model's
  per-word probabilities that never breaks the BIO scheme (no ``O -> I-PER``, no
  ``B-ORG -> I-PER``).
- :func:`entity_scores`, :func:`per_type_table` and :func:`confusion_counts`: entity-level scores
  from ``seqeval`` (CoNLL scoring: an entity counts only if its type and both boundaries are
  right) and a count of the kinds of errors.

Nothing here imports Keras: the model lives in :mod:`cnnrnn.models.tagger`.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

Sentence = tuple[list[str], list[str]]  # (tokens, tags)

PAD, UNK = 0, 1
PAD_TOKEN, UNK_TOKEN = "<pad>", "<unk>"
#: Characters per word kept for the character features (longer words are cut; URLs mostly).
MAX_WORD_CHARS = 20
#: Word shapes, see :func:`casing`. Index 0 is padding.
CASINGS = ("<pad>", "lower", "title", "upper", "mixed", "digit", "punct", "mention", "hashtag",
           "url", "other")
_URL = re.compile(r"^(https?://|www\.)", re.IGNORECASE)
_DIGIT = re.compile(r"\d")


@dataclass
class Vocabulary:
    """Strings to integer ids: id 0 is padding, id 1 the unknown string, then ``tokens``.

    ``encode`` maps a string it has not seen to :data:`UNK`, so a new word at test time gets an id
    instead of an error.
    """

    tokens: list[str]
    index: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self):
        if len(set(self.tokens)) != len(self.tokens):
            raise ValueError("Vocabulary: tokens must be distinct")
        if PAD_TOKEN in self.tokens or UNK_TOKEN in self.tokens:
            raise ValueError(f"Vocabulary: {PAD_TOKEN!r} and {UNK_TOKEN!r} are reserved")
        self.index = {token: i for i, token in enumerate([PAD_TOKEN, UNK_TOKEN, *self.tokens])}

    @classmethod
    def from_counts(cls, counts: Counter, min_count: int = 1) -> Vocabulary:
        """Every string seen at least ``min_count`` times, most frequent first (ties: A-Z)."""
        if min_count < 1:
            raise ValueError(f"min_count must be at least 1, not {min_count}")
        kept = [token for token, count in counts.items() if count >= min_count]
        return cls(sorted(kept, key=lambda token: (-counts[token], token)))

    def __len__(self) -> int:
        return len(self.index)

    def __contains__(self, token: str) -> bool:
        return token in self.index and self.index[token] > UNK

    def encode(self, token: str) -> int:
        return self.index.get(token, UNK)

    def decode(self, index: int) -> str:
        if not 0 <= index < len(self):
            raise IndexError(f"id {index} is outside the vocabulary of {len(self)}")
        return PAD_TOKEN if index == PAD else UNK_TOKEN if index == UNK else self.tokens[index - 2]


def word_key(token: str) -> str:
    """The form a word is looked up by: lower case, digits as 0, every URL as ``<url>``.

    The word embedding then learns one vector for "Obama", "OBAMA" and "obama" (the casing and
    the characters keep the difference) and one for every link.
    """
    if _URL.match(token):
        return "<url>"
    return _DIGIT.sub("0", token.lower())


def casing(token: str) -> int:
    """The shape of a word, an index into :data:`CASINGS` (never 0, which is padding)."""
    if token == "@" or (token.startswith("@") and len(token) > 1):
        return CASINGS.index("mention")
    if token.startswith("#"):
        return CASINGS.index("hashtag")
    if _URL.match(token):
        return CASINGS.index("url")
    letters = [c for c in token if c.isalpha()]
    if _DIGIT.search(token):
        return CASINGS.index("digit")
    if not letters:
        return CASINGS.index("punct" if token and all(not c.isalnum() for c in token)
                             else "other")
    if all(c.islower() for c in letters):
        return CASINGS.index("lower")
    if all(c.isupper() for c in letters):
        return CASINGS.index("upper" if len(letters) > 1 else "title")
    if letters[0].isupper() and all(c.islower() for c in letters[1:]):
        return CASINGS.index("title")
    return CASINGS.index("mixed")


def check_sentences(sentences: Sequence[Sentence]) -> None:
    """Raise ValueError unless ``sentences`` is a non-empty list of aligned (tokens, tags)."""
    if not sentences:
        raise ValueError("no sentences")
    for number, (tokens, tags) in enumerate(sentences):
        if len(tokens) != len(tags):
            raise ValueError(f"sentence {number}: {len(tokens)} tokens but {len(tags)} tags")
        if not tokens:
            raise ValueError(f"sentence {number} is empty")


@dataclass
class TaggingInputs:
    """Everything that turns sentences into model inputs, built from the training sentences only.

    ``words`` holds every normalized word (:func:`word_key`) seen at least ``min_count`` times in
    training; the others become :data:`UNK`. ``chars`` holds every character seen in training.
    ``tags`` is the tag list; its index is the model's output class (``"O"`` first).
    """

    words: Vocabulary
    chars: Vocabulary
    tags: list[str]
    max_word_chars: int = MAX_WORD_CHARS

    @classmethod
    def build(cls, train: Sequence[Sentence], *, min_count: int = 1,
              max_word_chars: int = MAX_WORD_CHARS) -> TaggingInputs:
        check_sentences(train)
        word_counts = Counter(word_key(token) for tokens, _ in train for token in tokens)
        char_counts = Counter(c for tokens, _ in train for token in tokens for c in token)
        tag_set = {tag for _, tags in train for tag in tags}
        for tag in tag_set:
            if tag != "O" and not re.match(r"^[BI]-.+", tag):
                raise ValueError(f"tag {tag!r} is not BIO (O, B-TYPE or I-TYPE)")
        types = sorted({tag[2:] for tag in tag_set if tag != "O"})
        tags = ["O"] + [f"{prefix}-{kind}" for kind in types for prefix in "BI"]
        return cls(Vocabulary.from_counts(word_counts, min_count), Vocabulary.from_counts(char_counts),
                   tags, max_word_chars)

    @property
    def tag_index(self) -> dict[str, int]:
        return {tag: i for i, tag in enumerate(self.tags)}


def encode(sentences: Sequence[Sentence], inputs: TaggingInputs, length: int | None = None):
    """Padded id arrays for ``sentences``: a dict with ``words`` (N, T), ``chars`` (N, T, C),
    ``casing`` (N, T), plus the targets ``tags`` (N, T) and ``mask`` (N, T; 1 for a real word).

    T is ``length`` or the longest sentence; C is ``inputs.max_word_chars``. Padding is 0
    everywhere (tag 0 is "O", but the mask marks it as padding). A tag unknown to ``inputs`` is
    an error.
    """
    check_sentences(sentences)
    longest = max(len(tokens) for tokens, _ in sentences)
    length = longest if length is None else length
    if length < longest:
        raise ValueError(f"length {length} is shorter than the longest sentence ({longest})")
    n, c = len(sentences), inputs.max_word_chars
    words = np.zeros((n, length), "int32")
    chars = np.zeros((n, length, c), "int32")
    shapes = np.zeros((n, length), "int32")
    tags = np.zeros((n, length), "int32")
    mask = np.zeros((n, length), "float32")
    tag_index = inputs.tag_index
    for i, (tokens, sentence_tags) in enumerate(sentences):
        for j, (token, tag) in enumerate(zip(tokens, sentence_tags)):
            words[i, j] = inputs.words.encode(word_key(token))
            ids = [inputs.chars.encode(ch) for ch in token[:c]]
            chars[i, j, :len(ids)] = ids
            shapes[i, j] = casing(token)
            if tag not in tag_index:
                raise ValueError(f"tag {tag!r} of sentence {i} is not among {inputs.tags}")
            tags[i, j] = tag_index[tag]
            mask[i, j] = 1.0
    return {"words": words, "chars": chars, "casing": shapes, "tags": tags, "mask": mask}


def model_inputs(arrays: dict) -> dict:
    """The three model inputs (``words``, ``chars``, ``casing``) of :func:`encode`'s arrays."""
    return {key: arrays[key] for key in ("words", "chars", "casing")}


def batches(arrays: dict, batch_size: int, *, seed: int | None = None, round_to: int = 8
            ) -> Iterator[tuple[dict, np.ndarray, np.ndarray]]:
    """``(inputs, tags, mask)`` batches of :func:`encode`'s arrays, each cut to its longest
    sentence (rounded up to a multiple of ``round_to``, so few distinct shapes reach the model).

    With ``seed`` (training), sentences are shuffled, then grouped by length within windows of
    50 batches (bucketing: few padding steps, which the recurrent layer would otherwise run
    through), and the batches come in a random order. Without ``seed`` they keep their order.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    lengths = arrays["mask"].sum(axis=1).astype(int)
    order = np.arange(len(lengths))
    if seed is not None:
        rng = np.random.default_rng(seed)
        order = rng.permutation(order)
        window = 50 * batch_size
        order = np.concatenate([chunk[np.argsort(lengths[chunk], kind="stable")]
                                for chunk in np.split(order, range(window, len(order), window))])
    groups = [order[i:i + batch_size] for i in range(0, len(order), batch_size)]
    if seed is not None:
        groups = [groups[i] for i in rng.permutation(len(groups))]
    for group in groups:
        width = int(-(-lengths[group].max() // round_to) * round_to)
        width = min(width, arrays["words"].shape[1])
        inputs = {key: arrays[key][group, :width] for key in ("words", "chars", "casing")}
        yield inputs, arrays["tags"][group, :width], arrays["mask"][group, :width]


def most_frequent_tag_baseline(train: Sequence[Sentence]):
    """A tagger that gives each word (exact form) its most frequent tag in ``train``, "O" for a
    word never seen. Returns ``tag(sentences) -> list of tag lists``; ties go to the tag seen
    first in training."""
    check_sentences(train)
    counts: dict[str, Counter] = defaultdict(Counter)
    for tokens, tags in train:
        for token, tag in zip(tokens, tags):
            counts[token][tag] += 1
    best = {token: tag_counts.most_common(1)[0][0] for token, tag_counts in counts.items()}

    def tag(sentences: Sequence[Sentence] | Sequence[list[str]]) -> list[list[str]]:
        return [[best.get(token, "O") for token in _tokens(sentence)] for sentence in sentences]

    return tag


def _tokens(sentence) -> list[str]:
    """The tokens of a ``(tokens, tags)`` pair or of a plain token list."""
    if isinstance(sentence, tuple) and len(sentence) == 2 and isinstance(sentence[0], list):
        return sentence[0]
    return list(sentence)


def allowed_transitions(tags: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Which tag may follow which under BIO: ``(start, transition)`` boolean arrays.

    ``start[j]``: tag j may begin a sentence (not an ``I-`` tag). ``transition[i, j]``: tag j may
    follow tag i; ``I-X`` only after ``B-X`` or ``I-X``, everything else after anything.
    """
    n = len(tags)
    start = np.array([not tag.startswith("I-") for tag in tags])
    transition = np.ones((n, n), bool)
    for j, tag in enumerate(tags):
        if tag.startswith("I-"):
            kind = tag[2:]
            transition[:, j] = [prev in (f"B-{kind}", f"I-{kind}") for prev in tags]
    return start, transition


def viterbi_decode(probabilities: np.ndarray, tags: Sequence[str]) -> list[str]:
    """The tag sequence with the highest product of per-word probabilities among those that
    respect BIO (:func:`allowed_transitions`), by dynamic programming (Viterbi).

    ``probabilities`` is (T, number of tags) for one sentence, padding removed. Taking the most
    likely tag word by word can produce ``O I-PER`` or ``B-ORG I-PER``; this never does. It costs
    T x tags² steps.
    """
    probabilities = np.asarray(probabilities, dtype="float64")
    if probabilities.ndim != 2 or probabilities.shape[1] != len(tags):
        raise ValueError(f"probabilities must be (T, {len(tags)}), not {probabilities.shape}")
    if len(probabilities) == 0:
        return []
    start, transition = allowed_transitions(tags)
    log_p = np.log(np.clip(probabilities, 1e-12, 1.0))
    forbidden = np.where(transition, 0.0, -np.inf)
    score = np.where(start, log_p[0], -np.inf)  # best log-probability of a path ending in each tag
    back = np.zeros(probabilities.shape, int)
    for t in range(1, len(log_p)):
        candidates = score[:, None] + forbidden  # previous tag (rows) -> this tag (columns)
        back[t] = candidates.argmax(axis=0)
        score = candidates.max(axis=0) + log_p[t]
    path = [int(score.argmax())]
    for t in range(len(log_p) - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    return [tags[i] for i in reversed(path)]


def greedy_decode(probabilities: np.ndarray, tags: Sequence[str]) -> list[str]:
    """The most likely tag of each word on its own (may break BIO, e.g. ``O I-PER``)."""
    return [tags[i] for i in np.asarray(probabilities).argmax(axis=-1)]


def decode_all(probabilities: np.ndarray, lengths: Sequence[int], tags: Sequence[str], *,
               viterbi: bool = True) -> list[list[str]]:
    """Decode a padded batch ``probabilities`` (N, T, tags) sentence by sentence."""
    decode = viterbi_decode if viterbi else greedy_decode
    return [decode(p[:n], tags) for p, n in zip(probabilities, lengths)]


def gold_tags(sentences: Sequence[Sentence]) -> list[list[str]]:
    return [list(tags) for _, tags in sentences]


def _check_aligned(true: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]) -> None:
    if len(true) != len(predicted):
        raise ValueError(f"{len(true)} true sentences but {len(predicted)} predicted")
    for number, (a, b) in enumerate(zip(true, predicted)):
        if len(a) != len(b):
            raise ValueError(f"sentence {number}: {len(a)} true tags but {len(b)} predicted")


def entity_scores(true: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]) -> dict:
    """Entity-level ``precision``, ``recall`` and ``f1`` (micro-averaged over all entities) from
    ``seqeval``, CoNLL-2003 style: a predicted entity is right only if its type and both of its
    boundaries match a true one. Also ``token_accuracy`` (mostly "O", so it flatters)."""
    from seqeval.metrics import accuracy_score, f1_score, precision_score, recall_score

    _check_aligned(true, predicted)
    true, predicted = [list(s) for s in true], [list(s) for s in predicted]
    return {"precision": float(precision_score(true, predicted, zero_division=0)),
            "recall": float(recall_score(true, predicted, zero_division=0)),
            "f1": float(f1_score(true, predicted, zero_division=0)),
            "token_accuracy": float(accuracy_score(true, predicted))}


def per_type_table(true: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]
                   ) -> dict[str, dict[str, float]]:
    """Precision, recall, F1 and support (true entities) per entity type, and the micro average,
    from ``seqeval``'s classification report: ``{"PER": {"precision": ..., ...}, ...}``."""
    from seqeval.metrics import classification_report

    _check_aligned(true, predicted)
    report = classification_report([list(s) for s in true], [list(s) for s in predicted],
                                   output_dict=True, zero_division=0)
    rows = {}
    for name, values in report.items():
        if name in ("macro avg", "weighted avg"):
            continue
        rows[name] = {"precision": float(values["precision"]), "recall": float(values["recall"]),
                      "f1": float(values["f1-score"]), "support": int(values["support"])}
    return rows


def entities(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """The entities of one tag sequence as ``(type, first, last)`` word positions, as seqeval
    reads them."""
    from seqeval.metrics.sequence_labeling import get_entities

    return [tuple(e) for e in get_entities(list(tags))]


def confusion_counts(true: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]) -> Counter:
    """How each true entity fared, and what the wrong predictions were, as counts of
    ``(true, predicted)``:

    - ``("PER", "PER")``: found, right type and boundaries;
    - ``("PER", "LOC")``: exactly the right words, wrong type;
    - ``("PER", "boundary")``: a predicted entity overlaps it, but with other boundaries;
    - ``("PER", "missed")``: no predicted entity touches it;
    - ``("none", "LOC")``: a predicted LOC that touches no true entity (a false alarm).
    """
    _check_aligned(true, predicted)
    counts: Counter = Counter()
    for true_tags, predicted_tags in zip(true, predicted):
        gold, guess = entities(true_tags), entities(predicted_tags)
        spans = {(first, last): kind for kind, first, last in guess}
        for kind, first, last in gold:
            if (first, last) in spans:
                counts[(kind, spans[(first, last)])] += 1
            elif any(f <= last and first <= l for _, f, l in guess):
                counts[(kind, "boundary")] += 1
            else:
                counts[(kind, "missed")] += 1
        for kind, first, last in guess:
            if not any(f <= last and first <= l for _, f, l in gold):
                counts[("none", kind)] += 1
    return counts


def mention_conventions(sentences: Sequence[Sentence]) -> Counter:
    """How the ``@`` tokens of ``sentences`` are tagged, as counts of ``(tag of @, tag of the
    next token)``. The Broad Twitter Corpus splits "@user" into "@" and "user"; some of its
    sections tag both (``B-PER B-PER``: two entities), others only the name (``O B-PER``)."""
    counts: Counter = Counter()
    for tokens, tags in sentences:
        for i, token in enumerate(tokens[:-1]):
            if token == "@":
                counts[(tags[i], tags[i + 1])] += 1
    return counts


def harmonize_mentions(sentences: Sequence[Sentence]) -> tuple[list[Sentence], int]:
    """The sentences with every ``@`` tagged ``O`` before a name tagged ``B-X`` retagged ``B-X``
    (the convention of the corpus's development section), and the number of changes.
    Nothing else changes; the input is not modified."""
    check_sentences(sentences)
    changed, result = 0, []
    for tokens, tags in sentences:
        tags = list(tags)
        for i, token in enumerate(tokens[:-1]):
            if token == "@" and tags[i] == "O" and tags[i + 1].startswith("B-"):
                tags[i] = tags[i + 1]
                changed += 1
        result.append((list(tokens), tags))
    return result, changed


def tag_statistics(sentences: Sequence[Sentence]) -> dict:
    """Counts for the data section of the chapter: sentences, words, entities per type, share of
    words outside every entity."""
    check_sentences(sentences)
    words = sum(len(tokens) for tokens, _ in sentences)
    per_type = Counter(kind for _, tags in sentences for kind, _, _ in entities(tags))
    outside = sum(tag == "O" for _, tags in sentences for tag in tags)
    return {"sentences": len(sentences), "words": words, "entities": sum(per_type.values()),
            "per_type": dict(sorted(per_type.items())), "outside_share": outside / words}


def unknown_share(sentences: Iterable[Sentence], inputs: TaggingInputs) -> float:
    """The share of words in ``sentences`` that ``inputs.words`` maps to the unknown id."""
    keys = [word_key(token) for tokens, _ in sentences for token in tokens]
    return sum(key not in inputs.words for key in keys) / len(keys)
