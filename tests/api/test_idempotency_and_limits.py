"""Idempotency-Key on POST, and request-size limits."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models.db import session_scope
from models.tables import OutboxEvent
from tests.api.conftest import Auth, add_order


@pytest.fixture
def db_engine(sqlite_engine: Engine) -> Engine:
    """The claim logic is plain SQL; SQLite keeps the suite short."""
    return sqlite_engine


def _cancellations(engine: Engine) -> int:
    with Session(engine) as session:
        events = session.exec(select(OutboxEvent).where(OutboxEvent.type == "order.cancelled"))
        return len(events.all())


def test_retried_post_with_same_key_gets_first_response_and_has_one_effect(
    client: TestClient, engine: Engine, auth: Auth
) -> None:
    with session_scope(engine) as session:
        order_id = add_order(session)
    headers = {**auth["write"], "Idempotency-Key": "cancel-1"}
    first = client.post(f"/api/v1/orders/{order_id}:cancel", json={"reason": "x"}, headers=headers)
    again = client.post(f"/api/v1/orders/{order_id}:cancel", json={"reason": "x"}, headers=headers)
    assert first.status_code == again.status_code == 200, again.text
    assert again.content == first.content
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["etag"] == first.headers["etag"]
    assert "idempotent-replayed" not in first.headers
    assert _cancellations(engine) == 1

    without_key = client.post(f"/api/v1/orders/{order_id}:cancel", headers=auth["write"])
    assert without_key.status_code == 409


def test_same_key_for_a_different_request_is_refused(
    client: TestClient, engine: Engine, auth: Auth
) -> None:
    with session_scope(engine) as session:
        first_order = add_order(session)
        second_order = add_order(session)
    headers = {**auth["write"], "Idempotency-Key": "k"}
    assert (
        client.post(f"/api/v1/orders/{first_order}:acknowledge", headers=headers).status_code == 200
    )
    reused = client.post(f"/api/v1/orders/{second_order}:acknowledge", headers=headers)
    assert reused.status_code == 422
    assert "different request" in reused.json()["detail"]


def test_key_of_a_failed_request_can_be_used_again(
    client: TestClient, engine: Engine, auth: Auth
) -> None:
    headers = {**auth["write"], "Content-Type": "text/csv", "Idempotency-Key": "import-1"}
    bad = client.post("/api/v1/products:import", content=b"sku,description\nA1,\n", headers=headers)
    assert bad.status_code == 422
    good = client.post(
        "/api/v1/products:import", content=b"sku,description\nA1,Widget\n", headers=headers
    )
    assert good.status_code == 200
    assert good.json()["created"] == 1


def test_keys_of_two_api_clients_do_not_collide(
    client: TestClient, engine: Engine, auth: Auth
) -> None:
    with session_scope(engine) as session:
        order_id = add_order(session)
    path = f"/api/v1/orders/{order_id}:acknowledge"
    first = client.post(path, headers={**auth["write"], "Idempotency-Key": "same"})
    other = client.post(path, headers={**auth["admin"], "Idempotency-Key": "same"})
    assert first.status_code == other.status_code == 200
    assert "idempotent-replayed" not in other.headers


def test_upload_retried_with_its_key_is_replayed_as_created(client: TestClient, auth: Auth) -> None:
    headers = {**auth["write"], "Idempotency-Key": "upload-7"}
    files = {"file": ("po.txt", b"PO 7: 3 x widget", "text/plain")}
    first = client.post("/api/v1/documents", files=files, headers=headers)
    # A multipart body's boundary differs per request; the same file is still the same request.
    again = client.post("/api/v1/documents", files=files, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]


def test_json_body_over_one_mebibyte_is_413(client: TestClient, auth: Auth) -> None:
    response = client.post(
        "/api/v1/customers",
        content=b'{"customer_id": "C1", "name": "' + b"x" * (1024 * 1024) + b'"}',
        headers={**auth["write"], "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")


def test_streamed_body_without_length_is_cut_at_the_limit(client: TestClient, auth: Auth) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(40):
            yield b"x" * 32_768

    response = client.post(
        "/api/v1/customers",
        content=chunks(),
        headers={**auth["write"], "Content-Type": "application/json"},
    )
    assert response.status_code == 413
