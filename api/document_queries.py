"""Read-side queries on documents that only the API needs."""

from __future__ import annotations

from sqlmodel import Session, col, select

from models.documents import get_document
from models.errors import NotFoundError
from models.tables import Document, ExtractionRecord


class ExtractionNotFoundError(NotFoundError):
    title = "No extraction yet"


def list_documents(
    session: Session, *, state: str | None = None, after_id: int | None = None, limit: int = 100
) -> list[Document]:
    """Documents by ascending id after the cursor `after_id` (keyset pagination)."""
    query = select(Document)
    if state is not None:
        query = query.where(Document.state == state)
    if after_id is not None:
        query = query.where(col(Document.id) > after_id)
    return list(session.exec(query.order_by(col(Document.id)).limit(limit)).all())


def latest_extraction(session: Session, document_id: int) -> ExtractionRecord:
    document = get_document(session, document_id)
    record = session.exec(
        select(ExtractionRecord)
        .where(ExtractionRecord.document_id == document_id)
        .order_by(col(ExtractionRecord.id).desc())
    ).first()
    if record is None:
        raise ExtractionNotFoundError(
            f"document {document_id} has no extraction yet (it is {document.state}); "
            "poll its status or wait for the document.needs_review / order.validated webhook"
        )
    return record
