"""The document state machine on SQLite and PostgreSQL: leases, completion, failure, sweep."""

from __future__ import annotations

import time

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models.documents import (
    NewDocument,
    claim_stage,
    complete_stage,
    create_document,
    fail_stage,
    sweep_expired_leases,
)
from models.tables import Document, DocumentState, OutboxEvent, Stage


def new_document(session: Session, key: str = "sha256:abc") -> int:
    document, created = create_document(
        session,
        new=NewDocument(
            source="upload",
            source_ref="po.pdf",
            filename="po.pdf",
            sha256="a" * 64,
            media_type="application/pdf",
            size_bytes=10,
            dedupe_key=key,
        ),
    )
    assert created and document.id is not None
    session.commit()
    return document.id


def test_same_dedupe_key_returns_the_first_document(db_engine: Engine) -> None:
    with Session(db_engine) as session:
        first = new_document(session)
        again, created = create_document(
            session,
            new=NewDocument(
                source="upload",
                source_ref="x",
                filename="x.pdf",
                sha256="a" * 64,
                media_type="application/pdf",
                size_bytes=10,
                dedupe_key="sha256:abc",
            ),
        )
        assert not created and again.id == first
        events = session.exec(select(OutboxEvent)).all()
        assert [e.type for e in events] == ["document.received"]


def test_only_one_worker_can_hold_a_stage(db_engine: Engine) -> None:
    with Session(db_engine) as session:
        document_id = new_document(session)
        assert claim_stage(
            session, document_id=document_id, stage=Stage.READ, worker_id="w1", lease_seconds=60
        )
        assert not claim_stage(
            session, document_id=document_id, stage=Stage.READ, worker_id="w2", lease_seconds=60
        )
        assert not claim_stage(
            session, document_id=document_id, stage=Stage.EXTRACT, worker_id="w2", lease_seconds=60
        )


def test_worker_that_lost_its_lease_cannot_complete(db_engine: Engine) -> None:
    with Session(db_engine) as session:
        document_id = new_document(session)
        claim_stage(
            session, document_id=document_id, stage=Stage.READ, worker_id="w1", lease_seconds=0
        )
        time.sleep(0.01)
        assert claim_stage(
            session, document_id=document_id, stage=Stage.READ, worker_id="w2", lease_seconds=60
        )
        assert (
            complete_stage(
                session, document_id=document_id, worker_id="w1", new_state=DocumentState.READ
            )
            is None
        )
        assert (
            complete_stage(
                session, document_id=document_id, worker_id="w2", new_state=DocumentState.READ
            )
            is not None
        )
        session.commit()
        document = session.get(Document, document_id)
        assert document is not None and document.state == "read" and document.running_stage is None


def test_failures_retry_until_the_last_attempt_then_fail(db_engine: Engine) -> None:
    with Session(db_engine) as session:
        document_id = new_document(session)
        outcomes = []
        for _ in range(3):
            assert claim_stage(
                session, document_id=document_id, stage=Stage.READ, worker_id="w", lease_seconds=60
            )
            outcome = fail_stage(
                session, document_id=document_id, worker_id="w", error="boom", max_attempts=3
            )
            session.commit()
            assert outcome is not None
            outcomes.append(outcome.retry)
        assert outcomes == [True, True, False]
        document = session.get(Document, document_id)
        assert document is not None and document.state == "failed" and document.error == "boom"


def test_sweep_hands_back_expired_leases_and_fails_exhausted_ones(db_engine: Engine) -> None:
    with Session(db_engine) as session:
        alive = new_document(session, "k1")
        dead = new_document(session, "k2")
        exhausted = new_document(session, "k3")
        claim_stage(session, document_id=alive, stage=Stage.READ, worker_id="w", lease_seconds=600)
        claim_stage(session, document_id=dead, stage=Stage.READ, worker_id="w", lease_seconds=0)
        for _ in range(3):
            claim_stage(
                session, document_id=exhausted, stage=Stage.READ, worker_id="w", lease_seconds=0
            )
        time.sleep(0.01)
        due = sweep_expired_leases(session, max_attempts=3)
        session.commit()
        assert due == [(dead, Stage.READ)]
        states = {d.id: (d.state, d.running_stage) for d in session.exec(select(Document)).all()}
        assert states[alive] == ("received", "read")
        assert states[dead] == ("received", None)
        assert states[exhausted][0] == "failed"
