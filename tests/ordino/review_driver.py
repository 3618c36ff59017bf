"""Driving the review screen over HTTP as an agent would (the browser tests do it in Chromium)."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from models.auth import create_user
from models.db import session_scope
from models.tables import UserRole
from ordino.runtime import Runtime

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def sign_in(client: TestClient, runtime: Runtime, username: str = "agent") -> str:
    """Create an agent, sign in through the form, and return the session's CSRF token."""
    with session_scope(runtime.engine) as session:
        create_user(session, username=username, password="correct horse", role=UserRole.AGENT)
    page = client.get("/login")
    token = CSRF.search(page.text)
    assert token, "the sign-in form carries a CSRF token"
    response = client.post(
        "/login",
        data={"username": username, "password": "correct horse", "csrf_token": token.group(1)},
        follow_redirects=True,
    )
    assert response.status_code == 200, response.text
    found = CSRF.search(response.text)
    assert found, "signed-in pages carry a CSRF token"
    return found.group(1)


def approve_through_screen(
    client: TestClient,
    runtime: Runtime,
    document_id: int,
    extraction: dict[str, Any],
    truth: dict[str, Any],
) -> Any:
    """Open the document from the queue, correct header fields to the truth, and approve."""
    csrf = sign_in(client, runtime)
    queue = client.get("/queue")
    assert f"/review/{document_id}" in queue.text, "the document is listed in the review queue"
    screen = client.get(f"/review/{document_id}")
    assert screen.status_code == 200
    form: dict[str, str] = {"csrf_token": csrf}
    for name, found in truth["fields"].items():
        extracted = (extraction["fields"].get(name) or {}).get("value")
        wanted = found["value"] if found else None
        if extracted != wanted:
            form[f"f:{name}"] = wanted or ""
    for index, line in enumerate(truth["lines"]):
        for key in ("sku", "description", "quantity", "unit_price", "line_total"):
            if index < len(extraction["lines"]) and extraction["lines"][index].get(key) != line.get(
                key
            ):
                form[f"l:{index}:{key}"] = line.get(key) or ""
    return client.post(f"/review/{document_id}/approve", data=form, headers={"X-CSRF-Token": csrf})
