"""Correcting lines of text: find the words, correct them in one batch, put them back.

Only the words change. A word keeps its capitalization ("Networc" -> "Network", "NETWORC" ->
"NETWORK"); spaces, punctuation, digits, words with digits or apostrophes, mixed-case words
("iPhone"), non-Latin text and bytes that are not valid UTF-8 come back as they were.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

#: A token: a run of word characters (any script, digits included), apostrophes inside allowed.
TOKEN = re.compile(r"\w+(?:['\u2019]\w+)*")
#: Tokens that are corrected: plain ``a``-``z`` letters, any case.
CORRECTABLE = re.compile(r"[A-Za-z]+")


def match_case(model: str, word: str) -> str:
    """``word`` written in the case of ``model``: lower, Capitalized or UPPER."""
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _case_is_simple(token: str) -> bool:
    """lower, Capitalized or UPPER (mixed case such as "iPhone" is left alone)."""
    return token.islower() or token.isupper() or (token[0].isupper() and token[1:].islower())


def correct_lines(corrector, lines: Sequence[str], top: int = 1,
                  separator: str = "|") -> list[str]:
    """Each line with its misspelled words corrected (one output line per input line, in order).

    All the lines' words go to ``corrector.candidates`` in one batch (each distinct word once).
    With ``top`` > 1 a changed word is written as its ``top`` alternatives joined by
    ``separator``, best first.
    """
    spans = [[m for m in TOKEN.finditer(line)
              if CORRECTABLE.fullmatch(m.group()) and _case_is_simple(m.group())]
             for line in lines]
    distinct = sorted({m.group().lower() for found in spans for m in found})
    ranked = dict(zip(distinct, corrector.candidates(distinct, top))) if distinct else {}
    out = []
    for line, found in zip(lines, spans):
        pieces, end = [], 0
        for m in found:
            token = m.group()
            alternatives = ranked[token.lower()]
            if alternatives == [token.lower()]:
                continue   # known or uncorrectable: keep it exactly as typed
            pieces.append(line[end:m.start()])
            pieces.append(separator.join(match_case(token, a) for a in alternatives))
            end = m.end()
        pieces.append(line[end:])
        out.append("".join(pieces))
    return out
