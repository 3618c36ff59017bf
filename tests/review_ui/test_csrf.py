"""Every form and htmx request carries the session's CSRF token."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.review_ui.conftest import ScreensApp, csrf_of, sign_in
from tests.review_ui.factories import PASSWORD, add_review_document, add_user


def test_sign_in_form_without_its_token_is_refused(screens: ScreensApp, client: TestClient) -> None:
    add_user(screens.engine, "alice")
    client.get("/login")
    response = client.post("/login", data={"username": "alice", "password": PASSWORD})
    assert response.status_code == 403


def test_htmx_save_needs_the_token_header(screens: ScreensApp, client: TestClient) -> None:
    doc = add_review_document(screens.engine, screens.blobs)
    add_user(screens.engine, "alice")
    token = sign_in(client, "alice", PASSWORD)
    client.get(f"/review/{doc.document_id}")
    url = f"/review/{doc.document_id}/save"
    form = {"f:po_number": "PO-1"}
    assert client.post(url, data=form, headers={"HX-Request": "true"}).status_code == 403
    accepted = client.post(url, data=form, headers={"HX-Request": "true", "X-CSRF-Token": token})
    assert accepted.status_code == 200
    assert 'value="PO-1"' in accepted.text


def test_a_token_from_another_session_is_refused(screens: ScreensApp, client: TestClient) -> None:
    doc = add_review_document(screens.engine, screens.blobs)
    add_user(screens.engine, "alice")
    add_user(screens.engine, "mallory")
    with TestClient(screens.app, follow_redirects=False) as other:
        foreign_token = sign_in(other, "mallory", PASSWORD)
    sign_in(client, "alice", PASSWORD)
    response = client.post(f"/review/{doc.document_id}/approve", data={"csrf_token": foreign_token})
    assert response.status_code == 403


def test_sign_in_issues_a_new_token(screens: ScreensApp, client: TestClient) -> None:
    add_user(screens.engine, "alice")
    before = csrf_of(client.get("/login").text)
    after = sign_in(client, "alice", PASSWORD)
    assert before != after
