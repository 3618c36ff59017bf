"""The database tables. Stages read and write these; the database is the truth of every state."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.types import Money


def utcnow() -> datetime:
    return datetime.now(UTC)


class DocumentState(StrEnum):
    RECEIVED = "received"
    READ = "read"
    EXTRACTED = "extracted"
    NEEDS_REVIEW = "needs_review"
    AUTO_APPROVED = "auto_approved"
    VALIDATED = "validated"
    REJECTED = "rejected"
    FAILED = "failed"
    QUARANTINED = "quarantined"


class Stage(StrEnum):
    READ = "read"
    EXTRACT = "extract"
    DECIDE = "decide"


PIPELINE_STATES: dict[DocumentState, Stage] = {
    DocumentState.RECEIVED: Stage.READ,
    DocumentState.READ: Stage.EXTRACT,
    DocumentState.EXTRACTED: Stage.DECIDE,
}
"""Which stage moves a document on from each waiting state."""

FINAL_STATES: frozenset[DocumentState] = frozenset(
    {
        DocumentState.NEEDS_REVIEW,
        DocumentState.AUTO_APPROVED,
        DocumentState.VALIDATED,
        DocumentState.REJECTED,
        DocumentState.FAILED,
        DocumentState.QUARANTINED,
    }
)


class Document(SQLModel, table=True):
    __tablename__ = "documents"
    __table_args__ = (
        Index("ix_documents_state_received", "state", "received_at"),
        UniqueConstraint("dedupe_key", name="uq_documents_dedupe_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=20, description="mail, fax, folder, upload, cli")
    source_ref: str = Field(default="", max_length=1000, description="message id + attachment")
    filename: str = Field(default="", max_length=500)
    sha256: str = Field(max_length=64, index=True)
    media_type: str = Field(max_length=100)
    size_bytes: int = 0
    pages: int | None = None
    state: str = Field(default=DocumentState.RECEIVED, max_length=20, index=True)
    running_stage: str | None = Field(default=None, max_length=20)
    attempts: int = 0
    lease_owner: str | None = Field(default=None, max_length=100)
    lease_expires_at: datetime | None = None
    error: str | None = Field(default=None, sa_column=Column(Text))
    dedupe_key: str = Field(max_length=200)
    message_id: str | None = Field(default=None, max_length=500)
    sender_email: str | None = Field(default=None, max_length=320)
    sender_domain: str | None = Field(default=None, max_length=255, index=True)
    mail_date: datetime | None = None
    read_blob: str | None = Field(default=None, max_length=64, description="sha256 of pages JSON")
    customer_id: str | None = Field(default=None, max_length=100, index=True)
    po_number: str | None = Field(default=None, max_length=200)
    review_reasons: list[str] | None = Field(default=None, sa_column=Column(JSON))
    locked_by: int | None = Field(default=None, foreign_key="users.id")
    locked_until: datetime | None = None
    received_at: datetime = Field(default_factory=utcnow)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None


class ExtractionRecord(SQLModel, table=True):
    __tablename__ = "extractions"

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="documents.id", index=True)
    model_version: str = Field(max_length=100)
    data: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class OrderStatus(StrEnum):
    VALIDATED = "validated"
    CANCELLED = "cancelled"


class Order(SQLModel, table=True):
    __tablename__ = "orders"
    __table_args__ = (Index("ix_orders_status_id", "status", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="documents.id", unique=True)
    status: str = Field(default=OrderStatus.VALIDATED, max_length=20)
    po_number: str | None = Field(default=None, max_length=200, index=True)
    customer_id: str | None = Field(default=None, max_length=100, index=True)
    customer_name: str | None = Field(default=None, max_length=500)
    order_date: date | None = None
    requested_delivery_date: date | None = None
    currency: str | None = Field(default=None, max_length=3)
    subtotal: Decimal | None = Field(default=None, sa_type=Money)
    tax_total: Decimal | None = Field(default=None, sa_type=Money)
    total: Decimal | None = Field(default=None, sa_type=Money)
    header: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    approved_by: str = Field(max_length=200, description="user name, or 'auto'")
    validated_at: datetime = Field(default_factory=utcnow)
    exported_at: datetime | None = None
    cancelled_at: datetime | None = None
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class OrderLine(SQLModel, table=True):
    __tablename__ = "order_lines"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", index=True)
    position: int
    sku: str | None = Field(default=None, max_length=100)
    product_sku: str | None = Field(default=None, max_length=100)
    description: str | None = Field(default=None, sa_column=Column(Text))
    quantity: Decimal | None = Field(default=None, sa_type=Money)
    unit: str | None = Field(default=None, max_length=10)
    unit_price: Decimal | None = Field(default=None, sa_type=Money)
    line_total: Decimal | None = Field(default=None, sa_type=Money)


class Customer(SQLModel, table=True):
    __tablename__ = "customers"

    customer_id: str = Field(primary_key=True, max_length=100)
    name: str = Field(max_length=500)
    vat_id: str | None = Field(default=None, max_length=40, index=True)
    email_domains: str = Field(default="", max_length=1000, description="space-separated")
    street: str | None = Field(default=None, max_length=500)
    postal_code: str | None = Field(default=None, max_length=20)
    city: str | None = Field(default=None, max_length=200)
    country: str | None = Field(default=None, max_length=2)
    currency: str | None = Field(default=None, max_length=3)
    payment_terms_days: int | None = None
    credit_limit: Decimal | None = Field(default=None, sa_type=Money)
    language: str | None = Field(default=None, max_length=2)
    iban: str = Field(default="", max_length=1000, description="space-separated")
    updated_at: datetime = Field(default_factory=utcnow)


class Product(SQLModel, table=True):
    __tablename__ = "products"

    sku: str = Field(primary_key=True, max_length=100)
    description: str = Field(sa_column=Column(Text, nullable=False))
    unit: str | None = Field(default=None, max_length=10)
    unit_price: Decimal | None = Field(default=None, sa_type=Money)
    currency: str | None = Field(default=None, max_length=3)
    tax_rate: Decimal | None = Field(default=None, sa_type=Money)
    gtin: str | None = Field(default=None, max_length=14, index=True)
    updated_at: datetime = Field(default_factory=utcnow)


class CustomerItem(SQLModel, table=True):
    __tablename__ = "customer_items"
    __table_args__ = (UniqueConstraint("customer_id", "customer_sku", name="uq_customer_item"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: str = Field(max_length=100, index=True)
    customer_sku: str = Field(max_length=100)
    sku: str = Field(max_length=100)
    source: str = Field(default="import", max_length=20, description="import or correction")
    created_at: datetime = Field(default_factory=utcnow)


class UserRole(StrEnum):
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=100, unique=True)
    full_name: str = Field(default="", max_length=200)
    role: str = Field(default=UserRole.AGENT, max_length=20)
    password_hash: str = Field(max_length=200)
    failed_logins: int = 0
    locked_until: datetime | None = None
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)


class ApiKey(SQLModel, table=True):
    __tablename__ = "api_keys"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    prefix: str = Field(max_length=16, unique=True, description="shown to identify the key")
    key_hash: str = Field(max_length=128)
    scopes: str = Field(default="read", max_length=200, description="space-separated")
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_entity", "entity_type", "entity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor: str = Field(max_length=200, description="user name, api key name, or 'system'")
    action: str = Field(max_length=100)
    entity_type: str = Field(max_length=50)
    entity_id: str = Field(max_length=100)
    field: str | None = Field(default=None, max_length=100)
    old_value: str | None = Field(default=None, sa_column=Column(Text))
    new_value: str | None = Field(default=None, sa_column=Column(Text))
    details: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))


class OutboxEvent(SQLModel, table=True):
    """An event written in the same transaction as the change it announces (transactional outbox).

    A dispatcher turns each row into webhook deliveries; `dispatched_at` marks that it did.
    """

    __tablename__ = "outbox_events"

    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(max_length=40, unique=True)
    type: str = Field(max_length=50, index=True)
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    dispatched_at: datetime | None = Field(default=None, index=True)
