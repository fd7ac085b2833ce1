"""Sequence-to-sequence tasks generated in code, for the attention chapter: no download, any size,
the same examples for the same seed.

- :func:`make_dates`: dates as people write them ("3 March 1998", "03/03/98", "Tuesday, March
  3rd, 1998", "march 3 98", ...) paired with their ISO form "1998-03-03". The input has a
  variable length and the output a fixed one (:data:`TARGET_LENGTH`), the setting where an
  encoder that squeezes the input into one vector is expected to struggle as inputs grow.
- :func:`make_copy_or_reverse`: random symbol sequences and the same sequence, reversed or not;
  a control where the alignment between input and output positions is known exactly.

Reading the dates is unambiguous by construction. Years lie in 1950-2049 (:data:`FIRST_YEAR`,
:data:`LAST_YEAR`), so a two-digit year has one reading: 50-99 are 19xx, 00-49 are 20xx. Numeric
formats with the year last put the day first ("03/04/98" is 3 April), those with the year first
read year, month, day. Every date is drawn as a day number inside the range, so it exists.

Input length: ``max_length`` keeps only the formats short enough (every date has an 8-character
form, dd/mm/yy); ``min_length`` lengthens shorter inputs with *filler*, irrelevant words ("so the
date is ok") around the date, up to a length drawn uniformly in ``[min_length, max_length]``. The
filler carries no digit, month or weekday, so the answer is the same; only the reading gets
longer. Length and format are not independent: short inputs are mostly numeric formats.

Characters become codes through :class:`cnnrnn.text.CharVocab` with fixed alphabets
(:data:`INPUT_VOCAB`, :data:`TARGET_VOCAB`), code 0 being padding in both. Targets get a start
and an end token for teacher forcing (:func:`encode_targets`).
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from datetime import date

import numpy as np

from cnnrnn.text import CharVocab

FIRST_YEAR, LAST_YEAR = 1950, 2049
#: Characters of an ISO date, "YYYY-MM-DD".
TARGET_LENGTH = 10
#: Padding, start and end tokens: the ASCII control characters NUL, "start of text", "end of text".
PAD, START, END = "\x00", "\x02", "\x03"
INPUT_VOCAB = CharVocab(PAD + " ,-./" + string.digits + string.ascii_uppercase
                        + string.ascii_lowercase)
TARGET_VOCAB = CharVocab(PAD + START + END + "-" + string.digits)

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: Irrelevant words that lengthen an input: no digits, no month or weekday (nor a word that starts
#: like one's abbreviation), lengths 1 to 8 so that any gap of 2 characters or more can be filled.
FILLER_WORDS = ("a", "so", "ok", "we", "it", "the", "and", "was", "day", "date", "then", "well",
                "note", "about", "again", "please", "meeting", "remember", "deadline")


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _month(d: date) -> str:
    return MONTHS[d.month - 1]


#: The human formats, by a name that spells them out; each maps a date to its text.
FORMATS = {
    "d Month yyyy": lambda d: f"{d.day} {_month(d)} {d.year}",
    "dd/mm/yy": lambda d: f"{d.day:02d}/{d.month:02d}/{d.year % 100:02d}",
    "Weekday, Month dth, yyyy":
        lambda d: f"{WEEKDAYS[d.weekday()]}, {_month(d)} {_ordinal(d.day)}, {d.year}",
    "yyyy m d": lambda d: f"{d.year} {d.month} {d.day}",
    "month d yy": lambda d: f"{_month(d).lower()} {d.day} {d.year % 100:02d}",
    "dd.mm.yyyy": lambda d: f"{d.day:02d}.{d.month:02d}.{d.year}",
    "d Mon yyyy": lambda d: f"{d.day} {_month(d)[:3]} {d.year}",
    "Mon d, yyyy": lambda d: f"{_month(d)[:3]} {d.day}, {d.year}",
    "the dth of Month yyyy": lambda d: f"the {_ordinal(d.day)} of {_month(d)} {d.year}",
    "WEEKDAY D MONTH YYYY":
        lambda d: f"{WEEKDAYS[d.weekday()]} {d.day} {_month(d)} {d.year}".upper(),
    "yyyy/mm/dd": lambda d: f"{d.year}/{d.month:02d}/{d.day:02d}",
    "d-Mon-yy": lambda d: f"{d.day}-{_month(d)[:3]}-{d.year % 100:02d}",
    "Wkd d Mon yyyy": lambda d: f"{WEEKDAYS[d.weekday()][:3]} {d.day} {_month(d)[:3]} {d.year}",
    "dth Month, yyyy": lambda d: f"{_ordinal(d.day)} {_month(d)}, {d.year}",
}
#: The length of the shortest form of every date ("dd/mm/yy"); a smaller max_length is an error.
SHORTEST_LENGTH = 8

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def _check_int(value, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, not {value!r}")
    return int(value)


def _pad_with_filler(text: str, length: int, rng: np.random.Generator) -> tuple[str, int]:
    """``text`` with filler words before and after it, ``length`` characters in all, and the
    index where ``text`` starts in it."""
    before, after = [], []
    gap = length - len(text)
    while gap >= 2:  # each word costs its letters and one space
        # never leave a gap of exactly 1, which no word fills (a final "." fills it at the start)
        words = [w for w in FILLER_WORDS if len(w) + 1 <= gap and gap - len(w) - 1 != 1]
        word = words[rng.integers(len(words))]
        (before if rng.random() < 0.5 else after).append(word)
        gap -= len(word) + 1
    start = len(" ".join(before)) + (1 if before else 0)
    return " ".join([*before, text, *after]) + "." * gap, start


def make_dates(n: int, seed: int = 0, min_length: int | None = None,
               max_length: int | None = None, *, spans: bool = False) -> list[tuple]:
    """``n`` pairs ``(human, iso)``: a date in one of :data:`FORMATS`, drawn uniformly, and
    its ISO form ``YYYY-MM-DD``.

    Dates are uniform over the days of :data:`FIRST_YEAR` to :data:`LAST_YEAR`. With
    ``max_length``, only the formats at most that long are drawn from; with ``min_length``, a
    shorter text gets filler words up to a length drawn uniformly in ``[min_length, max_length]``
    (exactly ``min_length`` without ``max_length``). So every human text has
    ``min_length <= len(human) <= max_length``. Fully determined by ``seed``.

    With ``spans=True`` each item is ``(human, iso, (start, stop))``: ``human[start:stop]`` is the
    date as written, without the filler around it.
    """
    n = _check_int(n, "n", 1)
    if max_length is not None:
        max_length = _check_int(max_length, "max_length", SHORTEST_LENGTH)
    if min_length is not None:
        min_length = _check_int(min_length, "min_length", 1)
        if max_length is not None and min_length > max_length:
            raise ValueError(f"min_length ({min_length}) must not exceed max_length "
                             f"({max_length})")
    rng = np.random.default_rng(seed)
    first, last = date(FIRST_YEAR, 1, 1).toordinal(), date(LAST_YEAR, 12, 31).toordinal()
    pairs = []
    for day_number in rng.integers(first, last + 1, size=n):
        day = date.fromordinal(int(day_number))
        texts = [render(day) for render in FORMATS.values()]
        fitting = [text for text in texts if max_length is None or len(text) <= max_length]
        human = fitting[rng.integers(len(fitting))]
        span = (0, len(human))
        if min_length is not None and len(human) < min_length:
            target = (min_length if max_length is None
                      else int(rng.integers(min_length, max_length + 1)))
            padded, start = _pad_with_filler(human, target, rng)
            human, span = padded, (start, start + len(human))
        pairs.append((human, day.isoformat(), span) if spans else (human, day.isoformat()))
    return pairs


def encode_inputs(texts: Sequence[str], length: int | None = None) -> np.ndarray:
    """Codes ``(n, length)`` int32 of ``texts`` in :data:`INPUT_VOCAB`, padded with 0 at the end.

    ``length`` defaults to the longest text. Padding goes at the end so that position ``t`` is
    character ``t`` of every text; give the encoder ``Embedding(..., mask_zero=True)`` so that it
    skips the padding.
    """
    if isinstance(texts, str) or not len(texts):
        raise ValueError("texts must be a non-empty sequence of strings")
    longest = max(len(text) for text in texts)
    length = longest if length is None else _check_int(length, "length", 1)
    if longest > length:
        raise ValueError(f"a text of {longest} characters does not fit length {length}")
    codes = np.zeros((len(texts), length), dtype=np.int32)
    for row, text in enumerate(texts):
        codes[row, : len(text)] = INPUT_VOCAB.encode(text)
    return codes


def shift_right(codes, start_code: int) -> np.ndarray:
    """The decoder's input for teacher forcing: ``start_code``, then ``codes`` without their last
    step. At step t the decoder sees the true output of step t - 1 and predicts ``codes[:, t]``."""
    codes = np.asarray(codes)
    if codes.ndim != 2:
        raise ValueError(f"codes must have shape (n, steps), got {codes.shape}")
    return np.concatenate([np.full((len(codes), 1), start_code, codes.dtype), codes[:, :-1]], 1)


def encode_targets(iso_dates: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """``(decoder_inputs, decoder_targets)``, int32 of shape ``(n, TARGET_LENGTH + 1)``: the
    codes of START + date and of date + END in :data:`TARGET_VOCAB` (teacher forcing)."""
    if isinstance(iso_dates, str) or not len(iso_dates):
        raise ValueError("iso_dates must be a non-empty sequence of strings")
    bad = [text for text in iso_dates if not isinstance(text, str) or not _ISO.fullmatch(text)]
    if bad:
        raise ValueError(f"{len(bad)} target(s) are not ISO dates YYYY-MM-DD, e.g. {bad[0]!r}")
    targets = np.stack([TARGET_VOCAB.encode(text + END) for text in iso_dates])
    return shift_right(targets, TARGET_VOCAB.encode(START)[0]), targets


def decode_targets(codes) -> list[str]:
    """The strings of target codes ``(n, steps)`` (a model's argmax), each cut at its first END
    token, with START and padding removed."""
    codes = np.asarray(codes)
    if codes.ndim != 2:
        raise ValueError(f"codes must have shape (n, steps), got {codes.shape}")
    texts = (TARGET_VOCAB.decode(row).split(END)[0] for row in codes)
    return [text.replace(START, "").replace(PAD, "") for text in texts]


def exact_match(predicted_strings: Sequence[str], targets: Sequence[str]) -> float:
    """The fraction of predictions equal to their target, character for character (one wrong
    digit makes a wrong date)."""
    if isinstance(predicted_strings, str) or isinstance(targets, str):
        raise ValueError("give sequences of strings, not one string")
    if len(predicted_strings) != len(targets):
        raise ValueError(f"{len(predicted_strings)} predictions for {len(targets)} targets")
    if not len(targets):
        raise ValueError("no targets to compare with")
    return float(np.mean([p == t for p, t in zip(predicted_strings, targets)]))


def make_copy_or_reverse(n: int, length: int, vocab_size: int, seed: int = 0,
                         reverse: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """``(inputs, targets)``, int32 of shape ``(n, length)``: random symbols and the same symbols
    reversed (or copied when ``reverse`` is False).

    Symbols are drawn uniformly from ``1 .. vocab_size - 1``; code 0 stays free for a start token
    or padding, so ``Embedding(vocab_size, ...)`` covers every code. Reversing puts the first
    output next to the last input read, copying puts it ``length`` steps away: the same
    content, two distances to bridge. Fully determined by ``seed``.
    """
    n = _check_int(n, "n", 1)
    length = _check_int(length, "length", 1)
    vocab_size = _check_int(vocab_size, "vocab_size", 3)  # at least two symbols besides 0
    rng = np.random.default_rng(seed)
    inputs = rng.integers(1, vocab_size, size=(n, length)).astype(np.int32)
    return inputs, (inputs[:, ::-1] if reverse else inputs).copy()
