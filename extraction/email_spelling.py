"""An OCR'd e-mail address's name part in the spelling the page prints the name in.

A buyer's address is usually built from their name ('julien.girard@…'), and the page prints
that name elsewhere (the contact or buyer line, the signature). OCR misreads letters of the
address as of any word ('julien.glrard', 'markus.hischer'): a part of the address before the
'@' that the page prints nowhere, but prints one name one letter off, or one name as long with
two letters misread ('giturd' for Girard, six letters or more), is that name. 'julien' is not
'Jules', however the buyer line was read. The domain is the master data's business
(extraction/master_spelling.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz.distance import Levenshtein

from extraction.description_vocabulary import fold_description

MIN_PART_LETTERS = 4
LONG_PART_LETTERS = 6
_PARTS_RE = re.compile(r"([a-z]+)")


def local_part_from_page(address: str, page_words: Iterable[str]) -> str:
    """`address` with each misread name in its local part spelt as the page prints it."""
    local, at, domain = address.partition("@")
    if not at:
        return address
    printed = {w for word in page_words for w in _PARTS_RE.findall(fold_description(word))}
    names = [w for w in printed if len(w) >= MIN_PART_LETTERS]

    def respelt(match: re.Match[str]) -> str:
        part = match.group(1)
        if len(part) < MIN_PART_LETTERS or part in printed:
            return part
        near = [n for n in names if _misread_as(n, part)]
        return near[0] if len(near) == 1 else part

    return _PARTS_RE.sub(respelt, local) + at + domain


def _misread_as(name: str, part: str) -> bool:
    if abs(len(name) - len(part)) > 1:
        return False
    edits = Levenshtein.distance(name, part)
    return edits <= 1 or (edits == 2 and len(name) == len(part) >= LONG_PART_LETTERS)
