"""Claim-and-lock: one agent per document, the lock expires, every edit needs it."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from models.blobs import BlobStore
from models.errors import DocumentLockedError, InvalidStateError, ValidationFailedError
from models.review import (
    ValueEdit,
    apply_edits,
    claim_document,
    claim_next_document,
    release_document,
)
from models.tables import Document, User, utcnow
from tests.review_ui.factories import add_review_document, add_user


def _user(session: Session, user: User) -> User:
    found = session.get(User, user.id)
    assert found is not None
    return found


def test_second_agent_cannot_claim_a_document_the_first_holds(
    db_engine: Engine, blobs: BlobStore
) -> None:
    doc = add_review_document(db_engine, blobs)
    alice, bob = add_user(db_engine, "alice"), add_user(db_engine, "bob")
    with Session(db_engine) as session:
        claim_document(session, document_id=doc.document_id, user=_user(session, alice))
        session.commit()
    with Session(db_engine) as session, pytest.raises(DocumentLockedError, match="alice"):
        claim_document(session, document_id=doc.document_id, user=_user(session, bob))


def test_lock_expires_and_then_another_agent_may_claim(db_engine: Engine, blobs: BlobStore) -> None:
    doc = add_review_document(db_engine, blobs)
    alice, bob = add_user(db_engine, "alice"), add_user(db_engine, "bob")
    with Session(db_engine) as session:
        claim_document(session, document_id=doc.document_id, user=_user(session, alice))
        document = session.get(Document, doc.document_id)
        assert document is not None
        document.locked_until = utcnow() - timedelta(seconds=1)
        session.add(document)
        session.commit()
    with Session(db_engine) as session:
        claimed = claim_document(session, document_id=doc.document_id, user=_user(session, bob))
        session.commit()
        assert claimed.locked_by == bob.id


def test_only_one_of_many_simultaneous_claims_wins(sqlite_engine: Engine, blobs: BlobStore) -> None:
    doc = add_review_document(sqlite_engine, blobs)
    agents = [add_user(sqlite_engine, f"agent{i}") for i in range(6)]
    winners: list[str] = []
    losers: list[str] = []
    start = threading.Barrier(len(agents))

    def claim(agent: User) -> None:
        with Session(sqlite_engine) as session:
            me = _user(session, agent)
            start.wait()
            try:
                claim_document(session, document_id=doc.document_id, user=me)
                session.commit()
                winners.append(me.username)
            except DocumentLockedError:
                losers.append(me.username)

    threads = [threading.Thread(target=claim, args=(agent,)) for agent in agents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(winners) == 1 and len(losers) == len(agents) - 1
    with Session(sqlite_engine) as session:
        document = session.get(Document, doc.document_id)
        assert document is not None
        holder = session.get(User, document.locked_by)
        assert holder is not None and holder.username == winners[0]


def test_edit_from_an_agent_without_the_lock_is_refused(
    sqlite_engine: Engine, blobs: BlobStore
) -> None:
    doc = add_review_document(sqlite_engine, blobs)
    alice, bob = add_user(sqlite_engine, "alice"), add_user(sqlite_engine, "bob")
    with Session(sqlite_engine) as session:
        claim_document(session, document_id=doc.document_id, user=_user(session, alice))
        session.commit()
    with Session(sqlite_engine) as session, pytest.raises(DocumentLockedError):
        apply_edits(
            session,
            document_id=doc.document_id,
            user=_user(session, bob),
            edits=[ValueEdit(field="po_number", value="HIJACK")],
        )


def test_supervisor_may_take_over_a_lock_and_an_agent_may_not(
    sqlite_engine: Engine, blobs: BlobStore
) -> None:
    doc = add_review_document(sqlite_engine, blobs)
    alice = add_user(sqlite_engine, "alice")
    bob = add_user(sqlite_engine, "bob")
    carol = add_user(sqlite_engine, "carol", role="supervisor")
    with Session(sqlite_engine) as session:
        claim_document(session, document_id=doc.document_id, user=_user(session, alice))
        session.commit()
    with Session(sqlite_engine) as session, pytest.raises(ValidationFailedError):
        claim_document(
            session, document_id=doc.document_id, user=_user(session, bob), take_over=True
        )
    with Session(sqlite_engine) as session:
        document = claim_document(
            session, document_id=doc.document_id, user=_user(session, carol), take_over=True
        )
        session.commit()
        assert document.locked_by == carol.id


def test_claim_next_skips_held_documents_and_resumes_own(
    sqlite_engine: Engine, blobs: BlobStore
) -> None:
    oldest = add_review_document(sqlite_engine, blobs, filename="a.pdf", age_minutes=90)
    newer = add_review_document(sqlite_engine, blobs, filename="b.pdf", age_minutes=10)
    alice, bob = add_user(sqlite_engine, "alice"), add_user(sqlite_engine, "bob")
    with Session(sqlite_engine) as session:
        first = claim_next_document(session, user=_user(session, alice))
        session.commit()
        assert first is not None and first.id == oldest.document_id
    with Session(sqlite_engine) as session:
        second = claim_next_document(session, user=_user(session, bob))
        again = claim_next_document(session, user=_user(session, alice))
        session.commit()
        assert second is not None and second.id == newer.document_id
        assert again is not None and again.id == oldest.document_id
    with Session(sqlite_engine) as session:
        assert claim_next_document(session, user=add_user(sqlite_engine, "dave")) is None


def test_release_frees_the_document_only_for_its_holder(
    sqlite_engine: Engine, blobs: BlobStore
) -> None:
    doc = add_review_document(sqlite_engine, blobs)
    alice, bob = add_user(sqlite_engine, "alice"), add_user(sqlite_engine, "bob")
    with Session(sqlite_engine) as session:
        claim_document(session, document_id=doc.document_id, user=_user(session, alice))
        assert not release_document(session, document_id=doc.document_id, user=_user(session, bob))
        assert release_document(session, document_id=doc.document_id, user=_user(session, alice))
        session.commit()
    with Session(sqlite_engine) as session:
        claim_document(session, document_id=doc.document_id, user=_user(session, bob))


def test_finished_document_cannot_be_claimed(sqlite_engine: Engine, blobs: BlobStore) -> None:
    doc = add_review_document(sqlite_engine, blobs)
    alice = add_user(sqlite_engine, "alice")
    with Session(sqlite_engine) as session:
        document = session.get(Document, doc.document_id)
        assert document is not None
        document.state = "validated"
        session.add(document)
        session.commit()
    with Session(sqlite_engine) as session, pytest.raises(InvalidStateError):
        claim_document(session, document_id=doc.document_id, user=_user(session, alice))
