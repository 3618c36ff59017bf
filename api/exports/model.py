"""A validated order as the exporters see it: plain frozen values, no ORM rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class ExportParty:
    name: str | None = None
    vat_id: str | None = None
    customer_id: str | None = None
    """For the buyer: the seller's account number for this customer."""
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class ExportLine:
    position: int
    sku: str | None
    """The item number as the customer printed it (their own part number, or the seller's)."""
    product_sku: str | None
    """The seller's catalogue SKU the line was matched to."""
    gtin: str | None
    description: str | None
    quantity: Decimal | None
    unit: str | None
    unit_price: Decimal | None
    line_total: Decimal | None


@dataclass(frozen=True, slots=True)
class OrderExport:
    order_id: int
    po_number: str | None
    order_date: date | None
    requested_delivery_date: date | None
    currency: str | None
    buyer: ExportParty
    seller: ExportParty
    ship_to: ExportParty | None
    payment_terms_days: int | None
    subtotal: Decimal | None
    tax_total: Decimal | None
    total: Decimal | None
    lines: tuple[ExportLine, ...]
    validated_at: datetime

    @property
    def document_number(self) -> str:
        """The order's number in a standard format: the customer's PO number, else Ordino's id."""
        return self.po_number or str(self.order_id)

    @property
    def issue_date(self) -> date:
        """The order date, else the day it was validated (Order-X, UBL, EDIFACT require one)."""
        return self.order_date or self.validated_at.date()
