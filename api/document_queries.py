"""Read-side queries on documents that only the API needs."""

from __future__ import annotations

import json

from sqlmodel import Session, col, select

from api.page_images import page_png
from extraction.pages import pages_from_json
from models.blobs import BlobStore
from models.documents import get_document
from models.errors import NotFoundError
from models.tables import Document, ExtractionRecord


class ExtractionNotFoundError(NotFoundError):
    title = "No extraction yet"


class PageNotFoundError(NotFoundError):
    title = "Page not found"


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


def _rotation(blobs: BlobStore, document: Document, page_number: int) -> int:
    """The turn the reader applied to read the page upright, so the image shows it that way."""
    if document.read_blob is None:
        return 0
    pages = pages_from_json(json.loads(blobs.get(document.read_blob))).pages
    return next((page.rotation for page in pages if page.number == page_number), 0)


def page_image(
    session: Session, blobs: BlobStore, *, document_id: int, page_number: int, width_px: int
) -> bytes:
    """Page `page_number` (1-based) of the original as a PNG `width_px` wide."""
    document = get_document(session, document_id)
    if document.pages is not None and page_number > document.pages:
        raise PageNotFoundError(f"document {document_id} has {document.pages} page(s)")
    try:
        return page_png(
            session,
            blobs=blobs,
            document=document,
            page_number=page_number,
            width_px=width_px,
            rotation=_rotation(blobs, document, page_number),
        )
    except IndexError:
        raise PageNotFoundError(f"document {document_id} has no page {page_number}") from None
