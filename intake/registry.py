"""Managing mailboxes and hot folders: what the CLI and the admin screen call."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from imapclient.exceptions import IMAPClientError
from sqlalchemy import delete
from sqlmodel import Session, col, select

from intake.imap_client import close_quietly, connect_imap
from intake.secrets import MissingSecretError
from models.errors import ConflictError, NotFoundError, ValidationFailedError
from models.intake_tables import ConnectionSecurity, HotFolder, Mailbox, ProcessedMessage


class MailboxExistsError(ConflictError):
    title = "A mailbox with this name exists"


class MailboxNotFoundError(NotFoundError):
    title = "Mailbox not found"


class HotFolderNotFoundError(NotFoundError):
    title = "Hot folder not found"


class HotFolderExistsError(ConflictError):
    title = "This folder is already watched"


def add_mailbox(session: Session, **settings: Any) -> Mailbox:
    """A new mailbox; `settings` are `Mailbox` fields (name, host, port, security, username…)."""
    mailbox = Mailbox(**settings)
    if not (mailbox.password_env or mailbox.password_file):
        raise ValidationFailedError(
            "a mailbox needs a password source: the name of an environment variable "
            "(--password-env) or the path of a secret file (--password-file)"
        )
    ConnectionSecurity(mailbox.security)
    if mailbox.acknowledge and not mailbox.smtp_host:
        raise ValidationFailedError("acknowledgements need an SMTP server (--smtp-host)")
    if session.exec(select(Mailbox).where(Mailbox.name == mailbox.name)).first():
        raise MailboxExistsError(f"a mailbox named {mailbox.name!r} already exists")
    session.add(mailbox)
    session.flush()
    return mailbox


def list_mailboxes(session: Session) -> list[Mailbox]:
    return list(session.exec(select(Mailbox).order_by(Mailbox.name)).all())


def get_mailbox(session: Session, name: str) -> Mailbox:
    mailbox = session.exec(select(Mailbox).where(Mailbox.name == name)).first()
    if mailbox is None:
        raise MailboxNotFoundError(f"no mailbox named {name!r}; `ordino mailbox list` shows them")
    return mailbox


def remove_mailbox(session: Session, name: str) -> None:
    """Remove the mailbox; the record of messages already taken goes with it."""
    mailbox = get_mailbox(session, name)
    session.execute(delete(ProcessedMessage).where(col(ProcessedMessage.mailbox_id) == mailbox.id))
    session.delete(mailbox)
    session.flush()


@dataclass(frozen=True)
class MailboxCheck:
    ok: bool
    detail: str
    waiting: int = 0
    idle: bool = False


def check_mailbox(mailbox: Mailbox) -> MailboxCheck:
    """Log in and look at the watched folder, without taking anything."""
    try:
        client = connect_imap(mailbox, timeout=15)
    except MissingSecretError as error:
        return MailboxCheck(ok=False, detail=error.detail)
    except (OSError, IMAPClientError) as error:
        return MailboxCheck(
            ok=False,
            detail=f"cannot log in to {mailbox.host}:{mailbox.port} "
            f"({type(error).__name__}: {error})",
        )
    try:
        status = client.folder_status(mailbox.folder, ["MESSAGES", "UIDVALIDITY"])
        return MailboxCheck(
            ok=True,
            detail=f"logged in; {mailbox.folder!r} holds {status[b'MESSAGES']} message(s)",
            waiting=int(status[b"MESSAGES"]),
            idle=client.has_capability("IDLE"),
        )
    except IMAPClientError as error:
        return MailboxCheck(ok=False, detail=f"logged in, but {mailbox.folder!r}: {error}")
    finally:
        close_quietly(client)


def add_hot_folder(
    session: Session, *, path: Path, source: str = "fax", stable_seconds: float = 2.0
) -> HotFolder:
    resolved = path.expanduser().resolve()
    if not resolved.is_dir():
        raise ValidationFailedError(f"{resolved} is not a folder; create it first")
    if session.exec(select(HotFolder).where(HotFolder.path == str(resolved))).first():
        raise HotFolderExistsError(f"{resolved} is already watched")
    folder = HotFolder(path=str(resolved), source=source, stable_seconds=stable_seconds)
    session.add(folder)
    session.flush()
    return folder


def list_hot_folders(session: Session) -> list[HotFolder]:
    return list(session.exec(select(HotFolder).order_by(HotFolder.path)).all())


def remove_hot_folder(session: Session, path: Path) -> None:
    resolved = str(path.expanduser().resolve())
    folder = session.exec(select(HotFolder).where(HotFolder.path == resolved)).first()
    if folder is None:
        raise HotFolderNotFoundError(f"{resolved} is not watched; `ordino folder list` shows them")
    session.delete(folder)
