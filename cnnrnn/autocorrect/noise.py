"""Synthetic misspellings: real words with realistic typing and spelling errors, seeded and tagged.

The corrector learns from pairs ``(misspelled, correct)`` made here from a real word list, and is
judged on real human misspellings (Norvig's sets), never on these alone. The error kinds imitate
what people do:

- ``deletion``: a letter left out (``network`` -> ``netwrk``);
- ``insertion``: a letter added, usually a key next to a neighbouring letter (``netwoerk``);
- ``substitution``: a letter replaced, usually by a key next to it on a QWERTY keyboard
  (``networc``: ``c`` is not next to ``k``, but ``netwirk`` is: ``i`` is next to ``o``);
- ``transposition``: two neighbouring letters swapped (``newtork``);
- ``doubling``: a letter typed twice (``netwwork``);
- ``undoubling``: one letter of a double dropped (``begining``, ``acommodate``);
- ``phonetic``: a spelling that sounds the same (``ph``/``f``, ``c``/``k``, ``ie``/``ei``,
  ``tion``/``shun``, ``able``/``ible``, ``ance``/``ence`` ...; see :data:`PHONETIC_RULES`), or
  a silent letter dropped (``nowledge``; :data:`SILENT_RULES`);
- ``vowel``: a vowel replaced by another one away from the word's first vowel, where English
  vowels are most often unstressed and sound alike (``seperate``, ``definate``).

:func:`misspell` applies one or more of them to a word; :func:`generate` makes a seeded list of
:class:`Misspelling` records, each tagged with the kinds it used. The same seed always gives the
same list.
"""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

LETTERS = "abcdefghijklmnopqrstuvwxyz"
VOWELS = "aeiou"
KINDS = ("deletion", "insertion", "substitution", "transposition", "doubling", "undoubling",
         "phonetic", "vowel")

#: Relative weights of the kinds (renormalized over the kinds that apply to a given word).
#: Set by hand as a general model of typing and spelling errors, not fitted to any test set.
DEFAULT_WEIGHTS = {"deletion": 0.20, "insertion": 0.12, "substitution": 0.20,
                   "transposition": 0.08, "doubling": 0.07, "undoubling": 0.10,
                   "phonetic": 0.13, "vowel": 0.10}

_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_ROW_OFFSETS = (0.0, 0.25, 0.75)  # how far each row is shifted right on a real keyboard


def _keyboard_neighbours() -> dict[str, str]:
    """Keys touching each letter key: the ones left and right, and the ones above and below whose
    centres are less than one key apart horizontally (``g`` -> ``tyfhvb``)."""
    position = {ch: (r, c + _ROW_OFFSETS[r]) for r, row in enumerate(_ROWS)
                for c, ch in enumerate(row)}
    neighbours = {}
    for ch, (r, x) in position.items():
        near = [other for other, (r2, x2) in position.items() if other != ch and (
            (r2 == r and abs(x2 - x) == 1) or (abs(r2 - r) == 1 and abs(x2 - x) < 1))]
        neighbours[ch] = "".join(sorted(near))
    return neighbours


#: ``KEYBOARD_NEIGHBOURS[letter]``: the letters on the keys touching it on a QWERTY keyboard.
KEYBOARD_NEIGHBOURS = _keyboard_neighbours()

#: Spellings that sound alike, as ``(a, b)`` pairs applied in both directions (``a`` -> ``b`` and
#: ``b`` -> ``a``): ``physics``/``fysics``, ``receive``/``recieve``, ``possible``/``possable``.
PHONETIC_RULES = (
    ("tion", "shun"), ("tion", "sion"), ("able", "ible"), ("ance", "ence"), ("ant", "ent"),
    ("ary", "ery"), ("ery", "ory"), ("ise", "ize"), ("ph", "f"), ("ck", "k"), ("ie", "ei"),
    ("ce", "se"), ("ci", "si"), ("c", "k"), ("x", "ks"), ("qu", "kw"), ("s", "z"), ("ee", "ea"),
    ("oo", "u"), ("ou", "ow"), ("au", "o"), ("ai", "ay"), ("y", "i"), ("er", "or"), ("sc", "s"),
)
#: Silent letters, dropped only (``knowledge`` -> ``nowledge``); adding them back anywhere
#: (``ran`` -> ``rakn``) is not an error people make.
SILENT_RULES = (("kn", "n"), ("wr", "r"), ("mb", "m"), ("wh", "w"), ("gh", ""), ("gn", "n"))


