"""The document state machine: creation, stage leases, completion, failure and the sweep.

The database is the truth; the queue only rings the bell. A stage may run only while it holds
the document's lease (worker id + expiry), taken with one conditional UPDATE so that two workers
can never run the same stage of the same document. A worker that dies leaves an expired lease,
which `sweep_expired_leases` finds and hands back to the queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, update
from sqlmodel import Session, col, select

from models.errors import DocumentNotFoundError, InvalidStateError
from models.outbox import emit_event
from models.tables import (
    FINAL_STATES,
    PIPELINE_STATES,
    Document,
    DocumentState,
    Stage,
    utcnow,
)

STAGE_INPUT_STATE: dict[Stage, DocumentState] = {
    stage: state for state, stage in PIPELINE_STATES.items()
}


@dataclass(frozen=True)
class NewDocument:
    source: str
    source_ref: str
    filename: str
    sha256: str
    media_type: str
    size_bytes: int
    dedupe_key: str
    message_id: str | None = None
    sender_email: str | None = None
    mail_date: datetime | None = None


def find_by_dedupe_key(session: Session, dedupe_key: str) -> Document | None:
    return session.exec(select(Document).where(Document.dedupe_key == dedupe_key)).first()


def create_document(session: Session, *, new: NewDocument) -> tuple[Document, bool]:
    """Add a received document unless its dedupe key is known; returns (document, created)."""
    existing = find_by_dedupe_key(session, new.dedupe_key)
    if existing is not None:
        return existing, False
    sender_domain = new.sender_email.rsplit("@", 1)[-1].lower() if new.sender_email else None
    document = Document(
        source=new.source,
        source_ref=new.source_ref[:1000],
        filename=new.filename[:500],
        sha256=new.sha256,
        media_type=new.media_type,
        size_bytes=new.size_bytes,
        dedupe_key=new.dedupe_key,
        message_id=new.message_id,
        sender_email=new.sender_email,
        sender_domain=sender_domain,
        mail_date=new.mail_date,
    )
    session.add(document)
    session.flush()
    emit_event(session, event_type="document.received", payload=document_event_payload(document))
    return document, True


def document_event_payload(document: Document) -> dict[str, object]:
    return {
        "document_id": document.id,
        "state": document.state,
        "source": document.source,
        "filename": document.filename,
        "sha256": document.sha256,
        "reasons": document.review_reasons or [],
        "error": document.error,
    }


def get_document(session: Session, document_id: int) -> Document:
    document = session.get(Document, document_id)
    if document is None:
        raise DocumentNotFoundError(f"no document with id {document_id}", document_id=document_id)
    return document


def claim_stage(
    session: Session, *, document_id: int, stage: Stage, worker_id: str, lease_seconds: int
) -> bool:
    """Take the lease for `stage` of the document; False when the stage is not due or is leased.

    Commits at once, so that the lease is visible to every other worker before the work starts.
    """
    now = utcnow()
    statement = (
        update(Document)
        .where(
            and_(
                col(Document.id) == document_id,
                col(Document.state) == STAGE_INPUT_STATE[stage].value,
                or_(
                    col(Document.running_stage).is_(None),
                    col(Document.lease_expires_at) < now,
                ),
            )
        )
        .values(
            running_stage=stage.value,
            lease_owner=worker_id,
            lease_expires_at=now + timedelta(seconds=lease_seconds),
            attempts=col(Document.attempts) + 1,
            updated_at=now,
        )
    )
    claimed = session.connection().execute(statement).rowcount == 1
    session.commit()
    return claimed


def _holding(session: Session, document_id: int, worker_id: str) -> Document | None:
    document = session.get(Document, document_id, with_for_update=True)
    if document is None or document.lease_owner != worker_id or document.running_stage is None:
        return None
    return document


def complete_stage(
    session: Session,
    *,
    document_id: int,
    worker_id: str,
    new_state: DocumentState,
    reasons: list[str] | None = None,
    error: str | None = None,
) -> Document | None:
    """Move the document on, if this worker still holds its lease; None when it lost it."""
    document = _holding(session, document_id, worker_id)
    if document is None:
        return None
    now = utcnow()
    document.state = new_state
    document.running_stage = None
    document.lease_owner = None
    document.lease_expires_at = None
    document.attempts = 0
    document.error = error
    if reasons is not None:
        document.review_reasons = reasons
    document.updated_at = now
    if new_state in FINAL_STATES:
        document.finished_at = now
        if new_state == DocumentState.NEEDS_REVIEW:
            emit_event(
                session,
                event_type="document.needs_review",
                payload=document_event_payload(document),
            )
        if new_state == DocumentState.QUARANTINED:
            emit_event(
                session, event_type="document.quarantined", payload=document_event_payload(document)
            )
    session.add(document)
    return document


def quarantine(
    session: Session, *, document_id: int, worker_id: str, reason: str
) -> Document | None:
    """Park a document whose input is unusable (corrupt, too large, encrypted…) with its reason."""
    return complete_stage(
        session,
        document_id=document_id,
        worker_id=worker_id,
        new_state=DocumentState.QUARANTINED,
        reasons=[reason],
        error=reason,
    )


@dataclass(frozen=True)
class FailureOutcome:
    retry: bool
    attempts: int


def fail_stage(
    session: Session, *, document_id: int, worker_id: str, error: str, max_attempts: int
) -> FailureOutcome | None:
    """Record a crashed stage: release the lease for a retry, or mark the document failed."""
    document = _holding(session, document_id, worker_id)
    if document is None:
        return None
    now = utcnow()
    document.error = error[-4000:]
    document.running_stage = None
    document.lease_owner = None
    document.lease_expires_at = None
    document.updated_at = now
    retry = document.attempts < max_attempts
    if not retry:
        document.state = DocumentState.FAILED
        document.finished_at = now
    session.add(document)
    return FailureOutcome(retry=retry, attempts=document.attempts)


def sweep_expired_leases(session: Session, *, max_attempts: int) -> list[tuple[int, Stage]]:
    """Release leases whose worker died; returns the (document, stage) pairs to enqueue again.

    A document that has used up its attempts goes to `failed` with the reason.
    """
    now = utcnow()
    expired = session.exec(
        select(Document).where(
            col(Document.running_stage).is_not(None), col(Document.lease_expires_at) < now
        )
    ).all()
    due: list[tuple[int, Stage]] = []
    for document in expired:
        stage = Stage(str(document.running_stage))
        document.running_stage = None
        document.lease_owner = None
        document.lease_expires_at = None
        document.updated_at = now
        if document.attempts >= max_attempts:
            document.state = DocumentState.FAILED
            document.error = (
                f"the {stage.value} stage did not finish after {document.attempts} attempts "
                "(the worker stopped or timed out each time)"
            )
            document.finished_at = now
        else:
            assert document.id is not None
            due.append((document.id, stage))
        session.add(document)
    return due


def waiting_documents(session: Session, *, older_than_seconds: float) -> list[tuple[int, Stage]]:
    """Documents waiting for a stage with no lease, idle for a while: their bell may be lost."""
    cutoff = utcnow() - timedelta(seconds=older_than_seconds)
    rows = session.exec(
        select(Document.id, Document.state).where(
            col(Document.state).in_([s.value for s in PIPELINE_STATES]),
            col(Document.running_stage).is_(None),
            col(Document.updated_at) < cutoff,
        )
    ).all()
    return [(doc_id, PIPELINE_STATES[DocumentState(state)]) for doc_id, state in rows if doc_id]


def retry_document(session: Session, *, document_id: int) -> Stage:
    """Send a failed or quarantined document back to the start of the pipeline."""
    document = get_document(session, document_id)
    if document.state not in (DocumentState.FAILED, DocumentState.QUARANTINED):
        raise InvalidStateError(
            f"document {document_id} is {document.state}; only failed or quarantined documents "
            "can be retried"
        )
    document.state = DocumentState.RECEIVED
    document.attempts = 0
    document.error = None
    document.review_reasons = None
    document.finished_at = None
    document.updated_at = utcnow()
    session.add(document)
    return Stage.READ
