"""Keeping the layout memory: recorded when an agent validates a document, learnt the next time
that sender's layout is needed, loaded as a hint for extraction.

Approval only records the example (and the customer part numbers the corrections teach): the
document's pages are in the blob store, which the approving request does not hold. The extract
stage, which does, folds the sender's pending examples into their layouts' memories before it
loads the one matching the new document. The anti-poisoning rule (agreement across validated
documents) is the memory's own: see extraction/layout_memory.py.
"""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, col, select

from extraction.extractor import DocumentHints, analyse_document
from extraction.layout import build_layout
from extraction.layout_memory import (
    LayoutMemory,
    best_memory,
    layout_fingerprint,
    learn_layout,
)
from extraction.layout_memory_items import learned_customer_items
from extraction.masterdata import MasterData
from extraction.pages import ReadResult, pages_from_json
from extraction.result import ExtractedLine, Extraction
from models.blobs import BlobStore
from models.layout_tables import LayoutExample, LayoutMemoryRecord
from models.tables import Customer, CustomerItem, Document, ExtractionRecord, utcnow

AGENT_VERSION = "agent"
MAX_MEMORIES_PER_DOMAIN = 50


def sender_domain(sender_email: str | None) -> str:
    return sender_email.rsplit("@", 1)[-1].strip().lower() if sender_email else ""


def record_validation(session: Session, *, document_id: int, validated: dict[str, Any]) -> None:
    """An agent validated the document: keep it as a layout example, and learn the customer
    part numbers of the lines whose product was corrected. The caller commits."""
    document = session.get(Document, document_id)
    if document is None:
        return
    if session.exec(select(LayoutExample).where(LayoutExample.document_id == document_id)).first():
        return
    session.add(
        LayoutExample(document_id=document_id, sender_domain=sender_domain(document.sender_email))
    )
    model = _model_extraction(session, document_id)
    customer_id = validated.get("customer_id")
    items = learned_customer_items(
        customer_id=customer_id,
        model_lines=_lines(model.data) if model is not None else [],
        validated_lines=_lines(validated),
    )
    for item in items:
        exists = session.exec(
            select(CustomerItem).where(
                CustomerItem.customer_id == item.customer_id,
                CustomerItem.customer_sku == item.customer_sku,
            )
        ).first()
        if exists is None:
            session.add(
                CustomerItem(
                    customer_id=item.customer_id,
                    customer_sku=item.customer_sku,
                    sku=item.sku,
                    source="correction",
                )
            )


def load_layout_memory(
    session: Session, *, blobs: BlobStore, sender_email: str | None, read: ReadResult
) -> LayoutMemory | None:
    """The memory of this sender's layout for the document `read`, after learning the sender's
    validated documents not yet learnt. The caller commits (what was learnt is kept)."""
    domain = sender_domain(sender_email)
    learn_pending(session, blobs=blobs)
    records = _records(session, domain) + _customer_records(session, domain)
    memories = [LayoutMemory.from_json(r.data) for r in records]
    return best_memory(memories, layout_fingerprint(build_layout(read)))


def learn_pending(session: Session, *, blobs: BlobStore) -> int:
    """Fold the validated documents not yet learnt into their layouts' memories, oldest first;
    returns how many were learnt."""
    pending = session.exec(
        select(LayoutExample)
        .where(col(LayoutExample.learnt_at).is_(None))
        .order_by(col(LayoutExample.id))
    ).all()
    for example in pending:
        _learn_example(session, blobs=blobs, example=example)
        example.learnt_at = utcnow()
        session.add(example)
    session.flush()
    return len(pending)


def _learn_example(session: Session, *, blobs: BlobStore, example: LayoutExample) -> None:
    document = session.get(Document, example.document_id)
    validated = _validated_extraction(session, example.document_id)
    if document is None or document.read_blob is None or validated is None:
        return
    read = pages_from_json(json.loads(blobs.get(document.read_blob)))
    analysis = analyse_document(read, master=MasterData(), hints=DocumentHints())
    records = list(_records(session, example.sender_domain))
    memories = [LayoutMemory.from_json(r.data) for r in records]
    previous = best_memory(memories, layout_fingerprint(analysis.layout))
    model = _model_extraction(session, example.document_id)
    learned = learn_layout(
        previous,
        layout=analysis.layout,
        hits=analysis.hits,
        candidates=analysis.candidates,
        validated=Extraction.model_validate(_extraction_fields(validated.data)),
        model_lines=_lines(model.data) if model is not None else [],
        sender=document.sender_email,
    )
    record = next((r for r, m in zip(records, memories, strict=True) if m is previous), None)
    if record is None:
        record = LayoutMemoryRecord(sender_domain=example.sender_domain, data={})
    record.data = learned.to_json()
    record.documents = learned.documents
    record.customer_id = validated.data.get("customer_id")
    record.updated_at = utcnow()
    session.add(record)
    session.flush()


def _records(session: Session, domain: str) -> list[LayoutMemoryRecord]:
    return list(
        session.exec(
            select(LayoutMemoryRecord)
            .where(LayoutMemoryRecord.sender_domain == domain)
            .order_by(col(LayoutMemoryRecord.updated_at).desc())
            .limit(MAX_MEMORIES_PER_DOMAIN)
        ).all()
    )


def _customer_records(session: Session, domain: str) -> list[LayoutMemoryRecord]:
    """Memories of the customer this mail domain belongs to, learnt from its other domains."""
    if not domain:
        return []
    customers = [
        c.customer_id
        for c in session.exec(
            select(Customer).where(col(Customer.email_domains).contains(domain))
        ).all()
        if domain in c.email_domains.split()
    ]
    if not customers:
        return []
    return list(
        session.exec(
            select(LayoutMemoryRecord)
            .where(
                col(LayoutMemoryRecord.customer_id).in_(customers),
                LayoutMemoryRecord.sender_domain != domain,
            )
            .order_by(col(LayoutMemoryRecord.updated_at).desc())
            .limit(MAX_MEMORIES_PER_DOMAIN)
        ).all()
    )


def _validated_extraction(session: Session, document_id: int) -> ExtractionRecord | None:
    return session.exec(
        select(ExtractionRecord)
        .where(
            ExtractionRecord.document_id == document_id,
            ExtractionRecord.model_version == AGENT_VERSION,
        )
        .order_by(col(ExtractionRecord.id).desc())
    ).first()


def _model_extraction(session: Session, document_id: int) -> ExtractionRecord | None:
    """The extraction the model made before review (the first one of the document)."""
    return session.exec(
        select(ExtractionRecord)
        .where(
            ExtractionRecord.document_id == document_id,
            ExtractionRecord.model_version != AGENT_VERSION,
        )
        .order_by(col(ExtractionRecord.id))
    ).first()


def _lines(data: dict[str, Any]) -> list[ExtractedLine]:
    return [ExtractedLine.model_validate(line) for line in data.get("lines", [])]


def _extraction_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The schema's JSON back into an Extraction (the JSON omits nothing the model needs)."""
    return {
        key: data[key]
        for key in (
            "source",
            "sha256",
            "document_type",
            "document_type_confidence",
            "language",
            "pages",
            "fields",
            "lines",
            "customer_id",
            "decision",
            "model_version",
        )
        if key in data
    }
