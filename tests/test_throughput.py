"""cnnrnn.throughput: the four layers map sequences to sequences, the timings are positive and
the slope helper fits what it should."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")
from cnnrnn import throughput  # noqa: E402


@pytest.mark.parametrize("kind", throughput.KINDS)
def test_each_layer_maps_a_sequence_to_a_sequence(kind):
    model = throughput.sequence_layer(kind, features=8)
    x = np.zeros((2, 5, 8), "float32")
    assert model.predict_on_batch(x).shape == (2, 5, 8)
    assert model.predict_on_batch(np.zeros((2, 9, 8), "float32")).shape == (2, 9, 8)


def test_conv_is_causal():
    model = throughput.sequence_layer("conv1d", features=4)
    x = np.random.default_rng(0).normal(size=(1, 12, 4)).astype("float32")
    later = x.copy()
    later[0, 6:] += 1.0                                   # change only steps 6 and after
    a, b = model.predict_on_batch(x), model.predict_on_batch(later)
    np.testing.assert_allclose(a[0, :6], b[0, :6], atol=1e-6)
    assert not np.allclose(a[0, 6:], b[0, 6:])


def test_parameter_counts_are_of_the_same_order():
    params = {kind: throughput.sequence_layer(kind).count_params() for kind in throughput.KINDS}
    assert params["lstm"] == 4 * (64 * 64 + 64 * 64 + 64)
    assert max(params.values()) / min(params.values()) < 2.5


def test_measure_reports_positive_rates():
    result = throughput.measure("gru", 8, batch=2, features=8, repeats=2)
    assert result.inference_seconds > 0 and result.training_seconds > 0
    assert result.inference_per_second == pytest.approx(2 / result.inference_seconds)
    assert [r.length for r in throughput.throughput_curve("conv1d", (8, 4), batch=2, features=8,
                                                            repeats=1)] == [4, 8]
    with pytest.raises(ValueError):
        throughput.measure("lstm", 0)
    with pytest.raises(ValueError, match="kind"):
        throughput.sequence_layer("rnn")


def test_log_log_slope():
    lengths = np.array([16, 64, 256, 1024])
    assert throughput.log_log_slope(lengths, 3e-4 * lengths) == pytest.approx(1.0)
    assert throughput.log_log_slope(lengths, 1e-6 * lengths**2) == pytest.approx(2.0)
    with pytest.raises(ValueError):
        throughput.log_log_slope([16], [1.0])
