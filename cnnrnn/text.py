"""Text as a character-level language model sees it: a vocabulary, integer codes, a split by
position, and batches of windows.

- :class:`CharVocab`: the characters of a text, each with an integer code; :meth:`~CharVocab.encode`
  and :meth:`~CharVocab.decode` convert both ways, and a character the vocabulary has never seen is
  a clear :class:`UnknownCharacterError`, never a silent guess.
- :func:`split_by_position`: training text first, validation text last (the last 10 % by default),
  so that no validation passage also sits, shifted by a few characters, in a training window.
- :func:`windows`: non-overlapping windows, each a training example that starts from a zero state.
- :func:`stream_batches`: the layout for *stateful* training (truncated backpropagation through
  time): the text is cut into ``batch_size`` long streams, and batch k holds window k of every
  stream, so row b of each batch continues row b of the batch before. A stateful recurrent layer
  then carries its state from one window to the next.

No TensorFlow here: everything is NumPy, so the data side can be tested on its own.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

#: The validation share of the course's character-level experiments: the last 10 % of the text.
VALIDATION_FRACTION = 0.1


class UnknownCharacterError(ValueError):
    """A character that is not in the vocabulary (the message lists them and where they are)."""

    def __init__(self, unknown: list[str], text: str):
        self.unknown = unknown
        shown = ", ".join(repr(char) for char in unknown[:10])
        more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
        where = text.index(unknown[0])
        super().__init__(
            f"{len(unknown)} character(s) not in the vocabulary: {shown}{more} (first at position "
            f"{where} of {text[:40]!r}{'...' if len(text) > 40 else ''}). The model only knows the "
            "characters of its training text; remove or replace these ones."
        )


class CharVocab:
    """The characters of a text, sorted, each with its code: ``chars[code] == char``.

    >>> vocab = CharVocab.from_text("hello")
    >>> vocab.chars
    'ehlo'
    >>> vocab.encode("hole").tolist()
    [1, 3, 2, 0]
    >>> vocab.decode([1, 3, 2, 0])
    'hole'
    """

    def __init__(self, chars: Iterable[str]):
        chars = list(chars)
        if not chars:
            raise ValueError("a vocabulary needs at least one character")
        if any(not isinstance(char, str) or len(char) != 1 for char in chars):
            raise ValueError("a vocabulary holds single characters")
        if len(set(chars)) != len(chars):
            raise ValueError("a vocabulary lists each character once")
        self.chars = "".join(chars)
        self._codes = {char: code for code, char in enumerate(self.chars)}
        self._lookup = None  # a code table over Unicode code points, built on first use

    @classmethod
    def from_text(cls, text: str) -> CharVocab:
        """The sorted set of characters in ``text``."""
        if not text:
            raise ValueError("cannot build a vocabulary from an empty text")
        return cls(sorted(set(text)))

    def __len__(self) -> int:
        return len(self.chars)

    def __contains__(self, char: str) -> bool:
        return char in self._codes

    def __repr__(self) -> str:
        return f"CharVocab({len(self)} characters: {self.chars!r})"

    def check(self, text: str) -> None:
        """Raise :class:`UnknownCharacterError` if ``text`` has a character the vocabulary lacks."""
        unknown = sorted(set(text) - set(self._codes), key=text.index)
        if unknown:
            raise UnknownCharacterError(unknown, text)

    def encode(self, text: str) -> np.ndarray:
        """The codes of ``text`` as an int32 array (one per character)."""
        if not isinstance(text, str):
            raise TypeError(f"encode takes a str, not {type(text).__name__}")
        self.check(text)
        if self._lookup is None:
            self._lookup = np.full(max(map(ord, self.chars)) + 1, -1, dtype=np.int32)
            for char, code in self._codes.items():
                self._lookup[ord(char)] = code
        points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        return self._lookup[points]

    def decode(self, codes: Iterable[int]) -> str:
        """The text whose codes are ``codes``."""
        codes = np.asarray(list(codes) if not isinstance(codes, np.ndarray) else codes)
        if codes.size and (codes.min() < 0 or codes.max() >= len(self)):
            raise ValueError(f"codes must lie in [0, {len(self) - 1}], got {codes.min()} to "
                             f"{codes.max()}")
        return "".join(self.chars[code] for code in codes.ravel().tolist())


def split_by_position(sequence, validation_fraction: float = VALIDATION_FRACTION):
    """``(train, validation)``: the first ``1 - validation_fraction`` of ``sequence`` and the rest.

    Works on a string or an array. Splitting by position (not by random windows) keeps every
    validation passage out of the training text: random windows of a text overlap their
    neighbours, so a random split would score the model on text it has trained on.
    """
    if not 0.0 < validation_fraction < 1.0:
        raise ValueError(f"validation_fraction must be in (0, 1), not {validation_fraction}")
    cut = round(len(sequence) * (1.0 - validation_fraction))
    if cut == 0 or cut == len(sequence):
        raise ValueError(f"a sequence of {len(sequence)} items is too short to split")
    return sequence[:cut], sequence[cut:]


def _as_codes(codes) -> np.ndarray:
    codes = np.asarray(codes)
    if codes.ndim != 1 or not np.issubdtype(codes.dtype, np.integer):
        raise ValueError("expected a 1-D array of integer codes (use CharVocab.encode)")
    return codes


def windows(codes, window: int) -> tuple[np.ndarray, np.ndarray]:
    """``(inputs, targets)``, each of shape (n, window): non-overlapping windows of ``codes`` and
    the same windows shifted by one character (the character to predict at every position).

    Each window is a separate example that starts from a zero state. The tail that does not fill
    a whole window is dropped.
    """
    codes = _as_codes(codes)
    if window < 1:
        raise ValueError(f"window must be at least 1, not {window}")
    count = (len(codes) - 1) // window
    if count < 1:
        raise ValueError(f"{len(codes)} codes are too few for one window of {window} (+1)")
    inputs = codes[: count * window].reshape(count, window)
    targets = codes[1 : count * window + 1].reshape(count, window)
    return inputs, targets


def stream_batches(codes, batch_size: int, window: int) -> tuple[np.ndarray, np.ndarray]:
    """``(inputs, targets)`` of shape (steps * batch_size, window) for stateful training.

    The text is cut into ``batch_size`` streams of equal length, one per batch
    row; batch k (rows ``k * batch_size`` to ``(k + 1) * batch_size - 1``) holds window k of every
    stream. So row b of batch k continues row b of batch k - 1, and a stateful layer fed the
    batches in order (``shuffle=False``) carries each stream's state from one window to the next.
    ``targets`` are the inputs shifted by one character. The tail of each stream that does not fill
    a whole window is dropped.
    """
    codes = _as_codes(codes)
    if batch_size < 1 or window < 1:
        raise ValueError(f"batch_size and window must be at least 1, not {batch_size}, {window}")
    stream_length = (len(codes) - 1) // batch_size
    steps = stream_length // window
    if steps < 1:
        raise ValueError(f"{len(codes)} codes are too few for {batch_size} streams of at least "
                         f"one window of {window} (+1)")
    starts = np.arange(batch_size) * stream_length
    # index[k, b, t] = starts[b] + k * window + t
    index = (starts[None, :, None] + (np.arange(steps) * window)[:, None, None]
             + np.arange(window)[None, None, :])
    index = index.reshape(steps * batch_size, window)
    return codes[index], codes[index + 1]


def shuffle_words(text: str, seed: int = 0) -> str:
    """``text`` with the words of every line in a random order (seeded), the lines kept in place.

    A word is a run of characters between spaces; each line keeps its own words, its length and
    its number of spaces, so the text has exactly the same characters, each as often, as before:
    a model that ignores order (character frequencies alone) scores the shuffled text exactly as
    the original, and whatever a model loses on it is what it took from the order of the words.
    """
    rng = np.random.default_rng(seed)
    lines = []
    for line in text.split("\n"):
        words = line.split(" ")
        lines.append(" ".join(words[i] for i in rng.permutation(len(words))))
    return "\n".join(lines)
