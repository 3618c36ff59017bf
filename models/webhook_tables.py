"""Webhook subscriptions, the deliveries made from outbox events, and the dead letters."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.tables import utcnow


class WebhookSubscription(SQLModel, table=True):
    __tablename__ = "webhook_subscriptions"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(max_length=2000)
    secret: str = Field(max_length=200, description="HMAC key; shown once, at creation")
    event_types: str = Field(max_length=1000, description="space-separated; '*' for every event")
    description: str = Field(default="", max_length=500)
    active: bool = True
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    DEAD = "dead"


class WebhookDelivery(SQLModel, table=True):
    """One event for one subscription, tried until the receiver says 2xx or a day has passed.

    `body` is fixed when the delivery is made, so every attempt (and a replay) sends the same
    bytes and the same event id, which receivers use to drop duplicates.
    """

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint(
            "subscription_id", "outbox_event_id", name="uq_delivery_subscription_event"
        ),
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    subscription_id: int = Field(foreign_key="webhook_subscriptions.id", index=True)
    outbox_event_id: int | None = Field(
        default=None, foreign_key="outbox_events.id", description="None for a test event"
    )
    event_id: str = Field(max_length=40, index=True)
    event_type: str = Field(max_length=50)
    body: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default=DeliveryStatus.PENDING, max_length=20)
    attempts: int = 0
    next_attempt_at: datetime | None = None
    deadline_at: datetime = Field(description="After this the delivery is dead-lettered")
    last_attempt_at: datetime | None = None
    last_status_code: int | None = None
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    delivered_at: datetime | None = None
    replays: int = 0
    created_at: datetime = Field(default_factory=utcnow)


class WebhookDeadLetter(SQLModel, table=True):
    __tablename__ = "webhook_dead_letters"

    id: int | None = Field(default=None, primary_key=True)
    delivery_id: int = Field(foreign_key="webhook_deliveries.id", index=True)
    subscription_id: int = Field(foreign_key="webhook_subscriptions.id", index=True)
    event_id: str = Field(max_length=40)
    event_type: str = Field(max_length=50)
    attempts: int
    reason: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    replayed_at: datetime | None = None
