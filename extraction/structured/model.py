"""What a structured order says, before it becomes an Extraction.

The parsers (CII, UBL, EDIFACT) all produce a `StructuredOrder`; it keeps what the Extraction
contract has no slot for (the GTIN and both item numbers of a line, the seller), so that exports
can be compared with what reading them back gives.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from extraction.result import DocumentType

StructuredFormat = Literal[
    "orderx",
    "cii_invoice",
    "ubl_order",
    "ubl_order_change",
    "ubl_order_cancellation",
    "ubl_other",
    "edifact_orders",
    "edifact_other",
]


@dataclass(frozen=True, slots=True)
class StructuredParty:
    name: str | None = None
    vat_id: str | None = None
    account_id: str | None = None
    """The seller's account number for this party, when the document states it."""
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country: str | None = None
    email: str | None = None

    def is_empty(self) -> bool:
        return all(
            value is None
            for value in (self.name, self.street, self.postal_code, self.city, self.country)
        )


@dataclass(frozen=True, slots=True)
class StructuredLine:
    buyer_item_id: str | None = None
    seller_item_id: str | None = None
    other_item_id: str | None = None
    """An item number that is neither the buyer's, the seller's nor a GTIN (an ISBN, say)."""
    gtin: str | None = None
    description: str | None = None
    quantity: Decimal | None = None
    unit: str | None = None
    unit_price: Decimal | None = None
    line_total: Decimal | None = None

    @property
    def printed_item_id(self) -> str | None:
        """The line's item number as the field conventions define `sku`."""
        return self.buyer_item_id or self.seller_item_id or self.other_item_id or self.gtin


@dataclass(frozen=True, slots=True)
class StructuredOrder:
    format: StructuredFormat
    document_type: DocumentType
    is_cancellation: bool = False
    po_number: str | None = None
    order_date: date | None = None
    requested_delivery_date: date | None = None
    currency: str | None = None
    buyer: StructuredParty = field(default_factory=StructuredParty)
    seller: StructuredParty = field(default_factory=StructuredParty)
    ship_to: StructuredParty | None = None
    payment_terms_days: int | None = None
    subtotal: Decimal | None = None
    tax_total: Decimal | None = None
    total: Decimal | None = None
    lines: tuple[StructuredLine, ...] = ()
