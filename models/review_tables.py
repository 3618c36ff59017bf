"""Tables of the review screens: the agent's working copy, corrections, cached page images."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.tables import utcnow


class ReviewDraft(SQLModel, table=True):
    """The extraction as the agent is editing it (the schema's JSON), kept across page loads.

    Approval turns it into the order; until then the model's extraction rows stay untouched.
    """

    __tablename__ = "review_drafts"

    document_id: int = Field(foreign_key="documents.id", primary_key=True)
    extraction_id: int = Field(foreign_key="extractions.id", description="the row it started from")
    data: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    updated_by: str = Field(max_length=100)
    updated_at: datetime = Field(default_factory=utcnow)


class Correction(SQLModel, table=True):
    """One value an agent changed, with where on the page the right value was: a training example.

    `field` is a header field name or a line column; `line_index` (0-based) is set for lines.
    `page`/`bbox` are where the agent picked the new value on the page image, when they did.
    """

    __tablename__ = "review_corrections"
    __table_args__ = (Index("ix_review_corrections_document", "document_id"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="documents.id")
    extraction_id: int | None = Field(default=None, foreign_key="extractions.id")
    field: str = Field(max_length=100)
    line_index: int | None = None
    old_value: str | None = Field(default=None, sa_column=Column(Text))
    new_value: str | None = Field(default=None, sa_column=Column(Text))
    page: int | None = None
    bbox: list[float] | None = Field(default=None, sa_column=Column(JSON))
    user_id: int | None = Field(default=None, foreign_key="users.id")
    username: str = Field(max_length=100)
    at: datetime = Field(default_factory=utcnow, index=True)


class PageImage(SQLModel, table=True):
    """Which blob holds the PNG rendering of one page of an original file at one width."""

    __tablename__ = "review_page_images"
    __table_args__ = (
        UniqueConstraint(
            "source_sha256", "page_number", "width_px", "rotation", name="uq_review_page_image"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    source_sha256: str = Field(max_length=64)
    page_number: int
    width_px: int
    rotation: int = 0
    png_sha256: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
