"""Puts right the typing slips of a question before it is searched ("opleidig", "uitkerin", "alternanse").

Visitors type on phones. A word the content never uses, one slip away (a letter missing, a letter
added, two letters swapped) from a word it does use, is read as that word; with several, the one
used by the most passages. A changed letter is not a slip here: the content's vocabulary is small,
and most words one letter away from it are other correct words ("leeftijd" and "leertijd",
"daarvoor" and "waarvoor"). Only words of MIN_LENGTH letters or more are touched: short words have
too many neighbours ("thuis", "huis"). Known words are those of the content and of the glossary, so that a
correct word the sheets do not use ("belastingaangifte") stays as it is. The lookup is a table of
each known word with one letter deleted (the symmetric-delete idea), so a question costs a few
dictionary look-ups per unknown word, whatever the size of the content.

The limit: a correct word the content does not use, one letter longer or shorter than one it uses,
is read as that one ("niemand" as "iemand"). This only steers the search, never what the visitor
reads, and the development questions of knowledge/ranking_tune.py showed a small gain overall.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from common.text import words

MIN_LENGTH = 6
TOKEN = re.compile(r"\w+", re.UNICODE)


def one_deleted(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def one_slip_apart(a: str, b: str) -> bool:
    """A letter deleted, a letter inserted, or two neighbouring letters swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        differ = [i for i in range(len(a)) if a[i] != b[i]]
        return (
            len(differ) == 2
            and differ[1] == differ[0] + 1
            and a[differ[0]] == b[differ[1]]
            and a[differ[1]] == b[differ[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


class Speller:
    def __init__(self, frequencies: Mapping[str, float], also_known: Iterable[str] = ()) -> None:
        """`frequencies`: the content's words and how often they are used (any increasing measure);
        `also_known`: other correct words (the glossary's), never corrected, never proposed."""
        self.known = set(frequencies) | set(also_known)
        self.frequencies = frequencies
        self.by_deletion: dict[str, list[str]] = {}
        for word in frequencies:
            if len(word) >= MIN_LENGTH - 1:
                for key in one_deleted(word) | {word}:
                    self.by_deletion.setdefault(key, []).append(word)

    def correction(self, word: str) -> str | None:
        """The known word `word` was meant to be, or None when it is known, short or has no close one."""
        if len(word) < MIN_LENGTH or word in self.known or word.isdigit():
            return None
        found = {
            candidate
            for key in one_deleted(word) | {word}
            for candidate in self.by_deletion.get(key, ())
            if one_slip_apart(word, candidate)
        }
        return max(sorted(found), key=lambda candidate: self.frequencies[candidate]) if found else None

    def corrected(self, text: str) -> str:
        """`text` with each slip replaced by the known word, the rest (accents, punctuation) untouched."""

        def replace(token: re.Match) -> str:
            said = words(token.group())
            fixed = self.correction(said[0]) if len(said) == 1 else None
            return fixed or token.group()

        return TOKEN.sub(replace, text)