@dataclass(frozen=True)
class Misspelling:
    """A generated error: ``wrong`` is what was typed, ``right`` the word meant, ``kinds`` the
    error kinds applied, in order (a kind can appear twice)."""

    wrong: str
    right: str
    kinds: tuple[str, ...]


def _phonetic_options(word: str) -> list[tuple[int, str, str]]:
    """Every ``(position, old, new)`` where a phonetic rule applies to ``word``."""
    options = []
    rules = [r for a, b in PHONETIC_RULES for r in ((a, b), (b, a))] + list(SILENT_RULES)
    for old, new in rules:
        start = word.find(old)
        while start != -1:
            options.append((start, old, new))
            start = word.find(old, start + 1)
    return options


def _vowel_positions(word: str) -> list[int]:
    """Positions of vowels after the word's first vowel (a crude stand-in for 'unstressed')."""
    vowels = [i for i, ch in enumerate(word) if ch in VOWELS]
    return vowels[1:]


def applicable_kinds(word: str) -> list[str]:
    """The kinds of :data:`KINDS` that can change ``word`` (no "undoubling" without a double
    letter, ...)."""
    kinds = ["insertion", "doubling"]
    if len(word) >= 2:
        kinds.append("deletion")
    if any(ch in KEYBOARD_NEIGHBOURS for ch in word):
        kinds.append("substitution")
    if any(word[i] != word[i + 1] for i in range(len(word) - 1)):
        kinds.append("transposition")
    if any(word[i] == word[i + 1] for i in range(len(word) - 1)):
        kinds.append("undoubling")
    if _phonetic_options(word):
        kinds.append("phonetic")
    if _vowel_positions(word):
        kinds.append("vowel")
    return kinds


def _near_key(ch: str, rng: np.random.Generator, adjacent: float) -> str:
    """A key next to ``ch`` with probability ``adjacent``, else any other letter."""
    near = KEYBOARD_NEIGHBOURS.get(ch, "")
    if near and rng.random() < adjacent:
        return near[rng.integers(len(near))]
    others = [c for c in LETTERS if c != ch]
    return others[rng.integers(len(others))]


