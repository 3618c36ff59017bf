"""Idempotency keys: a POST retried with the same key gets the first response, not a second effect.

A record is claimed (committed, with no response yet) before the request runs, so a concurrent
retry sees it in flight; it is completed with the response on success and dropped otherwise, so
that a request that had no effect can be sent again with the same key.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, Column, LargeBinary, UniqueConstraint, delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, col, select

from models.tables import utcnow

KEY_LIFETIME = timedelta(hours=24)


class IdempotencyRecord(SQLModel, table=True):
    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("owner", "key", name="uq_idempotency_owner_key"),)

    id: int | None = Field(default=None, primary_key=True)
    owner: str = Field(max_length=64, description="sha256 of the credential that sent the key")
    key: str = Field(max_length=200)
    fingerprint: str = Field(max_length=64, description="sha256 of method, path, query and body")
    status_code: int | None = Field(default=None, description="None while the request runs")
    response_headers: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    response_body: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    created_at: datetime = Field(default_factory=utcnow, index=True)
    completed_at: datetime | None = None


def claim_key(
    session: Session, *, owner: str, key: str, fingerprint: str
) -> tuple[IdempotencyRecord, bool]:
    """The record for (owner, key) and whether this call claimed it. Commits the claim."""
    existing = session.exec(
        select(IdempotencyRecord).where(
            IdempotencyRecord.owner == owner, IdempotencyRecord.key == key
        )
    ).first()
    if existing is not None and existing.created_at >= utcnow() - KEY_LIFETIME:
        return existing, False
    if existing is not None:
        session.delete(existing)
        session.flush()
    record = IdempotencyRecord(owner=owner, key=key, fingerprint=fingerprint)
    session.add(record)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raced = session.exec(
            select(IdempotencyRecord).where(
                IdempotencyRecord.owner == owner, IdempotencyRecord.key == key
            )
        ).one()
        return raced, False
    return record, True


def complete_key(
    session: Session, *, record_id: int, status_code: int, headers: dict[str, str], body: bytes
) -> None:
    record = session.get(IdempotencyRecord, record_id)
    if record is None:
        return
    record.status_code = status_code
    record.response_headers = headers
    record.response_body = body
    record.completed_at = utcnow()
    session.add(record)
    session.commit()


def release_key(session: Session, *, record_id: int) -> None:
    """Forget a claim whose request had no effect, so the key can be used again."""
    session.execute(delete(IdempotencyRecord).where(col(IdempotencyRecord.id) == record_id))
    session.commit()


def purge_expired_keys(session: Session, *, now: datetime | None = None) -> int:
    cutoff = (now or utcnow()) - KEY_LIFETIME
    result = session.execute(
        delete(IdempotencyRecord).where(col(IdempotencyRecord.created_at) < cutoff)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
