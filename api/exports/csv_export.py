"""A validated order as CSV: one row per line, the header's values repeated on every row (an
order without lines gives one row with empty line columns). RFC 4180, UTF-8, CRLF."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from api.exports.model import ExportLine, OrderExport

COLUMNS: tuple[str, ...] = (
    "order_id",
    "po_number",
    "order_date",
    "requested_delivery_date",
    "currency",
    "customer_id",
    "customer_name",
    "customer_vat_id",
    "contact_email",
    "ship_to_name",
    "ship_to_street",
    "ship_to_postal_code",
    "ship_to_city",
    "ship_to_country",
    "payment_terms_days",
    "subtotal",
    "tax_total",
    "total",
    "position",
    "sku",
    "product_sku",
    "gtin",
    "description",
    "quantity",
    "unit",
    "unit_price",
    "line_total",
    "validated_at",
)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _header(order: OrderExport) -> dict[str, object]:
    ship_to = order.ship_to
    return {
        "order_id": order.order_id,
        "po_number": order.po_number,
        "order_date": order.order_date,
        "requested_delivery_date": order.requested_delivery_date,
        "currency": order.currency,
        "customer_id": order.buyer.customer_id,
        "customer_name": order.buyer.name,
        "customer_vat_id": order.buyer.vat_id,
        "contact_email": order.buyer.email,
        "ship_to_name": ship_to.name if ship_to else None,
        "ship_to_street": ship_to.street if ship_to else None,
        "ship_to_postal_code": ship_to.postal_code if ship_to else None,
        "ship_to_city": ship_to.city if ship_to else None,
        "ship_to_country": ship_to.country if ship_to else None,
        "payment_terms_days": order.payment_terms_days,
        "subtotal": order.subtotal,
        "tax_total": order.tax_total,
        "total": order.total,
        "validated_at": order.validated_at,
    }


def _line(line: ExportLine) -> dict[str, object]:
    return {
        "position": line.position,
        "sku": line.sku,
        "product_sku": line.product_sku,
        "gtin": line.gtin,
        "description": line.description,
        "quantity": line.quantity,
        "unit": line.unit,
        "unit_price": line.unit_price,
        "line_total": line.line_total,
    }


class CsvExporter:
    name = "csv"
    media_type = "text/csv; charset=utf-8"
    file_extension = "csv"

    def export(self, order: OrderExport) -> bytes:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        header = _header(order)
        rows = [header | _line(line) for line in order.lines] or [header]
        for row in rows:
            writer.writerow({column: _cell(row.get(column)) for column in COLUMNS})
        return buffer.getvalue().encode("utf-8")
