"""The baseline: ``pyspellchecker`` (Norvig's edit-distance corrector), and error kinds for tables.

Norvig's algorithm ("How to Write a Spelling Corrector", 2007; ``norvig2007spelling`` in
``book/references.bib``) tries every string one edit away from the typed word (a letter deleted,
inserted, replaced, or two neighbours swapped), keeps those that are known words, and picks the
most frequent; only if none is known does it try two edits. ``pyspellchecker``
0.9.1 implements it with ``distance=2``. :func:`evaluate_pyspellchecker` scores it on pairs
``(wrong, right)`` such as :func:`cnnrnn.data.load_misspellings` returns: top-1 and top-3 accuracy
(the candidates ranked by word frequency) and words per second.

:func:`classify_error` puts a pair into one error kind of :data:`ERROR_KINDS`, and
:func:`error_table` counts, per kind, how many pairs a corrector got right: the chapter's table of
which misspellings each method misses.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from cnnrnn.autocorrect.noise import VOWELS, _phonetic_options
from cnnrnn.autocorrect.vocabulary import MissingDependencyError

#: The kinds :func:`classify_error` returns, in the order its rules are tried (the first that
#: matches wins), then ``"other"``.
ERROR_KINDS = ("doubled letters", "phonetic", "deletion", "insertion", "substitution",
               "transposition", "two edits", "other")


def squeeze(word: str) -> str:
    """``word`` with every run of a repeated letter cut to one letter (``"accommodate"`` ->
    ``"acomodate"``)."""
    return "".join(ch for i, ch in enumerate(word) if i == 0 or ch != word[i - 1])


def edit_distance(a: str, b: str) -> int:
    """Optimal-string-alignment distance: deletions, insertions, substitutions and swaps of two
    neighbouring letters each cost 1 (the edits Norvig's algorithm searches)."""
    prev2, prev = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], prev2[j - 2] + 1)
        prev2, prev = prev, row
    return prev[-1]


def _one_edit_kind(wrong: str, right: str) -> str | None:
    if len(wrong) == len(right) - 1:
        if any(right[:i] + right[i + 1:] == wrong for i in range(len(right))):
            return "deletion"
    elif len(wrong) == len(right) + 1:
        if any(wrong[:i] + wrong[i + 1:] == right for i in range(len(wrong))):
            return "insertion"
    elif len(wrong) == len(right):
        diff = [i for i in range(len(right)) if wrong[i] != right[i]]
        if len(diff) == 1:
            return "substitution"
        if (len(diff) == 2 and diff[1] == diff[0] + 1
                and wrong[diff[0]] == right[diff[1]] and wrong[diff[1]] == right[diff[0]]):
            return "transposition"
    return None


def _is_phonetic(wrong: str, right: str) -> bool:
    if any(right[:i] + new + right[i + len(old):] == wrong
           for i, old, new in _phonetic_options(right)):
        return True
    # A vowel for another vowel, after the word's first vowel (where vowels are mostly unstressed).
    if len(wrong) == len(right):
        diff = [i for i in range(len(right)) if wrong[i] != right[i]]
        if len(diff) == 1 and wrong[diff[0]] in VOWELS and right[diff[0]] in VOWELS:
            first_vowel = next(i for i, ch in enumerate(right) if ch in VOWELS)
            return diff[0] > first_vowel
    return False


def classify_error(wrong: str, right: str) -> str:
    """The kind of error that turns ``right`` into ``wrong``, one of :data:`ERROR_KINDS`.

    Rules, tried in this order (case is ignored):

    1. ``doubled letters``: the two differ only in how many times letters are repeated
       (``begining``/``beginning``, ``acomodate``/``accommodate``, ``untill``/``until``);
    2. ``phonetic``: one sound-alike rewrite of :data:`~cnnrnn.autocorrect.noise.PHONETIC_RULES`
       (``recieve``, ``fysics``, ``responsable``) or a vowel for another vowel after the first
       vowel (``seperate``, ``definate``);
    3. one edit: ``deletion`` (a letter of the right word is missing), ``insertion`` (an extra
       letter), ``substitution`` (one letter replaced), ``transposition`` (two neighbours swapped);
    4. ``two edits``: two such edits (optimal string alignment distance 2);
    5. ``other``: anything farther.

    Raises ``ValueError`` if the two words are equal (there is no error to classify).
    """
    wrong, right = wrong.lower(), right.lower()
    if wrong == right:
        raise ValueError(f"{wrong!r} is the right spelling: there is no error to classify")
    if squeeze(wrong) == squeeze(right):
        return "doubled letters"
    if _is_phonetic(wrong, right):
        return "phonetic"
    kind = _one_edit_kind(wrong, right)
    if kind is not None:
        return kind
    if edit_distance(wrong, right) == 2:
        return "two edits"
    return "other"


