"""Tables of the layout memory: one row per (sender domain, layout), and the validated
documents waiting to be learnt (their pages live in the blob store, read when next needed)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from models.tables import utcnow


class LayoutMemoryRecord(SQLModel, table=True):
    """A sender's layout as `extraction.layout_memory.LayoutMemory.to_json()` holds it."""

    __tablename__ = "layout_memories"

    id: int | None = Field(default=None, primary_key=True)
    sender_domain: str = Field(default="", max_length=320, index=True)
    """The sender's mail domain ('' for documents that came without an e-mail)."""
    customer_id: str | None = Field(default=None, max_length=100, index=True)
    documents: int = 0
    data: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow)


class LayoutExample(SQLModel, table=True):
    """A document an agent validated, to be folded into its layout's memory."""

    __tablename__ = "layout_examples"

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="documents.id", unique=True)
    sender_domain: str = Field(default="", max_length=320, index=True)
    learnt_at: datetime | None = Field(default=None, index=True)
    created_at: datetime = Field(default_factory=utcnow)
