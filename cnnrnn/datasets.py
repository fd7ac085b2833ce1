"""Training views of the raw data in :mod:`cnnrnn.data`: scaling, subsets, splits, pipelines, shifts.

:mod:`cnnrnn.data` loads files exactly as published; this module turns them into what a model
trains on, the same way in every notebook and benchmark.
"""

from __future__ import annotations

import numpy as np

from cnnrnn import data

#: Training digits held out for learning curves and for choosing settings (the last ones).
MNIST_VALIDATION_SIZE = 5000


def take(arrays, count: int | None, seed: int = 0):
    """The same random ``count`` rows of each array (all rows, in order, when ``count`` is None).

    Used to shrink a data set in fast mode without losing class balance by accident.
    """
    arrays = tuple(arrays)
    total = len(arrays[0])
    if any(len(array) != total for array in arrays):
        raise ValueError("take: arrays differ in length")
    if count is None or count >= total:
        return arrays
    if count <= 0:
        raise ValueError(f"take: count must be positive, not {count}")
    index = np.random.default_rng(seed).permutation(total)[:count]
    index.sort()
    return tuple(array[index] for array in arrays)


def mnist_scaled(
    train_size: int | None = None, test_size: int | None = None, *, seed: int = 0
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """MNIST ready for a CNN: float32 pixels in [0, 1], shape (N, 28, 28, 1), integer labels.

    ``train_size``/``test_size`` take a fixed random subset (fast mode); None keeps everything.
    """
    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    x_train, y_train = take((x_train, y_train), train_size, seed)
    x_test, y_test = take((x_test, y_test), test_size, seed)
    scale = lambda x: (x.astype("float32") / 255.0)[..., np.newaxis]  # noqa: E731
    return (scale(x_train), y_train.astype("int64")), (scale(x_test), y_test.astype("int64"))


def split_validation(x: np.ndarray, y: np.ndarray, size: int = MNIST_VALIDATION_SIZE):
    """``(train, validation)``: the last ``size`` examples become the validation pair."""
    if not 0 < size < len(x):
        raise ValueError(f"validation size must be between 1 and {len(x) - 1}, not {size}")
    return (x[:-size], y[:-size]), (x[-size:], y[-size:])


def mnist_pipeline(x: np.ndarray, y: np.ndarray, batch_size: int, *, training: bool,
                   seed: int = 0):
    """A ``tf.data.Dataset`` of ``(images, labels)`` batches: cache, shuffle (training), batch,
    prefetch.

    The arrays are cached in memory once; a training pipeline reshuffles all of them every epoch
    (with ``seed``, so runs repeat), an evaluation pipeline keeps their order. ``prefetch``
    prepares the next batch while the model trains on this one.
    """
    import tensorflow as tf

    dataset = tf.data.Dataset.from_tensor_slices((x, y)).cache()
    if training:
        dataset = dataset.shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
    return dataset.batch(batch_size).prefetch(tf.data.AUTOTUNE)


def shift_images(images: np.ndarray, dx: int, dy: int) -> np.ndarray:
    """A copy of ``images`` moved ``dx`` pixels right and ``dy`` pixels down, filled with zeros.

    ``images`` has the layout ``(N, height, width)`` or ``(N, height, width, channels)``.
    Negative values move left or up. What leaves the frame is lost (not wrapped around).
    """
    images = np.asarray(images)
    if images.ndim < 3:
        raise ValueError(f"shift_images expects (N, height, width[, channels]), got {images.shape}")
    dx, dy = int(dx), int(dy)
    height, width = images.shape[1], images.shape[2]
    shifted = np.zeros_like(images)
    if abs(dx) >= width or abs(dy) >= height:
        return shifted
    src_rows = slice(max(0, -dy), height - max(0, dy))
    dst_rows = slice(max(0, dy), height - max(0, -dy))
    src_cols = slice(max(0, -dx), width - max(0, dx))
    dst_cols = slice(max(0, dx), width - max(0, -dx))
    shifted[:, dst_rows, dst_cols] = images[:, src_rows, src_cols]
    return shifted


def permute_pixels(images: np.ndarray, seed: int = 0) -> np.ndarray:
    """``images`` (N, H, W[, C]) with their pixels moved by one fixed random permutation (seeded).

    The same permutation for every image, so a digit keeps every pixel value and the task keeps
    all its information; only which pixels are neighbours changes. An MLP, which treats its input
    as an unordered list of numbers, can learn the permuted task exactly as well as the original
    (a permuted first layer undoes it); a CNN, built on neighbourhoods, cannot.
    """
    images = np.asarray(images)
    if images.ndim < 3:
        raise ValueError(f"expected images shaped (N, H, W) or (N, H, W, C), not {images.shape}")
    height, width = images.shape[1:3]
    order = np.random.default_rng(seed).permutation(height * width)
    flat = images.reshape(len(images), height * width, -1)[:, order]
    return flat.reshape(images.shape)
