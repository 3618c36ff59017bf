"""Accepting a file into Ordino: stored once in the blob store, recorded once as a document.

Files that intake refuses are still kept: a document in state `quarantined` whose `error` and
`review_reasons` say why. Agents see them in the API and on the screens, and
`models.documents.retry_document` sends one back to the pipeline once the cause is dealt with.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlmodel import Session

from extraction.reading import detect_media_type
from intake.inbound import InboundDocument
from intake.inspection import Action, judge_file
from intake.limits import IntakeLimits
from models.blobs import BlobStore
from models.documents import NewDocument, create_document, document_event_payload
from models.outbox import emit_event
from models.tables import Document, DocumentState, utcnow


@dataclass(frozen=True)
class Accepted:
    document: Document
    created: bool
    """False when the same document had already been received (a double, dropped)."""


def dedupe_key_for(inbound: InboundDocument, sha256: str) -> str:
    """Mail is deduplicated on Message-ID + attachment content; everything else on content."""
    if inbound.message_id:
        return f"msg:{hashlib.sha256(inbound.message_id.encode()).hexdigest()[:32]}:{sha256}"
    return f"sha256:{sha256}"


def accept_inbound(
    session: Session,
    *,
    blobs: BlobStore,
    inbound: InboundDocument,
    limits: IntakeLimits = IntakeLimits(),
) -> Accepted:
    """One file as one document; the caller commits, then enqueues the read stage.

    The file is checked first (size, type, pages, pixels, encryption, damage): a refused file
    is kept as a quarantined document with the reason. A zip or a mail file stays one document
    here; `accept_upload` unpacks them.
    """
    verdict = judge_file(
        inbound.data,
        filename=inbound.filename,
        declared_type=inbound.media_type or "",
        limits=limits,
    )
    if verdict.action == Action.QUARANTINE:
        return quarantine_inbound(
            session, blobs=blobs, inbound=inbound, reason=verdict.reason or "the file was refused"
        )
    return store_inbound(session, blobs=blobs, inbound=inbound)


def store_inbound(session: Session, *, blobs: BlobStore, inbound: InboundDocument) -> Accepted:
    """Store the bytes and add the document, without checks (the caller judged the file)."""
    sha256 = blobs.put(inbound.data)
    media_type = inbound.media_type or detect_media_type(inbound.data, inbound.filename)
    document, created = create_document(
        session,
        new=NewDocument(
            source=inbound.source,
            source_ref=inbound.source_ref or inbound.filename,
            filename=inbound.filename,
            sha256=sha256,
            media_type=media_type,
            size_bytes=len(inbound.data),
            dedupe_key=dedupe_key_for(inbound, sha256),
            message_id=inbound.message_id,
            sender_email=inbound.sender_email,
            mail_date=inbound.mail_date,
        ),
    )
    return Accepted(document=document, created=created)


def quarantine_inbound(
    session: Session, *, blobs: BlobStore, inbound: InboundDocument, reason: str
) -> Accepted:
    """Store the file and record it as a quarantined document (once, like any document)."""
    accepted = store_inbound(session, blobs=blobs, inbound=inbound)
    if accepted.created:
        document = accepted.document
        now = utcnow()
        document.state = DocumentState.QUARANTINED
        document.error = reason
        document.review_reasons = [reason]
        document.finished_at = now
        document.updated_at = now
        session.add(document)
        session.flush()
        emit_event(
            session, event_type="document.quarantined", payload=document_event_payload(document)
        )
    return accepted
