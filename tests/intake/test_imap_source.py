"""The IMAP poller against a real Dovecot: delivery, exactly-once through crashes, recovery."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from intake.backoff import Backoff
from intake.imap_source import ImapPoller
from intake.limits import IntakeLimits
from intake.unpack import Intake, Unpacker
from models.blobs import BlobStore
from models.intake_tables import Mailbox, MessageOutcome, ProcessedMessage
from models.tables import Document, DocumentState
from tests.intake.conftest import DovecotServer, MailboxFactory, Recorder
from tests.intake.crashing_poller import KILLED_EXIT_CODE
from tests.intake.factories import make_fax_tiff, make_mail, make_pdf, many_order_mails, order_mail

pytestmark = pytest.mark.imap
REPO = Path(__file__).resolve().parents[2]


def document_count(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(Document)).one())


def wait_until(condition: Callable[[], bool], *, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"not true after {timeout} s")


@pytest.fixture
def running_poller(
    engine: Engine, blob_store: BlobStore, enqueue: Recorder
) -> Iterator[Callable[[Mailbox], ImapPoller]]:
    stop = threading.Event()
    threads: list[threading.Thread] = []

    def start(mailbox: Mailbox) -> ImapPoller:
        assert mailbox.id is not None
        poller = ImapPoller(
            mailbox_id=mailbox.id,
            engine=engine,
            blobs=blob_store,
            enqueue=enqueue,
            backoff=Backoff(initial=0.2, maximum=1.0),
        )
        thread = threading.Thread(target=poller.run, args=(stop,), daemon=True)
        thread.start()
        threads.append(thread)
        return poller

    yield start
    stop.set()
    for thread in threads:
        thread.join(timeout=10)
        assert not thread.is_alive(), "the poller did not stop when asked"


def test_poller_takes_mail_delivered_while_idling_and_moves_it_to_processed(
    dovecot: DovecotServer,
    imap_user: str,
    make_mailbox: MailboxFactory,
    engine: Engine,
    running_poller: Callable[[Mailbox], ImapPoller],
    enqueue: Recorder,
) -> None:
    mailbox = make_mailbox(dovecot, imap_user, use_idle=True, poll_interval_seconds=3600)
    running_poller(mailbox)
    time.sleep(0.5)  # let it settle into IDLE: a poll would wait an hour
    dovecot.append(imap_user, [order_mail(sender="Anna <anna@acme.example>")])

    wait_until(lambda: document_count(engine) == 1, timeout=5)
    wait_until(lambda: dovecot.count(imap_user, "Ordino-Processed") == 1)
    assert dovecot.count(imap_user, "INBOX") == 0
    with Session(engine) as session:
        document = session.exec(select(Document)).one()
    assert (document.source, document.sender_email, document.sender_domain) == (
        "mail",
        "anna@acme.example",
        "acme.example",
    )
    assert enqueue.rings == [(document.id, "read")]


def test_poller_without_idle_polls_and_takes_mail(
    dovecot: DovecotServer,
    imap_user: str,
    make_mailbox: MailboxFactory,
    engine: Engine,
    running_poller: Callable[[Mailbox], ImapPoller],
) -> None:
    mailbox = make_mailbox(dovecot, imap_user, use_idle=False, poll_interval_seconds=1)
    running_poller(mailbox)
    dovecot.append(imap_user, [order_mail(), order_mail()])
    wait_until(lambda: document_count(engine) == 2)
    wait_until(lambda: dovecot.count(imap_user, "INBOX") == 0)


def _run_crashing_poller(engine: Engine, blob_dir: Path, mailbox: Mailbox, point: str) -> int:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.intake.crashing_poller",
            str(engine.url),
            str(blob_dir),
            str(mailbox.id),
            point,
        ],
        cwd=REPO,
        env={**os.environ},
        timeout=60,
        check=False,
    )
    return result.returncode


@pytest.mark.parametrize("point", ["before_commit", "after_commit"])
def test_worker_killed_around_the_commit_neither_loses_nor_doubles_the_message(
    point: str,
    dovecot: DovecotServer,
    imap_user: str,
    make_mailbox: MailboxFactory,
    engine: Engine,
    blob_store: BlobStore,
    enqueue: Recorder,
) -> None:
    mailbox = make_mailbox(dovecot, imap_user)
    dovecot.append(imap_user, [order_mail(), order_mail()])

    assert _run_crashing_poller(engine, blob_store.root, mailbox, point) == KILLED_EXIT_CODE
    assert document_count(engine) == (1 if point == "after_commit" else 0)
    assert dovecot.count(imap_user, "INBOX") == 2, "nothing may be moved before the commit"

    assert mailbox.id is not None
    ImapPoller(mailbox_id=mailbox.id, engine=engine, blobs=blob_store, enqueue=enqueue).poll_once()
    assert document_count(engine) == 2
    assert dovecot.count(imap_user, "INBOX") == 0
    assert dovecot.count(imap_user, "Ordino-Processed") == 2


def test_message_read_again_after_uidvalidity_change_is_not_doubled(
    dovecot: DovecotServer,
    imap_user: str,
    make_mailbox: MailboxFactory,
    engine: Engine,
    blob_store: BlobStore,
    enqueue: Recorder,
) -> None:
    """A server that renumbers its mailbox (new UIDVALIDITY) makes every message look new;
    the Message-ID + sha256 dedupe drops them. Flag mode keeps them in the folder to re-read."""
    mailbox = make_mailbox(dovecot, imap_user, processed_folder="", failed_folder="")
    dovecot.append(imap_user, [order_mail()])
    assert mailbox.id is not None
    poller = ImapPoller(mailbox_id=mailbox.id, engine=engine, blobs=blob_store, enqueue=enqueue)
    poller.poll_once()
    assert document_count(engine) == 1

    client = dovecot.client(imap_user)
    client.select_folder("INBOX")
    client.remove_flags(client.search("ALL"), [b"$OrdinoProcessed"])
    client.logout()
    with Session(engine) as session:
        row = session.exec(select(ProcessedMessage)).one()
        row.uidvalidity += 1  # what a renumbered mailbox looks like from our side
        session.add(row)
        session.commit()

    assert poller.poll_once() == 1
    assert document_count(engine) == 1
    with Session(engine) as session:
        assert len(session.exec(select(ProcessedMessage)).all()) == 2


def test_poller_recovers_by_itself_when_the_imap_server_restarts(
    private_dovecot: DovecotServer,
    make_mailbox: MailboxFactory,
    engine: Engine,
    running_poller: Callable[[Mailbox], ImapPoller],
) -> None:
    user = private_dovecot.take_user()
    mailbox = make_mailbox(private_dovecot, user, use_idle=True)
    running_poller(mailbox)
    private_dovecot.append(user, [order_mail()])
    wait_until(lambda: document_count(engine) == 1)

    private_dovecot.stop()

    def error_recorded() -> bool:
        with Session(engine) as session:
            row = session.get(Mailbox, mailbox.id)
            return row is not None and row.last_error is not None

    wait_until(error_recorded, timeout=30)  # noticed on the next IDLE read; slower when loaded
    private_dovecot.start()
    private_dovecot.append(user, [order_mail()])

    wait_until(lambda: document_count(engine) == 2, timeout=20)
    wait_until(lambda: private_dovecot.count(user, "INBOX") == 0)


@pytest.mark.slow
def test_poller_takes_500_waiting_messages_once_each_in_uid_order(
    dovecot: DovecotServer,
    imap_user: str,
    make_mailbox: MailboxFactory,
    engine: Engine,
    blob_store: BlobStore,
    enqueue: Recorder,
) -> None:
    dovecot.append(imap_user, many_order_mails(500))
    mailbox = make_mailbox(dovecot, imap_user)
    assert mailbox.id is not None

    taken = ImapPoller(
        mailbox_id=mailbox.id, engine=engine, blobs=blob_store, enqueue=enqueue
    ).poll_once()

    assert taken == 500
    assert document_count(engine) == 500
    assert dovecot.count(imap_user, "Ordino-Processed") == 500
    with Session(engine) as session:
        uids = session.exec(select(ProcessedMessage.uid).order_by(col(ProcessedMessage.id))).all()
    assert list(uids) == sorted(uids) and len(set(uids)) == 500


def test_message_over_the_size_limit_is_not_downloaded_and_goes_to_failed(
    dovecot: DovecotServer,
    imap_user: str,
    make_mailbox: MailboxFactory,
    engine: Engine,
    blob_store: BlobStore,
    enqueue: Recorder,
) -> None:
    big = make_mail(attachments=[("scan.pdf", make_pdf() + b"\n" * 300_000, "application/pdf")])
    dovecot.append(imap_user, [big.as_bytes(), order_mail()])
    mailbox = make_mailbox(dovecot, imap_user)
    assert mailbox.id is not None

    ImapPoller(
        mailbox_id=mailbox.id,
        engine=engine,
        blobs=blob_store,
        enqueue=enqueue,
        limits=IntakeLimits(max_message_bytes=200_000),
    ).poll_once()

    assert dovecot.count(imap_user, "Ordino-Failed") == 1
    assert dovecot.count(imap_user, "Ordino-Processed") == 1
    with Session(engine) as session:
        failed = session.exec(
            select(ProcessedMessage).where(ProcessedMessage.outcome == MessageOutcome.FAILED)
        ).one()
    assert failed.reason and "not downloaded" in failed.reason


def test_message_with_only_unusable_files_goes_to_failed_and_its_files_to_quarantine(
    dovecot: DovecotServer,
    imap_user: str,
    make_mailbox: MailboxFactory,
    engine: Engine,
    blob_store: BlobStore,
    enqueue: Recorder,
) -> None:
    broken = make_mail(
        body="", attachments=[("order.pdf", b"%PDF-1.4 truncated", "application/pdf")]
    )
    dovecot.append(imap_user, [broken.as_bytes()])
    mailbox = make_mailbox(dovecot, imap_user)
    assert mailbox.id is not None

    ImapPoller(mailbox_id=mailbox.id, engine=engine, blobs=blob_store, enqueue=enqueue).poll_once()

    assert dovecot.count(imap_user, "Ordino-Failed") == 1
    with Session(engine) as session:
        document = session.exec(select(Document)).one()
    assert document.state == DocumentState.QUARANTINED
    assert enqueue.rings == []


def test_message_that_trips_a_bug_is_quarantined_whole_and_the_mailbox_goes_on(
    dovecot: DovecotServer,
    imap_user: str,
    make_mailbox: MailboxFactory,
    engine: Engine,
    blob_store: BlobStore,
    enqueue: Recorder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    take_message = Unpacker.take_message

    def failing_on_poison(self: Unpacker, raw: bytes, **kwargs: Any) -> Intake:
        if b"Subject: poison" in raw:
            raise RuntimeError("a bug in unpacking")
        return take_message(self, raw, **kwargs)

    monkeypatch.setattr(Unpacker, "take_message", failing_on_poison)
    dovecot.append(imap_user, [order_mail(subject="poison"), order_mail(subject="fine")])
    mailbox = make_mailbox(dovecot, imap_user)
    assert mailbox.id is not None

    ImapPoller(mailbox_id=mailbox.id, engine=engine, blobs=blob_store, enqueue=enqueue).poll_once()

    assert dovecot.count(imap_user, "Ordino-Failed") == 1
    assert dovecot.count(imap_user, "Ordino-Processed") == 1
    with Session(engine) as session:
        states = sorted((d.filename, d.state) for d in session.exec(select(Document)))
        kept = session.exec(select(Document).where(Document.filename == "message.eml")).one()
    assert states == [("message.eml", "quarantined"), ("order.pdf", "received")]
    assert "a bug in unpacking" in (kept.error or "")


def test_fax_to_mail_gateway_mailbox_gives_fax_documents(
    dovecot: DovecotServer,
    imap_user: str,
    make_mailbox: MailboxFactory,
    engine: Engine,
    blob_store: BlobStore,
    enqueue: Recorder,
) -> None:
    fax = make_mail(
        sender="fax@gateway.example",
        body="Fax from +33 1 23 45 67 89, 2 pages",
        attachments=[("fax.tif", make_fax_tiff(pages=2), "image/tiff")],
    )
    dovecot.append(imap_user, [fax.as_bytes()])
    mailbox = make_mailbox(dovecot, imap_user, source="fax")
    assert mailbox.id is not None
    ImapPoller(mailbox_id=mailbox.id, engine=engine, blobs=blob_store, enqueue=enqueue).poll_once()
    with Session(engine) as session:
        document = session.exec(select(Document)).one()
    assert (document.source, document.media_type, document.filename) == (
        "fax",
        "image/tiff",
        "fax.tif",
    )
