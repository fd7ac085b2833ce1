"""Learning-rate schedules, built from Keras' own so that saved models load anywhere."""

from __future__ import annotations


def one_cycle(peak: float, total_steps: int, warmup_fraction: float = 0.2,
              start_divisor: float = 25.0, final_fraction: float = 1e-3):
    """A warm-up + cosine learning rate: a simple variant of the one-cycle policy.

    The rate starts at ``peak / start_divisor``, rises linearly to ``peak`` over the first
    ``round(warmup_fraction * total_steps)`` steps (at least one), then follows half a cosine down
    to ``peak * final_fraction`` at ``total_steps`` and stays there. Smith and Topin's original
    one-cycle is triangular and also cycles the momentum; fastai's ``fit_one_cycle`` anneals along
    cosines (warm-up included) and cycles the momentum too. This one keeps a linear warm-up and
    leaves Adam's momentum alone.

    It is ``keras.optimizers.schedules.CosineDecay`` with a warm-up, so a ``.keras`` file that
    stores it needs nothing from this package to load. The MNIST chapter writes the same schedule
    by hand and asserts the two agree.
    """
    import keras

    if total_steps < 1:
        raise ValueError(f"total_steps must be at least 1, not {total_steps}")
    if not 0.0 <= warmup_fraction < 1.0:
        raise ValueError(f"warmup_fraction must be in [0, 1), not {warmup_fraction}")
    warmup_steps = max(1, round(warmup_fraction * total_steps))
    return keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=peak / start_divisor,
        decay_steps=max(total_steps - warmup_steps, 1),
        alpha=final_fraction,
        warmup_target=peak,
        warmup_steps=warmup_steps,
        name="one_cycle",
    )
