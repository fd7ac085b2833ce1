"""Candidate words for a typed word: a deletion index (the idea of Garbe's SymSpell) and a
vectorised edit distance.

Norvig's corrector builds every string within two edits of the typed word (tens of thousands for a
ten-letter word) and looks each one up: about ten words per second in Python. A deletion index
turns that around. Every vocabulary word is stored under each string it becomes when up to two of
its letters are deleted; a typed word looks up its own such strings. Two words within two edits of
each other always share one (a substitution is a deletion on each side, an insertion is a
deletion on the other side), so nothing within two edits is missed, and the lookup costs about
fifty dictionary probes instead of tens of thousands. Words found this way may be up to four edits
away; :func:`edit_distances` measures them all at once with NumPy, and :meth:`CandidateIndex.shortlist`
keeps the nearest and most frequent.

The index stores 64-bit hashes of the strings, not the strings (about 5.5 million entries for the
128,112-word list: 66 MB instead of several hundred), so it is rebuilt in each process (about four
seconds): Python's string hash differs from one process to the next.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cnnrnn.autocorrect.vocabulary import WordFrequencies


def deletions(word: str, depth: int) -> set[str]:
    """``word`` and every string made from it by deleting up to ``depth`` letters."""
    if depth < 0:
        raise ValueError(f"depth must be >= 0, not {depth}")
    found, frontier = {word}, {word}
    for _ in range(depth):
        frontier = {s[:i] + s[i + 1:] for s in frontier for i in range(len(s))}
        found |= frontier
    return found


def edit_distances(typed: Sequence[str], candidates: Sequence[str]) -> np.ndarray:
    """Optimal-string-alignment distance between ``typed[i]`` and ``candidates[i]`` for every ``i``.

    The same distance as :func:`cnnrnn.autocorrect.baseline.edit_distance` (deletions,
    insertions, substitutions and swaps of two neighbouring letters cost 1 each), computed for all
    pairs together: one NumPy operation per cell of the longest pair's table instead of one Python
    loop per pair.
    """
    if len(typed) != len(candidates):
        raise ValueError(f"{len(typed)} typed words but {len(candidates)} candidates")
    n = len(typed)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    la = np.array([len(w) for w in typed])
    lb = np.array([len(w) for w in candidates])
    a = _codes(typed, la.max())
    b = _codes(candidates, lb.max())
    width = lb.max() + 1
    rows = np.arange(width)[None, :].repeat(n, axis=0)   # row 0: distance from ""
    prev2 = None
    prev = rows
    answer = np.where(la == 0, lb, 0)
    for i in range(1, la.max() + 1):
        row = np.empty_like(prev)
        row[:, 0] = i
        for j in range(1, width):
            cost = (a[:, i - 1] != b[:, j - 1]).astype(np.int64)
            best = np.minimum(np.minimum(prev[:, j] + 1, row[:, j - 1] + 1), prev[:, j - 1] + cost)
            if i > 1 and j > 1:
                swap = (a[:, i - 1] == b[:, j - 2]) & (a[:, i - 2] == b[:, j - 1])
                best = np.where(swap, np.minimum(best, prev2[:, j - 2] + 1), best)
            row[:, j] = best
        done = la == i
        answer[done] = row[done, lb[done]]
        prev2, prev = prev, row
    return answer


def _codes(words: Sequence[str], width: int) -> np.ndarray:
    """Words as a matrix of code points, padded with 0 (the distance never reads the padding)."""
    width = max(int(width), 1)
    padded = "".join(w.ljust(width, "\0") for w in words)
    return np.frombuffer(padded.encode("utf-32-le"), dtype=np.uint32).reshape(len(words), width)


class CandidateIndex:
    """Which vocabulary words lie near a typed word.

    ``CandidateIndex(vocabulary)`` indexes every word of ``vocabulary`` (a
    :class:`~cnnrnn.autocorrect.vocabulary.WordFrequencies`) under its deletions up to ``depth``
    letters. :meth:`lookup` returns the ids of the words that share a deletion with the typed
    word (every word within ``depth`` edits, and some further away); :meth:`shortlist` the
    ``k`` nearest of them, ties broken by frequency, with their edit distances.
    """

    def __init__(self, vocabulary: WordFrequencies, depth: int = 2):
        self.vocabulary = vocabulary
        self.depth = depth
        hashes, ids = [], []
        for i, word in enumerate(vocabulary.words):
            keys = deletions(word, depth)
            hashes.extend(hash(key) for key in keys)
            ids.extend([i] * len(keys))
        order = np.argsort(np.array(hashes, dtype=np.int64), kind="stable")
        self._hashes = np.array(hashes, dtype=np.int64)[order]
        self._ids = np.array(ids, dtype=np.int32)[order]
        self._lengths = np.array([len(w) for w in vocabulary.words])

    def __len__(self) -> int:
        return len(self._hashes)

    def lookup(self, word: str) -> np.ndarray:
        """Ids (positions in the vocabulary, most frequent first) of the words that share a
        deletion of up to ``depth`` letters with ``word``."""
        probes = np.fromiter((hash(key) for key in deletions(word, self.depth)), dtype=np.int64)
        lo = np.searchsorted(self._hashes, probes, "left")
        hi = np.searchsorted(self._hashes, probes, "right")
        hits = [self._ids[a:b] for a, b in zip(lo, hi) if b > a]
        if not hits:
            return np.zeros(0, dtype=np.int32)
        return np.unique(np.concatenate(hits))

    def shortlist(self, words: Sequence[str], k: int, max_distance: int = 3
                  ) -> list[tuple[list[str], np.ndarray]]:
        """For each typed word, its ``k`` best candidates and their edit distances.

        Candidates further than ``max_distance`` edits are dropped; the rest are sorted by edit
        distance, then by frequency (most frequent first), and the first ``k`` kept. The distances
        of all words' candidates are computed in one call to :func:`edit_distances`.
        """
        found = []
        for w in words:
            ids = self.lookup(w)
            # a length difference is a lower bound on the distance: drop those cheaply first
            found.append(ids[np.abs(self._lengths[ids] - len(w)) <= max_distance])
        flat_typed = [w for w, ids in zip(words, found) for _ in range(len(ids))]
        flat_words = [self.vocabulary.words[i] for ids in found for i in ids]
        distances = _edit_distances_by_length(flat_typed, flat_words)
        out, start = [], 0
        for ids in found:
            d = distances[start:start + len(ids)]
            start += len(ids)
            keep = d <= max_distance
            ids, d = ids[keep], d[keep]
            # ids are in frequency order already, so a stable sort by distance breaks ties by it
            order = np.argsort(d, kind="stable")[:k]
            out.append(([self.vocabulary.words[i] for i in ids[order]], d[order]))
        return out


def _edit_distances_by_length(typed: Sequence[str], candidates: Sequence[str],
                              chunk: int = 20000) -> np.ndarray:
    """:func:`edit_distances` on pairs sorted by length and taken in chunks, so that a few long
    words do not make every pair pay for the longest table."""
    n = len(typed)
    out = np.zeros(n, dtype=np.int64)
    order = np.argsort([max(len(a), len(b)) for a, b in zip(typed, candidates)], kind="stable")
    for start in range(0, n, chunk):
        part = order[start:start + chunk]
        out[part] = edit_distances([typed[i] for i in part], [candidates[i] for i in part])
    return out
