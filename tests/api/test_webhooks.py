"""Webhooks to a real receiver on 127.0.0.1: retries, signature, exactly once, dead letters."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from api.schemas.webhooks import EventType
from api.webhooks.bell import install_webhook_bell
from api.webhooks.delivery import AttemptResult, DeliveryOutcome, deliver
from api.webhooks.dispatch import dispatch_outbox, due_deliveries
from api.webhooks.policy import RetryPolicy
from api.webhooks.pump import pump_webhooks
from models.db import session_scope
from models.outbox import EVENT_TYPES
from models.webhook_tables import DeliveryStatus, WebhookDelivery
from tests.api.conftest import Auth, add_order
from tests.api.receiver import Receiver, running_receiver

FAST = RetryPolicy(
    first_delay=timedelta(milliseconds=20),
    max_delay=timedelta(milliseconds=100),
    lifetime=timedelta(seconds=30),
    jitter=0,
)


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5) as client:
        yield client


def subscribe(client: TestClient, auth: Auth, url: str, *events: str) -> dict[str, object]:
    response = client.post(
        "/api/v1/webhooks",
        json={"url": url, "event_types": list(events or ["*"])},
        headers=auth["admin"],
    )
    assert response.status_code == 201, response.text
    created: dict[str, object] = response.json()
    assert str(created["secret"]).startswith("whsec_")
    return created


def test_failing_receiver_gets_the_event_exactly_once_after_retries(
    client: TestClient, engine: Engine, http: httpx.Client, auth: Auth
) -> None:
    with running_receiver(Receiver(fail_first=3)) as receiver:
        created = subscribe(client, auth, receiver.url, "order.validated")
        receiver.secret = str(created["secret"])
        with session_scope(engine) as session:
            order_id = add_order(session, po_number="PO-HOOK")

        with session_scope(engine) as session:
            delivery_ids = dispatch_outbox(session, policy=FAST)
        assert len(delivery_ids) == 1
        results = []
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and AttemptResult.DELIVERED not in results:
            with Session(engine) as session:
                for delivery_id in due_deliveries(session):
                    results.append(deliver(session, delivery_id, client=http, policy=FAST).result)
            time.sleep(0.01)
        # Later rounds find nothing to send: a delivered event is not sent again.
        for _ in range(3):
            with Session(engine) as session:
                assert due_deliveries(session) == []
                assert (
                    deliver(session, delivery_ids[0], client=http, policy=FAST).result
                    == AttemptResult.SKIPPED
                )
            with session_scope(engine) as session:
                assert dispatch_outbox(session, policy=FAST) == []

    assert results == [AttemptResult.RETRYING] * 3 + [AttemptResult.DELIVERED]
    assert [r.answered for r in receiver.requests] == [500, 500, 500, 200]
    assert all(r.signature_ok for r in receiver.requests)
    assert len({r.body for r in receiver.requests}) == 1
    assert [r.headers["ordino-delivery-attempt"] for r in receiver.requests] == ["1", "2", "3", "4"]
    assert receiver.duplicates == 0
    ((event_id, body),) = receiver.processed.items()
    event = json.loads(body)
    assert event["id"] == event_id
    assert event["type"] == "order.validated"
    assert event["data"]["order_id"] == order_id
    assert event["data"]["po_number"] == "PO-HOOK"

    listed = client.get(
        f"/api/v1/webhooks/{created['id']}/deliveries", headers=auth["admin"]
    ).json()["data"]
    assert [(d["status"], d["attempts"], d["last_status_code"]) for d in listed] == [
        ("succeeded", 4, 200)
    ]


def test_receiver_that_never_answers_is_dead_lettered_then_replayed(
    client: TestClient, engine: Engine, http: httpx.Client, auth: Auth
) -> None:
    short = RetryPolicy(
        first_delay=timedelta(milliseconds=20), lifetime=timedelta(milliseconds=300), jitter=0
    )
    with running_receiver(Receiver(fail_always=True)) as receiver:
        created = subscribe(client, auth, receiver.url, "order.validated")
        receiver.secret = str(created["secret"])
        with session_scope(engine) as session:
            add_order(session)
        outcomes: list[DeliveryOutcome] = []
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not any(
            o.result == AttemptResult.DEAD for o in outcomes
        ):
            outcomes += pump_webhooks(engine, client=http, policy=short).outcomes
            time.sleep(0.02)
        dead = [o for o in outcomes if o.result == AttemptResult.DEAD]
        assert len(dead) == 1
        assert dead[0].error == "HTTP 500: ok"

        letters = client.get(
            "/api/v1/webhooks/dead-letters?replayed=false", headers=auth["admin"]
        ).json()
        (letter,) = letters["data"]
        assert letter["delivery_id"] == dead[0].delivery_id
        assert "HTTP 500" in letter["reason"]
        failed_requests = len(receiver.requests)
        assert failed_requests >= 2

        receiver.fail_always = False
        replay = client.post(
            f"/api/v1/webhooks/{created['id']}/deliveries/{letter['delivery_id']}:replay",
            headers=auth["admin"],
        )
        assert replay.status_code == 202
        assert replay.json()["status"] == "pending"
        report = pump_webhooks(engine, client=http, policy=short)

    assert [o.result for o in report.outcomes] == [AttemptResult.DELIVERED]
    assert len(receiver.processed) == 1
    assert receiver.requests[-1].body == receiver.requests[0].body
    assert (
        client.get("/api/v1/webhooks/dead-letters?replayed=false", headers=auth["admin"]).json()[
            "data"
        ]
        == []
    )


def test_test_event_is_signed_and_delivered(
    client: TestClient, engine: Engine, http: httpx.Client, auth: Auth
) -> None:
    with running_receiver(Receiver()) as receiver:
        created = subscribe(client, auth, receiver.url, "order.cancelled")
        receiver.secret = str(created["secret"])
        queued = client.post(f"/api/v1/webhooks/{created['id']}:test", headers=auth["admin"])
        assert queued.status_code == 202
        report = pump_webhooks(engine, client=http, policy=FAST)
    assert [o.result for o in report.outcomes] == [AttemptResult.DELIVERED]
    assert receiver.requests[0].signature_ok
    assert json.loads(receiver.requests[0].body)["type"] == "webhook.test"


def test_only_subscribed_events_are_delivered(
    client: TestClient, engine: Engine, auth: Auth
) -> None:
    subscribe(client, auth, "http://127.0.0.1:9/orders", "order.cancelled")
    with session_scope(engine) as session:
        add_order(session)
        assert dispatch_outbox(session, policy=FAST) == []


def test_event_of_a_rolled_back_change_is_never_dispatched(
    client: TestClient, engine: Engine, auth: Auth
) -> None:
    subscribe(client, auth, "http://127.0.0.1:9/orders")
    with Session(engine) as session:
        add_order(session)
        session.rollback()
    with session_scope(engine) as session:
        assert dispatch_outbox(session, policy=FAST) == []
        assert session.exec(select(WebhookDelivery)).all() == []


def test_bell_rings_after_commit_of_an_event_and_not_after_rollback(engine: Engine) -> None:
    rings: list[str] = []
    uninstall = install_webhook_bell(lambda: rings.append("ring"))
    try:
        with Session(engine) as session:
            add_order(session)
            session.rollback()
        assert rings == []
        with session_scope(engine) as session:
            add_order(session)
        assert rings == ["ring"]
    finally:
        uninstall()


def test_pending_delivery_is_claimed_by_one_worker_only(
    client: TestClient, engine: Engine, http: httpx.Client, auth: Auth
) -> None:
    with running_receiver(Receiver()) as receiver:
        created = subscribe(client, auth, receiver.url, "order.validated")
        receiver.secret = str(created["secret"])
        with session_scope(engine) as session:
            add_order(session)
            (delivery_id,) = dispatch_outbox(session, policy=FAST)
        with Session(engine) as first, Session(engine) as second:
            outcomes = [
                deliver(first, delivery_id, client=http, policy=FAST).result,
                deliver(second, delivery_id, client=http, policy=FAST).result,
            ]
    assert outcomes == [AttemptResult.DELIVERED, AttemptResult.SKIPPED]
    assert len(receiver.requests) == 1
    with Session(engine) as session:
        delivery = session.get(WebhookDelivery, delivery_id)
        assert delivery is not None and delivery.status == DeliveryStatus.SUCCEEDED


def test_subscription_refuses_unknown_event_types(client: TestClient, auth: Auth) -> None:
    response = client.post(
        "/api/v1/webhooks",
        json={"url": "http://127.0.0.1:9/", "event_types": ["order.shipped"]},
        headers=auth["admin"],
    )
    assert response.status_code == 422
    assert set(EventType.__args__) == EVENT_TYPES | {"*"}  # type: ignore[attr-defined]


def test_webhooks_need_the_admin_scope(client: TestClient, auth: Auth) -> None:
    assert client.get("/api/v1/webhooks", headers=auth["write"]).status_code == 403
