"""`ordino mailbox …` and `ordino folder …` against a real database and Dovecot."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner

from intake.commands import folder_app, mailbox_app
from models.intake_tables import HotFolder, Mailbox
from tests.intake.conftest import PASSWORD_ENV, DovecotServer

runner = CliRunner()


@pytest.fixture(autouse=True)
def _database(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORDINO_DATABASE_URL", str(engine.url))


@pytest.mark.imap
def test_mailbox_add_list_test_remove(
    dovecot: DovecotServer, imap_user: str, engine: Engine
) -> None:
    dovecot.append(imap_user, [b"From: a@b.example\r\nSubject: hi\r\n\r\nhello\r\n"])
    added = runner.invoke(
        mailbox_app,
        [
            "add",
            "orders",
            "--host",
            "127.0.0.1",
            "--port",
            str(dovecot.port),
            "--security",
            "none",
            "--user",
            imap_user,
            "--password-env",
            PASSWORD_ENV,
        ],
    )
    assert added.exit_code == 0, added.output
    with Session(engine) as session:
        mailbox = session.exec(select(Mailbox)).one()
    assert (mailbox.username, mailbox.password_env, mailbox.processed_folder) == (
        imap_user,
        PASSWORD_ENV,
        "Ordino-Processed",
    )

    listed = runner.invoke(mailbox_app, ["list"])
    assert listed.exit_code == 0 and "orders" in listed.output and "never" in listed.output

    tested = runner.invoke(mailbox_app, ["test", "orders"])
    assert tested.exit_code == 0, tested.output
    assert "1 message(s)" in tested.output and "IDLE supported" in tested.output

    assert runner.invoke(mailbox_app, ["remove", "orders"]).exit_code == 0
    with Session(engine) as session:
        assert session.exec(select(Mailbox)).all() == []


@pytest.mark.imap
def test_mailbox_test_reports_a_wrong_password(
    dovecot: DovecotServer, imap_user: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WRONG_PASSWORD", "not-it")
    runner.invoke(
        mailbox_app,
        [
            "add",
            "bad",
            "--host",
            "127.0.0.1",
            "--port",
            str(dovecot.port),
            "--security",
            "none",
            "--user",
            imap_user,
            "--password-env",
            "WRONG_PASSWORD",
        ],
    )
    tested = runner.invoke(mailbox_app, ["test", "bad"])
    assert tested.exit_code == 1
    assert "cannot log in" in tested.output


def test_mailbox_without_a_password_source_is_refused(engine: Engine) -> None:
    result = runner.invoke(mailbox_app, ["add", "x", "--host", "imap.example", "--user", "u"])
    assert result.exit_code == 1
    assert "password" in result.output
    with Session(engine) as session:
        assert session.exec(select(Mailbox)).all() == []


def test_mailbox_names_are_unique(engine: Engine) -> None:
    args = [
        "add",
        "x",
        "--host",
        "imap.example",
        "--user",
        "u",
        "--password-file",
        "/run/secrets/imap",
    ]
    assert runner.invoke(mailbox_app, args).exit_code == 0
    again = runner.invoke(mailbox_app, args)
    assert again.exit_code == 1 and "already exists" in again.output


def test_folder_add_list_remove(tmp_path: Path, engine: Engine) -> None:
    inbox = tmp_path / "fax"
    inbox.mkdir()
    assert runner.invoke(folder_app, ["add", str(inbox)]).exit_code == 0
    assert str(inbox) in runner.invoke(folder_app, ["list"], env={"COLUMNS": "400"}).output
    assert runner.invoke(folder_app, ["add", str(tmp_path / "missing")]).exit_code == 1
    assert runner.invoke(folder_app, ["remove", str(inbox)]).exit_code == 0
    with Session(engine) as session:
        assert session.exec(select(HotFolder)).all() == []
