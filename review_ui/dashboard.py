"""The day at a glance: documents by state, the touchless rate, how long agents take."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select

from models.tables import AuditEvent, Document, DocumentState, utcnow

ORDER_OUTCOMES = (DocumentState.AUTO_APPROVED, DocumentState.VALIDATED, DocumentState.NEEDS_REVIEW)
"""Documents read as orders; quarantined, failed and rejected ones are not part of the rate."""
_FINISHING_ACTIONS = ("document.approved", "document.rejected", "document.reclassified")


@dataclass(frozen=True)
class DayStats:
    since: datetime
    by_state: dict[str, int]
    touchless_rate: float | None
    """auto-approved ÷ documents that were orders, received since `since`; None with none."""
    handled: int
    median_handling: timedelta | None
    """From an agent's claim to their approval or rejection, for documents finished today."""
    fastest_handling: timedelta | None
    slowest_handling: timedelta | None


def start_of_day(now: datetime) -> datetime:
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def handling_times(session: Session, *, since: datetime) -> list[timedelta]:
    events = session.exec(
        select(AuditEvent)
        .where(
            AuditEvent.entity_type == "document",
            col(AuditEvent.action).in_(("document.claimed", *_FINISHING_ACTIONS)),
            col(AuditEvent.at) >= since - timedelta(days=1),
        )
        .order_by(col(AuditEvent.at), col(AuditEvent.id))
    ).all()
    claimed: dict[tuple[str, str], datetime] = {}
    times: list[timedelta] = []
    for event in events:
        key = (event.entity_id, event.actor)
        if event.action == "document.claimed":
            claimed[key] = event.at
        elif event.at >= since and key in claimed:
            times.append(event.at - claimed.pop(key))
    return times


def day_stats(session: Session, *, now: datetime | None = None) -> DayStats:
    since = start_of_day(now or utcnow())
    rows = session.exec(
        select(Document.state, func.count())
        .where(col(Document.received_at) >= since)
        .group_by(Document.state)
    ).all()
    by_state = {str(state): int(count) for state, count in rows}
    orders = sum(by_state.get(state.value, 0) for state in ORDER_OUTCOMES)
    auto = by_state.get(DocumentState.AUTO_APPROVED.value, 0)
    times = handling_times(session, since=since)
    return DayStats(
        since=since,
        by_state=by_state,
        touchless_rate=auto / orders if orders else None,
        handled=len(times),
        median_handling=timedelta(seconds=statistics.median(t.total_seconds() for t in times))
        if times
        else None,
        fastest_handling=min(times) if times else None,
        slowest_handling=max(times) if times else None,
    )
