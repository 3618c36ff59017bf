"""The exactly-once path on PostgreSQL too: the poller's rows, the dedupe, the quarantine."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from intake.imap_source import ImapPoller
from models.blobs import BlobStore
from models.db import session_scope
from models.intake_tables import ConnectionSecurity, Mailbox, ProcessedMessage
from models.tables import Document, DocumentState
from tests.intake.conftest import PASSWORD_ENV, DovecotServer, Recorder
from tests.intake.factories import make_mail, order_mail

pytestmark = [pytest.mark.imap, pytest.mark.postgres]


def test_poller_on_postgres_takes_each_message_once_and_quarantines_the_bad_file(
    postgres_engine: Engine,
    dovecot: DovecotServer,
    imap_user: str,
    blob_store: BlobStore,
    enqueue: Recorder,
) -> None:
    bad = make_mail(attachments=[("po.pdf", b"%PDF-1.4 cut", "application/pdf")]).as_bytes()
    good = order_mail()
    dovecot.append(imap_user, [good, good, bad])
    with session_scope(postgres_engine) as session:
        mailbox = Mailbox(
            name=imap_user,
            host="127.0.0.1",
            port=dovecot.port,
            security=ConnectionSecurity.NONE,
            username=imap_user,
            password_env=PASSWORD_ENV,
        )
        session.add(mailbox)
        session.flush()
        mailbox_id = mailbox.id
    assert mailbox_id is not None

    poller = ImapPoller(
        mailbox_id=mailbox_id, engine=postgres_engine, blobs=blob_store, enqueue=enqueue
    )
    assert poller.poll_once() == 3

    with Session(postgres_engine) as session:
        states = sorted(session.exec(select(Document.state)).all())
        processed = session.exec(select(func.count()).select_from(ProcessedMessage)).one()
    assert states == [DocumentState.QUARANTINED, DocumentState.RECEIVED]
    assert processed == 3
    assert dovecot.count(imap_user, "Ordino-Failed") == 1
