"""The review form → the edits it carries, each value in its normal form.

Names in the form: `f:<field>` for header fields, `c:customer_id` for the matched customer,
`l:<line index>:<column>` for line cells, and `p:<name>` beside any of them holding
`page;x0,y0,x1,y1` when the agent picked the value from the page image. Values are normalised as
the extraction does (an agent who clicks '12.03.2026' or types '1.234,50' gets '2026-03-12' and
'1234.50'); a value that does not parse is kept as typed and refused with its reason on approval.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from extraction.normalize import (
    compact_vat,
    decimal_mark_for,
    parse_amount,
    parse_country,
    parse_currency,
    parse_date,
    parse_email,
    parse_payment_terms_days,
    parse_unit,
    parse_vat_id,
)
from extraction.result import AMOUNT_FIELDS, DATE_FIELDS, decimal_str
from models.errors import ValidationFailedError
from models.review import LINE_COLUMNS, ValueEdit, current_value

_NUMBER_COLUMNS = frozenset({"quantity", "unit_price", "line_total"})
_LINE_NAME_RE = re.compile(r"^l:(\d{1,4}):([a-z_]+)$")


def _amount(text: str, language: str) -> str | None:
    value = parse_amount(text, decimal_mark=decimal_mark_for(language))
    return decimal_str(value) if value is not None else None


def _terms(text: str, _language: str) -> str | None:
    if text.strip().isdigit():
        return str(int(text))
    days = parse_payment_terms_days(text)
    return None if days is None else str(days)


def _date(text: str, language: str) -> str | None:
    found = parse_date(text, language=language)
    return found.isoformat() if found else None


_NORMALISERS: dict[str, Callable[[str, str], str | None]] = {
    **dict.fromkeys(AMOUNT_FIELDS, _amount),
    **dict.fromkeys(_NUMBER_COLUMNS, _amount),
    **dict.fromkeys(DATE_FIELDS, _date),
    "payment_terms_days": _terms,
    "currency": lambda text, _l: parse_currency(text),
    "ship_to_country": lambda text, _l: parse_country(text, allow_code=True),
    "customer_vat_id": lambda text, _l: parse_vat_id(text) or compact_vat(text),
    "contact_email": lambda text, _l: parse_email(text),
    "unit": lambda text, _l: parse_unit(text),
    "po_number": lambda text, _l: re.sub(r"\s+", " ", text).strip().strip(".,;:#"),
}


def normalise_value(field: str, text: str | None, *, language: str = "en") -> str | None:
    """The normal form of what the agent entered for `field`; None for an empty entry."""
    if text is None:
        return None
    stripped = re.sub(r"\s+", " ", text).strip()
    if not stripped:
        return None
    normaliser = _NORMALISERS.get(field)
    normal = normaliser(stripped, language) if normaliser else None
    return normal if normal else stripped


def _pick(raw: str | None) -> tuple[int | None, tuple[float, float, float, float] | None]:
    """'2;0.1,0.2,0.3,0.25' → (2, (0.1, 0.2, 0.3, 0.25)); anything malformed → (None, None)."""
    if not raw:
        return None, None
    page_text, _, box_text = raw.partition(";")
    try:
        page = int(page_text)
        x0, y0, x1, y1 = (min(max(float(v), 0.0), 1.0) for v in box_text.split(","))
    except ValueError:
        return None, None
    if page < 1 or x1 < x0 or y1 < y0:
        return None, None
    return page, (x0, y0, x1, y1)


def edits_from_form(form: Mapping[str, object], *, current: dict[str, Any]) -> list[ValueEdit]:
    """The values of the form that differ from `current` (the working copy), normalised.

    Unchanged values are left out before normalising, so that a value is never parsed twice
    (with a French decimal comma, '1.500' typed once must not become 1500 on the next save).
    """
    language = str(current.get("language") or "en")
    edits: list[ValueEdit] = []
    for name, raw in _changed(form, current):
        page, bbox = _pick(_str(form.get(f"p:{name}")))
        if name.startswith("f:"):
            field = name[2:]
            edits.append(
                ValueEdit(
                    field=field,
                    value=normalise_value(field, raw, language=language),
                    page=page,
                    bbox=bbox,
                )
            )
        elif name == "c:customer_id":
            edits.append(ValueEdit(field="customer_id", value=raw.strip() or None))
        elif match := _LINE_NAME_RE.match(name):
            column = match.group(2)
            if column not in LINE_COLUMNS:
                continue
            value = (
                raw.strip() or None
                if column == "product_sku"
                else normalise_value(column, raw, language=language)
            )
            edits.append(
                ValueEdit(
                    field=column, value=value, line_index=int(match.group(1)), page=page, bbox=bbox
                )
            )
    return edits


def _changed(form: Mapping[str, object], current: dict[str, Any]) -> list[tuple[str, str]]:
    changed = []
    for name, raw in form.items():
        if not isinstance(raw, str) or name[:2] not in ("f:", "c:", "l:"):
            continue
        if name.startswith("l:"):
            match = _LINE_NAME_RE.match(name)
            if match is None:
                continue
            probe = ValueEdit(field=match.group(2), value=None, line_index=int(match.group(1)))
        else:
            probe = ValueEdit(field=name[2:], value=None)
        try:
            before = current_value(current, probe)
        except ValidationFailedError:
            continue  # a line deleted meanwhile (another tab): nothing to apply it to
        if (raw.strip() or None) != before:
            changed.append((name, raw))
    return changed


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None
