"""cnnrnn.cloze: the fill-in-the-blank sentences put the deciding place exactly ``distance`` words
before the blank, nothing else in a sentence tells the answer, and the corpus is seeded."""

import numpy as np
import pytest

from cnnrnn import cloze


def test_a_sentence_reads_as_documented_and_its_place_is_distance_words_back():
    words = cloze.sentence("park", 9, rng=3)
    assert words[:6] == list(cloze.PREFIX) and words[6] == "park"
    assert words[-5:] == [*cloze.TAIL, cloze.BLANK]
    assert len(words) - 1 - words.index("park") == 9 == len(words) - 7


def test_the_shortest_sentence_has_no_filler():
    assert cloze.sentence("beach", cloze.MIN_DISTANCE) == [*cloze.PREFIX, "beach", *cloze.TAIL, cloze.BLANK]
    assert cloze.sentence_length(cloze.MIN_DISTANCE) == 12


def test_corpus_rows_are_left_padded_with_the_blank_last_and_the_place_at_its_distance():
    corpus = cloze.cloze_corpus(30, (5, 11, 20), seed=4)
    assert corpus.codes.shape == (90, cloze.sentence_length(20)) and corpus.codes.dtype == np.int32
    assert (corpus.codes[:, -1] == cloze.WORD_ID[cloze.BLANK]).all()
    width = corpus.codes.shape[1]
    for codes, label, distance in zip(corpus.codes, corpus.labels, corpus.distances):
        assert codes[width - 1 - distance] == cloze.PLACE_IDS[label]
        # the place is the only place in the sentence, and padding only on the left
        assert np.isin(codes, cloze.PLACE_IDS).sum() == 1
        real = np.flatnonzero(codes)
        assert real[0] == width - cloze.sentence_length(int(distance))
        assert (codes[real[0]:] != 0).all()
    assert sorted(np.unique(corpus.distances, return_counts=True)[1]) == [30, 30, 30]


def test_nothing_but_the_place_carries_the_answer():
    """Filler words are drawn independently of the place: their frequencies are alike for every
    answer, so a model must read the place itself."""
    corpus = cloze.cloze_corpus(400, (40,), seed=0)
    vocabulary = len(cloze.VOCABULARY)
    counts = np.stack([np.bincount(corpus.codes[corpus.labels == label].ravel(), minlength=vocabulary)
                       for label in range(len(cloze.PLACES))]).astype(float)
    counts[:, list(cloze.PLACE_IDS)] = 0
    shares = counts / counts.sum(axis=1, keepdims=True)
    assert np.abs(shares - shares.mean(axis=0)).max() < 0.02


def test_the_corpus_is_seeded_and_balanced():
    a, b = cloze.cloze_corpus(200, (6, 30), seed=1), cloze.cloze_corpus(200, (6, 30), seed=1)
    np.testing.assert_array_equal(a.codes, b.codes)
    np.testing.assert_array_equal(a.labels, b.labels)
    assert not np.array_equal(a.codes, cloze.cloze_corpus(200, (6, 30), seed=2).codes)
    shares = np.bincount(a.labels, minlength=len(cloze.PLACES)) / len(a.labels)
    assert np.abs(shares - 1 / len(cloze.PLACES)).max() < 0.05


def test_decode_gives_the_sentence_back_without_padding():
    corpus = cloze.cloze_corpus(1, (7,), length=30, seed=0)
    text = cloze.decode(corpus.codes[0])
    assert text.startswith("i like to walk in the ") and text.endswith("because it is very ___")
    assert cloze.PAD not in text


def test_no_adjective_is_an_input_word_and_the_article_distance_is_counted():
    assert not set(cloze.ADJECTIVES) & set(cloze.VOCABULARY)
    assert cloze.article_distance() == 7
    assert "".join(cloze.ARTICLE_WORDS) == cloze.ARTICLE_SENTENCE.rstrip("。")


@pytest.mark.parametrize("call, match", [
    (lambda: cloze.sentence("moon", 8), "unknown place"),
    (lambda: cloze.sentence("park", 4), "distance"),
    (lambda: cloze.sentence("park", 6.5), "distance"),
    (lambda: cloze.cloze_corpus(0, (8,)), "per_distance"),
    (lambda: cloze.cloze_corpus(3, ()), "at least one"),
    (lambda: cloze.cloze_corpus(3, (20,), length=10), "shorter"),
])
def test_bad_arguments_are_refused_clearly(call, match):
    with pytest.raises(ValueError, match=match):
        call()
