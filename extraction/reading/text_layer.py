"""Decide whether a PDF page's text layer can be trusted or the page must be OCRed instead.

Useless text layers seen in practice: scanners that put an invisible OCR layer (often poor) over
the page image; fonts without a usable ToUnicode map, which extract as `(cid:12)` or private-use
characters; text drawn as vector outlines (no characters at all); and garbage from a bad OCR
engine or a wrong font encoding (symbols, case-mixed letter soup, no real words).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum

MIN_CHARS_TO_JUDGE = 20
MAX_SUSPICIOUS_CHAR_SHARE = 0.25
MIN_WORDLIKE_TOKEN_SHARE = 0.5
MIN_TOKENS_FOR_LEXICON = 25
INVISIBLE_TEXT_SHARE = 0.5
SCANNED_IMAGE_COVERAGE = 0.6
MIN_IMAGE_COVERAGE_TO_OCR = 0.02
VECTOR_TEXT_MIN_PATHS = 200

_CID = re.compile(r"\(cid:\d+\)")
_TOKEN = re.compile(r"\S+")
_ALPHA_RUN = re.compile(r"[^\W\d_]{2,}")
_EDGE_PUNCTUATION = "()[]{}\"'«»„“”‘’.,;:!?%*#"
_PLAIN_PUNCTUATION = set(".,;:-–—/\\()[]{}%€$£¥&'\"’‘“”«»„#*+=@!?°§_<>|~^")

# Short, frequent words of the languages orders arrive in; a page of real prose or of an order
# contains some of them, a letter soup from a broken font encoding contains none.
_COMMON_WORDS_TEXT = """
    the and for with from our your you this that are not all per order date total qty price
    item items unit amount invoice delivery ship address number page tax vat net due terms
    de la le les et des du en pour par sur avec une un au aux est commande livraison prix total
    quantité montant facture date adresse client article référence tva page
    der die das und für mit von den dem des ein eine ist auf bei zu nicht bestellung lieferung
    preis menge betrag rechnung datum anschrift kunde artikel seite mwst gesamt summe
    het een van voor met op te zijn il di che per con del della non una
"""
COMMON_WORDS = frozenset(_COMMON_WORDS_TEXT.split())


class TextLayerVerdict(Enum):
    USABLE = "usable"
    EMPTY = "empty"
    IMAGE_ONLY = "scanned image without a text layer"
    MISSING_UNICODE_MAP = "font without a usable ToUnicode map"
    GARBAGE = "garbage characters"
    INVISIBLE_OVER_IMAGE = "invisible OCR layer over a scanned image"
    VECTOR_OUTLINES = "text drawn as vector outlines"


@dataclass(frozen=True, slots=True)
class PageObjects:
    """What is drawn on a PDF page, counted from its content (see pdf_document.profile_page)."""

    text_objects: int = 0
    invisible_text_objects: int = 0
    image_coverage: float = 0.0
    """Share of the page area covered by images (0..1)."""
    path_objects: int = 0


def judge_text_layer(text: str, objects: PageObjects) -> TextLayerVerdict:
    """USABLE when the characters extracted from a page can be used as they are, EMPTY when the
    page shows nothing to read; otherwise why the page needs OCR."""
    visible = "".join(text.split())
    if not visible:
        if objects.image_coverage >= MIN_IMAGE_COVERAGE_TO_OCR:
            return TextLayerVerdict.IMAGE_ONLY
        if objects.path_objects >= VECTOR_TEXT_MIN_PATHS:
            return TextLayerVerdict.VECTOR_OUTLINES
        return TextLayerVerdict.EMPTY
    if (
        objects.image_coverage >= SCANNED_IMAGE_COVERAGE
        and objects.text_objects
        and (objects.invisible_text_objects / objects.text_objects >= INVISIBLE_TEXT_SHARE)
    ):
        return TextLayerVerdict.INVISIBLE_OVER_IMAGE
    if _unmapped_char_share(visible) > MAX_SUSPICIOUS_CHAR_SHARE:
        return TextLayerVerdict.MISSING_UNICODE_MAP
    if len(visible) < MIN_CHARS_TO_JUDGE:
        return TextLayerVerdict.USABLE
    if _suspicious_char_share(_CID.sub("", visible)) > MAX_SUSPICIOUS_CHAR_SHARE:
        return TextLayerVerdict.GARBAGE
    if not _reads_like_words(text):
        return TextLayerVerdict.GARBAGE
    return TextLayerVerdict.USABLE


def _unmapped_char_share(visible: str) -> float:
    """Share of characters a font could not map to Unicode: `(cid:N)` codes, private-use code
    points, replacement characters."""
    cid_chars = sum(len(m) for m in _CID.findall(visible))
    rest = _CID.sub("", visible)
    unmapped = sum(1 for ch in rest if ch == "\ufffd" or unicodedata.category(ch) == "Co")
    return (cid_chars + unmapped) / len(visible)


def _suspicious_char_share(visible: str) -> float:
    if not visible:
        return 1.0
    suspicious = sum(1 for ch in visible if not _plausible_char(ch))
    return suspicious / len(visible)


def _plausible_char(ch: str) -> bool:
    if ch.isascii():
        return ch.isalnum() or ch in _PLAIN_PUNCTUATION
    if ch in _PLAIN_PUNCTUATION:
        return True
    category = unicodedata.category(ch)
    if category[0] in "LN":
        return "LATIN" in unicodedata.name(ch, "") or category[0] == "N"
    return category in ("Pd", "Pi", "Pf", "Ps", "Pe", "Po", "Sc")


def _reads_like_words(text: str) -> bool:
    verdicts = [v for v in (_wordlike(token) for token in _TOKEN.findall(text)) if v is not None]
    if verdicts and sum(verdicts) / len(verdicts) < MIN_WORDLIKE_TOKEN_SHARE:
        return False
    alpha_tokens = [m.group(0).lower() for m in _ALPHA_RUN.finditer(text)]
    if len(alpha_tokens) < MIN_TOKENS_FOR_LEXICON:
        return True
    return any(token in COMMON_WORDS for token in alpha_tokens)


def _wordlike(token: str) -> bool | None:
    """Whether a token looks like a word, a number or a code; None for bare punctuation."""
    core = token.strip(_EDGE_PUNCTUATION)
    if not core or all(ch in _PLAIN_PUNCTUATION for ch in core):
        return None
    if any(ch.isdigit() for ch in core):
        return all(ch.isalnum() or ch in _PLAIN_PUNCTUATION for ch in core)
    parts = [part for part in re.split(r"[-'’./]", core) if part]
    return bool(parts) and all(part.isalpha() and _usual_case(part) for part in parts)


def _usual_case(word: str) -> bool:
    """lower, UPPER, Title, or a name like McKenzie (one inner capital)."""
    if word.islower() or word.isupper() or word.istitle():
        return True
    inner_capitals = sum(1 for ch in word[1:] if ch.isupper())
    return word[0].isupper() and inner_capitals == 1 and len(word) > 3
