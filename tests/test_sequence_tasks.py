"""cnnrnn.sequence_tasks: the generated memory tasks have the documented shapes, answers and chance."""

import numpy as np
import pytest

from cnnrnn import sequence_tasks as tasks


def test_recall_shapes_and_one_hot():
    x, y = tasks.recall_first_symbol(50, 7, symbols=3, distractors=5, seed=1)
    assert x.shape == (50, 8, 8) and x.dtype == np.float32
    assert y.shape == (50,)
    np.testing.assert_array_equal(x.sum(axis=-1), 1.0)           # one symbol per step


def test_recall_answer_is_the_first_symbol_and_the_rest_are_distractors():
    x, y = tasks.recall_first_symbol(200, 5, symbols=4, distractors=3, seed=2)
    np.testing.assert_array_equal(x[:, 0].argmax(axis=-1), y)
    assert (x[:, 0, 4:] == 0).all()                               # step 0: a signal symbol
    assert (x[:, 1:, :4] == 0).all()                              # later steps: distractors only
    assert set(np.unique(y)) == {0, 1, 2, 3}


def test_recall_gap_zero_is_one_step():
    x, y = tasks.recall_first_symbol(3, 0)
    assert x.shape == (3, 1, 8)


def test_recall_is_reproducible_and_balanced():
    a = tasks.recall_first_symbol(4000, 3, seed=5)
    b = tasks.recall_first_symbol(4000, 3, seed=5)
    np.testing.assert_array_equal(a[0], b[0])
    counts = np.bincount(a[1], minlength=4) / 4000
    assert np.all(np.abs(counts - 0.25) < 0.03)                   # chance is 1 / symbols
    assert not np.array_equal(a[0], tasks.recall_first_symbol(4000, 3, seed=6)[0])


@pytest.mark.parametrize("kwargs, match", [
    ({"n": 0, "gap": 3}, "n"), ({"n": 2, "gap": -1}, "gap"), ({"n": 2, "gap": 1.5}, "gap"),
    ({"n": 2, "gap": 3, "symbols": 1}, "symbols"), ({"n": 2, "gap": 3, "distractors": 0}, "distractors"),
])
def test_recall_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        tasks.recall_first_symbol(**kwargs)


def test_adding_problem_targets_and_marks():
    x, y = tasks.adding_problem(300, 20, seed=3)
    assert x.shape == (300, 20, 2) and x.dtype == np.float32 and y.shape == (300,)
    marks = x[..., 1]
    np.testing.assert_array_equal(marks.sum(axis=1), 2.0)
    assert (marks[:, :10].sum(axis=1) == 1).all() and (marks[:, 10:].sum(axis=1) == 1).all()
    np.testing.assert_allclose((x[..., 0] * marks).sum(axis=1), y, rtol=1e-6)
    assert ((x[..., 0] >= 0) & (x[..., 0] < 1)).all()


def test_adding_baseline_is_the_variance_of_the_target():
    _, y = tasks.adding_problem(20000, 10, seed=4)
    assert np.mean((y - 1.0) ** 2) == pytest.approx(tasks.ADDING_BASELINE_MSE, abs=0.01)


def test_adding_problem_rejects_bad_length():
    with pytest.raises(ValueError, match="length"):
        tasks.adding_problem(5, 1)


def test_motif_sequences_labels_say_whether_the_motif_occurs():
    tokens, lengths, labels = tasks.motif_sequences(600, 4, 30, pad_to=40, seed=3)
    assert tokens.shape == (600, 40) and tokens.dtype == np.int32
    assert labels.sum() == 300                                     # balanced: chance is 0.5
    first, second = tasks.MOTIF
    for row, length, label in zip(tokens, lengths, labels):
        assert (row[:length] > 0).all() and (row[length:] == 0).all()   # padding after the end
        pairs = sum(row[t] == first and row[t + 1] == second for t in range(length - 1))
        assert pairs == label                                      # once if labelled, else never
    assert 4 <= lengths.min() and lengths.max() <= 30 and len(set(lengths)) > 20


def test_motif_sequences_reproducible_and_checked():
    a, b = tasks.motif_sequences(50, 5, 9, seed=1), tasks.motif_sequences(50, 5, 9, seed=1)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    with pytest.raises(ValueError, match="max_length"):
        tasks.motif_sequences(5, 10, 9)
    with pytest.raises(ValueError, match="pad_to"):
        tasks.motif_sequences(5, 3, 9, pad_to=8)
