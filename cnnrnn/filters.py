"""Hand-made 3x3 image filters of classical image processing, used by the convolution chapters."""

from __future__ import annotations

import numpy as np


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
