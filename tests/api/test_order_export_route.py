"""GET /orders/{id}/export: the order built from the tables, in each format."""

from __future__ import annotations

import typing

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from api.exports import EXPORTERS
from api.routers.orders import ExportFormat
from models.db import session_scope
from models.orders import cancel_order
from models.tables import Customer, Product
from tests.api.conftest import Auth, add_order


@pytest.fixture
def db_engine(sqlite_engine: Engine) -> Engine:
    """Reads only; the exporters do not depend on the database."""
    return sqlite_engine


def test_buyer_comes_from_the_matched_customer_and_seller_from_settings(
    client: TestClient, engine: Engine, auth: Auth
) -> None:
    with session_scope(engine) as session:
        session.add(
            Customer(
                customer_id="C001",
                name="ACME Industrie S.A.",
                vat_id="FR40303265045",
                street="1 rue de la Paix",
                postal_code="75002",
                city="Paris",
                country="FR",
                payment_terms_days=45,
            )
        )
        session.add(Product(sku="SKU-1", description="Widget", gtin="4006381333931"))
        order_id = add_order(session, customer_id="C001", customer_name="Acme (as printed)")
    response = client.get(f"/api/v1/orders/{order_id}/export?format=json", headers=auth["read"])
    assert response.status_code == 200, response.text
    exported = response.json()
    assert exported["buyer"]["name"] == "ACME Industrie S.A."
    assert exported["buyer"]["city"] == "Paris"
    assert exported["seller"] == {
        "name": "Ordino Demo Supplies SAS",
        "vat_id": "FR40303265045",
        "customer_id": None,
        "street": None,
        "postal_code": None,
        "city": None,
        "country": None,
        "email": None,
    }
    assert exported["payment_terms_days"] == 45
    assert [line["gtin"] for line in exported["lines"]] == ["4006381333931", None]
    assert 'filename="order-PO-1.json"' in response.headers["content-disposition"]


def test_unmatched_buyer_and_ship_to_come_from_the_order_header(
    client: TestClient, engine: Engine, auth: Auth
) -> None:
    with session_scope(engine) as session:
        order_id = add_order(
            session,
            customer_id=None,
            customer_vat_id="DE136695976",
            ship_to_city="Köln",
            payment_terms_days="30",
        )
    exported = client.get(f"/api/v1/orders/{order_id}/export", headers=auth["read"]).json()
    assert exported["buyer"]["name"] == "Acme Industrie SA"
    assert exported["buyer"]["vat_id"] == "DE136695976"
    assert exported["ship_to"]["city"] == "Köln"
    assert exported["payment_terms_days"] == 30


@pytest.mark.parametrize("format", sorted(EXPORTERS))
def test_every_format_is_served_with_its_media_type(
    client: TestClient, engine: Engine, auth: Auth, format: str
) -> None:
    with session_scope(engine) as session:
        order_id = add_order(session, po_number="PO-42")
    response = client.get(f"/api/v1/orders/{order_id}/export?format={format}", headers=auth["read"])
    assert response.status_code == 200, response.text
    assert (
        response.headers["content-type"].split(";")[0] == EXPORTERS[format].media_type.split(";")[0]
    )
    assert b"PO-42" in response.content


def test_formats_offered_are_the_registered_exporters() -> None:
    assert set(typing.get_args(ExportFormat)) == set(EXPORTERS)


def test_cancelled_order_is_not_exported(client: TestClient, engine: Engine, auth: Auth) -> None:
    with session_scope(engine) as session:
        order_id = add_order(session)
        cancel_order(session, order_id=order_id, actor="agent")
    response = client.get(f"/api/v1/orders/{order_id}/export?format=ubl", headers=auth["read"])
    assert response.status_code == 409


def test_unknown_format_is_422(client: TestClient, engine: Engine, auth: Auth) -> None:
    with session_scope(engine) as session:
        order_id = add_order(session)
    response = client.get(f"/api/v1/orders/{order_id}/export?format=pdf", headers=auth["read"])
    assert response.status_code == 422
