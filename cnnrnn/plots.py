"""The few plotting helpers every chapter uses, in one style.

Each model family keeps one colour across the whole book (:data:`COLORS`), so a reader who has
learnt that orange means LSTM in one chapter can read the next chapter's figure at a glance.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

# Colour-blind-safe (Okabe-Ito) colours, one per model family or activation.
COLORS: dict[str, str] = {
    "CNN": "#0072B2",
    "RNN": "#009E73",
    "LSTM": "#E69F00",
    "GRU": "#CC79A7",
    # Variants that must stay apart from their family in one figure: a darker shade of it
    # (chosen so that tests/test_palette.py passes for colour-blind readers).
    "LSTM open gates": "#6B4C00",
    "GRU open gates": "#882E72",
    # Bidirectional taggers: black clears every colour-blind check against LSTM, MLP and baseline.
    "BiLSTM": "#000000",
    "attention": "#D55E00",
    "MLP": "#56B4E9",
    "Transformer": "#332288",  # indigo (Paul Tol's palette): apart from CNN blue and BiLSTM black
    # Dark grey: a mid grey (#7F7F7F) is too close to the RNN green for deuteranopes
    # (tests/test_palette.py).
    "baseline": "#4D4D4D",
    "sigmoid": "#009E73",
    "tanh": "#CC79A7",
    "relu": "#0072B2",
    "gelu": "#D55E00",
}
_FALLBACK = ["#000000", "#F0E442", "#8C564B", "#17BECF", "#BCBD22"]


def color_for(name: str) -> str:
    """The course colour for a model or activation name (case-insensitive prefix match).

    ``"CNN + pooling"`` gets the CNN colour; the longest matching key wins, so
    ``"LSTM open gates (forget +5)"`` gets the darker ``"LSTM open gates"`` shade and plain
    ``"LSTM ..."`` names the LSTM colour. An unknown name gets a stable fallback colour.
    """
    lowered = name.lower()
    matches = [key for key in COLORS
               if lowered == key.lower() or lowered.startswith(key.lower() + " ")]
    if matches:
        return COLORS[max(matches, key=len)]
    return _FALLBACK[sum(map(ord, name)) % len(_FALLBACK)]


def use_style() -> None:
    """Matplotlib defaults for the book: readable sizes, light grid, no top/right spines."""
    mpl.rcParams.update({
        "figure.figsize": (7.0, 4.0),
        "figure.dpi": 100,
        "savefig.dpi": 150,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": 12,
        "axes.labelsize": 11,
        "legend.frameon": False,
        "image.cmap": "gray_r",
    })


def _history_dict(history: Any) -> Mapping[str, Sequence[float]]:
    return history.history if hasattr(history, "history") else history


def plot_history(
    histories: Mapping[str, Any],
    metric: str = "accuracy",
    *,
    title: str,
    ylabel: str | None = None,
    ax: plt.Axes | None = None,
    show_train: bool = True,
) -> plt.Axes:
    """Learning curves of several runs on one axis: validation solid, training dashed.

    ``histories`` maps a run's name (it picks the colour, see :func:`color_for`) to a Keras
    ``History`` or its ``.history`` dict. The x axis is the epoch number, starting at 1.
    """
    if not histories:
        raise ValueError("plot_history needs at least one history")
    if ax is None:
        _, ax = plt.subplots()
    for name, history in histories.items():
        values = _history_dict(history)
        if metric not in values and f"val_{metric}" not in values:
            raise KeyError(f"{name!r} has no {metric!r}; it has {sorted(values)}")
        colour = color_for(name)
        if f"val_{metric}" in values:
            series = values[f"val_{metric}"]
            ax.plot(np.arange(1, len(series) + 1), series, color=colour, label=f"{name} (validation)")
        if show_train and metric in values:
            series = values[metric]
            ax.plot(np.arange(1, len(series) + 1), series, color=colour, linestyle="--",
                    alpha=0.7, label=f"{name} (training)")
    ax.set_title(title)
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel or metric.replace("_", " "))
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    ax.legend(fontsize=9)
    return ax


def image_grid(
    images: Sequence[np.ndarray] | np.ndarray,
    titles: Sequence[str] | None = None,
    *,
    suptitle: str,
    ncols: int = 8,
    cmap: str = "gray_r",
    size: float = 1.3,
) -> plt.Figure:
    """Show images in a grid without axes, each with an optional title (e.g. "pred 7 / true 1")."""
    images = list(images)
    if not images:
        raise ValueError("image_grid needs at least one image")
    if titles is not None and len(titles) != len(images):
        raise ValueError(f"{len(titles)} titles for {len(images)} images")
    ncols = min(ncols, len(images))
    nrows = int(np.ceil(len(images) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows + 0.5),
                             squeeze=False)
    for index, ax in enumerate(axes.flat):
        ax.axis("off")
        if index < len(images):
            ax.imshow(np.squeeze(images[index]), cmap=cmap)
            if titles is not None:
                ax.set_title(titles[index], fontsize=8)
    fig.suptitle(suptitle)
    fig.tight_layout()
    return fig
