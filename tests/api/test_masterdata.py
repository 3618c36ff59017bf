"""Customers, products and customer items over the API: CSV imports, CRUD, ETags."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from tests.api.conftest import Auth

CUSTOMERS_CSV = (
    "customer_id,name,vat_id,email_domains,country,currency,payment_terms_days,credit_limit\n"
    "C001,Acme Industrie SA,FR40303265045,acme.fr acme-group.com,FR,EUR,30,10000.50\n"
    "C002,Müller Maschinenbau GmbH,,mueller.de,DE,EUR,14,\n"
)
CSV = {"Content-Type": "text/csv"}


@pytest.fixture
def db_engine(sqlite_engine: Engine) -> Engine:
    """These checks do not depend on the database: SQLite only keeps the suite short."""
    return sqlite_engine


def test_customer_import_is_an_idempotent_upsert(client: TestClient, auth: Auth) -> None:
    headers = {**auth["write"], **CSV}
    first = client.post("/api/v1/customers:import", content=CUSTOMERS_CSV.encode(), headers=headers)
    assert first.status_code == 200, first.text
    assert first.json() == {"kind": "customers", "created": 2, "updated": 0, "unchanged": 0}
    again = client.post("/api/v1/customers:import", content=CUSTOMERS_CSV.encode(), headers=headers)
    assert again.json() == {"kind": "customers", "created": 0, "updated": 0, "unchanged": 2}

    customer = client.get("/api/v1/customers/C001", headers=auth["read"]).json()
    assert customer["email_domains"] == ["acme.fr", "acme-group.com"]
    assert customer["credit_limit"] == "10000.50"
    assert customer["payment_terms_days"] == 30


def test_import_with_a_bad_row_writes_nothing_and_names_the_line(
    client: TestClient, auth: Auth
) -> None:
    bad = CUSTOMERS_CSV + "C003,Broken SARL,FR00000000000,,FR,EUR,30,\n"
    response = client.post(
        "/api/v1/customers:import", content=bad.encode(), headers={**auth["write"], **CSV}
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["errors"] == [
        {"line": 4, "reason": "vat_id 'FR00000000000' is not a valid EU VAT number"}
    ]
    assert client.get("/api/v1/customers", headers=auth["read"]).json()["data"] == []


def test_import_refuses_a_file_that_is_not_utf8(client: TestClient, auth: Auth) -> None:
    latin1 = "sku,description\nA1,Réglette\n".encode("latin-1")
    response = client.post(
        "/api/v1/products:import", content=latin1, headers={**auth["write"], **CSV}
    )
    assert response.status_code == 422
    assert "UTF-8" in response.json()["detail"]


def test_product_crud_with_etag_preconditions(client: TestClient, auth: Auth) -> None:
    created = client.post(
        "/api/v1/products",
        json={
            "sku": "SKU-1",
            "description": "Widget",
            "unit": "ea",
            "unit_price": "2.5",
            "gtin": "4006381333931",
        },
        headers=auth["write"],
    )
    assert created.status_code == 201, created.text
    assert created.json()["unit"] == "EA"
    assert created.json()["unit_price"] == "2.50"
    assert created.headers["location"] == "/api/v1/products/SKU-1"
    etag = created.headers["etag"]

    duplicate = client.post(
        "/api/v1/products", json={"sku": "SKU-1", "description": "Again"}, headers=auth["write"]
    )
    assert duplicate.status_code == 409

    replaced = client.put(
        "/api/v1/products/SKU-1",
        json={"description": "Widget, blue", "unit_price": "2.75"},
        headers={**auth["write"], "If-Match": etag},
    )
    assert replaced.status_code == 200
    assert replaced.json()["gtin"] is None
    assert replaced.headers["etag"] != etag

    stale = client.put(
        "/api/v1/products/SKU-1",
        json={"description": "Lost update"},
        headers={**auth["write"], "If-Match": etag},
    )
    assert stale.status_code == 412
    assert (
        client.get("/api/v1/products/SKU-1", headers=auth["read"]).json()["description"]
        == "Widget, blue"
    )

    deleted = client.delete(
        "/api/v1/products/SKU-1", headers={**auth["write"], "If-Match": replaced.headers["etag"]}
    )
    assert deleted.status_code == 204
    assert client.get("/api/v1/products/SKU-1", headers=auth["read"]).status_code == 404


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("gtin", "4006381333932", "gtin"),
        ("currency", "EUX", "ISO 4217"),
    ],
)
def test_product_values_are_checked_like_the_import(
    client: TestClient, auth: Auth, field: str, value: str, reason: str
) -> None:
    response = client.post(
        "/api/v1/products",
        json={"sku": "SKU-9", "description": "Widget", field: value},
        headers=auth["write"],
    )
    assert response.status_code == 422
    assert reason in response.json()["detail"]


def test_customer_items_map_part_numbers_and_filter_by_customer(
    client: TestClient, auth: Auth
) -> None:
    csv_text = "customer_id,customer_sku,sku\nC001,ACME-77,SKU-1\nC002,M-1,SKU-2\n"
    imported = client.post(
        "/api/v1/customer-items:import", content=csv_text.encode(), headers={**auth["write"], **CSV}
    )
    assert imported.json()["created"] == 2
    items = client.get("/api/v1/customer-items?customer_id=C001", headers=auth["read"]).json()
    (item,) = items["data"]
    assert (item["customer_sku"], item["sku"]) == ("ACME-77", "SKU-1")

    moved = client.put(
        f"/api/v1/customer-items/{item['id']}", json={"sku": "SKU-3"}, headers=auth["write"]
    )
    assert moved.json()["sku"] == "SKU-3"
    again = client.post(
        "/api/v1/customer-items",
        json={"customer_id": "C001", "customer_sku": "ACME-77", "sku": "SKU-4"},
        headers=auth["write"],
    )
    assert again.status_code == 409


def test_customers_page_by_cursor(client: TestClient, auth: Auth) -> None:
    rows = "".join(f"C{n:03d},Customer {n}\n" for n in range(5))
    client.post(
        "/api/v1/customers:import",
        content=("customer_id,name\n" + rows).encode(),
        headers={**auth["write"], **CSV},
    )
    seen: list[str] = []
    cursor = ""
    while True:
        page = client.get(f"/api/v1/customers?limit=2{cursor}", headers=auth["read"]).json()
        seen += [c["customer_id"] for c in page["data"]]
        if page["next_cursor"] is None:
            break
        cursor = f"&cursor={page['next_cursor']}"
    assert seen == [f"C{n:03d}" for n in range(5)]


def test_import_needs_write_scope(client: TestClient, auth: Auth) -> None:
    response = client.post(
        "/api/v1/customers:import", content=CUSTOMERS_CSV.encode(), headers={**auth["read"], **CSV}
    )
    assert response.status_code == 403
