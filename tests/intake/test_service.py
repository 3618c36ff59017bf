"""The entry points: start_intake for the worker, accept_inbound / accept_upload for uploads."""

from __future__ import annotations

import io
import threading
import time
import zipfile
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from intake.accept import accept_inbound
from intake.inbound import InboundDocument
from intake.registry import add_hot_folder, remove_mailbox
from intake.service import accept_upload, start_intake
from models.blobs import BlobStore
from models.db import session_scope
from models.tables import Document, DocumentState
from tests.intake.conftest import DovecotServer, MailboxFactory, Recorder
from tests.intake.factories import make_pdf, order_mail


def count_documents(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(Document)).one())


def wait_until(condition: object, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError(f"not true after {timeout} s")


@pytest.mark.imap
def test_intake_reads_sources_added_while_running_and_stops_when_asked(
    dovecot: DovecotServer,
    make_mailbox: MailboxFactory,
    engine: Engine,
    blob_store: BlobStore,
    enqueue: Recorder,
    tmp_path: Path,
) -> None:
    first, second = dovecot.take_user(), dovecot.take_user()
    make_mailbox(dovecot, first)
    stop = threading.Event()
    threads = start_intake(
        engine=engine, blobs=blob_store, enqueue=enqueue, stop=stop, rescan_seconds=0.2
    )
    try:
        dovecot.append(first, [order_mail()])
        wait_until(lambda: count_documents(engine) == 1)

        make_mailbox(dovecot, second)
        fax_dir = tmp_path / "fax"
        fax_dir.mkdir()
        with session_scope(engine) as session:
            add_hot_folder(session, path=fax_dir, stable_seconds=0.1)
        dovecot.append(second, [order_mail()])
        (fax_dir / "order.pdf").write_bytes(make_pdf("faxed"))
        wait_until(lambda: count_documents(engine) == 3)

        with session_scope(engine) as session:
            remove_mailbox(session, first)
        running = [t for t in threading.enumerate() if t.name == f"imap:{first}"]
        wait_until(lambda: not any(t.is_alive() for t in running))
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=15)
    assert not any(t.is_alive() for t in threads)
    assert not [t for t in threading.enumerate() if t.name.startswith(("imap:", "folder:"))]


def test_accept_inbound_quarantines_a_refused_upload(engine: Engine, blob_store: BlobStore) -> None:
    with Session(engine) as session:
        accepted = accept_inbound(
            session,
            blobs=blob_store,
            inbound=InboundDocument(data=b"%PDF-1.4 cut", filename="po.pdf", source="upload"),
        )
        session.commit()
        assert accepted.created and accepted.document.state == DocumentState.QUARANTINED
        assert "end-of-file" in (accepted.document.error or "")


def test_accept_upload_unpacks_a_dropped_zip(engine: Engine, blob_store: BlobStore) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("a.pdf", make_pdf("A"))
        zf.writestr("b.pdf", make_pdf("B"))
    with Session(engine) as session:
        accepted = accept_upload(
            session, blobs=blob_store, data=archive.getvalue(), filename="x.zip"
        )
        session.commit()
        assert sorted(a.document.filename for a in accepted) == ["a.pdf", "b.pdf"]
        assert {a.document.source for a in accepted} == {"upload"}
