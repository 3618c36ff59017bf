"""Writing events to the transactional outbox."""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import Session

from models.tables import OutboxEvent

EVENT_TYPES = frozenset(
    {
        "document.received",
        "document.needs_review",
        "document.quarantined",
        "order.validated",
        "order.cancelled",
    }
)


def emit_event(session: Session, *, event_type: str, payload: dict[str, Any]) -> OutboxEvent:
    """Add an event to the session; it is committed (or not) with the change it describes."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {event_type!r}")
    event = OutboxEvent(event_id=f"evt_{uuid.uuid4().hex}", type=event_type, payload=payload)
    session.add(event)
    return event
