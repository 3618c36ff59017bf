"""Webhook subscriptions, deliveries and dead letters as the API shows them."""

from __future__ import annotations

from typing import Literal

from pydantic import AnyHttpUrl, BaseModel, Field

from api.types import UtcDateTime
from models.webhook_tables import WebhookDeadLetter, WebhookDelivery, WebhookSubscription

EventType = Literal[
    "*",
    "document.received",
    "document.needs_review",
    "document.quarantined",
    "order.validated",
    "order.cancelled",
]


class WebhookCreate(BaseModel):
    url: AnyHttpUrl = Field(description="Where to POST the events (https in production)")
    event_types: list[EventType] = Field(
        min_length=1, max_length=10, examples=[["order.validated"]]
    )
    description: str = Field(default="", max_length=500)


class WebhookUpdate(BaseModel):
    url: AnyHttpUrl | None = None
    event_types: list[EventType] | None = Field(default=None, min_length=1, max_length=10)
    description: str | None = Field(default=None, max_length=500)
    active: bool | None = None


class WebhookPublic(BaseModel):
    id: int
    url: str
    event_types: list[str]
    description: str
    active: bool
    version: int
    created_at: UtcDateTime
    updated_at: UtcDateTime

    @classmethod
    def of(cls, subscription: WebhookSubscription) -> WebhookPublic:
        assert subscription.id is not None
        return cls(
            id=subscription.id,
            url=subscription.url,
            event_types=subscription.event_types.split(),
            description=subscription.description,
            active=subscription.active,
            version=subscription.version,
            created_at=subscription.created_at,
            updated_at=subscription.updated_at,
        )


class WebhookCreated(WebhookPublic):
    secret: str = Field(
        description="The HMAC-SHA256 key of the Ordino-Signature header; shown only this once"
    )


class WebhookList(BaseModel):
    data: list[WebhookPublic]
    next_cursor: str | None


class DeliveryPublic(BaseModel):
    id: int
    subscription_id: int
    event_id: str = Field(description="The same on every attempt and replay: drop duplicates by it")
    event_type: str
    status: str = Field(description="pending, succeeded or dead")
    attempts: int
    next_attempt_at: UtcDateTime | None
    deadline_at: UtcDateTime = Field(description="A failure after this is dead-lettered")
    last_attempt_at: UtcDateTime | None
    last_status_code: int | None
    last_error: str | None
    delivered_at: UtcDateTime | None
    replays: int
    created_at: UtcDateTime

    @classmethod
    def of(cls, delivery: WebhookDelivery) -> DeliveryPublic:
        assert delivery.id is not None
        return cls(
            id=delivery.id,
            subscription_id=delivery.subscription_id,
            event_id=delivery.event_id,
            event_type=delivery.event_type,
            status=delivery.status,
            attempts=delivery.attempts,
            next_attempt_at=delivery.next_attempt_at,
            deadline_at=delivery.deadline_at,
            last_attempt_at=delivery.last_attempt_at,
            last_status_code=delivery.last_status_code,
            last_error=delivery.last_error,
            delivered_at=delivery.delivered_at,
            replays=delivery.replays,
            created_at=delivery.created_at,
        )


class DeliveryList(BaseModel):
    data: list[DeliveryPublic]
    next_cursor: str | None


class DeadLetterPublic(BaseModel):
    id: int
    delivery_id: int
    subscription_id: int
    event_id: str
    event_type: str
    attempts: int
    reason: str
    created_at: UtcDateTime
    replayed_at: UtcDateTime | None

    @classmethod
    def of(cls, letter: WebhookDeadLetter) -> DeadLetterPublic:
        assert letter.id is not None
        return cls(
            id=letter.id,
            delivery_id=letter.delivery_id,
            subscription_id=letter.subscription_id,
            event_id=letter.event_id,
            event_type=letter.event_type,
            attempts=letter.attempts,
            reason=letter.reason,
            created_at=letter.created_at,
            replayed_at=letter.replayed_at,
        )


class DeadLetterList(BaseModel):
    data: list[DeadLetterPublic]
    next_cursor: str | None