def apply_error(word: str, kind: str, rng: np.random.Generator, adjacent: float = 0.8) -> str:
    """``word`` with one error of ``kind`` (one of :data:`KINDS`) at a random place.

    ``adjacent`` is the probability that a substituted or inserted letter is a keyboard
    neighbour (of the letter replaced, or of the letter before or after the insertion point).
    Raises ``ValueError`` if the kind cannot apply to the word (``undoubling`` on a word with no
    double letter, for example).
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    if kind not in applicable_kinds(word):
        raise ValueError(f"a {kind} error cannot apply to {word!r}")
    n = len(word)
    if kind == "deletion":
        i = rng.integers(n)
        return word[:i] + word[i + 1:]
    if kind == "insertion":
        i = int(rng.integers(n + 1))
        beside = [word[j] for j in (i - 1, i) if 0 <= j < n]
        ch = _near_key(beside[rng.integers(len(beside))], rng, adjacent) if beside else \
            LETTERS[rng.integers(26)]
        return word[:i] + ch + word[i:]
    if kind == "substitution":
        spots = [i for i, ch in enumerate(word) if ch in KEYBOARD_NEIGHBOURS]
        i = spots[rng.integers(len(spots))]
        return word[:i] + _near_key(word[i], rng, adjacent) + word[i + 1:]
    if kind == "transposition":
        spots = [i for i in range(n - 1) if word[i] != word[i + 1]]
        i = spots[rng.integers(len(spots))]
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == "doubling":
        i = rng.integers(n)
        return word[:i + 1] + word[i] + word[i + 1:]
    if kind == "undoubling":
        spots = [i for i in range(n - 1) if word[i] == word[i + 1]]
        i = spots[rng.integers(len(spots))]
        return word[:i] + word[i + 1:]
    if kind == "phonetic":
        options = _phonetic_options(word)
        i, old, new = options[rng.integers(len(options))]
        return word[:i] + new + word[i + len(old):]
    # vowel
    spots = _vowel_positions(word)
    i = spots[rng.integers(len(spots))]
    others = [v for v in VOWELS if v != word[i]]
    return word[:i] + others[rng.integers(len(others))] + word[i + 1:]


def misspell(word: str, rng: np.random.Generator, n_errors: int = 1,
             weights: Mapping[str, float] | None = None, adjacent: float = 0.8,
             avoid: Container[str] | None = None, tries: int = 20) -> Misspelling | None:
    """``word`` with ``n_errors`` errors, kinds drawn by ``weights`` among those that apply.

    The result differs from ``word``; if ``avoid`` (a set of real words) is given, it is also not
    one of them, since a misspelling that is itself a word cannot be told apart from a correct
    word. Returns ``None`` when ``tries`` attempts all failed (very short words).
    """
    if not word or not word.isalpha():
        raise ValueError(f"word must be a non-empty alphabetic string, not {word!r}")
    if n_errors < 1:
        raise ValueError(f"n_errors must be >= 1, not {n_errors}")
    weights = dict(DEFAULT_WEIGHTS if weights is None else weights)
    unknown = set(weights) - set(KINDS)
    if unknown:
        raise ValueError(f"unknown error kinds {sorted(unknown)}; kinds are {KINDS}")
    avoid = () if avoid is None else avoid
    for _ in range(tries):
        wrong, kinds = word, []
        for _ in range(n_errors):
            options = [k for k in applicable_kinds(wrong) if weights.get(k, 0) > 0]
            if not options:
                break
            p = np.array([weights[k] for k in options], dtype=np.float64)
            kind = options[rng.choice(len(options), p=p / p.sum())]
            wrong = apply_error(wrong, kind, rng, adjacent)
            kinds.append(kind)
        if len(kinds) == n_errors and wrong != word and wrong not in avoid:
            return Misspelling(wrong, word, tuple(kinds))
    return None


def generate(words: Sequence[str], seed: int, two_error_rate: float = 0.2,
             weights: Mapping[str, float] | None = None, adjacent: float = 0.8,
             avoid: Container[str] | None = None) -> list[Misspelling]:
    """One misspelling per word of ``words`` (in order; words that cannot be misspelled, such as
    ``"a"`` when every result is a real word, are skipped).

    A fraction ``two_error_rate`` of them get two errors, the rest one. ``avoid`` is a collection
    of real words the misspellings must not equal (a set, or the
    :class:`~cnnrnn.autocorrect.vocabulary.WordFrequencies` itself). The same ``seed`` gives
    the same list.
    """
    if not 0 <= two_error_rate <= 1:
        raise ValueError(f"two_error_rate must lie in [0, 1], not {two_error_rate}")
    rng = np.random.default_rng(seed)
    if isinstance(avoid, (list, tuple)):
        avoid = set(avoid)  # anything else only needs `in` (a set, a WordFrequencies)
    out = []
    for word in words:
        n_errors = 2 if rng.random() < two_error_rate else 1
        m = misspell(word, rng, n_errors, weights, adjacent, avoid)
        if m is not None:
            out.append(m)
    return out
