"""The ground truth of one sample: values by field-conventions.md, with where they were printed.

A field's entry is `{"value", "page", "bbox", "raw"}`; bbox is the union box of the value's words
as page fractions (origin top-left) and raw the text as printed. A value that follows from the
document without being printed as such (the ship-to country of a block that omits it, the
contact e-mail taken from the message's From) has page, bbox and raw null. Mail bodies have no
pages: their entries carry `span` = [start, end) character offsets into the .txt instead.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from extraction.result import HEADER_FIELDS
from training.synth.content import LineItem, OrderContent
from training.synth.formats import format_day, plain_decimal
from training.synth.painter import Box, Spot
from training.synth.table import CarriedRow

Geometry = Callable[[int, Box], list[float]]
"""(page, box in points) -> [x0, y0, x1, y1] as fractions of the (possibly transformed) page."""

ORDER_TYPES = frozenset({"purchase_order", "order_change"})


def header_values(content: OrderContent) -> dict[str, str | None]:
    """Every header field's normalised value for an order-type document."""
    ship = content.ship_to
    terms_days = content.payment_terms[1] if content.payment_terms else None
    totals = content.spec.totals
    return {
        "po_number": content.po_number,
        "order_date": content.order_date.isoformat(),
        "requested_delivery_date": content.delivery_date.isoformat()
        if content.delivery_date
        else None,
        "currency": content.currency,
        "customer_name": content.customer.name,
        "customer_vat_id": content.customer.vat_id,
        "customer_number": content.customer_number,
        "contact_email": content.contact_email,
        "ship_to_name": ship.name if ship else None,
        "ship_to_street": ship.street if ship else None,
        "ship_to_postal_code": ship.postal_code if ship else None,
        "ship_to_city": ship.city if ship else None,
        "ship_to_country": ship.country if ship else None,
        "payment_terms_days": str(terms_days) if terms_days is not None else None,
        "subtotal": plain_decimal(content.subtotal) if totals != "none" else None,
        "tax_total": plain_decimal(content.tax_total) if totals == "full" else None,
        "total": plain_decimal(content.total) if totals == "full" else None,
    }


def line_values(line: LineItem) -> dict[str, str | None]:
    return {
        "sku": line.sku,
        "product_sku": line.product.sku if line.product else None,
        "description": line.description,
        "quantity": plain_decimal(line.quantity),
        "unit": line.unit_code,
        "unit_price": plain_decimal(
            line.unit_price.normalize() if line.price_per != 1 else line.unit_price
        ),
        "line_total": plain_decimal(line.line_total),
    }


def field_entry(
    value: str | None,
    spot: Spot | None,
    geometry: Geometry | None,
    span: tuple[int, int] | None = None,
) -> dict[str, Any] | None:
    if value is None:
        return None
    entry: dict[str, Any] = {"value": value, "page": None, "bbox": None, "raw": None}
    if spot is not None and geometry is not None:
        entry.update(page=spot.page, bbox=geometry(spot.page, spot.box), raw=spot.raw)
    if span is not None:
        entry["span"] = list(span)
    return entry


def build_truth(
    *,
    sample_id: str,
    split: str,
    variant: str,
    content: OrderContent,
    spots: dict[str, Spot],
    geometry: Geometry | None,
    spans: dict[str, tuple[int, int]] | None = None,
    carried_rows: tuple[CarriedRow, ...] = (),
) -> dict[str, Any]:
    """The truth record; `spots` (pages) or `spans` (mail text) say where values were printed.

    A header value counts as shown only where it was printed (recorded), except the ship-to
    country (implied by the delivery block), the contact e-mail (else the From address of the
    message the document arrived with) and a mail order's date (else its Date header).
    """
    spec = content.spec
    is_order = spec.document_type in ORDER_TYPES
    spans = spans or {}
    fields: dict[str, Any] = {}
    values = header_values(content) if is_order else dict.fromkeys(HEADER_FIELDS)
    for name in HEADER_FIELDS:
        value = values[name]
        shown = name in spots or name in spans
        if name == "contact_email" and is_order and not shown:
            value = content.sender_email if variant != "fax" else None
        elif value is not None and not shown and name != "ship_to_country":
            value = None
        if name == "order_date" and variant == "mail" and is_order and not shown:
            value = content.mail_date.date().isoformat()
        if name == "requested_delivery_date" and value is None and is_order:
            value, spot = _single_line_date(content, spots)
            fields[name] = field_entry(value, spot, geometry)
            continue
        fields[name] = field_entry(value, spots.get(name), geometry, spans.get(name))
    lines = []
    if is_order:
        for index, line in enumerate(content.lines):
            entry: dict[str, Any] = dict(line_values(line))
            spot = spots.get(f"line:{index}")
            span = spans.get(f"line:{index}")
            entry["page"] = spot.page if spot else None
            entry["bbox"] = geometry(spot.page, spot.box) if spot and geometry else None
            if spot and geometry:
                entry["cells"] = {
                    key: geometry(spot.page, box) for key, box in sorted(spot.cells.items())
                }
            if span is not None:
                entry["span"] = list(span)
            lines.append(entry)
    return {
        "id": sample_id,
        "family": spec.name,
        "variant": variant,
        "split": split,
        "language": spec.language,
        "document_type": spec.document_type,
        "customer_id": _customer_id(content),
        "sender_email": content.sender_email if variant != "fax" else None,
        "mail_date": content.mail_date.isoformat()
        if variant != "fax" and content.sender_email
        else None,
        "fields": fields,
        "lines": lines,
        "carried_forward_rows": [
            {
                "page": row.page,
                "bbox": geometry(row.page, row.box),
                "amount": plain_decimal(row.amount),
            }
            for row in carried_rows
        ]
        if geometry
        else [],
    }


def _customer_id(content: OrderContent) -> str | None:
    """The catalogue customer the document concerns (the buyer of an invoice), if any."""
    if content.spec.document_type == "other":
        return None
    return content.buyer_id or content.customer.customer_id


def _single_line_date(
    content: OrderContent, spots: dict[str, Spot]
) -> tuple[str | None, Spot | None]:
    """A per-line date that applies to the whole order (one line) is the requested date."""
    dates = {line.delivery_date for line in content.lines}
    if len(content.lines) != 1 or None in dates:
        return None, None
    date = content.lines[0].delivery_date
    assert date is not None
    spot = spots.get("line:0")
    if spot is None or "delivery_date" not in spot.cells:
        return date.isoformat(), None
    raw = format_day(date, content.spec.date_style)
    return date.isoformat(), Spot(page=spot.page, box=spot.cells["delivery_date"], raw=raw)


def write_truth(path: Path, truth: dict[str, Any]) -> None:
    path.write_text(
        json.dumps(truth, ensure_ascii=False, indent=1, sort_keys=False) + "\n", encoding="utf-8"
    )


def load_truth(path: Path) -> dict[str, Any]:
    """Read a `<id>.truth.json` written by the generator."""
    data: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    return data


def page_fractions(width: float, height: float) -> Geometry:
    """The geometry of an untransformed page: points to fractions."""

    def convert(page: int, box: Box) -> list[float]:
        return [
            round(box[0] / width, 5),
            round(box[1] / height, 5),
            round(box[2] / width, 5),
            round(box[3] / height, 5),
        ]

    return convert
