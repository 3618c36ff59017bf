"""The admin screen: mailboxes, hot folders and API keys, for administrators only, audited."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models.auth import authenticate_api_key
from models.errors import AuthenticationError
from models.intake_tables import HotFolder, Mailbox
from models.tables import ApiKey, AuditEvent
from tests.review_ui.conftest import ScreensApp, csrf_of, sign_in
from tests.review_ui.factories import PASSWORD, add_user


def _admin(screens: ScreensApp, client: TestClient) -> str:
    add_user(screens.engine, "root", role="admin")
    return sign_in(client, "root", PASSWORD)


def _audit_actions(engine: Engine) -> list[tuple[str, str]]:
    with Session(engine) as session:
        return [(e.actor, e.action) for e in session.exec(select(AuditEvent)).all()]


def _closed_port() -> int:
    """A local port nothing listens on: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_agent_gets_a_403_page_on_every_admin_page(screens: ScreensApp, client: TestClient) -> None:
    add_user(screens.engine, "alice")
    sign_in(client, "alice", PASSWORD)
    for path in ("/admin", "/admin/mailboxes", "/admin/folders", "/admin/api-keys"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "text/html" in response.headers["content-type"]
        assert "for administrators" in response.text


def test_supervisor_cannot_create_an_api_key(screens: ScreensApp, client: TestClient) -> None:
    add_user(screens.engine, "alice", role="supervisor")
    token = sign_in(client, "alice", PASSWORD)
    response = client.post(
        "/admin/api-keys", data={"name": "sneaky", "scopes": ["admin"], "csrf_token": token}
    )
    assert response.status_code == 403
    with Session(screens.engine) as session:
        assert session.exec(select(ApiKey)).first() is None


def test_admin_link_is_shown_to_admins_only(screens: ScreensApp, client: TestClient) -> None:
    add_user(screens.engine, "alice")
    sign_in(client, "alice", PASSWORD)
    assert 'href="/admin"' not in client.get("/queue").text
    with TestClient(screens.app, follow_redirects=False) as admin_client:
        _admin(screens, admin_client)
        assert 'href="/admin"' in admin_client.get("/queue").text


def test_admin_adds_and_removes_a_hot_folder(
    screens: ScreensApp, client: TestClient, tmp_path: Path
) -> None:
    token = _admin(screens, client)
    incoming = tmp_path / "fax in"
    incoming.mkdir()
    added = client.post(
        "/admin/folders",
        data={"path": str(incoming), "source": "fax", "stable_seconds": "3", "csrf_token": token},
    )
    assert added.status_code == 303
    page = client.get(added.headers["location"])
    assert f"Now watching {incoming.resolve()}" in page.text
    with Session(screens.engine) as session:
        folder = session.exec(select(HotFolder)).one()
        assert (folder.path, folder.source, folder.stable_seconds) == (
            str(incoming.resolve()),
            "fax",
            3.0,
        )

    removed = client.post("/admin/folders/remove", data={"path": folder.path, "csrf_token": token})
    assert removed.status_code == 303
    with Session(screens.engine) as session:
        assert session.exec(select(HotFolder)).first() is None
    assert _audit_actions(screens.engine) == [
        ("root", "hot_folder.added"),
        ("root", "hot_folder.removed"),
    ]


def test_a_missing_hot_folder_is_refused_with_a_message(
    screens: ScreensApp, client: TestClient, tmp_path: Path
) -> None:
    token = _admin(screens, client)
    response = client.post(
        "/admin/folders", data={"path": str(tmp_path / "nowhere"), "csrf_token": token}
    )
    assert response.status_code == 422
    assert "is not a folder; create it first" in response.text
    assert 'value="' + str(tmp_path / "nowhere") + '"' in response.text  # the form is kept


def _add_mailbox(client: TestClient, token: str, secret: Path, port: int, **extra: str) -> str:
    form = {
        "name": "orders",
        "host": "127.0.0.1",
        "port": str(port),
        "security": "none",
        "username": "orders@example.com",
        "password_file": str(secret),
        "folder": "INBOX",
        "processed_folder": "Done",
        "failed_folder": "",
        "source": "mail",
        "csrf_token": token,
        **extra,
    }
    response = client.post("/admin/mailboxes", data=form)
    assert response.status_code == 303, response.text
    return client.get(response.headers["location"]).text


def test_admin_adds_tests_and_removes_a_mailbox(
    screens: ScreensApp, client: TestClient, tmp_path: Path
) -> None:
    token = _admin(screens, client)
    secret = tmp_path / "imap-password"
    secret.write_text("s3cret-imap-password")
    port = _closed_port()
    page = _add_mailbox(client, token, secret, port)
    assert "Mailbox orders added" in page
    assert f"127.0.0.1:{port}" in page
    assert "s3cret-imap-password" not in page
    with Session(screens.engine) as session:
        mailbox = session.exec(select(Mailbox)).one()
        assert (mailbox.security, mailbox.password_file, mailbox.password_env) == (
            "none",
            str(secret),
            None,
        )
        assert (mailbox.processed_folder, mailbox.failed_folder) == ("Done", "")

    tested = client.post("/admin/mailboxes/test", data={"name": "orders", "csrf_token": token})
    assert tested.status_code == 200
    assert "orders: connection failed" in tested.text
    assert f"cannot log in to 127.0.0.1:{port}" in tested.text

    removed = client.post("/admin/mailboxes/remove", data={"name": "orders", "csrf_token": token})
    assert removed.status_code == 303
    with Session(screens.engine) as session:
        assert session.exec(select(Mailbox)).first() is None
    assert _audit_actions(screens.engine) == [
        ("root", "mailbox.added"),
        ("root", "mailbox.removed"),
    ]


def test_a_mailbox_without_password_source_is_refused_with_a_message(
    screens: ScreensApp, client: TestClient
) -> None:
    token = _admin(screens, client)
    response = client.post(
        "/admin/mailboxes",
        data={"name": "orders", "host": "imap.example.com", "username": "u", "csrf_token": token},
    )
    assert response.status_code == 422
    assert "a mailbox needs a password source" in response.text
    assert 'value="imap.example.com"' in response.text
    with Session(screens.engine) as session:
        assert session.exec(select(Mailbox)).first() is None
    assert _audit_actions(screens.engine) == []


def test_a_second_mailbox_with_the_same_name_is_refused(
    screens: ScreensApp, client: TestClient, tmp_path: Path
) -> None:
    token = _admin(screens, client)
    secret = tmp_path / "pw"
    secret.write_text("pw")
    _add_mailbox(client, token, secret, 993)
    again = client.post(
        "/admin/mailboxes",
        data={
            "name": "orders",
            "host": "other.example.com",
            "username": "u",
            "password_env": "IMAP_PW",
            "csrf_token": token,
        },
    )
    assert again.status_code == 409
    assert "already exists" in again.text


def test_mailbox_names_are_escaped_on_the_page(
    screens: ScreensApp, client: TestClient, tmp_path: Path
) -> None:
    token = _admin(screens, client)
    secret = tmp_path / "pw"
    secret.write_text("pw")
    page = _add_mailbox(client, token, secret, 993, name="<script>alert(1)</script>")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_api_key_created_on_the_screen_authenticates_until_revoked(
    screens: ScreensApp, client: TestClient
) -> None:
    token = _admin(screens, client)
    created = client.post(
        "/admin/api-keys", data={"name": "ERP", "scopes": ["read", "write"], "csrf_token": token}
    )
    assert created.status_code == 200
    assert "shown only once" in created.text
    assert created.headers["cache-control"] == "no-store"
    plaintext = created.text.split('class="secret" readonly value="', 1)[1].split('"', 1)[0]
    with Session(screens.engine) as session:
        key = authenticate_api_key(session, plaintext)
        assert (key.name, key.scopes) == ("ERP", "read write")
        key_id = key.id

    listing = client.get("/admin/api-keys").text
    assert key.prefix in listing
    assert plaintext not in listing

    revoked = client.post(f"/admin/api-keys/{key_id}/revoke", data={"csrf_token": token})
    assert revoked.status_code == 303
    with Session(screens.engine) as session, pytest.raises(AuthenticationError):
        authenticate_api_key(session, plaintext)
    assert _audit_actions(screens.engine) == [
        ("root", "api_key.created"),
        ("root", "api_key.revoked"),
    ]


def test_an_api_key_without_scopes_or_with_a_too_long_name_is_refused(
    screens: ScreensApp, client: TestClient
) -> None:
    token = _admin(screens, client)
    response = client.post("/admin/api-keys", data={"name": "ERP", "csrf_token": token})
    assert response.status_code == 422
    assert "scopes must be some of read, write, admin" in response.text
    too_long = client.post(
        "/admin/api-keys", data={"name": "K" * 201, "scopes": ["read"], "csrf_token": token}
    )
    assert too_long.status_code == 422
    assert "the name is longer than 200 characters" in too_long.text
    with Session(screens.engine) as session:
        assert session.exec(select(ApiKey)).first() is None


def test_admin_changes_without_the_csrf_token_are_refused(
    screens: ScreensApp, client: TestClient, tmp_path: Path
) -> None:
    _admin(screens, client)
    refused = [
        client.post("/admin/folders", data={"path": str(tmp_path)}),
        client.post("/admin/api-keys", data={"name": "ERP", "scopes": ["admin"]}),
        client.post("/admin/mailboxes/remove", data={"name": "orders"}),
    ]
    assert [response.status_code for response in refused] == [403, 403, 403]
    with Session(screens.engine) as session:
        assert session.exec(select(HotFolder)).first() is None
        assert session.exec(select(ApiKey)).first() is None
    assert _audit_actions(screens.engine) == []


def test_overview_counts_the_sources_and_keys(screens: ScreensApp, client: TestClient) -> None:
    token = _admin(screens, client)
    client.post("/admin/api-keys", data={"name": "ERP", "scopes": ["read"], "csrf_token": token})
    page = client.get("/admin")
    assert page.status_code == 200
    assert csrf_of(page.text) == token
    assert "1</span><span>active API key<" in page.text
