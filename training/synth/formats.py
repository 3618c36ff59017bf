"""How dates, amounts and quantities are printed, by the conventions of each locale style."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date

CENT = Decimal("0.01")

NUMBER_STYLES: dict[str, tuple[str, str]] = {
    # style: (thousands separator, decimal separator)
    "fr": (" ", ","),
    "fr_nogroup": ("", ","),
    "de": (".", ","),
    "de_nogroup": ("", ","),
    "en": (",", "."),
    "ch": ("'", "."),
    "plain": ("", "."),
}

DATE_PATTERNS: dict[str, tuple[str, str]] = {
    # style: (Babel pattern, Babel locale)
    "fr_slash": ("dd/MM/yyyy", "fr"),
    "fr_long": ("d MMMM yyyy", "fr"),
    "fr_short": ("dd/MM/yy", "fr"),
    "de_dot": ("dd.MM.yyyy", "de"),
    "de_long": ("d. MMMM yyyy", "de"),
    "de_short": ("dd.MM.yy", "de"),
    "en_gb": ("dd/MM/yyyy", "en_GB"),
    "en_gb_long": ("d MMMM yyyy", "en_GB"),
    "en_gb_abbr": ("d MMM yyyy", "en_GB"),
    "en_us": ("MMMM d, yyyy", "en_US"),
    "en_us_num": ("MM/dd/yyyy", "en_US"),
    "iso": ("yyyy-MM-dd", "en"),
    "dash": ("dd-MM-yyyy", "en"),
}


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def format_number(value: Decimal, style: str, places: int | None = 2) -> str:
    """`value` printed with the separators of `style`; `places=None` keeps its own exponent."""
    thousands, decimal_sep = NUMBER_STYLES[style]
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    text = format(abs(value), "f")
    whole, _, fraction = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    grouped = thousands.join(groups)
    return sign + grouped + (decimal_sep + fraction if fraction else "")


def format_quantity(value: Decimal, style: str, places: int | None = None) -> str:
    """Quantities print with `places` decimals (ERP style: 12,000) or, by default, without
    decimals when whole (12) and with as few as needed otherwise (12,5)."""
    if places is not None:
        return format_number(value, style, places=places)
    if value == value.to_integral_value():
        return format_number(value, style, places=0)
    return format_number(value.normalize(), style, places=None)


def format_day(value: dt.date, style: str) -> str:
    pattern, locale = DATE_PATTERNS[style]
    return format_date(value, pattern, locale=locale)


def plain_decimal(value: Decimal) -> str:
    """A decimal as the truth stores it: plain digits, no exponent, no grouping."""
    return format(value, "f")
