"""Orders: made from a validated extraction, listed, acknowledged as exported, cancelled."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlmodel import Session, col, select

from models.audit import record_audit
from models.documents import get_document
from models.errors import (
    AlreadyValidatedError,
    InvalidStateError,
    OrderNotFoundError,
    ValidationFailedError,
)
from models.outbox import emit_event
from models.tables import Document, DocumentState, Order, OrderLine, OrderStatus, utcnow

REVIEWABLE_STATES = frozenset({DocumentState.NEEDS_REVIEW, DocumentState.EXTRACTED})


def _decimal(value: Any, *, what: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ValidationFailedError(f"{what}: {value!r} is not a decimal number") from exc


def _date(value: Any, *, what: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationFailedError(f"{what}: {value!r} is not an ISO date (YYYY-MM-DD)") from exc


def _field_value(fields: dict[str, Any], name: str) -> Any:
    found = fields.get(name)
    if isinstance(found, dict):
        return found.get("value")
    return found


def create_order_from_extraction(
    session: Session, *, document: Document, extraction: dict[str, Any], actor: str
) -> Order:
    """Build the order and its lines from an extraction in the contract's JSON shape."""
    if session.exec(select(Order).where(Order.document_id == document.id)).first() is not None:
        raise AlreadyValidatedError(f"document {document.id} already has an order")
    fields: dict[str, Any] = extraction.get("fields") or {}
    header = {name: _field_value(fields, name) for name in fields}
    order = Order(
        document_id=document.id,  # type: ignore[arg-type]
        po_number=header.get("po_number"),
        customer_id=extraction.get("customer_id"),
        customer_name=header.get("customer_name"),
        order_date=_date(header.get("order_date"), what="order_date"),
        requested_delivery_date=_date(
            header.get("requested_delivery_date"), what="requested_delivery_date"
        ),
        currency=header.get("currency"),
        subtotal=_decimal(header.get("subtotal"), what="subtotal"),
        tax_total=_decimal(header.get("tax_total"), what="tax_total"),
        total=_decimal(header.get("total"), what="total"),
        header=header,
        approved_by=actor,
    )
    session.add(order)
    session.flush()
    for position, line in enumerate(extraction.get("lines") or [], start=1):
        session.add(
            OrderLine(
                order_id=order.id,  # type: ignore[arg-type]
                position=position,
                sku=line.get("sku"),
                product_sku=line.get("product_sku"),
                description=line.get("description"),
                quantity=_decimal(line.get("quantity"), what=f"line {position} quantity"),
                unit=line.get("unit"),
                unit_price=_decimal(line.get("unit_price"), what=f"line {position} unit_price"),
                line_total=_decimal(line.get("line_total"), what=f"line {position} line_total"),
            )
        )
    session.flush()
    emit_event(session, event_type="order.validated", payload=order_event_payload(session, order))
    return order


def approve_document(
    session: Session, *, document_id: int, extraction: dict[str, Any], actor: str
) -> Order:
    """An agent approves a reviewed document: the order is created and the document validated."""
    document = get_document(session, document_id)
    if document.state == DocumentState.VALIDATED:
        raise AlreadyValidatedError(f"document {document_id} is already validated")
    if document.state not in REVIEWABLE_STATES:
        raise InvalidStateError(
            f"document {document_id} is {document.state}; only documents waiting for review "
            "can be approved"
        )
    order = create_order_from_extraction(
        session, document=document, extraction=extraction, actor=actor
    )
    document.state = DocumentState.VALIDATED
    document.po_number = order.po_number
    document.customer_id = order.customer_id
    document.locked_by = None
    document.locked_until = None
    document.updated_at = utcnow()
    session.add(document)
    record_audit(
        session,
        actor=actor,
        action="document.approved",
        entity_type="document",
        entity_id=document_id,
        details={"order_id": order.id},
    )
    return order


def reject_document(session: Session, *, document_id: int, reason: str, actor: str) -> Document:
    document = get_document(session, document_id)
    if document.state not in REVIEWABLE_STATES:
        raise InvalidStateError(
            f"document {document_id} is {document.state}; it cannot be rejected"
        )
    document.state = DocumentState.REJECTED
    document.error = reason
    document.locked_by = None
    document.locked_until = None
    document.updated_at = utcnow()
    session.add(document)
    record_audit(
        session,
        actor=actor,
        action="document.rejected",
        entity_type="document",
        entity_id=document_id,
        new_value=reason,
    )
    return document


def get_order(session: Session, order_id: int) -> Order:
    order = session.get(Order, order_id)
    if order is None:
        raise OrderNotFoundError(f"no order with id {order_id}", order_id=order_id)
    return order


def order_lines(session: Session, order_id: int) -> list[OrderLine]:
    return list(
        session.exec(
            select(OrderLine)
            .where(OrderLine.order_id == order_id)
            .order_by(col(OrderLine.position))
        ).all()
    )


def order_event_payload(session: Session, order: Order) -> dict[str, Any]:
    return {
        "order_id": order.id,
        "document_id": order.document_id,
        "status": order.status,
        "po_number": order.po_number,
        "customer_id": order.customer_id,
        "total": format(order.total, "f") if order.total is not None else None,
        "currency": order.currency,
    }


def cancel_order(session: Session, *, order_id: int, actor: str, reason: str = "") -> Order:
    order = get_order(session, order_id)
    if order.status == OrderStatus.CANCELLED:
        raise InvalidStateError(f"order {order_id} is already cancelled")
    order.status = OrderStatus.CANCELLED
    order.cancelled_at = utcnow()
    order.updated_at = utcnow()
    order.version += 1
    session.add(order)
    emit_event(session, event_type="order.cancelled", payload=order_event_payload(session, order))
    record_audit(
        session,
        actor=actor,
        action="order.cancelled",
        entity_type="order",
        entity_id=order_id,
        new_value=reason or None,
    )
    return order


def acknowledge_export(session: Session, *, order_id: int, actor: str) -> Order:
    """The ERP says it has imported the order; `exported=false` polls stop returning it."""
    order = get_order(session, order_id)
    if order.exported_at is None:
        order.exported_at = utcnow()
        order.updated_at = utcnow()
        order.version += 1
        session.add(order)
        record_audit(
            session, actor=actor, action="order.exported", entity_type="order", entity_id=order_id
        )
    return order


def list_orders(
    session: Session,
    *,
    status: str | None = None,
    exported: bool | None = None,
    customer_id: str | None = None,
    after_id: int | None = None,
    limit: int = 100,
) -> list[Order]:
    """Orders by ascending id, after the cursor `after_id` (keyset pagination)."""
    query = select(Order)
    if status is not None:
        query = query.where(Order.status == status)
    if exported is not None:
        query = query.where(
            col(Order.exported_at).is_not(None) if exported else col(Order.exported_at).is_(None)
        )
    if customer_id is not None:
        query = query.where(Order.customer_id == customer_id)
    if after_id is not None:
        query = query.where(col(Order.id) > after_id)
    return list(session.exec(query.order_by(col(Order.id)).limit(limit)).all())


def lines_of_orders(session: Session, order_ids: list[int]) -> dict[int, list[OrderLine]]:
    """The lines of many orders in one query, by order id, each in position order."""
    found: dict[int, list[OrderLine]] = {order_id: [] for order_id in order_ids}
    if not order_ids:
        return found
    rows = session.exec(
        select(OrderLine)
        .where(col(OrderLine.order_id).in_(order_ids))
        .order_by(col(OrderLine.order_id), col(OrderLine.position))
    ).all()
    for line in rows:
        found[line.order_id].append(line)
    return found
