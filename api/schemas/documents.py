"""Documents as the API shows them."""

from __future__ import annotations

from pydantic import BaseModel, Field

from api.types import UtcDateTime
from models.tables import Document


class DocumentPublic(BaseModel):
    id: int
    state: str = Field(
        description="received, read, extracted, needs_review, auto_approved, validated, rejected, "
        "failed or quarantined"
    )
    source: str = Field(description="mail, fax, folder, upload or cli")
    filename: str
    media_type: str
    size_bytes: int
    sha256: str
    pages: int | None = Field(description="Number of pages, once the document has been read")
    running_stage: str | None = Field(description="The stage working on it now, if any")
    attempts: int
    error: str | None
    reasons: list[str] = Field(description="Why it needs review or was quarantined")
    customer_id: str | None
    po_number: str | None
    sender_email: str | None
    received_at: UtcDateTime
    created_at: UtcDateTime
    updated_at: UtcDateTime
    finished_at: UtcDateTime | None

    @classmethod
    def of(cls, document: Document) -> DocumentPublic:
        assert document.id is not None
        return cls(
            id=document.id,
            state=document.state,
            source=document.source,
            filename=document.filename,
            media_type=document.media_type,
            size_bytes=document.size_bytes,
            sha256=document.sha256,
            pages=document.pages,
            running_stage=document.running_stage,
            attempts=document.attempts,
            error=document.error,
            reasons=list(document.review_reasons or []),
            customer_id=document.customer_id,
            po_number=document.po_number,
            sender_email=document.sender_email,
            received_at=document.received_at,
            created_at=document.created_at,
            updated_at=document.updated_at,
            finished_at=document.finished_at,
        )


class DocumentList(BaseModel):
    data: list[DocumentPublic]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end"
    )
