"""Webhooks: subscribe, list, send a test, see deliveries and dead letters, replay."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from api.deps import AdminKey, ContextDep, SessionDep
from api.http import IdPath, IfMatchHeader, check_if_match
from api.pagination import CursorQuery, LimitQuery, decode_int_cursor, encode_cursor
from api.problems import problem_responses
from api.routing import ApiRoute
from api.schemas.webhooks import (
    DeadLetterList,
    DeadLetterPublic,
    DeliveryList,
    DeliveryPublic,
    WebhookCreate,
    WebhookCreated,
    WebhookList,
    WebhookPublic,
    WebhookUpdate,
)
from api.webhooks.subscriptions import (
    create_subscription,
    delete_subscription,
    get_delivery,
    get_subscription,
    list_dead_letters,
    list_deliveries,
    list_subscriptions,
    replay_delivery,
    send_test_event,
    update_subscription,
)
from models.context import AppContext
from models.errors import ValidationFailedError
from models.webhook_tables import DeliveryStatus, WebhookSubscription

router = APIRouter(prefix="/webhooks", tags=["webhooks"], route_class=ApiRoute)

ETAG_HEADER = {"ETag": {"description": "For If-Match", "schema": {"type": "string"}}}


def webhook_etag(subscription: WebhookSubscription) -> str:
    return f'"webhook-{subscription.id}-v{subscription.version}"'


def _checked_url(url: object, context: AppContext) -> str:
    text = str(url)
    if context.environment == "production" and not text.startswith("https://"):
        raise ValidationFailedError("webhook URLs must use https in production")
    return text


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=WebhookCreated,
    summary="Subscribe a URL to events; the response carries the signing secret, once",
)
def subscribe(
    body: WebhookCreate,
    request: Request,
    response: Response,
    context: ContextDep,
    session: SessionDep,
    _key: AdminKey,
) -> WebhookCreated:
    subscription = create_subscription(
        session,
        url=_checked_url(body.url, context),
        event_types=list(body.event_types),
        description=body.description,
    )
    session.commit()
    response.headers["Location"] = f"{request.url.path}/{subscription.id}"
    response.headers["ETag"] = webhook_etag(subscription)
    return WebhookCreated(**WebhookPublic.of(subscription).model_dump(), secret=subscription.secret)


@router.get("", response_model=WebhookList, summary="List webhook subscriptions")
def list_webhooks(
    session: SessionDep, _key: AdminKey, cursor: CursorQuery = None, limit: LimitQuery = 100
) -> WebhookList:
    found = list_subscriptions(session, after_id=decode_int_cursor(cursor), limit=limit)
    last = found[-1].id if len(found) == limit and found else None
    return WebhookList(
        data=[WebhookPublic.of(s) for s in found], next_cursor=encode_cursor(last) if last else None
    )


@router.get(
    "/dead-letters",
    response_model=DeadLetterList,
    summary="Deliveries given up after a day of failures (replay them by delivery id)",
)
def list_dead_letters_route(
    session: SessionDep,
    _key: AdminKey,
    replayed: Annotated[bool | None, Query(description="false: only those not replayed")] = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = 100,
) -> DeadLetterList:
    found = list_dead_letters(
        session, replayed=replayed, after_id=decode_int_cursor(cursor), limit=limit
    )
    last = found[-1].id if len(found) == limit and found else None
    return DeadLetterList(
        data=[DeadLetterPublic.of(d) for d in found],
        next_cursor=encode_cursor(last) if last else None,
    )


@router.get(
    "/{subscription_id}",
    response_model=WebhookPublic,
    responses={200: {"headers": ETAG_HEADER}, **problem_responses(404)},
    summary="A webhook subscription",
)
def get_webhook(
    subscription_id: IdPath, response: Response, session: SessionDep, _key: AdminKey
) -> WebhookPublic:
    subscription = get_subscription(session, subscription_id)
    response.headers["ETag"] = webhook_etag(subscription)
    return WebhookPublic.of(subscription)


@router.patch(
    "/{subscription_id}",
    response_model=WebhookPublic,
    responses={200: {"headers": ETAG_HEADER}, **problem_responses(404, 412)},
    summary="Change a subscription's URL, events, description, or pause it",
)
def update_webhook(
    subscription_id: IdPath,
    body: WebhookUpdate,
    response: Response,
    context: ContextDep,
    session: SessionDep,
    _key: AdminKey,
    if_match: IfMatchHeader = None,
) -> WebhookPublic:
    subscription = get_subscription(session, subscription_id)
    check_if_match(if_match, webhook_etag(subscription))
    update_subscription(
        session,
        subscription,
        url=_checked_url(body.url, context) if body.url is not None else None,
        event_types=list(body.event_types) if body.event_types is not None else None,
        description=body.description,
        active=body.active,
    )
    session.commit()
    response.headers["ETag"] = webhook_etag(subscription)
    return WebhookPublic.of(subscription)


@router.delete(
    "/{subscription_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(404, 412),
    summary="Remove a subscription with its deliveries",
)
def delete_webhook(
    subscription_id: IdPath, session: SessionDep, _key: AdminKey, if_match: IfMatchHeader = None
) -> Response:
    subscription = get_subscription(session, subscription_id)
    check_if_match(if_match, webhook_etag(subscription))
    delete_subscription(session, subscription)
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{subscription_id}:test",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=DeliveryPublic,
    responses=problem_responses(404),
    summary="Queue a signed webhook.test event to the subscription's URL",
)
def send_test(subscription_id: IdPath, session: SessionDep, _key: AdminKey) -> DeliveryPublic:
    delivery = send_test_event(session, get_subscription(session, subscription_id))
    session.commit()
    return DeliveryPublic.of(delivery)


@router.get(
    "/{subscription_id}/deliveries",
    response_model=DeliveryList,
    responses=problem_responses(404),
    summary="A subscription's deliveries, oldest first",
)
def list_deliveries_route(
    subscription_id: IdPath,
    session: SessionDep,
    _key: AdminKey,
    status: Annotated[
        DeliveryStatus | None, Query(description="pending, succeeded or dead")
    ] = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = 100,
) -> DeliveryList:
    get_subscription(session, subscription_id)
    found = list_deliveries(
        session,
        subscription_id=subscription_id,
        status=status,
        after_id=decode_int_cursor(cursor),
        limit=limit,
    )
    last = found[-1].id if len(found) == limit and found else None
    return DeliveryList(
        data=[DeliveryPublic.of(d) for d in found],
        next_cursor=encode_cursor(last) if last else None,
    )


@router.get(
    "/{subscription_id}/deliveries/{delivery_id}",
    response_model=DeliveryPublic,
    responses=problem_responses(404),
    summary="One delivery: attempts, last answer, next attempt",
)
def get_delivery_route(
    subscription_id: IdPath, delivery_id: IdPath, session: SessionDep, _key: AdminKey
) -> DeliveryPublic:
    return DeliveryPublic.of(
        get_delivery(session, subscription_id=subscription_id, delivery_id=delivery_id)
    )


@router.post(
    "/{subscription_id}/deliveries/{delivery_id}:replay",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=DeliveryPublic,
    responses=problem_responses(404),
    summary="Send a delivery again (same event id), retried for another day",
)
def replay(
    subscription_id: IdPath, delivery_id: IdPath, session: SessionDep, _key: AdminKey
) -> DeliveryPublic:
    delivery = replay_delivery(session, subscription_id=subscription_id, delivery_id=delivery_id)
    session.commit()
    return DeliveryPublic.of(delivery)
