"""Every error the API returns is application/problem+json (RFC 9457)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.engine import Engine

from api.problems import PROBLEM_MEDIA_TYPE
from tests.api.conftest import Auth

PROBLEM_KEYS = {"type", "title", "status", "detail"}


def _assert_problem(response: Response, status: int) -> dict[str, Any]:
    assert response.status_code == status
    assert response.headers["content-type"].startswith(PROBLEM_MEDIA_TYPE)
    body = response.json()
    assert body.keys() >= PROBLEM_KEYS
    assert body["status"] == status
    return body


@pytest.fixture
def db_engine(sqlite_engine: Engine) -> Engine:
    """These checks do not depend on the database: SQLite only keeps the suite short."""
    return sqlite_engine


def test_unknown_order_is_a_typed_404_problem(client: TestClient, auth: Auth) -> None:
    body = _assert_problem(client.get("/api/v1/orders/999", headers=auth["read"]), 404)
    assert body["type"] == "urn:ordino:problem:order-not-found"
    assert body["title"] == "Order not found"
    assert "999" in body["detail"]
    assert body["instance"] == "/api/v1/orders/999"


def test_missing_api_key_is_401_with_bearer_challenge(client: TestClient) -> None:
    response = client.get("/api/v1/orders")
    body = _assert_problem(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in body["detail"]


def test_unknown_api_key_is_401(client: TestClient) -> None:
    response = client.get("/api/v1/orders", headers={"Authorization": "Bearer ord_abc_def"})
    _assert_problem(response, 401)


def test_read_key_cannot_write(client: TestClient, auth: Auth) -> None:
    response = client.post("/api/v1/orders/1:cancel", headers=auth["read"])
    body = _assert_problem(response, 403)
    assert "write" in body["detail"]


def test_invalid_query_is_422_problem_listing_each_error(client: TestClient, auth: Auth) -> None:
    response = client.get("/api/v1/orders?limit=0&exported=maybe", headers=auth["read"])
    body = _assert_problem(response, 422)
    locations = {tuple(error["loc"]) for error in body["errors"]}
    assert ("query", "limit") in locations
    assert ("query", "exported") in locations


def test_unknown_path_and_method_are_problems(client: TestClient, auth: Auth) -> None:
    _assert_problem(client.get("/api/v1/nothing-here", headers=auth["read"]), 404)
    response = client.delete("/api/v1/orders", headers=auth["admin"])
    _assert_problem(response, 405)
    assert "GET" in response.headers["allow"]


def test_uncaught_error_is_500_problem_without_internals(api_app: FastAPI) -> None:
    @api_app.get("/boom")
    def boom() -> None:
        raise RuntimeError("database password is hunter2")

    with TestClient(api_app, raise_server_exceptions=False) as client:
        response = client.get("/boom")
    body = _assert_problem(response, 500)
    assert "hunter2" not in response.text
    assert body["error_id"] in body["detail"]
