"""A generated fill-in-the-blank corpus shaped like a source article's example sentence.

Source article 002 asks a model to complete "我喜欢在公园里散步，因为它很____" ("I like to walk in
the park, because it is very ___") and says a CNN cannot link the start of the sentence to its end.
To test that as a controlled experiment, every sentence here reads

    i like to walk in the <place> <filler words> because it is very ___

where the right completion is the adjective tied to the place (:data:`PLACES`: park -> green,
library -> quiet, ...; 8 places, so chance is 1/8), and the place is the only word that decides
it: the prefix, the tail and the blank are the same in every sentence, and the filler words are
drawn independently of the place. The *distance* ``k`` is the number of words from the place to
the blank (the blank's position minus the place's): the four tail words and the blank make
``k >= 5`` (:data:`MIN_DISTANCE`), and ``k - 5`` filler words, made of short phrases
(:data:`FILLER_PHRASES`), stretch it.

- :func:`sentence`: the words of one sentence, for a place and a distance.
- :func:`cloze_corpus`: word ids (left-padded with 0, so the blank is always the last position),
  the answer class of each sentence, and its distance; seeded and deterministic.
- :func:`decode`: ids back to text.
- :data:`ARTICLE_WORDS`: the article's own sentence cut into words, to count its distance.

NumPy only, no Keras.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

#: Each place and the adjective that completes its sentence, in class order (class 0 = park).
PLACES: dict[str, str] = {
    "park": "green",
    "library": "quiet",
    "market": "busy",
    "beach": "sunny",
    "forest": "shady",
    "museum": "old",
    "harbour": "windy",
    "garden": "colourful",
}
#: The answer classes, in order: ``ADJECTIVES[label]`` is the word for the blank.
ADJECTIVES: tuple[str, ...] = tuple(PLACES.values())
PREFIX: tuple[str, ...] = ("i", "like", "to", "walk", "in", "the")
TAIL: tuple[str, ...] = ("because", "it", "is", "very")
BLANK = "___"
PAD = "<pad>"
#: The shortest distance from the place to the blank: the tail's words and the blank itself.
MIN_DISTANCE = len(TAIL) + 1
#: Short phrases the filler words are cut from; none names a place or an adjective.
FILLER_PHRASES: tuple[tuple[str, ...], ...] = (
    ("often",), ("slowly",), ("alone",), ("again",), ("today",),
    ("with", "my", "dog"), ("with", "friends"), ("after", "work"), ("after", "lunch"),
    ("every", "morning"), ("on", "sundays"), ("in", "the", "evening"), ("when", "i", "can"),
    ("for", "an", "hour"), ("and", "then", "home"), ("before", "dinner"), ("if", "it", "is", "dry"),
    ("with", "my", "sister", "and", "her", "children"), ("near", "my", "school"),
)
#: The article's sentence in words (a hand segmentation), the blank last.
ARTICLE_SENTENCE = "我喜欢在公园里散步，因为它很____。"
ARTICLE_WORDS: tuple[str, ...] = ("我", "喜欢", "在", "公园", "里", "散步", "，", "因为", "它", "很",
                                  "____")
ARTICLE_PLACE = "公园"


def _vocabulary() -> tuple[str, ...]:
    words = [PAD, BLANK]
    for word in (*PREFIX, *PLACES, *TAIL, *(w for phrase in FILLER_PHRASES for w in phrase)):
        if word not in words:
            words.append(word)
    return tuple(words)


#: Every input word; a word's id is its index, 0 is padding.
VOCABULARY: tuple[str, ...] = _vocabulary()
WORD_ID: dict[str, int] = {word: index for index, word in enumerate(VOCABULARY)}
#: The id of each place, in class order.
PLACE_IDS: tuple[int, ...] = tuple(WORD_ID[place] for place in PLACES)

if set(ADJECTIVES) & set(VOCABULARY):  # an answer among the inputs would leak it
    raise AssertionError("an adjective is also an input word")


def _check_distance(distance) -> int:
    if isinstance(distance, bool) or int(distance) != distance or distance < MIN_DISTANCE:
        raise ValueError(f"distance must be an integer >= {MIN_DISTANCE}, not {distance!r}")
    return int(distance)


def filler(count: int, rng: np.random.Generator) -> list[str]:
    """``count`` filler words: random phrases of :data:`FILLER_PHRASES`, the last one cut to fit."""
    words: list[str] = []
    while len(words) < count:
        words.extend(FILLER_PHRASES[int(rng.integers(len(FILLER_PHRASES)))])
    return words[:count]


def sentence(place: str, distance: int, rng: np.random.Generator | int = 0) -> list[str]:
    """The words of one sentence about ``place`` whose blank lies ``distance`` words after it.

    ``distance - 5`` filler words go between the place and "because it is very ___"; the blank
    (:data:`BLANK`) is the last word. ``rng`` draws the filler (a Generator, or a seed).
    """
    if place not in PLACES:
        raise ValueError(f"unknown place {place!r}; the places are {list(PLACES)}")
    distance = _check_distance(distance)
    rng = np.random.default_rng(rng) if not isinstance(rng, np.random.Generator) else rng
    words = [*PREFIX, place, *filler(distance - MIN_DISTANCE, rng), *TAIL, BLANK]
    assert len(words) - 1 - words.index(place) == distance
    return words


def sentence_length(distance: int) -> int:
    """How many words a sentence with this distance has: the prefix, the place, then ``distance``."""
    return len(PREFIX) + 1 + _check_distance(distance)


class Corpus(NamedTuple):
    """Sentences as word ids, left-padded with 0 so that the blank is the last position."""

    codes: np.ndarray      # (n, length) int32
    labels: np.ndarray     # (n,) int64: the index of the right adjective in ADJECTIVES
    distances: np.ndarray  # (n,) int64: words from the place to the blank


def cloze_corpus(per_distance: int, distances: Sequence[int], *, length: int | None = None,
                 seed: int = 0) -> Corpus:
    """``per_distance`` sentences for each distance in ``distances``, shuffled, fully set by ``seed``.

    Places are drawn uniformly (chance accuracy is ``1 / len(PLACES)``), fillers at random.
    ``length`` (default: the longest sentence) is the padded width; shorter sentences get zeros
    on the left, so for every sentence the blank is the last position and the place is
    ``distance`` positions before it.
    """
    if isinstance(per_distance, bool) or int(per_distance) != per_distance or per_distance < 1:
        raise ValueError(f"per_distance must be a positive integer, not {per_distance!r}")
    distances = [_check_distance(d) for d in distances]
    if not distances:
        raise ValueError("distances must name at least one distance")
    longest = sentence_length(max(distances))
    width = longest if length is None else int(length)
    if width < longest:
        raise ValueError(f"length {width} is shorter than the longest sentence ({longest} words)")
    rng = np.random.default_rng(seed)
    n = int(per_distance) * len(distances)
    row_distances = np.repeat(np.array(distances, dtype=np.int64), int(per_distance))
    row_distances = row_distances[rng.permutation(n)]
    labels = rng.integers(0, len(PLACES), size=n).astype(np.int64)
    places = list(PLACES)
    codes = np.zeros((n, width), dtype=np.int32)
    for row, (label, distance) in enumerate(zip(labels, row_distances)):
        ids = [WORD_ID[w] for w in sentence(places[label], int(distance), rng)]
        codes[row, width - len(ids):] = ids
    return Corpus(codes, labels, row_distances)


def decode(codes: Sequence[int]) -> str:
    """Word ids back to a sentence, padding left out."""
    return " ".join(VOCABULARY[int(c)] for c in codes if int(c) != 0)


def article_distance() -> int:
    """Words from the place (公园) to the blank in the article's own sentence, as segmented in
    :data:`ARTICLE_WORDS`."""
    return len(ARTICLE_WORDS) - 1 - ARTICLE_WORDS.index(ARTICLE_PLACE)
