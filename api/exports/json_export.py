"""The canonical JSON of a validated order (described by order_export.schema.json beside this
file): amounts and quantities as decimal strings, dates ISO 8601, absent values null."""

from __future__ import annotations

import json
from dataclasses import asdict
from decimal import Decimal
from pathlib import Path
from typing import Any

from api.exports.model import ExportLine, ExportParty, OrderExport

SCHEMA_PATH = Path(__file__).with_name("order_export.schema.json")
SCHEMA_VERSION = 1


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _party(party: ExportParty | None) -> dict[str, Any] | None:
    return None if party is None else asdict(party)


def _line(line: ExportLine) -> dict[str, Any]:
    return {
        "position": line.position,
        "sku": line.sku,
        "product_sku": line.product_sku,
        "gtin": line.gtin,
        "description": line.description,
        "quantity": _decimal(line.quantity),
        "unit": line.unit,
        "unit_price": _decimal(line.unit_price),
        "line_total": _decimal(line.line_total),
    }


def order_to_json(order: OrderExport) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "order_id": order.order_id,
        "po_number": order.po_number,
        "order_date": order.order_date.isoformat() if order.order_date else None,
        "requested_delivery_date": (
            order.requested_delivery_date.isoformat() if order.requested_delivery_date else None
        ),
        "currency": order.currency,
        "buyer": _party(order.buyer),
        "seller": _party(order.seller),
        "ship_to": _party(order.ship_to),
        "payment_terms_days": order.payment_terms_days,
        "subtotal": _decimal(order.subtotal),
        "tax_total": _decimal(order.tax_total),
        "total": _decimal(order.total),
        "lines": [_line(line) for line in order.lines],
        "validated_at": order.validated_at.isoformat(),
    }


class JsonExporter:
    name = "json"
    media_type = "application/json"
    file_extension = "json"

    def export(self, order: OrderExport) -> bytes:
        return json.dumps(order_to_json(order), ensure_ascii=False, indent=2).encode("utf-8")
