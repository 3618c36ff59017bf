"""Signing in and out of the screens: the cookie, lockout, redirects, ended sessions."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from models.auth import MAX_FAILED_LOGINS, set_password
from models.tables import User
from tests.review_ui.conftest import ScreensApp, csrf_of, sign_in
from tests.review_ui.factories import PASSWORD, add_user


def _attempt(client: TestClient, username: str, password: str) -> int:
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )
    return response.status_code


def test_screens_send_a_visitor_without_session_to_sign_in(client: TestClient) -> None:
    response = client.get("/queue?reason=x")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/queue%3Freason%3Dx"


def test_htmx_request_without_session_is_told_to_go_to_sign_in(client: TestClient) -> None:
    response = client.get("/queue", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == "/login"


def test_sign_in_sets_an_httponly_samesite_cookie_and_opens_the_queue(
    screens: ScreensApp, client: TestClient
) -> None:
    add_user(screens.engine, "alice")
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login", data={"username": "alice", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 303 and response.headers["location"] == "/queue"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert client.get("/queue").status_code == 200


def test_wrong_password_is_refused_and_repeated_failures_lock_the_account(
    screens: ScreensApp, client: TestClient
) -> None:
    add_user(screens.engine, "alice")
    for _ in range(MAX_FAILED_LOGINS):
        assert _attempt(client, "alice", "not the password") == 401
    token = csrf_of(client.get("/login").text)
    refused = client.post(
        "/login", data={"username": "alice", "password": PASSWORD, "csrf_token": token}
    )
    assert refused.status_code == 401
    assert "locked" in refused.text
    assert client.get("/queue").status_code == 303


def test_sign_in_never_redirects_to_another_site(screens: ScreensApp, client: TestClient) -> None:
    add_user(screens.engine, "alice")
    token = csrf_of(client.get("/login?next=//evil.example/x").text)
    response = client.post(
        "/login",
        data={
            "username": "alice",
            "password": PASSWORD,
            "csrf_token": token,
            "next": "//evil.example/x",
        },
    )
    assert response.headers["location"] == "/queue"


def test_sign_out_ends_the_session(screens: ScreensApp, client: TestClient) -> None:
    add_user(screens.engine, "alice")
    token = sign_in(client, "alice", PASSWORD)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    assert client.get("/queue").status_code == 303


def test_changing_the_password_ends_sessions_opened_with_the_old_one(
    screens: ScreensApp, client: TestClient
) -> None:
    add_user(screens.engine, "alice")
    sign_in(client, "alice", PASSWORD)
    with Session(screens.engine) as session:
        user = session.exec(select(User).where(User.username == "alice")).one()
        set_password(session, user=user, password="another long password")
        session.commit()
    assert client.get("/queue").status_code == 303


def test_a_forged_session_cookie_is_ignored(screens: ScreensApp, client: TestClient) -> None:
    add_user(screens.engine, "alice")
    client.cookies.set("ordino_session", "eyJ1aWQiOjF9.forged.signature")
    assert client.get("/queue").status_code == 303
