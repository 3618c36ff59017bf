"""Connecting to a mailbox's IMAP server and filing messages away, whatever the server offers."""

from __future__ import annotations

import contextlib
import ssl
from collections.abc import Sequence

from imapclient import IMAPClient

from intake.secrets import read_secret
from models.intake_tables import ConnectionSecurity, Mailbox

PROCESSED_KEYWORD = "$OrdinoProcessed"
FAILED_KEYWORD = "$OrdinoFailed"
SOCKET_TIMEOUT_SECONDS = 30.0


def connect_imap(mailbox: Mailbox, *, timeout: float = SOCKET_TIMEOUT_SECONDS) -> IMAPClient:
    """A logged-in client; TLS certificates are verified against the system's trust store."""
    password = read_secret(
        env=mailbox.password_env, file=mailbox.password_file, what=f"mailbox {mailbox.name!r}"
    )
    context = ssl.create_default_context()
    security = ConnectionSecurity(mailbox.security)
    client = IMAPClient(
        mailbox.host,
        port=mailbox.port,
        ssl=security == ConnectionSecurity.TLS,
        ssl_context=context if security == ConnectionSecurity.TLS else None,
        timeout=timeout,
    )
    try:
        if security == ConnectionSecurity.STARTTLS:
            client.starttls(context)
        client.login(mailbox.username, password)
    except BaseException:
        close_quietly(client)
        raise
    return client


def ensure_folders(client: IMAPClient, folders: Sequence[str]) -> None:
    for folder in folders:
        if folder and not client.folder_exists(folder):
            client.create_folder(folder)


def file_away(client: IMAPClient, uids: list[int], *, folder: str, keyword: str) -> None:
    """Move the messages to `folder` (MOVE, or COPY + expunge), or flag them when it is ""."""
    if not uids:
        return
    if not folder:
        client.add_flags(uids, [keyword.encode(), b"\\Seen"], silent=True)
        return
    if client.has_capability("MOVE"):
        client.move(uids, folder)
        return
    client.copy(uids, folder)
    client.add_flags(uids, [b"\\Deleted"], silent=True)
    if client.has_capability("UIDPLUS"):
        client.uid_expunge(uids)
    else:
        client.expunge()


def waiting_criteria() -> list[str]:
    """Messages not yet filed away: flagged ones are done, deleted ones are on their way out."""
    return ["NOT", "DELETED", "NOT", "KEYWORD", PROCESSED_KEYWORD, "NOT", "KEYWORD", FAILED_KEYWORD]


def close_quietly(client: IMAPClient) -> None:
    with contextlib.suppress(Exception):
        client.logout()
    with contextlib.suppress(Exception):
        client.shutdown()
