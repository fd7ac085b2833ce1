import numpy as np
import pytest

from cnnrnn.training import take


def test_take_returns_the_same_rows_of_each_array():
    x = np.arange(100)
    y = np.arange(100) * 10
    xs, ys = take((x, y), 10, seed=1)
    assert len(xs) == 10 and np.array_equal(ys, xs * 10)
    assert np.array_equal(take((x, y), 10, seed=1)[0], xs)  # repeatable


def test_take_none_keeps_everything():
    x = np.arange(5)
    assert take((x,), None)[0] is x


def test_take_rejects_bad_input():
    with pytest.raises(ValueError, match="differ in length"):
        take((np.arange(3), np.arange(4)), 2)
    with pytest.raises(ValueError, match="positive"):
        take((np.arange(3),), 0)
