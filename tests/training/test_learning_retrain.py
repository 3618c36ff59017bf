"""Validated documents as training samples for `ordino train --with-corrections`."""

from __future__ import annotations

import json

from sqlalchemy.engine import Engine
from sqlmodel import Session

from extraction.pages import Page, ReadResult, Word, pages_to_json
from models.blobs import BlobStore
from models.tables import Document, DocumentState, ExtractionRecord
from training.retrain import validated_samples


def po_page_read() -> ReadResult:
    """A one-page read whose only word is a PO number: what a validated document stored."""
    return ReadResult(
        pages=(
            Page(
                number=1,
                width=595,
                height=842,
                words=(Word("PO-4711", (0.6, 0.1, 0.7, 0.12), line_id=0),),
                source="pdf",
            ),
        ),
        media_type="application/pdf",
    )


def _document(session: Session, blobs: BlobStore, *, state: DocumentState) -> Document:
    read = po_page_read()
    document = Document(
        source="mail",
        sha256="0" * 64,
        media_type="application/pdf",
        dedupe_key=f"k-{state}",
        state=state,
        sender_email="buyer@example.com",
        read_blob=blobs.put(json.dumps(pages_to_json(read)).encode()),
    )
    session.add(document)
    session.flush()
    data = {
        "document_type": "purchase_order",
        "customer_id": "C0001",
        "fields": {"po_number": {"value": "PO-4711", "confidence": 1.0, "page": 1}},
        "lines": [{"sku": "AB-1", "quantity": "2", "confidence": 1.0}],
    }
    session.add(ExtractionRecord(document_id=document.id, model_version="agent", data=data))  # type: ignore[arg-type]
    return document


def test_only_agent_validated_documents_become_training_samples(
    sqlite_engine: Engine, blobs: BlobStore
) -> None:
    with Session(sqlite_engine) as session:
        validated = _document(session, blobs, state=DocumentState.VALIDATED)
        _document(session, blobs, state=DocumentState.AUTO_APPROVED)
        session.commit()
        validated_id = validated.id
    samples = validated_samples(sqlite_engine, blobs=blobs)
    assert [s.meta.id for s in samples] == [f"document-{validated_id}"]
    truth = samples[0].truth
    assert truth["fields"]["po_number"]["value"] == "PO-4711"
    assert truth["fields"]["total"] is None
    assert truth["customer_id"] == "C0001" and truth["sender_email"] == "buyer@example.com"
    assert samples[0].read.pages[0].words[0].text == "PO-4711"
