"""Shape and size arithmetic that the notebooks check against Keras: output sizes, receptive fields.

Pure Python, no Keras import, so the formulas stay cheap to import and test.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


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
