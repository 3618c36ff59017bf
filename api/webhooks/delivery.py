"""One delivery attempt: claim it, POST the signed body, record the outcome.

A worker claims an attempt by pushing `next_attempt_at` a lease into the future with one
conditional UPDATE, committed before the request goes out, so two workers never send the same
attempt; a worker that dies mid-request leaves the lease to run out and the attempt is made again
(at least once, which is why receivers drop duplicates by event id).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import httpx
from sqlalchemy import or_, update
from sqlmodel import Session, col

from api.webhooks.policy import DEFAULT_POLICY, RetryPolicy
from api.webhooks.signing import SIGNATURE_HEADER, signature_header
from models.tables import utcnow
from models.webhook_tables import (
    DeliveryStatus,
    WebhookDeadLetter,
    WebhookDelivery,
    WebhookSubscription,
)

USER_AGENT = "Ordino-Webhooks/1"
ERROR_SNIPPET = 500


class AttemptResult(StrEnum):
    DELIVERED = "delivered"
    RETRYING = "retrying"
    DEAD = "dead"
    SKIPPED = "skipped"
    """Not due, already delivered, or another worker holds the attempt."""


@dataclass(frozen=True)
class DeliveryOutcome:
    delivery_id: int
    result: AttemptResult
    status_code: int | None = None
    error: str | None = None
    next_attempt_at: datetime | None = None


def _claim(session: Session, delivery_id: int, *, now: datetime, policy: RetryPolicy) -> bool:
    statement = (
        update(WebhookDelivery)
        .where(
            col(WebhookDelivery.id) == delivery_id,
            col(WebhookDelivery.status) == DeliveryStatus.PENDING,
            or_(
                col(WebhookDelivery.next_attempt_at).is_(None),
                col(WebhookDelivery.next_attempt_at) <= now,
            ),
        )
        .values(next_attempt_at=now + policy.lease)
    )
    claimed = session.connection().execute(statement).rowcount == 1
    session.commit()
    return claimed


def delivery_headers(delivery: WebhookDelivery, secret: str, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Ordino-Event-Id": delivery.event_id,
        "Ordino-Event-Type": delivery.event_type,
        "Ordino-Delivery-Id": str(delivery.id),
        "Ordino-Delivery-Attempt": str(delivery.attempts + 1),
        SIGNATURE_HEADER: signature_header(secret, body),
    }


def _post(
    client: httpx.Client, url: str, body: bytes, headers: dict[str, str]
) -> tuple[int | None, str | None]:
    """(status code, error) of one POST; the receiver's answer body is read only for the error."""
    try:
        with client.stream("POST", url, content=body, headers=headers) as response:
            if 200 <= response.status_code < 300:
                return response.status_code, None
            snippet = b""
            for chunk in response.iter_bytes():
                snippet += chunk
                if len(snippet) >= ERROR_SNIPPET:
                    break
            text = snippet[:ERROR_SNIPPET].decode("utf-8", "replace").strip()
            return response.status_code, f"HTTP {response.status_code}" + (
                f": {text}" if text else ""
            )
    except httpx.HTTPError as exc:
        return None, f"{type(exc).__name__}: {exc}"[:ERROR_SNIPPET]


def dead_letter(session: Session, delivery: WebhookDelivery, *, reason: str, now: datetime) -> None:
    assert delivery.id is not None
    delivery.status = DeliveryStatus.DEAD
    delivery.next_attempt_at = None
    session.add(delivery)
    session.add(
        WebhookDeadLetter(
            delivery_id=delivery.id,
            subscription_id=delivery.subscription_id,
            event_id=delivery.event_id,
            event_type=delivery.event_type,
            attempts=delivery.attempts,
            reason=reason,
            created_at=now,
        )
    )


def deliver(
    session: Session,
    delivery_id: int,
    *,
    client: httpx.Client,
    policy: RetryPolicy = DEFAULT_POLICY,
) -> DeliveryOutcome:
    """Make one attempt of a due delivery; commits the claim, then the outcome.

    Success is any 2xx answer. A failure is tried again after an exponential backoff until the
    delivery's deadline (a day by default), after which it is dead-lettered.
    """
    if not _claim(session, delivery_id, now=utcnow(), policy=policy):
        return DeliveryOutcome(delivery_id=delivery_id, result=AttemptResult.SKIPPED)
    delivery = session.get(WebhookDelivery, delivery_id)
    assert delivery is not None
    subscription = session.get(WebhookSubscription, delivery.subscription_id)
    if subscription is None or not subscription.active:
        dead_letter(session, delivery, reason="the subscription was disabled", now=utcnow())
        session.commit()
        return DeliveryOutcome(delivery_id=delivery_id, result=AttemptResult.DEAD)

    body = delivery.body.encode()
    status_code, error = _post(
        client, subscription.url, body, delivery_headers(delivery, subscription.secret, body)
    )
    now = utcnow()
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.last_status_code = status_code
    delivery.last_error = error
    if error is None:
        delivery.status = DeliveryStatus.SUCCEEDED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        result = AttemptResult.DELIVERED
    else:
        delivery.next_attempt_at = policy.next_attempt(
            attempts=delivery.attempts, now=now, deadline=delivery.deadline_at
        )
        result = AttemptResult.RETRYING
        if delivery.next_attempt_at is None:
            dead_letter(
                session,
                delivery,
                reason=f"no success after {delivery.attempts} attempts; last: {error}",
                now=now,
            )
            result = AttemptResult.DEAD
    session.add(delivery)
    session.commit()
    return DeliveryOutcome(
        delivery_id=delivery_id,
        result=result,
        status_code=status_code,
        error=error,
        next_attempt_at=delivery.next_attempt_at,
    )
