"""Description words learnt across languages: which catalogue words a printed word stands for.

Customers describe items in their own language, the catalogue is in the seller's. Every order
line whose product is known (printed with its SKU, or validated by an agent) pairs a printed
description with the catalogue's. Over many pairs, a printed word's translations are the
catalogue words it keeps appearing with and rarely without (Dice coefficient over the pairs):
gelb → jaune, Aderleitung → câble électrique, Industriequalität → qualité industrielle. Words
printed alike in both (sizes, model numbers, 'Eco') are left as they are. Matching then reads
an unmatched description in the catalogue's words (extraction/matching.py), where the printed
sizes must still all agree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from extraction.normalize import normalize_text, strip_accents

MIN_PAIRS = 3
"""Lines a word pair must share before it counts as a translation."""
MIN_DICE = 0.6
"""2·both / (printed word's lines + catalogue word's lines): 1 when they always go together."""


@dataclass(frozen=True)
class DescriptionVocabulary:
    translations: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Folded printed word → the catalogue words it stands for."""

    def translate(self, description: str) -> str | None:
        """The description in catalogue words, or None when no word of it is known."""
        words = fold_description(description).split()
        keys = [w.strip(_PUNCTUATION) for w in words]
        if not any(k in self.translations for k in keys):
            return None
        return " ".join(
            " ".join(self.translations.get(k, (w,))) for w, k in zip(words, keys, strict=True)
        )

    def to_json(self) -> dict[str, list[str]]:
        return {word: list(targets) for word, targets in sorted(self.translations.items())}

    @classmethod
    def from_json(cls, data: Mapping[str, Iterable[str]]) -> DescriptionVocabulary:
        return cls({word: tuple(targets) for word, targets in data.items()})


def learn_vocabulary(pairs: Iterable[tuple[str, str]]) -> DescriptionVocabulary:
    """From (printed description, catalogue description) pairs of the same product."""
    printed_count: Counter[str] = Counter()
    catalogue_count: Counter[str] = Counter()
    together: Counter[tuple[str, str]] = Counter()
    for printed, catalogue in pairs:
        printed_words, catalogue_words = set(_words(printed)), set(_words(catalogue))
        own = printed_words - catalogue_words
        theirs = catalogue_words - printed_words
        printed_count.update(own)
        catalogue_count.update(theirs)
        together.update((p, c) for p in own for c in theirs)
    translations: dict[str, list[str]] = {}
    for (word, target), both in together.items():
        dice = 2 * both / (printed_count[word] + catalogue_count[target])
        if both >= MIN_PAIRS and dice >= MIN_DICE:
            translations.setdefault(word, []).append(target)
    return DescriptionVocabulary({w: tuple(sorted(t)) for w, t in translations.items()})


def fold_description(text: str) -> str:
    """Lower case, single spaces, no accents (OCR and keyboards drop them): descriptions are
    compared in this form."""
    return strip_accents(normalize_text(text), form="NFD")


_PUNCTUATION = ".,;:()"


def _words(text: str) -> list[str]:
    """The words that can be translated: no sizes or numbers, no punctuation alone."""
    return [
        w.strip(_PUNCTUATION)
        for w in fold_description(text).split()
        if not any(c.isdigit() for c in w) and len(w.strip(_PUNCTUATION + "–-")) >= 2
    ]
