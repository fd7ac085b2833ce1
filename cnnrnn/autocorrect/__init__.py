"""Autocorrect: a character-level corrector for misspelled English words, and what it is measured
against.

- :mod:`cnnrnn.autocorrect.vocabulary`: the English word-frequency list that ``pyspellchecker``
  ships (lower-case ``a``-``z`` words with their counts), read from the installed package.
- :mod:`cnnrnn.autocorrect.noise`: seeded synthetic misspellings of real words (keyboard-weighted
  typos, transpositions, doubled and dropped double letters, sound-alike spellings), each tagged
  with its error kinds: the training data.
- :mod:`cnnrnn.autocorrect.baseline`: ``pyspellchecker`` (Norvig's edit-distance algorithm)
  scored on real misspellings (top-1, top-3, words per second), and the error kind of a
  ``(wrong, right)`` pair for the error table.

Evaluation is always on real human misspellings (:func:`cnnrnn.data.load_misspellings`), never on
the synthetic ones alone. Nothing here imports Keras.
"""

from cnnrnn.autocorrect.baseline import (ERROR_KINDS, BaselineResult, classify_error,
                                         error_table, evaluate_pyspellchecker, ranked_candidates)
from cnnrnn.autocorrect.noise import (KEYBOARD_NEIGHBOURS, KINDS, Misspelling, apply_error,
                                      generate, misspell)
from cnnrnn.autocorrect.vocabulary import (MissingDependencyError, WordFrequencies,
                                           load_word_frequencies)

__all__ = ["ERROR_KINDS", "KEYBOARD_NEIGHBOURS", "KINDS", "BaselineResult", "Misspelling",
           "MissingDependencyError", "WordFrequencies", "apply_error", "classify_error",
           "error_table", "evaluate_pyspellchecker", "generate", "load_word_frequencies",
           "misspell", "ranked_candidates"]
