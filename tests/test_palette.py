"""The book's colours stay apart for colour-blind readers.

Each colour is passed through the Machado, Oliveira and Fernandes (2009) simulation of full
protanopia, deuteranopia and tritanopia (matrices on linear RGB), and the simulated colours are
compared in CIELAB: two colours that can meet in one figure must differ by a CIE76 distance of at
least ``MIN_DELTA_E``. About 2.3 is a just-noticeable difference for patches; lines on a plot need
far more, and 15 keeps the Okabe-Ito colours the book uses distinguishable.
"""

import itertools

import numpy as np
import pytest

from cnnrnn import plots

MIN_DELTA_E = 15.0
SIMULATIONS = {
    "normal vision": np.eye(3),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779],
                            [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}
ACTIVATIONS = {"sigmoid", "tanh", "relu", "gelu"}


def linear_rgb(hex_colour: str) -> np.ndarray:
    srgb = np.array([int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def cielab(linear: np.ndarray) -> np.ndarray:
    xyz = np.array([[0.4124, 0.3576, 0.1805],
                    [0.2126, 0.7152, 0.0722],
                    [0.0193, 0.1192, 0.9505]]) @ np.clip(linear, 0, 1)
    ratio = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(ratio > (6 / 29) ** 3, np.cbrt(ratio), ratio / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def colour_groups() -> dict[str, list[str]]:
    """Colours that meet in one figure: the model families together, the activations together."""
    families = [name for name in plots.COLORS if name not in ACTIVATIONS]
    return {"model families": families, "activations": sorted(ACTIVATIONS & set(plots.COLORS))}


def test_the_simulation_keeps_white_white_and_separates_red_from_blue():
    white = linear_rgb("#FFFFFF")
    for matrix in SIMULATIONS.values():
        assert np.allclose(matrix @ white, white, atol=0.01)
    red, green = linear_rgb("#FF0000"), linear_rgb("#00FF00")
    # Red and green collapse towards one another for a deuteranope, as they should.
    normal = np.linalg.norm(cielab(red) - cielab(green))
    deutan = np.linalg.norm(cielab(SIMULATIONS["deuteranopia"] @ red) - cielab(SIMULATIONS["deuteranopia"] @ green))
    assert deutan < normal / 2


@pytest.mark.parametrize("vision", sorted(SIMULATIONS))
def test_colours_that_share_a_figure_stay_apart(vision):
    matrix = SIMULATIONS[vision]
    too_close = []
    for group, names in colour_groups().items():
        for a, b in itertools.combinations(names, 2):
            distance = np.linalg.norm(cielab(matrix @ linear_rgb(plots.COLORS[a]))
                                      - cielab(matrix @ linear_rgb(plots.COLORS[b])))
            if distance < MIN_DELTA_E:
                too_close.append(f"{a}/{b} {distance:.1f}")
    assert not too_close, f"{vision}: colours closer than {MIN_DELTA_E} in CIELAB: {too_close}"


def test_every_colour_stands_out_from_the_white_page():
    for name, colour in plots.COLORS.items():
        lightness = cielab(linear_rgb(colour))[0]
        assert lightness < 80, f"{name} ({colour}) is too light to read on white (L* = {lightness:.0f})"
