"""An exported UBL, Order-X or EDIFACT order read back by the structured reader gives the
order's own values."""

from __future__ import annotations

import dataclasses

import pytest

from api.exports import OrderExport, export_order
from extraction.structured import StructuredOrder, parse_structured, read_structured
from tests.api.test_exports_formats import make_line, make_order

ROUND_TRIP_FORMATS = ("ubl", "orderx", "edifact")


def _read_back(order: OrderExport, fmt: str) -> StructuredOrder:
    body, _ = export_order(order, fmt)
    structured = parse_structured(body)
    assert structured is not None, f"{fmt} export was not recognised as a structured order"
    return structured


def _assert_same_order(order: OrderExport, read: StructuredOrder) -> None:
    assert read.document_type == "purchase_order" and not read.is_cancellation
    assert read.po_number == order.document_number
    assert read.order_date == order.issue_date
    assert read.requested_delivery_date == order.requested_delivery_date
    assert read.currency == order.currency
    assert read.payment_terms_days == order.payment_terms_days
    assert (read.subtotal, read.tax_total, read.total) == (
        order.subtotal,
        order.tax_total,
        order.total,
    )
    buyer = order.buyer
    assert (read.buyer.name, read.buyer.vat_id, read.buyer.account_id, read.buyer.email) == (
        buyer.name,
        buyer.vat_id,
        buyer.customer_id,
        buyer.email,
    )
    assert (read.buyer.street, read.buyer.postal_code, read.buyer.city, read.buyer.country) == (
        buyer.street,
        buyer.postal_code,
        buyer.city,
        buyer.country,
    )
    assert read.seller.name == order.seller.name
    assert read.seller.vat_id == order.seller.vat_id
    if order.ship_to is None:
        assert read.ship_to is None
    else:
        assert read.ship_to is not None
        assert (
            read.ship_to.name,
            read.ship_to.street,
            read.ship_to.postal_code,
            read.ship_to.city,
            read.ship_to.country,
        ) == (
            order.ship_to.name,
            order.ship_to.street,
            order.ship_to.postal_code,
            order.ship_to.city,
            order.ship_to.country,
        )
    assert len(read.lines) == len(order.lines)
    for line, back in zip(order.lines, read.lines, strict=True):
        assert back.printed_item_id == (line.sku or line.product_sku or line.gtin)
        assert back.seller_item_id == line.product_sku
        assert back.gtin == line.gtin
        assert back.description == line.description
        assert back.quantity == line.quantity
        assert back.unit == line.unit
        assert back.unit_price == line.unit_price
        assert back.line_total == line.line_total


@pytest.mark.parametrize("fmt", ROUND_TRIP_FORMATS)
def test_exported_order_reads_back_with_the_same_values(fmt: str) -> None:
    order = make_order()
    _assert_same_order(order, _read_back(order, fmt))


@pytest.mark.parametrize("fmt", ROUND_TRIP_FORMATS)
def test_sparse_order_reads_back_with_its_absent_values_absent(fmt: str) -> None:
    order = make_order(
        po_number=None,
        order_date=None,
        requested_delivery_date=None,
        ship_to=None,
        payment_terms_days=None,
        tax_total=None,
        total=None,
        buyer=dataclasses.replace(make_order().buyer, vat_id=None, email=None, customer_id=None),
        lines=(
            make_line(1, gtin=None, sku=None, unit="KG"),
            make_line(2, product_sku=None, unit="BOX"),
        ),
    )
    read = _read_back(order, fmt)
    _assert_same_order(order, read)
    assert read.po_number == "42"  # no PO number: the order is numbered by Ordino's id


@pytest.mark.parametrize("fmt", ROUND_TRIP_FORMATS)
def test_exported_order_becomes_a_structured_extraction(fmt: str) -> None:
    body, _ = export_order(make_order(), fmt)
    extraction = read_structured(body, source=f"order.{fmt}")
    assert extraction is not None
    assert extraction.field_value("po_number") == "PO-2026-0042"
    assert extraction.field_value("customer_number") == "C-1001"
    assert [line.sku for line in extraction.lines] == ["CUST-1", "SKU-2"]
    assert all(f is None or f.method == "structured" for f in extraction.fields.values())


def test_edifact_round_trip_keeps_service_characters_in_values() -> None:
    order = make_order(po_number="PO+1'A:B?", lines=(make_line(1, sku="X+Y'Z"),))
    read = _read_back(order, "edifact")
    assert read.po_number == "PO+1'A:B?"
    assert read.lines[0].buyer_item_id == "X+Y'Z"
