"""Files that intake refuses are still kept: a document in state `quarantined` with the reason.

Agents see them in the API and on the screens, and `models.documents.retry_document` sends one
back to the pipeline once the cause is dealt with (a raised limit, a fixed reader).
"""

from __future__ import annotations

from sqlmodel import Session

from intake.accept import Accepted, accept_inbound
from intake.inbound import InboundDocument
from models.blobs import BlobStore
from models.documents import document_event_payload
from models.outbox import emit_event
from models.tables import DocumentState, utcnow


def quarantine_inbound(
    session: Session, *, blobs: BlobStore, inbound: InboundDocument, reason: str
) -> Accepted:
    """Store the file and record it as a quarantined document (once, like any document)."""
    accepted = accept_inbound(session, blobs=blobs, inbound=inbound)
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
