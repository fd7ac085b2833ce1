import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from cnnrnn import plots  # noqa: E402


def test_color_for_is_consistent_across_variants():
    assert plots.color_for("CNN") == plots.color_for("CNN + pooling") == plots.COLORS["CNN"]
    assert plots.color_for("lstm") == plots.COLORS["LSTM"]
    unknown = plots.color_for("something new")
    assert unknown in plots._FALLBACK and unknown not in plots.COLORS.values()


def test_color_for_keeps_variants_apart_from_their_family():
    # The longest matching key wins: an opened LSTM is not drawn in the LSTM's own colour.
    assert plots.color_for("LSTM open gates (forget +5, input -5)") == plots.COLORS["LSTM open gates"]
    assert plots.color_for("LSTM open gates") != plots.color_for("LSTM")
    assert plots.color_for("LSTM (Keras default)") == plots.COLORS["LSTM"]


def test_plot_history_draws_validation_and_training_lines():
    histories = {"CNN": {"accuracy": [0.8, 0.9], "val_accuracy": [0.85, 0.95]},
                 "LSTM": {"accuracy": [0.7, 0.8], "val_accuracy": [0.75, 0.82]}}
    ax = plots.plot_history(histories, "accuracy", title="Learning curves")
    assert len(ax.lines) == 4
    assert ax.get_title() == "Learning curves" and ax.get_xlabel() == "epoch"
    assert ax.lines[0].get_color() == plots.COLORS["CNN"]
    plt.close("all")


def test_plot_history_rejects_missing_metric():
    with pytest.raises(KeyError, match="has no 'loss'"):
        plots.plot_history({"CNN": {"accuracy": [1.0]}}, "loss", title="t")
    with pytest.raises(ValueError):
        plots.plot_history({}, title="t")


def test_image_grid_layout_and_titles():
    images = np.zeros((10, 28, 28))
    fig = plots.image_grid(images, [f"digit {i}" for i in range(10)], suptitle="Digits", ncols=4)
    assert len(fig.axes) == 12 and fig.axes[0].get_title() == "digit 0"
    with pytest.raises(ValueError, match="3 titles for 10 images"):
        plots.image_grid(images, ["a", "b", "c"], suptitle="x")
    plt.close("all")