def error_table(pairs: Sequence[tuple[str, str]],
                predictions: Sequence[Sequence[str]]) -> list[dict]:
    """Per error kind: how many pairs, how many the corrector got right first and in its top 3.

    ``predictions[i]`` are the candidates for ``pairs[i][0]``, best first (empty if none). Returns
    one row per kind of :data:`ERROR_KINDS` that occurs, in that order, as dictionaries with keys
    ``kind``, ``count``, ``top1`` and ``top3`` (counts of pairs right) and ``missed`` (the wrong
    words the corrector did not get right first, in their original order).
    """
    if len(pairs) != len(predictions):
        raise ValueError(f"{len(pairs)} pairs but {len(predictions)} predictions")
    rows = {k: {"kind": k, "count": 0, "top1": 0, "top3": 0, "missed": []} for k in ERROR_KINDS}
    for (wrong, right), guesses in zip(pairs, predictions):
        row = rows[classify_error(wrong, right)]
        row["count"] += 1
        if guesses[:1] == [right]:
            row["top1"] += 1
        else:
            row["missed"].append(wrong)
        row["top3"] += right in list(guesses[:3])
    return [row for row in rows.values() if row["count"]]


@dataclass
class BaselineResult:
    """Scores of a corrector on ``n`` pairs: top-1 and top-3 accuracy (fractions), wall-clock and
    CPU seconds for the whole batch, and the candidates it gave, best first."""

    n: int
    top1: float
    top3: float
    seconds: float
    cpu_seconds: float
    predictions: list[list[str]]

    @property
    def words_per_second(self) -> float:
        """Words corrected per wall-clock second."""
        return self.n / self.seconds if self.seconds > 0 else float("inf")


def spellchecker(distance: int = 2):
    """A ``pyspellchecker`` English ``SpellChecker`` (its own full word list) with ``distance``."""
    try:
        from spellchecker import SpellChecker
    except ImportError as error:
        raise MissingDependencyError(
            "the baseline is the package 'pyspellchecker', which is not installed: run  "
            "pip install 'pyspellchecker>=0.9.1,<1'") from error
    return SpellChecker(language="en", distance=distance)


def ranked_candidates(checker, word: str, k: int = 3) -> list[str]:
    """``checker``'s candidates for ``word``, most frequent first (ties alphabetically), at most
    ``k``; empty when it has none. The first is what ``checker.correction(word)`` returns."""
    found = checker.candidates(word) or ()
    return sorted(found, key=lambda w: (-checker[w], w))[:k]


def evaluate_pyspellchecker(pairs: Sequence[tuple[str, str]], distance: int = 2,
                            k: int = 3, checker=None) -> BaselineResult:
    """Correct every wrong word of ``pairs`` with ``pyspellchecker`` and score it.

    Top-1: the most frequent candidate is the right word; top-3: the right word is among the 3 most
    frequent candidates. The clock runs over the corrections only (building the checker, about a
    second, is left out); ``checker`` lets a caller reuse one.
    """
    if not pairs:
        raise ValueError("pairs is empty")
    checker = spellchecker(distance) if checker is None else checker
    wall, cpu = time.perf_counter(), time.process_time()
    predictions = [ranked_candidates(checker, wrong, k) for wrong, _ in pairs]
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    top1 = sum(p[:1] == [right] for p, (_, right) in zip(predictions, pairs)) / len(pairs)
    top3 = sum(right in p[:3] for p, (_, right) in zip(predictions, pairs)) / len(pairs)
    return BaselineResult(len(pairs), top1, top3, wall, cpu, predictions)
