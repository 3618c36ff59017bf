"""`ordino user add|passwd|list`: the people who may sign in to the review screens."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlmodel import col, select

from models.auth import create_user, set_password
from models.db import make_engine, session_scope
from models.errors import OrdinoError
from models.tables import User, UserRole, utcnow

user_app = typer.Typer(help="Users of the review screens (agents, supervisors, admins).")
_console = Console()


def database_url() -> str:
    """ORDINO_DATABASE_URL, else the SQLite file in ORDINO_DATA_DIR (default ./data)."""
    url = os.environ.get("ORDINO_DATABASE_URL")
    if url:
        return url
    data_dir = Path(os.environ.get("ORDINO_DATA_DIR", "./data"))
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(data_dir / 'ordino.db').resolve()}"


def _engine() -> Engine:
    return make_engine(database_url())


def _fail(message: str) -> typer.Exit:
    _console.print(f"[red]{message}[/red]")
    return typer.Exit(code=1)


def _no_schema(error: Exception) -> typer.Exit:
    return _fail(
        f"the database at {database_url()} has no users table yet ({type(error).__name__}); "
        "create its schema first (apply the migrations)"
    )


def _password(value: str | None) -> str:
    if value is not None:
        return value
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@user_app.command("add")
def add_user(
    username: Annotated[str, typer.Argument(help="the name to sign in with")],
    role: Annotated[UserRole, typer.Option(help="what the user may do")] = UserRole.AGENT,
    full_name: Annotated[str, typer.Option(help="shown in the screens")] = "",
    password: Annotated[
        str | None, typer.Option(help="asked for (hidden) when not given", show_default=False)
    ] = None,
) -> None:
    """Add a user who can sign in to the review screens."""
    secret = _password(password)
    try:
        with session_scope(_engine()) as session:
            user = create_user(
                session, username=username, password=secret, role=role.value, full_name=full_name
            )
            _console.print(f"added {user.username} ({user.role})")
    except OrdinoError as error:
        raise _fail(error.detail) from error
    except (OperationalError, ProgrammingError) as error:
        raise _no_schema(error) from error


@user_app.command("passwd")
def change_password(
    username: Annotated[str, typer.Argument(help="whose password to set")],
    password: Annotated[
        str | None, typer.Option(help="asked for (hidden) when not given", show_default=False)
    ] = None,
) -> None:
    """Set a user's password; this also lifts a lockout and ends their open sessions."""
    try:
        with session_scope(_engine()) as session:
            user = session.exec(select(User).where(User.username == username)).first()
            if user is None:
                raise _fail(f"there is no user named {username!r}; see `ordino user list`")
            set_password(session, user=user, password=_password(password))
            _console.print(f"password of {username} changed")
    except OrdinoError as error:
        raise _fail(error.detail) from error
    except (OperationalError, ProgrammingError) as error:
        raise _no_schema(error) from error


@user_app.command("list")
def list_users() -> None:
    """The users, with their role and whether they are locked out."""
    try:
        with session_scope(_engine()) as session:
            users = session.exec(select(User).order_by(col(User.username))).all()
            now = utcnow()
            table = Table("user", "name", "role", "active", "locked until", "created")
            for user in users:
                locked = (
                    user.locked_until if user.locked_until and user.locked_until > now else None
                )
                table.add_row(
                    user.username,
                    user.full_name,
                    user.role,
                    "yes" if user.active else "no",
                    f"{locked:%Y-%m-%d %H:%M} UTC" if locked else "",
                    f"{user.created_at:%Y-%m-%d}",
                )
    except (OperationalError, ProgrammingError) as error:
        raise _no_schema(error) from error
    _console.print(table)
