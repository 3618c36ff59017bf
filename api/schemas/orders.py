"""Orders as the API shows them: header and lines, amounts as strings."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from api.types import Amount, Quantity, UtcDateTime
from models.tables import Order, OrderLine


class OrderLinePublic(BaseModel):
    position: int
    sku: str | None = Field(description="The item number as the customer wrote it")
    product_sku: str | None = Field(description="The seller's SKU it was matched to")
    description: str | None
    quantity: Quantity | None
    unit: str | None
    unit_price: Amount | None
    line_total: Amount | None

    @classmethod
    def of(cls, line: OrderLine) -> OrderLinePublic:
        return cls(
            position=line.position,
            sku=line.sku,
            product_sku=line.product_sku,
            description=line.description,
            quantity=line.quantity,
            unit=line.unit,
            unit_price=line.unit_price,
            line_total=line.line_total,
        )


class OrderPublic(BaseModel):
    id: int
    document_id: int
    status: str = Field(description="validated or cancelled")
    po_number: str | None
    customer_id: str | None = Field(description="The matched customer, if any")
    customer_name: str | None
    order_date: date | None
    requested_delivery_date: date | None
    currency: str | None
    subtotal: Amount | None
    tax_total: Amount | None
    total: Amount | None
    header: dict[str, Any] = Field(description="Every header field as validated (ship-to, terms…)")
    approved_by: str = Field(description="The agent who validated it, or 'auto'")
    exported: bool = Field(description="True once the ERP has acknowledged it")
    validated_at: UtcDateTime
    exported_at: UtcDateTime | None
    cancelled_at: UtcDateTime | None
    version: int = Field(description="Grows with every change; the ETag carries it")
    lines: list[OrderLinePublic]

    @classmethod
    def of(cls, order: Order, lines: list[OrderLine]) -> OrderPublic:
        assert order.id is not None
        return cls(
            id=order.id,
            document_id=order.document_id,
            status=order.status,
            po_number=order.po_number,
            customer_id=order.customer_id,
            customer_name=order.customer_name,
            order_date=order.order_date,
            requested_delivery_date=order.requested_delivery_date,
            currency=order.currency,
            subtotal=order.subtotal,
            tax_total=order.tax_total,
            total=order.total,
            header=order.header,
            approved_by=order.approved_by,
            exported=order.exported_at is not None,
            validated_at=order.validated_at,
            exported_at=order.exported_at,
            cancelled_at=order.cancelled_at,
            version=order.version,
            lines=[OrderLinePublic.of(line) for line in lines],
        )


class OrderList(BaseModel):
    data: list[OrderPublic]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end"
    )


class CancelRequest(BaseModel):
    reason: str = Field(default="", max_length=1000, description="Why the order is cancelled")
