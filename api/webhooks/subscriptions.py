"""Managing subscriptions and their deliveries: subscribe, test, list, replay."""

from __future__ import annotations

import secrets
import uuid

from sqlalchemy import delete
from sqlmodel import Session, col, select

from api.webhooks.dispatch import ALL_EVENTS, event_body, new_delivery
from api.webhooks.policy import DEFAULT_POLICY, RetryPolicy
from models.errors import NotFoundError, ValidationFailedError
from models.outbox import EVENT_TYPES
from models.tables import utcnow
from models.webhook_tables import (
    DeliveryStatus,
    WebhookDeadLetter,
    WebhookDelivery,
    WebhookSubscription,
)

TEST_EVENT_TYPE = "webhook.test"
SECRET_PREFIX = "whsec_"


class WebhookNotFoundError(NotFoundError):
    title = "Webhook subscription not found"


class DeliveryNotFoundError(NotFoundError):
    title = "Webhook delivery not found"


def _event_types(event_types: list[str]) -> str:
    unknown = sorted(set(event_types) - EVENT_TYPES - {ALL_EVENTS})
    if unknown or not event_types:
        raise ValidationFailedError(
            f"event_types must be '*' or some of {', '.join(sorted(EVENT_TYPES))}; "
            f"got {', '.join(unknown) or 'none'}"
        )
    return " ".join(dict.fromkeys(event_types))


def create_subscription(
    session: Session, *, url: str, event_types: list[str], description: str = ""
) -> WebhookSubscription:
    subscription = WebhookSubscription(
        url=url,
        secret=SECRET_PREFIX + secrets.token_urlsafe(32),
        event_types=_event_types(event_types),
        description=description,
    )
    session.add(subscription)
    session.flush()
    return subscription


def get_subscription(session: Session, subscription_id: int) -> WebhookSubscription:
    subscription = session.get(WebhookSubscription, subscription_id)
    if subscription is None:
        raise WebhookNotFoundError(f"no webhook subscription with id {subscription_id}")
    return subscription


def list_subscriptions(
    session: Session, *, after_id: int | None, limit: int
) -> list[WebhookSubscription]:
    query = select(WebhookSubscription)
    if after_id is not None:
        query = query.where(col(WebhookSubscription.id) > after_id)
    return list(session.exec(query.order_by(col(WebhookSubscription.id)).limit(limit)).all())


def update_subscription(
    session: Session,
    subscription: WebhookSubscription,
    *,
    url: str | None = None,
    event_types: list[str] | None = None,
    description: str | None = None,
    active: bool | None = None,
) -> WebhookSubscription:
    if url is not None:
        subscription.url = url
    if event_types is not None:
        subscription.event_types = _event_types(event_types)
    if description is not None:
        subscription.description = description
    if active is not None:
        subscription.active = active
    subscription.version += 1
    subscription.updated_at = utcnow()
    session.add(subscription)
    session.flush()
    return subscription


def delete_subscription(session: Session, subscription: WebhookSubscription) -> None:
    """Remove the subscription with its deliveries and dead letters."""
    for table in (WebhookDeadLetter, WebhookDelivery):
        session.execute(delete(table).where(col(table.subscription_id) == subscription.id))
    session.delete(subscription)
    session.flush()


def send_test_event(
    session: Session, subscription: WebhookSubscription, *, policy: RetryPolicy = DEFAULT_POLICY
) -> WebhookDelivery:
    """A `webhook.test` delivery, due now, signed and retried like any other."""
    now = utcnow()
    event_id = f"evt_{uuid.uuid4().hex}"
    body = event_body(
        event_id=event_id,
        event_type=TEST_EVENT_TYPE,
        created_at=now,
        data={"subscription_id": subscription.id, "message": "Test event from Ordino"},
    )
    delivery = new_delivery(
        subscription=subscription,
        event_id=event_id,
        event_type=TEST_EVENT_TYPE,
        body=body,
        now=now,
        policy=policy,
    )
    session.add(delivery)
    session.flush()
    return delivery


def list_deliveries(
    session: Session,
    *,
    subscription_id: int,
    status: str | None,
    after_id: int | None,
    limit: int,
) -> list[WebhookDelivery]:
    query = select(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription_id)
    if status is not None:
        query = query.where(WebhookDelivery.status == status)
    if after_id is not None:
        query = query.where(col(WebhookDelivery.id) > after_id)
    return list(session.exec(query.order_by(col(WebhookDelivery.id)).limit(limit)).all())


def get_delivery(session: Session, *, subscription_id: int, delivery_id: int) -> WebhookDelivery:
    delivery = session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.subscription_id != subscription_id:
        raise DeliveryNotFoundError(
            f"no delivery {delivery_id} for webhook subscription {subscription_id}"
        )
    return delivery


def replay_delivery(
    session: Session,
    *,
    subscription_id: int,
    delivery_id: int,
    policy: RetryPolicy = DEFAULT_POLICY,
) -> WebhookDelivery:
    """Send a delivery again, from now, for another day: the same event id and body.

    Replaying a delivery that is still being retried only brings its next attempt forward.
    """
    delivery = get_delivery(session, subscription_id=subscription_id, delivery_id=delivery_id)
    now = utcnow()
    if delivery.status != DeliveryStatus.PENDING:
        delivery.attempts = 0
    delivery.status = DeliveryStatus.PENDING
    delivery.next_attempt_at = now
    delivery.deadline_at = now + policy.lifetime
    delivery.replays += 1
    session.add(delivery)
    for letter in session.exec(
        select(WebhookDeadLetter).where(
            WebhookDeadLetter.delivery_id == delivery_id,
            col(WebhookDeadLetter.replayed_at).is_(None),
        )
    ).all():
        letter.replayed_at = now
        session.add(letter)
    session.flush()
    return delivery


def list_dead_letters(
    session: Session, *, replayed: bool | None, after_id: int | None, limit: int
) -> list[WebhookDeadLetter]:
    query = select(WebhookDeadLetter)
    if replayed is not None:
        query = query.where(
            col(WebhookDeadLetter.replayed_at).is_not(None)
            if replayed
            else col(WebhookDeadLetter.replayed_at).is_(None)
        )
    if after_id is not None:
        query = query.where(col(WebhookDeadLetter.id) > after_id)
    return list(session.exec(query.order_by(col(WebhookDeadLetter.id)).limit(limit)).all())
