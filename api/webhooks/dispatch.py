"""From the outbox to deliveries: one delivery per (event, matching active subscription)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from api.webhooks.policy import DEFAULT_POLICY, RetryPolicy
from models.tables import OutboxEvent, utcnow
from models.webhook_tables import DeliveryStatus, WebhookDelivery, WebhookSubscription

ALL_EVENTS = "*"


def event_body(
    *, event_id: str, event_type: str, created_at: datetime, data: dict[str, Any]
) -> str:
    """The JSON every receiver gets: the event id (to drop duplicates), type, time and data."""
    envelope = {
        "id": event_id,
        "type": event_type,
        "created_at": created_at.isoformat().replace("+00:00", "Z"),
        "data": data,
    }
    return json.dumps(envelope, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def subscribed(subscription: WebhookSubscription, event_type: str) -> bool:
    wanted = subscription.event_types.split()
    return ALL_EVENTS in wanted or event_type in wanted


def new_delivery(
    *,
    subscription: WebhookSubscription,
    event_id: str,
    event_type: str,
    body: str,
    now: datetime,
    policy: RetryPolicy,
    outbox_event_id: int | None = None,
) -> WebhookDelivery:
    assert subscription.id is not None
    return WebhookDelivery(
        subscription_id=subscription.id,
        outbox_event_id=outbox_event_id,
        event_id=event_id,
        event_type=event_type,
        body=body,
        status=DeliveryStatus.PENDING,
        next_attempt_at=now,
        deadline_at=now + policy.lifetime,
        created_at=now,
    )


def _undispatched(session: Session, limit: int) -> Iterable[OutboxEvent]:
    # SKIP LOCKED lets dispatchers share the outbox on PostgreSQL; SQLite serialises writers.
    return session.exec(
        select(OutboxEvent)
        .where(col(OutboxEvent.dispatched_at).is_(None))
        .order_by(col(OutboxEvent.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()


def dispatch_outbox(
    session: Session, *, policy: RetryPolicy = DEFAULT_POLICY, limit: int = 500
) -> list[int]:
    """Turn undispatched outbox events into deliveries; returns the new delivery ids.

    The caller commits: the deliveries and the events' `dispatched_at` land together, so an
    event is never dispatched twice nor lost.
    """
    now = utcnow()
    subscriptions = session.exec(
        select(WebhookSubscription).where(col(WebhookSubscription.active).is_(True))
    ).all()
    deliveries: list[WebhookDelivery] = []
    for event in _undispatched(session, limit):
        body = event_body(
            event_id=event.event_id,
            event_type=event.type,
            created_at=event.created_at,
            data=event.payload,
        )
        for subscription in subscriptions:
            if subscribed(subscription, event.type):
                deliveries.append(
                    new_delivery(
                        subscription=subscription,
                        event_id=event.event_id,
                        event_type=event.type,
                        body=body,
                        now=now,
                        policy=policy,
                        outbox_event_id=event.id,
                    )
                )
        event.dispatched_at = now
        session.add(event)
    session.add_all(deliveries)
    session.flush()
    return [d.id for d in deliveries if d.id is not None]


def due_deliveries(session: Session, *, now: datetime | None = None, limit: int = 100) -> list[int]:
    """Pending deliveries whose next attempt is due, oldest first."""
    moment = now or utcnow()
    return [
        delivery_id
        for delivery_id in session.exec(
            select(WebhookDelivery.id)
            .where(
                WebhookDelivery.status == DeliveryStatus.PENDING,
                col(WebhookDelivery.next_attempt_at) <= moment,
            )
            .order_by(col(WebhookDelivery.next_attempt_at), col(WebhookDelivery.id))
            .limit(limit)
        ).all()
        if delivery_id is not None
    ]


def next_due_at(session: Session) -> datetime | None:
    """When the earliest pending delivery falls due, for scheduling the next pump."""
    return session.exec(
        select(WebhookDelivery.next_attempt_at)
        .where(WebhookDelivery.status == DeliveryStatus.PENDING)
        .order_by(col(WebhookDelivery.next_attempt_at))
        .limit(1)
    ).first()
