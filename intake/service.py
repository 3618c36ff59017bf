"""Entry points of intake for the worker and serve processes, and for `ordino ingest`."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

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

SOURCES_RESCAN_SECONDS = 30.0
"""How soon a mailbox or hot folder added (or enabled again) starts being read."""


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


def accept_upload(
    session: Session,
    *,
    blobs: BlobStore,
    data: bytes,
    filename: str,
    source: str = "upload",
    limits: IntakeLimits = IntakeLimits(),
) -> list[Accepted]:
    """One uploaded or dropped file → its documents: a zip gives one per file in it, a mail
    file is unpacked like a message, a refused file is kept quarantined. Commit, then enqueue
    the read stage for each created document, as with `ingest_message`."""
    return (
        Unpacker(session, blobs=blobs, limits=limits)
        .take_file(data, filename=filename, origin=Origin(source=source, ref=filename))
        .accepted
    )


def start_intake(
    *,
    engine: Engine,
    blobs: BlobStore,
    enqueue: Enqueue,
    stop: threading.Event,
    limits: IntakeLimits = IntakeLimits(),
    rescan_seconds: float = SOURCES_RESCAN_SECONDS,
) -> list[threading.Thread]:
    """One thread per enabled mailbox and per enabled hot folder, plus one that starts the
    sources added or enabled later, stops those removed or disabled (within `rescan_seconds`),
    and, once `stop` is set, stops them all and waits for them.

    Each source thread survives every error (with backoff).
    """
    supervisor = _Supervisor(engine=engine, blobs=blobs, enqueue=enqueue, stop=stop, limits=limits)
    started = supervisor.start_new_sources()
    watcher = threading.Thread(
        target=supervisor.run, args=(rescan_seconds,), name="intake-sources", daemon=True
    )
    watcher.start()
    return [*started, watcher]


class _Supervisor:
    def __init__(
        self,
        *,
        engine: Engine,
        blobs: BlobStore,
        enqueue: Enqueue,
        stop: threading.Event,
        limits: IntakeLimits,
    ) -> None:
        self.engine = engine
        self.blobs = blobs
        self.enqueue = enqueue
        self.stop = stop
        self.limits = limits
        self.running: dict[tuple[str, int], tuple[threading.Thread, threading.Event]] = {}

    def run(self, rescan_seconds: float) -> None:
        while not self.stop.wait(rescan_seconds):
            try:
                self.start_new_sources()
            except Exception as error:  # the database may be away for a while
                log.warning("intake sources not rescanned: %s", error)
        for _, source_stop in self.running.values():
            source_stop.set()
        for thread, _ in self.running.values():
            thread.join(timeout=10)

    def start_new_sources(self) -> list[threading.Thread]:
        with session_scope(self.engine) as session:
            mailboxes = [
                (m.id, m.name)
                for m in session.exec(select(Mailbox).where(Mailbox.enabled == True))  # noqa: E712
            ]
            folders = [
                (f.id, f.path)
                for f in session.exec(select(HotFolder).where(HotFolder.enabled == True))  # noqa: E712
            ]
        wanted = {("mailbox", i) for i, _ in mailboxes} | {("folder", i) for i, _ in folders}
        for key, (_, source_stop) in self.running.items():
            if key not in wanted:  # removed or disabled
                source_stop.set()
        started = [
            *(self._start(("mailbox", i), f"imap:{n}", self._poller(i)) for i, n in mailboxes if i),
            *(self._start(("folder", i), f"folder:{p}", self._watcher(i)) for i, p in folders if i),
        ]
        new = [thread for thread in started if thread is not None]
        if new:
            log.info("intake: %d source thread(s) started", len(new))
        return new

    def _poller(self, mailbox_id: int) -> Callable[[threading.Event], None]:
        return ImapPoller(
            mailbox_id=mailbox_id,
            engine=self.engine,
            blobs=self.blobs,
            enqueue=self.enqueue,
            limits=self.limits,
        ).run

    def _watcher(self, folder_id: int) -> Callable[[threading.Event], None]:
        return HotFolderWatcher(
            folder_id=folder_id,
            engine=self.engine,
            blobs=self.blobs,
            enqueue=self.enqueue,
            limits=self.limits,
        ).run

    def _start(
        self, key: tuple[str, int], name: str, target: Callable[[threading.Event], None]
    ) -> threading.Thread | None:
        current = self.running.get(key)
        if current is not None and current[0].is_alive() and not current[1].is_set():
            return None
        source_stop = threading.Event()
        thread = threading.Thread(target=target, args=(source_stop,), name=name, daemon=True)
        thread.start()
        self.running[key] = (thread, source_stop)
        return thread
