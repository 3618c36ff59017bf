"""`ordino user add|passwd|list` against a real database file."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, SQLModel, select
from typer.testing import CliRunner

import models.all_tables  # noqa: F401
from models.auth import authenticate_user
from models.db import make_engine
from models.errors import AuthenticationError
from models.tables import User
from review_ui.commands import user_app


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    SQLModel.metadata.create_all(make_engine(url))
    monkeypatch.setenv("ORDINO_DATABASE_URL", url)
    return url


def test_user_add_then_passwd_then_list(database: str) -> None:
    runner = CliRunner()
    added = runner.invoke(
        user_app, ["add", "alice", "--role", "supervisor", "--password", "first password"]
    )
    assert added.exit_code == 0, added.output
    changed = runner.invoke(
        user_app, ["passwd", "alice"], input="second password\nsecond password\n"
    )
    assert changed.exit_code == 0, changed.output
    listed = runner.invoke(user_app, ["list"])
    assert "alice" in listed.output and "supervisor" in listed.output
    with Session(make_engine(database)) as session:
        assert authenticate_user(session, username="alice", password="second password")
        with pytest.raises(AuthenticationError):
            authenticate_user(session, username="alice", password="first password")


def test_user_add_refuses_a_short_password_and_a_taken_name(database: str) -> None:
    runner = CliRunner()
    short = runner.invoke(user_app, ["add", "bob", "--password", "short"])
    assert short.exit_code == 1 and "at least 8 characters" in short.output
    runner.invoke(user_app, ["add", "bob", "--password", "long enough"])
    taken = runner.invoke(user_app, ["add", "bob", "--password", "long enough"])
    assert taken.exit_code == 1 and "exists already" in taken.output
    with Session(make_engine(database)) as session:
        assert len(session.exec(select(User)).all()) == 1


def test_passwd_for_an_unknown_user_says_so(database: str) -> None:
    result = CliRunner().invoke(user_app, ["passwd", "nobody", "--password", "long enough"])
    assert result.exit_code == 1 and "no user named 'nobody'" in result.output


def test_a_database_without_schema_is_explained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORDINO_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    result = CliRunner().invoke(user_app, ["list"])
    assert result.exit_code == 1 and "no users table yet" in result.output
