"""Shape and size arithmetic that the notebooks check against Keras: output sizes, receptive fields,
parameter and multiply-add counts.

Pure Python, no Keras import, so the formulas stay cheap to import and test.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple


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


class ConvCost(NamedTuple):
    """What one ``Conv2D`` layer costs on one image: its output size, parameters and multiply-adds."""

    out_height: int
    out_width: int
    params: int
    macs: int


def conv2d_cost(
    height: int,
    width: int,
    c_in: int,
    c_out: int,
    kernel: int | tuple[int, int],
    stride: int = 1,
    padding: str | int = "same",
    bias: bool = True,
) -> ConvCost:
    """Parameters and multiply-adds of a 2D convolution over one ``height x width x c_in`` image.

    Each of the ``out_height * out_width * c_out`` outputs is a dot product over a
    ``kh x kw x c_in`` window, so the layer does ``out_height * out_width * c_out * kh * kw * c_in``
    multiply-adds (the bias additions are not counted) and has ``kh * kw * c_in * c_out`` weights
    plus ``c_out`` biases. The cost is a product of the factors: linear in the number of output
    pixels, in ``c_in``, in ``c_out`` and in the kernel area, never exponential in any of them.
    Output sizes follow :func:`conv_output_size`.
    """
    kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
    if min(c_in, c_out) < 1:
        raise ValueError("c_in and c_out must be positive")
    out_h = conv_output_size(height, kh, stride, padding)
    out_w = conv_output_size(width, kw, stride, padding)
    weights = kh * kw * c_in * c_out
    return ConvCost(out_h, out_w, weights + (c_out if bias else 0), out_h * out_w * c_out * kh * kw * c_in)
