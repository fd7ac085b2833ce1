"""Helpers for the "CNN vs RNN" course notebooks, one module per concept.

- :mod:`cnnrnn.runtime`: modes (full/fast), seeds, determinism, devices, quiet imports, offline
  guard; :func:`setup` is the first call of every notebook.
- :mod:`cnnrnn.data`: the raw data sets, verified against their checksums.
- :mod:`cnnrnn.datasets`: training views of them (scaling, subsets, splits, pipelines, shifts).
- :mod:`cnnrnn.shapes`: output sizes, receptive fields, parameters and multiply-adds.
- :mod:`cnnrnn.filters`: hand-made image filters.
- :mod:`cnnrnn.models`: the models and their training recipes (``mlp``, ``cnn``, ``deep``,
  ``recurrent``, ``char_lm``, ``tagger``, ``seq2seq``, ``seq_mnist``, ``reach``).
- :mod:`cnnrnn.sequence_tasks`: generated sequence tasks (memory over a gap, a motif at any length).
- :mod:`cnnrnn.cloze`: fill-in-the-blank sentences with the deciding word at a chosen distance.
- :mod:`cnnrnn.throughput`: sequences per second of a layer against the sequence length.
- :mod:`cnnrnn.seq2seq_data`: dates in human formats to ISO, and copy or reverse, for encoder-decoders.
- :mod:`cnnrnn.attention`: attention written out in NumPy (dot-product, additive, multi-head).
- :mod:`cnnrnn.text`: characters as ids, the Tiny Shakespeare split and its training windows.
- :mod:`cnnrnn.ner`: entity tagging data, the most-frequent-tag baseline, BIO decoding, scoring.
- :mod:`cnnrnn.webdemo`: the MNIST page's draw-a-digit demo (weights with batch norm folded in).
- :mod:`cnnrnn.training`: one fit-and-evaluate and one result type for every trainer.
- :mod:`cnnrnn.schedules`: learning-rate schedules.
- :mod:`cnnrnn.plots`: figures in the course style.
- :mod:`cnnrnn.display`: ``show_source`` (a helper's code) and ``glue`` (numbers for the book).

Importing the package is cheap (no TensorFlow); :func:`setup` does the heavy lifting.
"""

from cnnrnn.runtime import RunConfig, block_network, is_fast, is_offline, setup
from cnnrnn.display import glue, show_source

__version__ = "0.8.0"
__all__ = ["RunConfig", "block_network", "glue", "is_fast", "is_offline", "setup", "show_source"]

if is_offline():  # also inside notebook kernels, which inherit the environment
    block_network()
