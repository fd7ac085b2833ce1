"""cnnrnn.autocorrect.candidates: the deletion index finds every word within two edits, the
vectorised edit distance equals the scalar one, and shortlists are sorted by distance then
frequency."""

import itertools

import numpy as np
import pytest

from cnnrnn.autocorrect.baseline import edit_distance
from cnnrnn.autocorrect.candidates import CandidateIndex, deletions, edit_distances
from cnnrnn.autocorrect.vocabulary import WordFrequencies

WORDS = ("network", "networks", "net", "work", "neural", "letter", "latter", "later", "late",
         "station", "nation", "ration", "receive", "deceive", "the", "then", "than")


@pytest.fixture(scope="module")
def index():
    counts = np.arange(len(WORDS), 0, -1) * 100   # "network" most frequent
    return CandidateIndex(WordFrequencies(WORDS, counts))


def test_deletions_of_a_short_word():
    assert deletions("abc", 1) == {"abc", "bc", "ac", "ab"}
    assert deletions("abc", 2) == {"abc", "bc", "ac", "ab", "a", "b", "c"}
    assert deletions("", 2) == {""}
    with pytest.raises(ValueError):
        deletions("abc", -1)


def test_edit_distances_equal_the_scalar_distance():
    rng = np.random.default_rng(0)
    letters = "abcde"
    typed = ["".join(rng.choice(list(letters), rng.integers(0, 7))) for _ in range(400)]
    cands = ["".join(rng.choice(list(letters), rng.integers(0, 7))) for _ in range(400)]
    typed += ["ab", "", "networc", "teh"]
    cands += ["ba", "abc", "network", "the"]
    expected = [edit_distance(a, b) for a, b in zip(typed, cands)]
    assert edit_distances(typed, cands).tolist() == expected
    assert edit_distances([], []).tolist() == []
    with pytest.raises(ValueError, match="2 typed words but 1"):
        edit_distances(["a", "b"], ["a"])


def test_lookup_finds_every_word_within_two_edits(index):
    # every string within two edits of a few vocabulary words, as far as it is cheap to list
    for word in ("network", "letter", "the"):
        near = {word[:i] + word[i + 1:] for i in range(len(word))}
        near |= {word[:i] + c + word[i + 1:] for i in range(len(word)) for c in "xz"}
        near |= {a[:j] + b[j + 1:] for a, b in itertools.product(near, repeat=2)
                 for j in range(min(len(a), len(b)))}
        for typed in list(near)[:200]:
            found = {index.vocabulary.words[i] for i in index.lookup(typed)}
            within = {w for w in WORDS if edit_distance(typed, w) <= 2}
            assert within <= found, typed


def test_shortlist_is_sorted_by_distance_then_frequency(index):
    (words, distances), = index.shortlist(["lattr"], k=5)
    assert words[0] == "latter"          # one edit away
    assert list(distances) == sorted(distances)
    one_away = [w for w, d in zip(words, distances) if d == distances[0]]
    ranks = [WORDS.index(w) for w in one_away]
    assert ranks == sorted(ranks)        # ties: most frequent first
    assert len(index.shortlist(["lattr"], k=2)[0][0]) == 2


def test_shortlist_of_a_word_with_no_neighbour_is_empty(index):
    (words, distances), = index.shortlist(["qqqqqqqqqq"], k=5)
    assert words == [] and len(distances) == 0
    assert index.shortlist([], k=5) == []
