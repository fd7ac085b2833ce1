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


def test_conv2d_cost_counts_parameters_and_multiply_adds():
    from cnnrnn.shapes import conv2d_cost

    # Conv2D(32, 3x3) on a 28x28x1 digit, 'same': 3*3*1*32 + 32 = 320 parameters,
    # 28*28 outputs per channel, 32 channels, 9 multiply-adds each
    assert conv2d_cost(28, 28, 1, 32, 3) == (28, 28, 320, 28 * 28 * 32 * 9)
    # 'valid', stride 2, no bias: output 13x13; 5x3 kernel given as a pair
    assert conv2d_cost(28, 28, 16, 8, 3, stride=2, padding="valid", bias=False) == (13, 13, 1152, 13 * 13 * 8 * 9 * 16)
    assert conv2d_cost(10, 20, 2, 4, (5, 3)).macs == 10 * 20 * 4 * 15 * 2
    # a 1x1 convolution is a dense layer at every pixel: c_in * c_out weights, applied h*w times
    cost = conv2d_cost(7, 7, 64, 32, 1)
    assert cost.params == 64 * 32 + 32 and cost.macs == 7 * 7 * 64 * 32


def test_conv2d_cost_is_linear_in_each_factor():
    from cnnrnn.shapes import conv2d_cost

    base = conv2d_cost(32, 32, 16, 16, 3).macs
    assert conv2d_cost(64, 64, 16, 16, 3).macs == 4 * base  # 4x the pixels
    assert conv2d_cost(32, 32, 32, 16, 3).macs == 2 * base
    assert conv2d_cost(32, 32, 16, 32, 3).macs == 2 * base
    assert conv2d_cost(32, 32, 16, 16, 9).macs == 9 * base  # 9x the kernel area
    with pytest.raises(ValueError, match="positive"):
        conv2d_cost(28, 28, 0, 8, 3)
