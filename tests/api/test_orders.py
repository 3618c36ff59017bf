"""Orders over the API: the ERP's pull path (poll, read, acknowledge), cancel, preconditions."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models.db import session_scope
from models.orders import acknowledge_export
from models.tables import OutboxEvent
from tests.api.conftest import Auth, add_order


def test_erp_polls_unexported_orders_page_by_page_and_acks_them(
    client: TestClient, engine: Engine, auth: Auth
) -> None:
    with session_scope(engine) as session:
        ids = [add_order(session, po_number=f"PO-{n}") for n in range(5)]
        acknowledge_export(session, order_id=ids[1], actor="erp")

    seen: list[int] = []
    cursor = None
    while True:
        params = {"status": "validated", "exported": "false", "limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = client.get("/api/v1/orders", params=params, headers=auth["read"]).json()
        seen += [order["id"] for order in page["data"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [ids[0], ids[2], ids[3], ids[4]]

    for order_id in seen:
        response = client.post(f"/api/v1/orders/{order_id}:acknowledge", headers=auth["write"])
        assert response.status_code == 200
        assert response.json()["exported"] is True

    left = client.get("/api/v1/orders?exported=false", headers=auth["read"]).json()
    assert left == {"data": [], "next_cursor": None}


def test_order_shows_header_and_lines_with_amounts_as_strings(
    client: TestClient, engine: Engine, auth: Auth
) -> None:
    with session_scope(engine) as session:
        order_id = add_order(session, po_number="PO-77", lines=3)
    response = client.get(f"/api/v1/orders/{order_id}", headers=auth["read"])
    assert response.status_code == 200
    order = response.json()
    assert order["po_number"] == "PO-77"
    assert order["total"] == "45.00"
    assert order["subtotal"] == "37.50"
    assert order["order_date"] == "2026-11-30"
    assert [line["position"] for line in order["lines"]] == [1, 2, 3]
    assert order["lines"][0]["quantity"] == "5"
    assert order["lines"][0]["unit_price"] == "2.50"
    assert order["validated_at"].endswith("Z")
    assert response.headers["etag"] == f'"order-{order_id}-v1"'


def test_orders_filter_by_customer(client: TestClient, engine: Engine, auth: Auth) -> None:
    with session_scope(engine) as session:
        add_order(session, customer_id="C001")
        wanted = add_order(session, customer_id="C002")
    page = client.get("/api/v1/orders?customer_id=C002", headers=auth["read"]).json()
    assert [o["id"] for o in page["data"]] == [wanted]


def test_acknowledge_with_stale_if_match_is_refused(
    client: TestClient, engine: Engine, auth: Auth
) -> None:
    with session_scope(engine) as session:
        order_id = add_order(session)
    etag = client.get(f"/api/v1/orders/{order_id}", headers=auth["read"]).headers["etag"]
    first = client.post(
        f"/api/v1/orders/{order_id}:acknowledge", headers={**auth["write"], "If-Match": etag}
    )
    assert first.status_code == 200
    assert first.headers["etag"] != etag

    stale = client.post(
        f"/api/v1/orders/{order_id}:cancel", headers={**auth["write"], "If-Match": etag}
    )
    assert stale.status_code == 412
    assert (
        client.get(f"/api/v1/orders/{order_id}", headers=auth["read"]).json()["status"]
        == "validated"
    )


def test_cancel_announces_order_cancelled_and_refuses_twice(
    client: TestClient, engine: Engine, auth: Auth
) -> None:
    with session_scope(engine) as session:
        order_id = add_order(session)
    response = client.post(
        f"/api/v1/orders/{order_id}:cancel",
        json={"reason": "customer called"},
        headers=auth["write"],
    )
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["cancelled_at"] is not None

    with Session(engine) as session:
        types = [e.type for e in session.exec(select(OutboxEvent)).all()]
    assert types.count("order.cancelled") == 1

    again = client.post(f"/api/v1/orders/{order_id}:cancel", headers=auth["write"])
    assert again.status_code == 409


def test_cursor_not_issued_by_api_is_400(client: TestClient, auth: Auth) -> None:
    response = client.get("/api/v1/orders?cursor=not-a-cursor", headers=auth["read"])
    assert response.status_code == 400
    assert response.json()["title"] == "Invalid cursor"
