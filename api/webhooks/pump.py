"""One round of webhook work: dispatch the outbox, then make every attempt that is due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import Session

from api.webhooks.delivery import DeliveryOutcome, deliver
from api.webhooks.dispatch import dispatch_outbox, due_deliveries, next_due_at
from api.webhooks.policy import DEFAULT_POLICY, RetryPolicy
from models.db import session_scope


@dataclass(frozen=True)
class PumpReport:
    dispatched: list[int]
    outcomes: list[DeliveryOutcome]
    next_due_at: datetime | None
    """When to pump again for the retries (None: nothing pending)."""


def pump_webhooks(
    engine: Engine,
    *,
    client: httpx.Client,
    policy: RetryPolicy = DEFAULT_POLICY,
    limit: int = 100,
) -> PumpReport:
    """Dispatch, then deliver what is due, one attempt each, in this process."""
    with session_scope(engine) as session:
        dispatched = dispatch_outbox(session, policy=policy)
    outcomes: list[DeliveryOutcome] = []
    with Session(engine, expire_on_commit=False) as session:
        for delivery_id in due_deliveries(session, limit=limit):
            outcomes.append(deliver(session, delivery_id, client=client, policy=policy))
        upcoming = next_due_at(session)
    return PumpReport(dispatched=dispatched, outcomes=outcomes, next_due_at=upcoming)
