"""The English word-frequency list that ``pyspellchecker`` ships, as the corrector's vocabulary.

``pyspellchecker`` (a dependency, see ``requirements.txt``) installs a gzipped JSON file
``spellchecker/resources/en.json.gz`` mapping about 160,000 words to counts in a large English
corpus. :func:`load_word_frequencies` reads that file from the installed package (nothing is
downloaded), keeps the lower-case words made of the letters ``a``-``z`` only (no apostrophes, no
accents, no digits: about 128,000 words) and returns them with their counts, most frequent first.

The baseline (:mod:`cnnrnn.autocorrect.baseline`) corrects towards the whole list, so it knows
every word the model knows and some more (those with apostrophes, accents or digits).
"""

from __future__ import annotations

import functools
import gzip
import json
import re
from dataclasses import dataclass, field

import numpy as np

#: The words kept: lower-case ASCII letters only.
WORD_PATTERN = re.compile(r"[a-z]+")
_RESOURCE = "resources/en.json.gz"


class MissingDependencyError(ImportError):
    """``pyspellchecker`` is not installed."""


@dataclass(frozen=True)
class WordFrequencies:
    """Words with their corpus counts, most frequent first (ties in alphabetical order).

    ``words`` is a tuple of strings and ``counts`` an ``int64`` array of the same length.
    ``word in vocab`` tests membership, ``vocab.count(word)`` gives the count (0 for an unknown
    word) and ``vocab.log_prior(word)`` the natural log of its relative frequency.
    """

    words: tuple[str, ...]
    counts: np.ndarray
    index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        if len(self.words) != len(self.counts):
            raise ValueError("WordFrequencies: words and counts differ in length")
        object.__setattr__(self, "index", {w: i for i, w in enumerate(self.words)})
        if len(self.index) != len(self.words):
            raise ValueError("WordFrequencies: words must be distinct")

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: object) -> bool:
        return word in self.index

    @property
    def total(self) -> int:
        """The sum of all counts."""
        return int(self.counts.sum())

    def count(self, word: str) -> int:
        """The corpus count of ``word`` (0 if it is not in the list)."""
        i = self.index.get(word)
        return 0 if i is None else int(self.counts[i])

    def log_prior(self, word: str) -> float:
        """``log(count / total)``; ``-inf`` for a word not in the list."""
        c = self.count(word)
        return float(np.log(c / self.total)) if c else float("-inf")

    def top(self, n: int) -> WordFrequencies:
        """The ``n`` most frequent words."""
        return WordFrequencies(self.words[:n], self.counts[:n])

    def sample(self, n: int, seed: int, power: float = 0.5, min_length: int = 1) -> list[str]:
        """``n`` words drawn with replacement, with probability proportional to ``count**power``.

        ``power=1`` follows the corpus (mostly "the", "you", "i"), ``power=0`` is uniform over the
        list (mostly rare words); the default 0.5 lies between. Words shorter than ``min_length``
        are never drawn. The same ``seed`` gives the same words.
        """
        if n < 0:
            raise ValueError(f"n must be >= 0, not {n}")
        lengths = np.fromiter((len(w) for w in self.words), dtype=np.int64, count=len(self.words))
        keep = np.flatnonzero(lengths >= min_length)
        if keep.size == 0:
            raise ValueError(f"no word has at least {min_length} letters")
        weights = self.counts[keep].astype(np.float64) ** power
        rng = np.random.default_rng(seed)
        picks = rng.choice(keep, size=n, p=weights / weights.sum())
        return [self.words[i] for i in picks]


def _read_resource() -> dict[str, int]:
    try:
        import spellchecker  # noqa: F401  (only to find its data file)
    except ImportError as error:
        raise MissingDependencyError(
            "the autocorrect vocabulary comes from the package 'pyspellchecker', which is not "
            "installed: run  pip install 'pyspellchecker>=0.9.1,<1'  (or pip install -r "
            "requirements.txt)") from error
    import pkgutil

    data = pkgutil.get_data("spellchecker", _RESOURCE)
    if not data:
        raise MissingDependencyError(f"pyspellchecker is installed but has no {_RESOURCE}")
    return json.loads(gzip.decompress(data).decode("utf-8"))


@functools.lru_cache(maxsize=4)
def load_word_frequencies(min_count: int = 1, min_length: int = 1) -> WordFrequencies:
    """pyspellchecker's English words (lower-case ``a``-``z`` only) with their counts.

    ``min_count`` drops words seen fewer times; ``min_length`` drops shorter words. The result is
    cached: call it freely. Raises :class:`MissingDependencyError` (an ``ImportError``) with the
    command to run when ``pyspellchecker`` is not installed.
    """
    raw = _read_resource()
    items = [(w, int(c)) for w, c in raw.items()
             if WORD_PATTERN.fullmatch(w) and int(c) >= min_count and len(w) >= min_length]
    items.sort(key=lambda wc: (-wc[1], wc[0]))
    return WordFrequencies(tuple(w for w, _ in items),
                           np.array([c for _, c in items], dtype=np.int64))
