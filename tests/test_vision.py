import numpy as np
import pytest

from cnnrnn import vision  # noqa: E402
from cnnrnn.vision import (classic_filters, conv_output_size, receptive_field, shift_images,
                           small_cnn)


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


def test_classic_filters():
    filters = classic_filters()
    assert set(filters) == {"vertical edges", "horizontal edges", "blur", "sharpen"}
    assert all(f.shape == (3, 3) and f.dtype == np.float32 for f in filters.values())
    assert filters["blur"].sum() == pytest.approx(1.0) and filters["sharpen"].sum() == 1.0
    assert filters["vertical edges"].sum() == 0 and filters["horizontal edges"].sum() == 0
    # vertical edges: zero on a flat image, positive where it gets brighter to the right
    ramp = np.tile(np.arange(3, dtype="float32"), (3, 1))
    assert (filters["vertical edges"] * ramp).sum() > 0 and (filters["horizontal edges"] * ramp).sum() == 0


def test_small_cnn_shapes_and_options():
    keras = pytest.importorskip("keras")
    pooled = small_cnn((4, 8), pooling="max")
    assert pooled.output_shape == (None, 10)
    assert pooled.get_layer("conv2").output.shape[1:] == (14, 14, 8)
    assert pooled.get_layer("flatten").output.shape[-1] == 7 * 7 * 8
    flat = small_cnn((4, 8), pooling="none")
    assert flat.get_layer("flatten").output.shape[-1] == 28 * 28 * 8
    gap = small_cnn((4, 8), head="gap", augment_shift=3)
    assert gap.get_layer("gap").output.shape[-1] == 8
    assert isinstance(gap.get_layer("shift"), keras.layers.RandomTranslation)
    x = np.random.default_rng(0).random((2, 28, 28, 1)).astype("float32")
    np.testing.assert_allclose(gap.predict(x, verbose=0).sum(axis=1), 1.0, rtol=1e-5)
    # the random shift is active only in training: inference is deterministic
    np.testing.assert_allclose(gap(x, training=False), gap(x, training=False))
    with pytest.raises(ValueError, match="pooling"):
        small_cnn(pooling="min")
    with pytest.raises(ValueError, match="head"):
        small_cnn(head="mean")


def test_small_cnn_with_batch_norm():
    plain = vision.small_cnn((16, 32))
    normed = vision.small_cnn((16, 32), batch_norm=True, bn_momentum=0.8)
    kinds = [type(layer).__name__ for layer in normed.layers]
    assert kinds[:3] == ["Conv2D", "BatchNormalization", "Activation"]
    assert normed.get_layer("bn1").momentum == 0.8 and not normed.get_layer("conv1").use_bias
    # no conv biases (16 + 32), plus gamma, beta, mean and variance per channel
    assert normed.count_params() == plain.count_params() - 48 + 4 * 48
