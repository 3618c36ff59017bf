"""Values as printed → normal forms (field-conventions.md), by locale.

Amounts go through Babel's locale number parser once the decimal mark is known; month names come
from Babel's calendars for French, English and German; VAT ids and GTINs are checked with
python-stdnum. Every parser returns None when the text is not a value of its kind, so candidate
generation can try them all cheaply.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Literal

from babel import Locale
from babel.dates import get_month_names
from babel.numbers import NumberFormatError, parse_decimal
from rapidfuzz.distance import Levenshtein
from stdnum import ean
from stdnum.eu import vat as eu_vat

LANGUAGES: tuple[str, ...] = ("en", "fr", "de")
_NUMBER_LOCALE = {",": "de", ".": "en"}
"""A Babel locale whose decimal mark is the key (thousands groups are stripped before parsing)."""

_AMOUNT_RE = re.compile(r"^[-+]?(?:\d{1,3}(?:[ .,'\u202f\u00a0]\d{3})+|\d+)(?:[.,]\d{1,4})?-?$")
_CURRENCY_AFFIX_RE = re.compile(r"^(?:EUR|USD|GBP|CHF|€|\$|£)\s*|\s*(?:EUR|USD|GBP|CHF|€|\$|£)$")


def parse_amount(text: str, *, decimal_mark: str | None = None) -> Decimal | None:
    """'1 234,50 €', '1,234.50', '1.234,50', '-12.5', '7.330.22' → Decimal; None when not an
    amount.

    The decimal mark is read from the shape when both marks appear or when a single mark is
    followed by one, two or four digits; a single mark followed by three digits is taken as a
    thousands separator unless `decimal_mark` says otherwise (the document's locale).
    """
    s = _CURRENCY_AFFIX_RE.sub("", text.strip()).strip()
    if not s or not _AMOUNT_RE.match(s):
        return None
    negative = s.startswith("-") or s.endswith("-")
    s = s.strip("+-")
    mark = _decimal_mark_of(s, decimal_mark)
    digits = s.replace(" ", "").replace("\u202f", "").replace("\u00a0", "").replace("'", "")
    if mark is None:
        digits = digits.replace(",", "").replace(".", "")
    else:
        thousands = "." if mark == "," else ","
        point = digits.rfind(mark)
        digits = (digits[:point].replace(mark, "") + digits[point:]).replace(thousands, "")
    try:
        value = parse_decimal(digits, locale=_NUMBER_LOCALE[mark or "."], strict=False)
    except (NumberFormatError, InvalidOperation):
        return None
    return -value if negative else value


def _decimal_mark_of(s: str, hint: str | None) -> str | None:
    last_comma, last_dot = s.rfind(","), s.rfind(".")
    if last_comma >= 0 and last_dot >= 0:
        return "," if last_comma > last_dot else "."
    pos = max(last_comma, last_dot)
    if pos < 0:
        return None
    mark = s[pos]
    decimals = len(s) - pos - 1
    if s.count(mark) > 1:
        # '1.234.567' groups thousands; '7.330.22' is OCR's full stop for the decimal comma
        return mark if decimals in (1, 2) else None
    if decimals == 3:
        return mark if hint == mark else None
    return mark


def decimal_mark_for(language: str) -> str:
    return "." if language == "en" else ","


# ---- dates ----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _month_lookup() -> dict[str, int]:
    """Month names and abbreviations of FR/EN/DE (Babel's CLDR data), lower-case, no dots."""
    lookup: dict[str, int] = {}
    for language in LANGUAGES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, locale=language).items():
                    lookup[_fold(name).rstrip(".")] = number
    lookup.update({"sept": 9, "mrz": 3, "maerz": 3, "fevr": 2, "juil": 7})
    return lookup


def _fold(text: str) -> str:
    return strip_accents(text.lower())


def strip_accents(text: str, *, form: Literal["NFD", "NFKD"] = "NFKD") -> str:
    """`text` without its combining marks. NFKD also unfolds compatibility forms ('²' → '2');
    NFD keeps them."""
    decomposed = unicodedata.normalize(form, text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_NUMERIC_DATE_RE = re.compile(r"^(\d{1,4})[./-](\d{1,2})[./-](\d{2,4})$")
_TEXT_DATE_RE = re.compile(r"^(\d{1,2})\.?(?:er)?\s+([^\W\d]+)\.?,?\s+(\d{4})$")
_TEXT_DATE_US_RE = re.compile(r"^([^\W\d]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")


def parse_date(
    text: str, *, language: str = "en", month_first: bool = False, ocr: bool = False
) -> date | None:
    """'12.03.2026', '2026-03-12', '12/03/26', '12 mars 2026', 'March 12, 2026' → date.

    Numeric day/month order is day first except when `month_first` (US documents) and the
    numbers allow it; a first number above 12 always decides. `ocr`: the text was OCR'd, and
    a month name one letter off ('10. Jull 2026') is read as that month.
    """
    s = text.strip().rstrip(",;")
    if m := _NUMERIC_DATE_RE.match(s):
        a, b, c = (int(g) for g in m.groups())
        if len(m.group(1)) == 4:
            return _safe_date(a, b, c)
        year = c + 2000 if c < 100 else c
        if month_first and a <= 12:
            return _safe_date(year, a, b)
        return _safe_date(year, b, a)
    folded = _fold(s)
    if m := _TEXT_DATE_RE.match(folded):
        month = _month_number(m.group(2), ocr=ocr)
        return _safe_date(int(m.group(3)), month, int(m.group(1))) if month else None
    if m := _TEXT_DATE_US_RE.match(folded):
        month = _month_number(m.group(1), ocr=ocr)
        return _safe_date(int(m.group(3)), month, int(m.group(2))) if month else None
    return None


OCR_MONTH_MIN_LENGTH = 3
"""Shorter month words are taken only as spelt. Among three-letter words one letter is often
all that sets months apart ('Mal': mai or mar), so there too only a word one letter off a
single month is read as it ('23 moi 2026')."""
OCR_MONTH_LONG = 8
"""Month words this long may be two letters off ('Septernber'), shorter ones one."""


def _month_number(name: str, *, ocr: bool) -> int | None:
    """The month `name` names; when `ocr`, also the one month whose name or abbreviation it is
    a letter off (two for long words), if there is exactly one."""
    lookup = _month_lookup()
    if (number := lookup.get(name)) is not None or not ocr or len(name) < OCR_MONTH_MIN_LENGTH:
        return number
    edits = 2 if len(name) >= OCR_MONTH_LONG else 1
    near = {n for spelt, n in lookup.items() if Levenshtein.distance(name, spelt) <= edits}
    return near.pop() if len(near) == 1 else None


def _safe_date(year: int, month: int, day: int) -> date | None:
    if not 1990 <= year <= 2100:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


# ---- identifiers ----------------------------------------------------------------------------


def compact_vat(text: str) -> str:
    """Upper case, letters and digits only ('CHE-123.456.789 MWST' → 'CHE123456789')."""
    s = re.sub(r"[^A-Za-z0-9]", "", text).upper()
    return s.removesuffix("MWST").removesuffix("TVA").removesuffix("IVA")


def parse_vat_id(text: str) -> str | None:
    """A VAT id that passes its country's check digits (EU via python-stdnum), compacted."""
    s = compact_vat(text)
    if len(s) < 8 or not s[:2].isalpha():
        return None
    if s.startswith("CHE"):
        from stdnum.ch import uid  # the VAT number is the UID with a MWST/TVA/IVA suffix

        return s[:12] if uid.is_valid(s[:12]) else None
    if s.startswith("GB"):
        from stdnum.gb import vat as gb_vat

        return s if gb_vat.is_valid(s) else None
    try:
        return s if eu_vat.is_valid(s) else None
    except Exception:  # stdnum raises for countries it does not know
        return None


_PREFIX_LOOKALIKES = {"0": "D"}
"""Letters of a VAT id's country code that OCR reads as digits ('0E 533824125'). Not 5 for S
or 1 for I: with them, a number printed after '5' passed Slovenia's check digits."""


def parse_ocr_vat_id(text: str) -> str | None:
    """A VAT id as OCR read it: as printed, or with a digit of its country code that is a
    look-alike of a letter ('0E' for DE); the check digits must pass either way."""
    if (found := parse_vat_id(text)) is not None:
        return found
    s = compact_vat(text)
    if (
        len(s) < 8
        or s[:2].isalpha()
        or not all(c.isalpha() or c in _PREFIX_LOOKALIKES for c in s[:2])
    ):
        return None
    first, second = (_PREFIX_LOOKALIKES.get(c, c) for c in s[:2])
    found_ids = {v for a in first for b in second if (v := parse_vat_id(a + b + s[2:])) is not None}
    return found_ids.pop() if len(found_ids) == 1 else None


def parse_gtin(text: str) -> str | None:
    s = re.sub(r"\D", "", text)
    return s if len(s) in (8, 12, 13, 14) and ean.is_valid(s) else None


_EMAIL_RE = re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$")


_COMMA_BEFORE_TLD = re.compile(r",(?=[a-z]{2,6}$)")


def parse_email(text: str) -> str | None:
    """An address in lower case; a comma before the top-level domain, which no address has and
    OCR reads for the full stop ('weber-hauste,de'), is that full stop."""
    s = text.strip().strip("<>()[],;:").lower()
    s = s.removeprefix("mailto:")
    if "@" in s:
        local, _, domain = s.rpartition("@")
        s = f"{local}@{_COMMA_BEFORE_TLD.sub('.', domain)}"
    return s if _EMAIL_RE.match(s) else None


def normalize_identifier(text: str) -> str:
    """PO and customer numbers compare case- and whitespace-insensitively."""
    return re.sub(r"\s+", "", text).upper()


def normalize_text(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


# ---- currency, country, units, payment terms ------------------------------------------------

CURRENCY_SYMBOLS: dict[str, str] = {"€": "EUR", "$": "USD", "£": "GBP", "fr.": "CHF", "sfr": "CHF"}
CURRENCY_CODES: frozenset[str] = frozenset({"EUR", "USD", "GBP", "CHF", "PLN", "SEK", "DKK", "CZK"})


def parse_currency(text: str) -> str | None:
    s = text.strip().strip(".,:;()")
    if s.upper() in CURRENCY_CODES:
        return s.upper()
    return CURRENCY_SYMBOLS.get(s.lower())


@lru_cache(maxsize=1)
def _country_lookup() -> dict[str, str]:
    """Country names in FR/EN/DE (Babel territories) and ISO codes → alpha-2."""
    lookup: dict[str, str] = {}
    for language in LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            if len(code) == 2 and code.isalpha():
                lookup[_fold(name)] = code
    lookup.update(
        {
            "uk": "GB",
            "england": "GB",
            "great britain": "GB",
            "deutschland": "DE",
            "usa": "US",
            "schweiz": "CH",
            "suisse": "CH",
            "osterreich": "AT",
            "grande-bretagne": "GB",
        }
    )
    return lookup


def parse_country(text: str, *, allow_code: bool = False) -> str | None:
    """'France', 'Deutschland', 'Royaume-Uni' (and 'FR' when allowed) → alpha-2."""
    s = _fold(text.strip().strip(".,;:()"))
    if allow_code and len(s) == 2 and s.upper() in _country_lookup().values():
        return s.upper()
    return _country_lookup().get(s)


UNIT_CODES: dict[str, str] = {
    **dict.fromkeys(
        (
            "ea",
            "each",
            "pc",
            "pcs",
            "piece",
            "pieces",
            "pce",
            "pces",
            "pièce",
            "pièces",
            "u",
            "un",
            "unit",
            "units",
            "unité",
            "unités",
            "stk",
            "stück",
            "st",
            "stck",
            "x",
        ),
        "EA",
    ),
    **dict.fromkeys(
        (
            "box",
            "boxes",
            "bx",
            "carton",
            "cartons",
            "ctn",
            "karton",
            "kartons",
            "boîte",
            "boite",
            "boîtes",
            "bte",
            "btes",
            "schachtel",
        ),
        "BOX",
    ),
    **dict.fromkeys(
        (
            "pac",
            "pack",
            "packs",
            "pk",
            "pkg",
            "paquet",
            "paquets",
            "packung",
            "paket",
            "pckg",
            "pqt",
        ),
        "PAC",
    ),
    **dict.fromkeys(
        ("rol", "roll", "rolls", "rouleau", "rouleaux", "rolle", "rollen", "rl", "rlx"), "ROL"
    ),
    **dict.fromkeys(
        ("m", "ml", "meter", "metre", "metres", "meters", "mètre", "mètres", "lfm"), "M"
    ),
    **dict.fromkeys(("lot", "lots"), "LOT"),
    **dict.fromkeys(("set", "sets"), "SET"),
    **dict.fromkeys(("pair", "pairs", "paire", "paires", "paar"), "PR"),
    **dict.fromkeys(("kg", "kgs", "kilo", "kilogram", "kilogramme"), "KG"),
    **dict.fromkeys(("l", "liter", "litre", "litres", "liters", "ltr"), "L"),
}


def parse_unit(text: str) -> str | None:
    s = text.strip().strip(".,:;()").lower()
    if s.upper() in {"EA", "BOX", "PAC", "ROL", "M", "KG", "L"}:
        return s.upper()
    return UNIT_CODES.get(s)


_NOT_DAYS = (
    r"(?![.,/]\d)"  # an amount or a date: 'netto 4.247,64', 'conforme à 25/08/2026'
    r"(?!\s*(?:(?:heures?|hours?|hrs?|h|stunden|std|minutes?|min|eur|chf|gbp|usd|x)\b|[%€$]))"
)
"""What may not follow the number of 'within N': 'sous 48 heures' (an acknowledgement asked
for), 'à 3,76 EUR', '24 x' are not payment terms."""
_NET_DAYS_RES = (
    re.compile(r"(\d{1,3})\s*(?:days?|jours?|j\.?|tage?n?|tg\.?)\s*(?:net(?:to)?|netto)", re.I),
    re.compile(
        r"\b(?:net(?:to)?|netto|zahlbar|payable|within|sous|innerhalb)\s*(\d{1,3})\b" + _NOT_DAYS,
        re.I,
    ),
    re.compile(r"(\d{1,3})\s*(?:days?|jours?|tag[a-zäöü]*)\b", re.I),
)
"""Not 'à 30' alone: it is as often a line item's 'conforme à 6 rlx' as 'paiement à 30';
'virement à 30 jours' is a period by its 'jours'. 'net' is a word of its own: 'Claire Bonnet 12
rue des Entrepreneurs' holds no period."""
_IMMEDIATE_RE = re.compile(
    r"\b(?:on receipt|upon receipt|due on receipt|immediate(?:ly)?|comptant|[àa] r[ée]ception|"
    r"sofort|cash)\b",
    re.I,
)
_NO_TERMS_RE = re.compile(
    r"\b(?:prepayment|pre-payment|advance payment|as agreed|vorkasse|gemäß rahmenvertrag|"
    r"gemass rahmenvertrag|selon accord|paiement d'avance|acompte|nach vereinbarung)\b",
    re.I,
)


_DAYS_LOOKALIKE_RE = re.compile(r"\b(\d)([$SsOo]{1,2})(?=\s*(?:days?|jours?|tag))", re.I)
"""A number of days with a digit OCR read as a look-alike sign or letter ('4$ jours')."""
_DIGIT_LOOKALIKES = str.maketrans("$SsOo", "55500")


def parse_payment_terms_days(text: str) -> int | None:
    """'net 30', '30 jours fin de mois', '14 Tage 2 % Skonto, 30 Tage netto' → 30; on receipt → 0.

    With several periods (a discount period and a net period) the net one wins: an explicit
    'netto/net' match first, then the largest period ('30 Taganeto', OCR's glued 'Tage netto').
    """
    if _NO_TERMS_RE.search(text):
        return None
    text = _DAYS_LOOKALIKE_RE.sub(lambda m: m[1] + m[2].translate(_DIGIT_LOOKALIKES), text)
    for pattern in _NET_DAYS_RES[:2]:
        found = [int(m.group(1)) for m in pattern.finditer(text)]
        if found:
            return max(found)
    found = [int(m.group(1)) for m in _NET_DAYS_RES[2].finditer(text)]
    if found:
        return max(found)
    if _IMMEDIATE_RE.search(text):
        return 0
    return None


def values_equal(field_name: str, predicted: str | None, expected: str | None) -> bool:
    """Field-conventions comparison of two normal-form values."""
    if predicted is None or expected is None:
        return predicted is None and expected is None
    if field_name in {"subtotal", "tax_total", "total", "payment_terms_days"}:
        try:
            return Decimal(predicted) == Decimal(expected)
        except InvalidOperation:
            return False
    if field_name in {"po_number", "customer_number", "customer_vat_id"}:
        return normalize_identifier(predicted) == normalize_identifier(expected)
    return normalize_text(predicted) == normalize_text(expected)
