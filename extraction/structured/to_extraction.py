"""A StructuredOrder as the extraction contract's Extraction."""

from __future__ import annotations

from decimal import Decimal

from extraction.result import (
    Decision,
    ExtractedField,
    ExtractedLine,
    Extraction,
    decimal_str,
)
from extraction.structured.model import StructuredLine, StructuredOrder, StructuredParty

STRUCTURED_CONFIDENCE = 0.99
"""A value stated in a validated structured file is what the sender meant; what is left is the
master-data checks the pipeline runs afterwards, so the confidence is high but not 1."""

CANCELLATION_REASON = "cancellation"
MODEL_VERSION = "structured-1"


def _field(value: str | None) -> ExtractedField | None:
    if value is None:
        return None
    return ExtractedField(value=value, confidence=STRUCTURED_CONFIDENCE, method="structured")


def _header_values(order: StructuredOrder) -> dict[str, str | None]:
    ship_to = order.ship_to or StructuredParty()
    return {
        "po_number": order.po_number,
        "order_date": order.order_date.isoformat() if order.order_date else None,
        "requested_delivery_date": (
            order.requested_delivery_date.isoformat() if order.requested_delivery_date else None
        ),
        "currency": order.currency.upper() if order.currency else None,
        "customer_name": order.buyer.name,
        "customer_vat_id": order.buyer.vat_id,
        "customer_number": order.buyer.account_id,
        "contact_email": order.buyer.email,
        "ship_to_name": ship_to.name,
        "ship_to_street": ship_to.street,
        "ship_to_postal_code": ship_to.postal_code,
        "ship_to_city": ship_to.city,
        "ship_to_country": ship_to.country,
        "payment_terms_days": (
            str(order.payment_terms_days) if order.payment_terms_days is not None else None
        ),
        "subtotal": decimal_str(order.subtotal),
        "tax_total": decimal_str(order.tax_total),
        "total": decimal_str(order.total),
    }


def _line_total(line: StructuredLine) -> Decimal | None:
    if line.line_total is not None:
        return line.line_total
    if line.quantity is not None and line.unit_price is not None:
        return line.quantity * line.unit_price
    return None


def _line(line: StructuredLine) -> ExtractedLine:
    return ExtractedLine(
        sku=line.printed_item_id,
        description=line.description,
        quantity=decimal_str(line.quantity),
        unit=line.unit,
        unit_price=decimal_str(line.unit_price),
        line_total=decimal_str(_line_total(line)),
        confidence=STRUCTURED_CONFIDENCE,
    )


def to_extraction(
    order: StructuredOrder, *, source: str, sha256: str | None = None, pages: int = 0
) -> Extraction:
    """The Extraction of a structured order: `needs_review` with no reasons of its own (the
    pipeline's master-data checks decide), except that a cancellation says so."""
    return Extraction(
        source=source,
        sha256=sha256,
        document_type=order.document_type,
        document_type_confidence=STRUCTURED_CONFIDENCE,
        pages=pages,
        fields={name: _field(value) for name, value in _header_values(order).items()},
        lines=[_line(line) for line in order.lines],
        decision=Decision(
            status="needs_review",
            reasons=[CANCELLATION_REASON] if order.is_cancellation else [],
        ),
        model_version=MODEL_VERSION,
    )
