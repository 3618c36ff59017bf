"""Entry points of intake for the worker and serve processes, and for `ordino ingest`."""

from __future__ import annotations

import logging
import threading

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from intake.accept import Accepted
from intake.folder_source import HotFolderWatcher
from intake.imap_source import ImapPoller
from intake.limits import IntakeLimits
from intake.unpack import Origin, Unpacker
from models.blobs import BlobStore
from models.context import Enqueue
from models.db import session_scope
from models.intake_tables import HotFolder, Mailbox

log = logging.getLogger(__name__)


def ingest_message(
    session: Session,
    *,
    blobs: BlobStore,
    raw: bytes,
    source: str = "mail",
    limits: IntakeLimits = IntakeLimits(),
) -> list[Accepted]:
    """One RFC 5322 message → its documents (created or already known, quarantined included).

    The caller commits, then enqueues the read stage for each created document whose state is
    `received` (quarantined ones wait for a person).
    """
    return (
        Unpacker(session, blobs=blobs, limits=limits)
        .take_message(raw, origin=Origin(source=source, ref=""))
        .accepted
    )


def start_intake(
    *,
    engine: Engine,
    blobs: BlobStore,
    enqueue: Enqueue,
    stop: threading.Event,
    limits: IntakeLimits = IntakeLimits(),
) -> list[threading.Thread]:
    """One daemon thread per enabled mailbox and per enabled hot folder, started.

    Each thread survives every error (with backoff) and ends once `stop` is set. Mailboxes and
    folders added later are picked up at the next start of the process.
    """
    with session_scope(engine) as session:
        mailbox_ids = [
            (m.id, m.name)
            for m in session.exec(select(Mailbox).where(Mailbox.enabled == True))  # noqa: E712
        ]
        folder_ids = [
            (f.id, f.path)
            for f in session.exec(select(HotFolder).where(HotFolder.enabled == True))  # noqa: E712
        ]
    threads: list[threading.Thread] = []
    for mailbox_id, name in mailbox_ids:
        assert mailbox_id is not None
        poller = ImapPoller(
            mailbox_id=mailbox_id, engine=engine, blobs=blobs, enqueue=enqueue, limits=limits
        )
        threads.append(
            threading.Thread(target=poller.run, args=(stop,), name=f"imap:{name}", daemon=True)
        )
    for folder_id, path in folder_ids:
        assert folder_id is not None
        watcher = HotFolderWatcher(
            folder_id=folder_id, engine=engine, blobs=blobs, enqueue=enqueue, limits=limits
        )
        threads.append(
            threading.Thread(target=watcher.run, args=(stop,), name=f"folder:{path}", daemon=True)
        )
    for thread in threads:
        thread.start()
    log.info("intake started: %d mailbox(es), %d hot folder(s)", len(mailbox_ids), len(folder_ids))
    return threads
