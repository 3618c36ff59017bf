"""`ordino mailbox …` and `ordino folder …`: the intake sources, managed from the command line."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.engine import Engine
from sqlmodel import Session

from intake.registry import (
    add_hot_folder,
    add_mailbox,
    check_mailbox,
    get_mailbox,
    list_hot_folders,
    list_mailboxes,
    remove_hot_folder,
    remove_mailbox,
)
from models.db import make_engine, session_scope
from models.errors import OrdinoError
from models.intake_tables import ConnectionSecurity

mailbox_app = typer.Typer(help="IMAP mailboxes that orders are read from.", no_args_is_help=True)
folder_app = typer.Typer(
    help="Hot folders that a fax server (or a person) drops files into.", no_args_is_help=True
)


def _console() -> Console:
    """A console sized for the terminal the command runs in now."""
    return Console()


def database_url() -> str:
    """ORDINO_DATABASE_URL, or the SQLite database in ORDINO_DATA_DIR (default ./data)."""
    url = os.environ.get("ORDINO_DATABASE_URL")
    if url:
        return url
    data_dir = Path(os.environ.get("ORDINO_DATA_DIR", "./data"))
    return f"sqlite:///{(data_dir / 'ordino.db').resolve()}"


@contextmanager
def _session() -> Iterator[Session]:
    engine: Engine = make_engine(database_url())
    try:
        with session_scope(engine) as session:
            yield session
    except OrdinoError as error:
        _console().print(f"[red]{error.detail}[/red]")
        raise typer.Exit(1) from error
    finally:
        engine.dispose()


@mailbox_app.command("add")
def mailbox_add(
    name: Annotated[str, typer.Argument(help="A short name, e.g. orders")],
    host: Annotated[str, typer.Option(help="IMAP server")],
    user: Annotated[str, typer.Option(help="Login name")],
    password_env: Annotated[
        str | None, typer.Option(help="Environment variable holding the password")
    ] = None,
    password_file: Annotated[Path | None, typer.Option(help="File holding the password")] = None,
    port: Annotated[
        int | None, typer.Option(help="Default 993 with --security tls, else 143")
    ] = None,
    security: Annotated[
        ConnectionSecurity, typer.Option(help="tls, starttls or none")
    ] = ConnectionSecurity.TLS,
    folder: Annotated[str, typer.Option(help="Folder to watch")] = "INBOX",
    processed_folder: Annotated[
        str, typer.Option(help="Where taken mail is moved; '' to flag it instead")
    ] = "Ordino-Processed",
    failed_folder: Annotated[
        str, typer.Option(help="Where unusable mail is moved; '' to flag it instead")
    ] = "Ordino-Failed",
    source: Annotated[str, typer.Option(help="mail, or fax for a fax-to-mail gateway")] = "mail",
    idle: Annotated[bool, typer.Option(help="Use IMAP IDLE when the server offers it")] = True,
    poll_interval: Annotated[int, typer.Option(help="Seconds between polls without IDLE")] = 60,
    acknowledge: Annotated[bool, typer.Option(help="Reply 'order received' to customers")] = False,
    ack_from: Annotated[str | None, typer.Option(help="From address of the replies")] = None,
    smtp_host: Annotated[str | None, typer.Option(help="SMTP server for the replies")] = None,
    smtp_port: Annotated[int, typer.Option()] = 587,
    smtp_security: Annotated[ConnectionSecurity, typer.Option()] = ConnectionSecurity.STARTTLS,
    smtp_user: Annotated[str | None, typer.Option()] = None,
    smtp_password_env: Annotated[str | None, typer.Option()] = None,
    smtp_password_file: Annotated[Path | None, typer.Option()] = None,
) -> None:
    """Add a mailbox; a running worker starts taking its mail within 30 s."""
    with _session() as session:
        mailbox = add_mailbox(
            session,
            name=name,
            host=host,
            port=port or (993 if security == ConnectionSecurity.TLS else 143),
            security=security.value,
            username=user,
            password_env=password_env,
            password_file=str(password_file) if password_file else None,
            folder=folder,
            processed_folder=processed_folder,
            failed_folder=failed_folder,
            source=source,
            use_idle=idle,
            poll_interval_seconds=poll_interval,
            acknowledge=acknowledge,
            ack_from=ack_from,
            smtp_host=smtp_host,
            smtp_port=smtp_port,
            smtp_security=smtp_security.value,
            smtp_username=smtp_user,
            smtp_password_env=smtp_password_env,
            smtp_password_file=str(smtp_password_file) if smtp_password_file else None,
        )
        _console().print(
            f"mailbox {mailbox.name!r} added ({mailbox.username}@{mailbox.host}:{mailbox.port})"
        )


@mailbox_app.command("list")
def mailbox_list() -> None:
    """The mailboxes, with when each was last polled and its last error."""
    with _session() as session:
        table = Table("name", "server", "user", "folder", "enabled", "last polled", "last error")
        for m in list_mailboxes(session):
            table.add_row(
                m.name,
                f"{m.host}:{m.port} ({m.security})",
                m.username,
                m.folder,
                "yes" if m.enabled else "no",
                m.last_polled_at.isoformat(timespec="seconds") if m.last_polled_at else "never",
                (m.last_error or "")[:80],
            )
        _console().print(table)


@mailbox_app.command("test")
def mailbox_test(name: str) -> None:
    """Log in and look at the watched folder, without taking any mail."""
    with _session() as session:
        mailbox = get_mailbox(session, name)
        session.expunge(mailbox)
    check = check_mailbox(mailbox)
    if not check.ok:
        _console().print(f"[red]{name}: {check.detail}[/red]")
        raise typer.Exit(1)
    idle = (
        "IDLE supported"
        if check.idle
        else f"no IDLE: polled every {mailbox.poll_interval_seconds} s"
    )
    _console().print(f"{name}: {check.detail}; {idle}")


@mailbox_app.command("remove")
def mailbox_remove(name: str) -> None:
    """Remove a mailbox (its mail stays on the server)."""
    with _session() as session:
        remove_mailbox(session, name)
    _console().print(f"mailbox {name!r} removed")


@folder_app.command("add")
def folder_add(
    path: Path,
    source: Annotated[str, typer.Option(help="fax, or folder for files dropped by hand")] = "fax",
    stable_seconds: Annotated[
        float, typer.Option(help="A file unchanged this long is complete")
    ] = 2.0,
) -> None:
    """Watch a folder; taken files go to its processed/ and failed/ subfolders."""
    with _session() as session:
        folder = add_hot_folder(session, path=path, source=source, stable_seconds=stable_seconds)
        _console().print(f"watching {folder.path}")


@folder_app.command("list")
def folder_list() -> None:
    with _session() as session:
        table = Table("path", "source", "stable after", "enabled", "last error")
        for f in list_hot_folders(session):
            table.add_row(
                f.path,
                f.source,
                f"{f.stable_seconds:g} s",
                "yes" if f.enabled else "no",
                f.last_error or "",
            )
        _console().print(table)


@folder_app.command("remove")
def folder_remove(path: Path) -> None:
    with _session() as session:
        remove_hot_folder(session, path)
    _console().print(f"no longer watching {path}")
