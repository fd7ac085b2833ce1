"""cnnrnn.schedules.one_cycle: the warm-up + cosine shape, its errors, and that it is Keras' own."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")
from cnnrnn.schedules import one_cycle  # noqa: E402


def values(schedule, steps):
    return np.array([float(schedule(step)) for step in steps])


def test_start_peak_middle_and_end():
    schedule = one_cycle(peak=0.01, total_steps=1000, warmup_fraction=0.2, start_divisor=25,
                         final_fraction=1e-3)
    start, peak, middle, end, after = values(schedule, [0, 200, 600, 1000, 5000])
    assert start == pytest.approx(0.01 / 25)
    assert peak == pytest.approx(0.01)
    assert middle == pytest.approx((0.01 + 1e-5) / 2, rel=1e-5)  # half-way down the cosine
    assert end == pytest.approx(1e-5, rel=1e-4)
    assert after == pytest.approx(1e-5, rel=1e-4)  # stays at the floor after the last step


def test_rises_linearly_then_falls():
    schedule = one_cycle(peak=3e-3, total_steps=300)
    rates = values(schedule, range(301))
    top = int(np.argmax(rates))
    assert top == 60
    np.testing.assert_allclose(np.diff(rates[: top + 1]), np.diff(rates[:2])[0], rtol=1e-3)
    assert np.all(np.diff(rates[top:]) <= 0) and rates[-1] < rates[0]


def test_bad_arguments():
    with pytest.raises(ValueError, match="total_steps"):
        one_cycle(1e-3, 0)
    with pytest.raises(ValueError, match="warmup_fraction"):
        one_cycle(1e-3, 10, warmup_fraction=1.0)


def test_is_a_keras_schedule_that_round_trips():
    schedule = one_cycle(peak=2e-3, total_steps=123, warmup_fraction=0.3)
    assert isinstance(schedule, keras.optimizers.schedules.CosineDecay)
    restored = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(schedule))
    steps = [0, 10, 37, 100, 123]
    np.testing.assert_allclose(values(restored, steps), values(schedule, steps))
