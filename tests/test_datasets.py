"""cnnrnn.datasets: subsets, MNIST scaling, validation split, the tf.data pipeline, pixel shifts."""

import numpy as np
import pytest

from cnnrnn import datasets
from cnnrnn.datasets import shift_images, take


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


def test_mnist_scaled_subsets():
    (x_train, y_train), (x_test, y_test) = datasets.mnist_scaled(500, 100)
    assert x_train.shape == (500, 28, 28, 1) and x_test.shape == (100, 28, 28, 1)
    assert x_train.dtype == np.float32 and 0.0 <= x_train.min() and x_train.max() == 1.0
    assert len(y_train) == 500 and len(y_test) == 100 and set(y_test) <= set(range(10))


def test_split_validation_takes_the_last_examples():
    x, y = np.arange(20).reshape(10, 2), np.arange(10)
    (x_train, y_train), (x_val, y_val) = datasets.split_validation(x, y, size=3)
    np.testing.assert_array_equal(y_train, np.arange(7))
    np.testing.assert_array_equal(y_val, [7, 8, 9])
    assert x_train.shape == (7, 2) and x_val.shape == (3, 2)
    with pytest.raises(ValueError, match="validation size"):
        datasets.split_validation(x, y, size=10)


def test_shift_images_moves_right_and_down_with_zero_fill():
    images = np.arange(2 * 4 * 5).reshape(2, 4, 5)
    shifted = shift_images(images, dx=2, dy=1)
    assert shifted.shape == images.shape and shifted.dtype == images.dtype
    assert np.array_equal(shifted[:, 1:, 2:], images[:, :3, :3])
    assert not shifted[:, 0, :].any() and not shifted[:, :, :2].any()


def test_shift_images_left_up_keeps_channels_and_round_trips_inside():
    images = np.random.default_rng(0).random((3, 6, 6, 2))
    shifted = shift_images(images, dx=-1, dy=-2)
    assert np.array_equal(shifted[:, :4, :5], images[:, 2:, 1:])
    assert not shifted[:, 4:].any() and not shifted[:, :, 5:].any()
    back = shift_images(shifted, dx=1, dy=2)
    assert np.array_equal(back[:, 2:, 1:], images[:, 2:, 1:])
    assert np.array_equal(shift_images(images, 0, 0), images)


def test_shift_images_past_the_frame_is_empty_and_bad_shapes_fail():
    assert not shift_images(np.ones((1, 3, 3)), dx=3, dy=0).any()
    with pytest.raises(ValueError, match="expects"):
        shift_images(np.ones((3, 3)), 1, 0)


def test_pipeline_batches_and_order():
    x = np.arange(10 * 28 * 28, dtype="float32").reshape(10, 28, 28, 1)
    y = np.arange(10)
    batches = list(datasets.mnist_pipeline(x, y, 4, training=False))
    assert [tuple(b[0].shape) for b in batches] == [(4, 28, 28, 1), (4, 28, 28, 1), (2, 28, 28, 1)]
    np.testing.assert_array_equal(np.concatenate([b[1] for b in batches]), y)  # order kept
    first, second = ([int(v) for b in datasets.mnist_pipeline(x, y, 4, training=True) for v in b[1]]
                     for _ in range(2))
    assert sorted(first) == list(range(10))  # every digit once per epoch
    assert first != list(range(10))  # shuffled


def test_permute_pixels_is_one_fixed_permutation_that_keeps_every_value():
    rng = np.random.default_rng(0)
    images = rng.random((5, 4, 6, 1)).astype("float32")
    permuted = datasets.permute_pixels(images, seed=2)
    assert permuted.shape == images.shape
    for original, moved in zip(images, permuted):
        np.testing.assert_array_equal(np.sort(original.ravel()), np.sort(moved.ravel()))
    # The same permutation for every image: pixel i goes to the same place in each.
    flat, flat_moved = images.reshape(5, -1), permuted.reshape(5, -1)
    sources = [int(np.flatnonzero(flat[0] == value)[0]) for value in flat_moved[0]]
    np.testing.assert_array_equal(flat[:, sources], flat_moved)
    assert not np.array_equal(permuted, images)
    np.testing.assert_array_equal(datasets.permute_pixels(images[..., 0], seed=2), permuted[..., 0])
    with pytest.raises(ValueError, match="images"):
        datasets.permute_pixels(np.zeros((3, 4)))
