"""Accepting a file into Ordino: stored once in the blob store, recorded once as a document."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlmodel import Session

from extraction.reading import detect_media_type
from intake.inbound import InboundDocument
from models.blobs import BlobStore
from models.documents import NewDocument, create_document
from models.tables import Document


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


def accept_inbound(session: Session, *, blobs: BlobStore, inbound: InboundDocument) -> Accepted:
    """Store the bytes and add the document; the caller commits, then enqueues the read stage."""
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
