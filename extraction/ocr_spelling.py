"""Description words OCR misread, put back in the spelling orders print them.

Tesseract's dictionaries do not hold a seller's item vocabulary: 'H07V-U' comes out 'HO7V-U',
'mm²' 'mm?', 'Rücken' 'Riicken'. The words printed on the order lines the model was trained on,
and the catalogue's own descriptions, are that vocabulary. A word OCR read that is not in it,
and is one edit (two for long words) from exactly one word that is, is taken for that word.
Numbers are not touched, and a correction may not change a digit into another: a size or a
model number OCR misread stays as read rather than turn into a neighbouring product's.
"""

from __future__ import annotations

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
_DIGITS = frozenset("0123456789")
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
        """`text` with each misread word in its known spelling."""
        return " ".join(self._respell_word(word) for word in text.split())

    def _respell_word(self, word: str) -> str:
        core = word.rstrip(_TRAILING)
        tail = word[len(core) :]
        if len(core) < self.min_length or not any(ch.isalpha() for ch in core):
            return word
        folded = core.casefold()
        if folded in self._by_fold:
            return word
        limit = 2 if len(core) >= self.long_word else 1
        found = process.extract(
            folded, self._folds, scorer=Levenshtein.distance, score_cutoff=limit, limit=2
        )
        if not found or (len(found) > 1 and found[1][1] == found[0][1]):
            return word  # nothing near, or two words as near: not a guess to make
        if not _keeps_digits(folded, found[0][0]):
            return word
        return self._by_fold[found[0][0]] + tail

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
