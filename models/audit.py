"""The audit trail: who changed what, when."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from models.tables import AuditEvent


def record_audit(
    session: Session,
    *,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: str | int,
    field: str | None = None,
    old_value: str | None = None,
    new_value: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    event = AuditEvent(
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        field=field,
        old_value=old_value,
        new_value=new_value,
        details=details,
    )
    session.add(event)
    return event
