"""Plain master-data records: what extraction matches against, with no database session."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class CustomerRecord:
    customer_id: str
    name: str
    vat_id: str | None = None
    email_domains: tuple[str, ...] = ()
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country: str | None = None
    currency: str | None = None
    payment_terms_days: int | None = None
    credit_limit: Decimal | None = None
    language: str | None = None
    ibans: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ProductRecord:
    sku: str
    description: str
    unit: str | None = None
    unit_price: Decimal | None = None
    currency: str | None = None
    tax_rate: Decimal | None = None
    gtin: str | None = None


@dataclass(frozen=True, slots=True)
class CustomerItemRecord:
    customer_id: str
    customer_sku: str
    sku: str


@dataclass(frozen=True, slots=True)
class MasterData:
    """A snapshot of the seller's master data, handed to extraction by value."""

    customers: tuple[CustomerRecord, ...] = ()
    products: tuple[ProductRecord, ...] = ()
    customer_items: tuple[CustomerItemRecord, ...] = ()
    seller_names: tuple[str, ...] = field(default=())
    """The seller's own names, so that its address block is never taken for the customer's."""
    seller_vat_ids: tuple[str, ...] = field(default=())
