"""cnnrnn.text: the character vocabulary, the split by position and the two batch layouts."""

import numpy as np
import pytest

from cnnrnn import text
from cnnrnn.text import CharVocab, UnknownCharacterError


def test_vocab_is_sorted_and_round_trips():
    vocab = CharVocab.from_text("to be, or not to be\n")
    assert vocab.chars == "\n ,benort"
    assert len(vocab) == 9 and "b" in vocab and "z" not in vocab
    codes = vocab.encode("not to be")
    assert codes.dtype == np.int32 and codes.tolist() == [5, 6, 8, 1, 8, 6, 1, 3, 4]
    assert vocab.decode(codes) == "not to be"
    assert vocab.decode(np.array([], dtype=int)) == ""


def test_unknown_characters_are_a_clear_error():
    vocab = CharVocab.from_text("abc")
    with pytest.raises(UnknownCharacterError, match=r"2 character\(s\) not in the vocabulary: "
                                                    r"'我', 'z' \(first at position 1"):
        vocab.encode("a我zz")
    with pytest.raises(UnknownCharacterError) as error:
        vocab.check("xyz")
    assert error.value.unknown == ["x", "y", "z"]
    assert isinstance(error.value, ValueError)


def test_vocab_rejects_bad_input():
    with pytest.raises(ValueError, match="empty"):
        CharVocab.from_text("")
    with pytest.raises(ValueError, match="once"):
        CharVocab("aa")
    with pytest.raises(TypeError, match="str"):
        CharVocab.from_text("ab").encode([0, 1])
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        CharVocab.from_text("ab").decode([0, 2])


def test_split_by_position_keeps_the_last_tenth_for_validation():
    train, validation = text.split_by_position("abcdefghij" * 10)
    assert len(train) == 90 and len(validation) == 10
    assert train + validation == "abcdefghij" * 10
    codes = np.arange(1000)
    train, validation = text.split_by_position(codes, 0.25)
    assert train[-1] == 749 and validation[0] == 750
    with pytest.raises(ValueError):
        text.split_by_position("ab", 1.5)
    with pytest.raises(ValueError, match="too short"):
        text.split_by_position("a")


def test_windows_are_targets_shifted_by_one():
    codes = np.arange(23)
    inputs, targets = text.windows(codes, 5)
    assert inputs.shape == targets.shape == (4, 5)
    assert inputs[1].tolist() == [5, 6, 7, 8, 9]
    np.testing.assert_array_equal(targets, inputs + 1)
    with pytest.raises(ValueError, match="too few"):
        text.windows(np.arange(5), 5)


def test_stream_batches_continue_each_row_from_batch_to_batch():
    codes = np.arange(1001)
    batch, window = 4, 10
    inputs, targets = text.stream_batches(codes, batch, window)
    stream = 1000 // batch  # 250 characters per stream, 25 windows
    assert inputs.shape == (25 * batch, window)
    np.testing.assert_array_equal(targets, inputs + 1)
    for row in range(batch):
        # Row `row` of consecutive batches, glued together, is one unbroken stretch of the text.
        glued = np.concatenate([inputs[k * batch + row] for k in range(25)])
        np.testing.assert_array_equal(glued, np.arange(row * stream, row * stream + 250))
    with pytest.raises(ValueError, match="too few"):
        text.stream_batches(np.arange(30), 4, 10)
    with pytest.raises(ValueError, match="integer codes"):
        text.stream_batches(np.zeros((2, 50), dtype=int), 1, 5)



def test_shuffle_words_keeps_lines_and_characters():
    original = "the cat sat\non the mat\n\nto be or not to be"
    shuffled = text.shuffle_words(original, seed=1)
    assert shuffled != original
    assert text.shuffle_words(original, seed=1) == shuffled          # seeded
    for before, after in zip(original.split("\n"), shuffled.split("\n"), strict=True):
        assert sorted(before.split(" ")) == sorted(after.split(" "))  # same words, same line
        assert len(before) == len(after)
    assert sorted(original) == sorted(shuffled)                      # the same characters
