"""Value conversions shared by the structured readers: codes, dates, amounts, identifiers."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from extraction.structured.errors import StructuredFormatError

# UN/ECE Recommendation 20 (and the EDIFACT / legacy codes seen in orders) → Ordino's units.
REC20_UNITS: dict[str, str] = {
    **dict.fromkeys(("C62", "EA", "H87", "PCE", "PCS", "NAR", "NIU", "NMB", "PR", "ST"), "EA"),
    **dict.fromkeys(("BX", "BOX", "CT", "CS", "CTN"), "BOX"),
    **dict.fromkeys(("PK", "PA", "PAC", "PCK", "PKG"), "PAC"),
    **dict.fromkeys(("RO", "RL", "ROL", "RLL"), "ROL"),
    **dict.fromkeys(("MTR", "M", "LM", "LMT"), "M"),
    **dict.fromkeys(("KGM", "KG", "KGS"), "KG"),
    **dict.fromkeys(("LTR", "L", "LT"), "L"),
}

# The reverse, for writing: Ordino's units as UN/ECE Rec 20 codes.
UNIT_TO_REC20: dict[str, str] = {
    "EA": "C62",
    "BOX": "BX",
    "PAC": "PK",
    "ROL": "RO",
    "M": "MTR",
    "KG": "KGM",
    "L": "LTR",
}


def map_unit(code: str | None) -> str | None:
    """'C62' → 'EA', 'KGM' → 'KG'; a code with no Ordino equivalent is kept as given."""
    if code is None or not code.strip():
        return None
    code = code.strip().upper()
    return REC20_UNITS.get(code, code)


def unit_code(unit: str | None) -> str:
    """An Ordino unit as a Rec 20 code for an export (one piece when unknown)."""
    if unit is None:
        return "C62"
    return UNIT_TO_REC20.get(unit.upper(), unit.upper())


def parse_decimal(text: str | None, *, what: str) -> Decimal | None:
    if text is None or not text.strip():
        return None
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise StructuredFormatError(
            f"{what} is not a number: {text.strip()[:40]!r}. Ask the sender for a corrected file.",
            reason="invalid_value",
        ) from None
    if not value.is_finite():
        raise StructuredFormatError(f"{what} is not a finite number", reason="invalid_value")
    return value


def per_unit(price: Decimal | None, basis: Decimal | None) -> Decimal | None:
    """A price stated per `basis` units (UBL BaseQuantity, CII BasisQuantity, EDIFACT PRI 5284)."""
    if price is None:
        return None
    if basis is None or basis == 0 or basis == 1:
        return price
    return price / basis


_DATE_FORMATS: dict[str, int] = {"102": 8, "203": 12, "204": 14, "205": 14}


def parse_coded_date(text: str | None, fmt: str | None, *, what: str) -> date | None:
    """A UN/EDIFACT 2379-coded date ('20200331' as 102, '202003311232' as 203) → date."""
    if text is None or not text.strip():
        return None
    digits = text.strip()
    expected = _DATE_FORMATS.get(fmt or "102")
    if expected is None or len(digits) < 8 or not digits[:8].isdigit():
        raise StructuredFormatError(
            f"{what} {digits[:20]!r} (format {fmt}) is not a date this reader understands",
            reason="invalid_value",
        )
    return _date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]), what=what)


_ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def parse_iso_date(text: str | None, *, what: str) -> date | None:
    """An xs:date ('2018-09-01', '2010-01-20Z', '2010-01-20+01:00') → date."""
    if text is None or not text.strip():
        return None
    match = _ISO_DATE_RE.match(text.strip())
    if match is None:
        raise StructuredFormatError(
            f"{what} {text.strip()[:20]!r} is not an ISO date", reason="invalid_value"
        )
    return _date(int(match[1]), int(match[2]), int(match[3]), what=what)


def _date(year: int, month: int, day: int, *, what: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise StructuredFormatError(
            f"{what} {year:04d}-{month:02d}-{day:02d} does not exist", reason="invalid_value"
        ) from None


_VAT_SUFFIXES = ("MWST", "TVA", "IVA", "MVA")


def normalise_vat_id(text: str | None) -> str | None:
    """Upper case, letters and digits only, national suffixes dropped ('NO 931186745 MVA')."""
    if text is None:
        return None
    compact = re.sub(r"[^A-Za-z0-9]", "", text).upper()
    for suffix in _VAT_SUFFIXES:
        if compact.endswith(suffix) and len(compact) > len(suffix) + 2:
            compact = compact.removesuffix(suffix)
            break
    return compact or None


_NET_DAYS_RE = re.compile(r"(\d{1,3})\s*(?:days?|jours?|tage?n?|dagar|dager|dage)\b", re.I)
_NET_KEYWORD_RE = re.compile(r"\b(?:net|netto|net\s+à)\s*(\d{1,3})\b", re.I)


def payment_days_from_text(text: str | None) -> int | None:
    """The net period of a free-text payment term ('Net 30 days', '14 Tage 2 %, 30 Tage netto').

    Structured formats carry the terms as text in CII and UBL; the longest period stated is the
    net one (a shorter one is a discount period). Text without a period gives None.
    """
    if not text:
        return None
    found = [int(m) for m in _NET_DAYS_RE.findall(text)] + [
        int(m) for m in _NET_KEYWORD_RE.findall(text)
    ]
    return max(found) if found else None


_COUNTRY_ALIASES = {"UK": "GB", "EL": "GR"}


def normalise_country(code: str | None) -> str | None:
    """An ISO 3166-1 alpha-2 code ('UK', used in EDIFACT and VAT prefixes, is 'GB')."""
    if code is None or not code.strip():
        return None
    upper = code.strip().upper()
    return _COUNTRY_ALIASES.get(upper, upper)


def clean_text(text: str | None) -> str | None:
    """Inner whitespace collapsed; an empty value is None, never ''."""
    if text is None:
        return None
    collapsed = " ".join(text.split())
    return collapsed or None
