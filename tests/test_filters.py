import numpy as np
import pytest

from cnnrnn.filters import classic_filters


def test_classic_filters():
    filters = classic_filters()
    assert set(filters) == {"vertical edges", "horizontal edges", "blur", "sharpen"}
    assert all(f.shape == (3, 3) and f.dtype == np.float32 for f in filters.values())
    assert filters["blur"].sum() == pytest.approx(1.0) and filters["sharpen"].sum() == 1.0
    assert filters["vertical edges"].sum() == 0 and filters["horizontal edges"].sum() == 0
    # vertical edges: zero on a flat image, positive where it gets brighter to the right
    ramp = np.tile(np.arange(3, dtype="float32"), (3, 1))
    assert (filters["vertical edges"] * ramp).sum() > 0 and (filters["horizontal edges"] * ramp).sum() == 0
