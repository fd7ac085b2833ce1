"""Image helpers of the convolution and pooling chapters, shared with later chapters.

- :func:`shift_images` moves digits by whole pixels (the translation experiments).
- :func:`conv_output_size` and :func:`receptive_field` are the two formulas of convolution
  arithmetic that the notebooks check against Keras.
- :func:`classic_filters` holds the hand-made 3x3 filters (edges, blur, sharpen).
- :func:`small_cnn` builds the small MNIST CNNs both notebooks train, with or without pooling.

Only :func:`small_cnn` imports Keras, so the formulas stay cheap to import and test.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


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


def conv_output_size(
    n: int, kernel: int, stride: int = 1, padding: str | int = "valid", dilation: int = 1
) -> int:
    """Output length along one axis of a convolution or pooling window over ``n`` inputs.

    ``padding`` is ``"valid"`` (no padding), ``"same"`` (Keras: pad so that the output has
    ``ceil(n / stride)`` positions) or an int ``p``: ``p`` zeros on each side. The formula is
    ``floor((n + 2p - k) / s) + 1``, with ``k = dilation * (kernel - 1) + 1`` the span of a
    dilated kernel (Dumoulin and Visin, *A guide to convolution arithmetic for deep learning*).
    """
    if min(n, kernel, stride, dilation) < 1:
        raise ValueError("n, kernel, stride and dilation must be positive")
    if padding == "same":
        return math.ceil(n / stride)
    if padding == "valid":
        padding = 0
    if not isinstance(padding, int) or padding < 0:
        raise ValueError(f"padding must be 'valid', 'same' or a non-negative int, not {padding!r}")
    span = dilation * (kernel - 1) + 1
    if n + 2 * padding < span:
        raise ValueError(f"a kernel spanning {span} does not fit in {n} + 2*{padding} inputs")
    return (n + 2 * padding - span) // stride + 1


def receptive_field(layers: Sequence[tuple[int, ...]]) -> list[int]:
    """Receptive-field size (in input pixels, along one axis) after each layer of a stack.

    Each layer is ``(kernel, stride)`` or ``(kernel, stride, dilation)``; a 2x2 pooling layer is
    ``(2, 2)``. With ``j`` the distance in input pixels between neighbouring units of the
    previous layer (its *jump*), a layer grows the field by ``(span - 1) * j`` and multiplies the
    jump by its stride: ``r += (span - 1) * j``, then ``j *= stride``, starting from ``r = j = 1``.
    """
    size, jump, sizes = 1, 1, []
    for layer in layers:
        kernel, stride, *rest = layer
        dilation = rest[0] if rest else 1
        if min(kernel, stride, dilation) < 1:
            raise ValueError(f"invalid layer {layer!r}")
        size += dilation * (kernel - 1) * jump
        jump *= stride
        sizes.append(size)
    return sizes


def classic_filters() -> dict[str, np.ndarray]:
    """Hand-made 3x3 filters of image processing, as float32 arrays (name -> kernel).

    "vertical edges" and "horizontal edges" are Sobel filters (they respond where brightness
    changes from left to right, or from top to bottom); "blur" is a small Gaussian that sums to
    one; "sharpen" adds to each pixel the difference between it and its four neighbours.
    """
    sobel = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype="float32")
    return {
        "vertical edges": sobel,
        "horizontal edges": sobel.T.copy(),
        "blur": np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]], dtype="float32") / 16,
        "sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype="float32"),
    }


def small_cnn(
    filters: Sequence[int] = (16, 32),
    *,
    pooling: str = "max",
    head: str = "flatten",
    augment_shift: int = 0,
    batch_norm: bool = False,
    bn_momentum: float = 0.9,
    input_shape: tuple[int, int, int] = (28, 28, 1),
    num_classes: int = 10,
    name: str | None = None,
):
    """An uncompiled small CNN for MNIST-sized images.

    One ``Conv2D(f, 3x3, padding="same", relu)`` per entry of ``filters`` (named ``conv1``,
    ``conv2``, ...), each followed by 2x2 pooling when ``pooling`` is ``"max"`` or ``"avg"``
    (``"none"``: no pooling, the maps keep the input size). Then ``head``: ``"flatten"``
    (Flatten, then the softmax layer sees every position) or ``"gap"`` (global average pooling:
    one mean per channel). ``augment_shift=k`` puts a ``RandomTranslation`` layer first that moves
    each training image by up to ``k`` pixels each way, filling with zeros; it is inactive at
    inference time. ``batch_norm=True`` puts a ``BatchNormalization(momentum=bn_momentum)``
    between each convolution and its ReLU, and drops the convolution's bias (the normalization's
    shift does its job).
    """
    import keras
    from keras import layers

    if pooling not in {"max", "avg", "none"}:
        raise ValueError(f"pooling must be 'max', 'avg' or 'none', not {pooling!r}")
    if head not in {"flatten", "gap"}:
        raise ValueError(f"head must be 'flatten' or 'gap', not {head!r}")
    stack: list = [keras.Input(shape=input_shape)]
    if augment_shift:
        stack.append(layers.RandomTranslation(
            augment_shift / input_shape[0], augment_shift / input_shape[1],
            fill_mode="constant", fill_value=0.0, interpolation="nearest", name="shift"))
    for index, width in enumerate(filters, start=1):
        if batch_norm:
            stack += [layers.Conv2D(width, 3, padding="same", use_bias=False, name=f"conv{index}"),
                      layers.BatchNormalization(momentum=bn_momentum, name=f"bn{index}"),
                      layers.Activation("relu", name=f"relu{index}")]
        else:
            stack.append(layers.Conv2D(width, 3, padding="same", activation="relu",
                                       name=f"conv{index}"))
        if pooling == "max":
            stack.append(layers.MaxPooling2D(2, name=f"pool{index}"))
        elif pooling == "avg":
            stack.append(layers.AveragePooling2D(2, name=f"pool{index}"))
    stack.append(layers.Flatten(name="flatten") if head == "flatten"
                 else layers.GlobalAveragePooling2D(name="gap"))
    stack.append(layers.Dense(num_classes, activation="softmax", name="output"))
    return keras.Sequential(stack, name=name)
