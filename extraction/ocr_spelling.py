"""Description words OCR misread, put back in the spelling orders print them.

Tesseract's dictionaries do not hold a seller's item vocabulary: 'H07V-U' comes out 'HO7V-U',
'mm²' 'mm?', 'Rücken' 'Riicken'. The words printed on the order lines the model was trained on,
and the catalogue's own descriptions, are that vocabulary. A word OCR read that is not in it,
and is one edit (two for long words) from exactly one word that is, is taken for that word.
Numbers are not touched, and a correction may not change a digit into another: a size or a
model number OCR misread stays as read rather than turn into a neighbouring product's.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

MIN_LENGTH = 3
LONG_WORD = 7
"""Words of this length or more may be two edits away; shorter ones one."""
_TRAILING = ",.;:"
_LEADING_NOISE = "“”„\"‘’'"
_DIGITS = frozenset("0123456789")
_GLUED_MARK = re.compile(r"[a-zäöüéèà][A-ZÄÖÜÉ0-9]|[0-9][a-zäöüéèà]{2}")
_SIZE = re.compile(r"[A-Za-z]?\d{1,3}[A-Za-z]?")
"""A size or grade printed as one short token: 'M8', 'A2', '4er'."""
_MAX_PIECE = 24
DIAMETER = "Ø"
_DIAMETER_MISREADS = frozenset({"@", "©", "®"})
"""What Tesseract reads for a standalone 'Ø' before a size; in a description none of these
stands alone before a number otherwise."""
_CONFUSABLE = frozenset({("o", "0"), ("i", "1"), ("l", "1"), ("s", "5"), ("b", "8"), ("z", "2")})
"""(letter, digit) pairs OCR reads one for the other."""


@dataclass(frozen=True)
class Spellings:
    words: frozenset[str] = field(default_factory=frozenset)
    """Printed spellings, one per case-folded word."""
    min_length: int = MIN_LENGTH
    """Shorter words are left as read."""
    long_word: int = LONG_WORD
    """Words of this length or more may be two edits away; shorter ones one."""

    @cached_property
    def _by_fold(self) -> dict[str, str]:
        return {w.casefold(): w for w in self.words}

    @cached_property
    def _folds(self) -> list[str]:
        return sorted(self._by_fold)

    def merged(self, texts: Iterable[str]) -> Spellings:
        """These spellings and the words of `texts` (the catalogue's descriptions)."""
        extra = learn_spellings(texts).words
        known = {w.casefold() for w in self.words}
        words = self.words | {w for w in extra if w.casefold() not in known}
        return Spellings(words, self.min_length, self.long_word)

    def respell(self, text: str) -> str:
        """`text` with each misread word in its known spelling, and the diameter sign OCR
        read as a look-alike ('Wellrohr @ 20 mm') put back."""
        words = text.split()
        return " ".join(
            DIAMETER
            if word in _DIAMETER_MISREADS and i + 1 < len(words) and words[i + 1][:1].isdigit()
            else self._respell_word(word)
            for i, word in enumerate(words)
        )

    def _respell_word(self, word: str) -> str:
        """The word in its known spelling; a quote OCR made of a speck before it ('“Lithiumfett')
        goes with the misreading, or when the word is known as read."""
        bare = word.lstrip(_LEADING_NOISE)
        core = bare.rstrip(_TRAILING)
        tail = bare[len(core) :]
        if len(core) < self.min_length or not any(ch.isalpha() for ch in core):
            return word
        folded = core.casefold()
        if folded in self._by_fold:
            return bare
        nearest = self._nearest(folded, self._folds, len(core))
        if nearest is None:
            # nothing near, two words as near, or a digit changed: not a guess to make, unless
            # OCR lost the spaces between known words, or misread the parts of a compound
            pieces = self._glued_words(core)
            if pieces:
                return " ".join(pieces) + tail
            parts = self._compound_parts(core)
            return parts + tail if parts else word
        return self._by_fold[nearest] + tail

    def _nearest(self, folded: str, folds: list[str], length: int) -> str | None:
        """The one word of `folds` within reach of `folded` (of a word `length` long as read)
        that keeps its digits; None when there is none, or two as near."""
        limit = 2 if length >= self.long_word else 1
        found = process.extract(
            folded, folds, scorer=Levenshtein.distance, score_cutoff=limit, limit=2
        )
        if not found or (len(found) > 1 and found[1][1] == found[0][1]):
            return None
        return found[0][0] if _keeps_digits(folded, found[0][0]) else None

    def _compound_parts(self, core: str) -> str | None:
        """'Akalino-Batterion' → Alkaline-Batterien: a hyphenated word whose parts are each
        within reach of a part of a known compound, respelt part by part."""
        parts = core.split("-")
        if len(parts) < 2 or any(len(part) < self.min_length for part in parts):
            return None
        spelt = [self._nearest(part.casefold(), self._part_folds, len(part)) for part in parts]
        if any(part is None for part in spelt):
            return None
        return "-".join(self._parts_by_fold[part] for part in spelt if part is not None)

    @cached_property
    def _parts_by_fold(self) -> dict[str, str]:
        """The parts of the known hyphenated words ('Alkaline', 'Batterien')."""
        return {
            part.casefold(): part
            for word in self.words
            if "-" in word
            for part in word.split("-")
            if len(part) >= self.min_length
        }

    @cached_property
    def _part_folds(self) -> list[str]:
        return sorted(self._parts_by_fold)

    def _glued_words(self, core: str) -> list[str] | None:
        """'HexnutM8zincplated' → Hexnut, M8, zinc, plated: a word OCR glued together, split
        into known words and short sizes ('M8', 'A2'). Only a word that shows where it was glued
        (a capital or a digit right after a small letter, a small letter after a digit) is
        split: an unknown German compound of known words is left whole."""
        if not _GLUED_MARK.search(core):
            return None
        n = len(core)
        # best[i]: the fewest pieces covering core[:i], and those pieces
        best: list[list[str] | None] = [[]] + [None] * n
        for end in range(1, n + 1):
            for start in range(max(0, end - _MAX_PIECE), end):
                before = best[start]
                piece = core[start:end]
                spelt = self._piece(piece)
                if before is None or spelt is None:
                    continue
                if best[end] is None or len(before) + 1 < len(best[end] or []):
                    best[end] = [*before, spelt]
        pieces = best[n]
        return pieces if pieces is not None and len(pieces) > 1 else None

    def _piece(self, piece: str) -> str | None:
        if len(piece) >= self.min_length and piece.casefold() in self._by_fold:
            return self._by_fold[piece.casefold()]
        return piece if _SIZE.fullmatch(piece) else None

    def to_json(self) -> list[str]:
        return sorted(self.words)

    @classmethod
    def from_json(cls, data: Iterable[str]) -> Spellings:
        return cls(frozenset(data))


def learn_spellings(texts: Iterable[str]) -> Spellings:
    """The words of `texts` (printed descriptions), each in its most frequent spelling."""
    counts: Counter[str] = Counter()
    for text in texts:
        for word in text.split():
            core = word.rstrip(_TRAILING)
            if len(core) >= MIN_LENGTH and any(ch.isalpha() for ch in core):
                counts[core] += 1
    best: dict[str, tuple[int, str]] = {}
    for word, count in counts.items():
        key = word.casefold()
        if key not in best or count > best[key][0]:
            best[key] = (count, word)
    return Spellings(frozenset(word for _, word in best.values()))


def _keeps_digits(read: str, spelt: str) -> bool:
    """No digit added, dropped or changed into another digit; a letter and the digit it looks
    like ('o' and '0') may stand for each other."""
    for op in Levenshtein.editops(read, spelt):
        if op.tag == "delete" and read[op.src_pos] in _DIGITS:
            return False
        if op.tag == "insert" and spelt[op.dest_pos] in _DIGITS:
            return False
        if op.tag == "replace":
            a, b = read[op.src_pos], spelt[op.dest_pos]
            if (a in _DIGITS or b in _DIGITS) and (a, b) not in _CONFUSABLE | _REVERSED:
                return False
    return True


_REVERSED = frozenset((digit, letter) for letter, digit in _CONFUSABLE)
