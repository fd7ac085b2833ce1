"""Helpers for the "CNN vs RNN" course notebooks: run set-up, verified data, plots, benchmarks.

Importing the package is cheap (no TensorFlow); :func:`setup` does the heavy lifting.
"""

from cnnrnn.config import RunConfig, block_network, is_fast, is_offline, setup
from cnnrnn.source import show_source

__version__ = "0.1.0"
__all__ = ["RunConfig", "block_network", "is_fast", "is_offline", "setup", "show_source"]

if is_offline():  # also inside notebook kernels, which inherit the environment
    block_network()
