"""Building the exporters' view of an order from the tables.

The seller is Ordino's operator (settings); the buyer is the matched customer when there is one,
whose master data is the truth, else what the order itself says; lines get their GTIN from the
product catalogue.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from api.exports import ExportLine, ExportParty, OrderExport
from models.context import AppContext
from models.errors import InvalidStateError
from models.orders import get_order, order_lines
from models.tables import Customer, Order, OrderStatus, Product

SHIP_TO_FIELDS = (
    "ship_to_name",
    "ship_to_street",
    "ship_to_postal_code",
    "ship_to_city",
    "ship_to_country",
)


def _text(header: dict[str, Any], name: str) -> str | None:
    value = header.get(name)
    if value in (None, ""):
        return None
    return str(value)


def _days(value: Any) -> int | None:
    text = str(value).strip() if value is not None else ""
    return int(text) if text.isdigit() else None


def _buyer(order: Order, customer: Customer | None) -> ExportParty:
    header = order.header
    email = _text(header, "contact_email")
    if customer is not None:
        return ExportParty(
            name=customer.name,
            vat_id=customer.vat_id,
            customer_id=customer.customer_id,
            street=customer.street,
            postal_code=customer.postal_code,
            city=customer.city,
            country=customer.country,
            email=email,
        )
    return ExportParty(
        name=order.customer_name or _text(header, "customer_name"),
        vat_id=_text(header, "customer_vat_id"),
        customer_id=order.customer_id or _text(header, "customer_number"),
        email=email,
    )


def _ship_to(header: dict[str, Any]) -> ExportParty | None:
    if not any(_text(header, name) for name in SHIP_TO_FIELDS):
        return None
    return ExportParty(
        name=_text(header, "ship_to_name"),
        street=_text(header, "ship_to_street"),
        postal_code=_text(header, "ship_to_postal_code"),
        city=_text(header, "ship_to_city"),
        country=_text(header, "ship_to_country"),
    )


def build_order_export(session: Session, *, order_id: int, context: AppContext) -> OrderExport:
    """The order as the exporters take it; only validated (not cancelled) orders are exported."""
    order = get_order(session, order_id)
    if order.status != OrderStatus.VALIDATED:
        raise InvalidStateError(
            f"order {order_id} is {order.status}; only validated orders are exported"
        )
    assert order.id is not None
    customer = session.get(Customer, order.customer_id) if order.customer_id else None
    lines = order_lines(session, order.id)
    skus = {line.product_sku for line in lines if line.product_sku}
    gtins = (
        {
            product.sku: product.gtin
            for product in session.exec(select(Product).where(col(Product.sku).in_(skus))).all()
        }
        if skus
        else {}
    )
    terms = _days(order.header.get("payment_terms_days"))
    return OrderExport(
        order_id=order.id,
        po_number=order.po_number,
        order_date=order.order_date,
        requested_delivery_date=order.requested_delivery_date,
        currency=order.currency,
        buyer=_buyer(order, customer),
        seller=ExportParty(name=context.seller_name, vat_id=context.seller_vat_id),
        ship_to=_ship_to(order.header),
        payment_terms_days=terms
        if terms is not None
        else (customer.payment_terms_days if customer else None),
        subtotal=order.subtotal,
        tax_total=order.tax_total,
        total=order.total,
        lines=tuple(
            ExportLine(
                position=line.position,
                sku=line.sku,
                product_sku=line.product_sku,
                gtin=gtins.get(line.product_sku) if line.product_sku else None,
                description=line.description,
                quantity=line.quantity,
                unit=line.unit,
                unit_price=line.unit_price,
                line_total=line.line_total,
            )
            for line in lines
        ),
        validated_at=order.validated_at,
    )
