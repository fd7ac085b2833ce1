import pytest

from cnnrnn.shapes import conv_output_size, receptive_field


@pytest.mark.parametrize("n, kernel, stride, padding, expected", [
    (28, 3, 1, "valid", 26), (28, 3, 1, "same", 28), (28, 3, 2, "valid", 13),
    (28, 3, 2, "same", 14), (27, 5, 2, "same", 14), (28, 5, 1, 2, 28), (7, 3, 2, 1, 4),
    (28, 2, 2, "valid", 14),
])
def test_conv_output_size_matches_the_formula(n, kernel, stride, padding, expected):
    assert conv_output_size(n, kernel, stride, padding) == expected


def test_conv_output_size_with_dilation_and_errors():
    assert conv_output_size(28, 3, dilation=2) == 24  # span 5
    with pytest.raises(ValueError, match="does not fit"):
        conv_output_size(2, 3)
    with pytest.raises(ValueError, match="padding"):
        conv_output_size(28, 3, padding="full")
    with pytest.raises(ValueError, match="positive"):
        conv_output_size(28, 3, stride=0)


def test_receptive_field_of_stacks():
    assert receptive_field([(3, 1)] * 4) == [3, 5, 7, 9]
    # conv 3x3, pool 2x2, conv 3x3, pool 2x2: 3, 4, 8, 10
    assert receptive_field([(3, 1), (2, 2), (3, 1), (2, 2)]) == [3, 4, 8, 10]
    assert receptive_field([(3, 1, 2), (3, 1, 4)]) == [5, 13]
    assert receptive_field([]) == []
    with pytest.raises(ValueError, match="invalid"):
        receptive_field([(3, 0)])
