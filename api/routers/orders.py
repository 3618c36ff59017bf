"""Orders: poll the validated ones, read one, acknowledge it as exported, cancel it."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query, Response

from api.deps import ContextDep, ReadKey, SessionDep, WriteKey
from api.exports import EXPORTERS, export_order
from api.http import IdPath, IfMatchHeader, check_if_match, content_disposition
from api.order_export import build_order_export
from api.pagination import CursorQuery, LimitQuery, decode_int_cursor, encode_cursor
from api.problems import problem_responses
from api.routing import ApiRoute
from api.schemas.orders import CancelRequest, OrderList, OrderPublic
from models.orders import (
    acknowledge_export,
    cancel_order,
    get_order,
    lines_of_orders,
    list_orders,
    order_lines,
)
from models.tables import Order, OrderStatus

router = APIRouter(prefix="/orders", tags=["orders"], route_class=ApiRoute)

ExportFormat = Literal["json", "csv", "orderx", "ubl", "edifact"]
EXPORT_CONTENT: dict[str, Any] = {
    media_type.split(";")[0]: {
        "schema": {"type": "object"} if media_type == "application/json" else {"type": "string"}
    }
    for media_type in sorted({exporter.media_type for exporter in EXPORTERS.values()})
}

ETAG_HEADER = {
    "ETag": {"description": "The order's version, for If-Match", "schema": {"type": "string"}}
}


def order_etag(order: Order) -> str:
    return f'"order-{order.id}-v{order.version}"'


def _public(session: SessionDep, order: Order, response: Response) -> OrderPublic:
    assert order.id is not None
    response.headers["ETag"] = order_etag(order)
    return OrderPublic.of(order, order_lines(session, order.id))


@router.get("", response_model=OrderList, summary="List orders, oldest first, with their lines")
def list_orders_route(
    session: SessionDep,
    _key: ReadKey,
    status: Annotated[OrderStatus | None, Query(description="validated or cancelled")] = None,
    exported: Annotated[
        bool | None, Query(description="false: only orders the ERP has not acknowledged yet")
    ] = None,
    customer_id: Annotated[str | None, Query(max_length=100)] = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = 100,
) -> OrderList:
    orders = list_orders(
        session,
        status=status,
        exported=exported,
        customer_id=customer_id,
        after_id=decode_int_cursor(cursor),
        limit=limit,
    )
    lines = lines_of_orders(session, [o.id for o in orders if o.id is not None])
    next_cursor = encode_cursor(orders[-1].id) if len(orders) == limit and orders[-1].id else None
    return OrderList(
        data=[OrderPublic.of(o, lines[o.id]) for o in orders if o.id is not None],
        next_cursor=next_cursor,
    )


@router.get(
    "/{order_id}",
    response_model=OrderPublic,
    responses={200: {"headers": ETAG_HEADER}, **problem_responses(404)},
    summary="An order: header and lines",
)
def get_order_route(
    order_id: IdPath, response: Response, session: SessionDep, _key: ReadKey
) -> OrderPublic:
    return _public(session, get_order(session, order_id), response)


@router.post(
    "/{order_id}:acknowledge",
    response_model=OrderPublic,
    responses={200: {"headers": ETAG_HEADER}, **problem_responses(404, 412)},
    summary="The ERP has imported the order: it leaves the `exported=false` list",
)
def acknowledge_order(
    order_id: IdPath,
    response: Response,
    session: SessionDep,
    key: WriteKey,
    if_match: IfMatchHeader = None,
) -> OrderPublic:
    check_if_match(if_match, order_etag(get_order(session, order_id)))
    order = acknowledge_export(session, order_id=order_id, actor=f"apikey:{key.name}")
    return _public(session, order, response)


@router.post(
    "/{order_id}:cancel",
    response_model=OrderPublic,
    responses={200: {"headers": ETAG_HEADER}, **problem_responses(404, 409, 412)},
    summary="Cancel an order (announced by the order.cancelled webhook)",
)
def cancel_order_route(
    order_id: IdPath,
    response: Response,
    session: SessionDep,
    key: WriteKey,
    body: Annotated[CancelRequest | None, Body()] = None,
    if_match: IfMatchHeader = None,
) -> OrderPublic:
    check_if_match(if_match, order_etag(get_order(session, order_id)))
    order = cancel_order(
        session, order_id=order_id, actor=f"apikey:{key.name}", reason=body.reason if body else ""
    )
    return _public(session, order, response)


@router.get(
    "/{order_id}/export",
    response_class=Response,
    responses={
        200: {"content": EXPORT_CONTENT, "description": "The order in the chosen format"},
        **problem_responses(404, 409),
    },
    summary="A validated order as canonical JSON, CSV, Order-X, UBL 2.1 Order or EDIFACT ORDERS",
)
def export_order_route(
    order_id: IdPath,
    context: ContextDep,
    session: SessionDep,
    _key: ReadKey,
    format: Annotated[ExportFormat, Query(description="The file format")] = "json",
) -> Response:
    order = build_order_export(session, order_id=order_id, context=context)
    body, media_type = export_order(order, format)
    extension = EXPORTERS[format].file_extension
    return Response(
        content=body,
        media_type=media_type,
        headers={
            "Content-Disposition": content_disposition(f"order-{order.document_number}.{extension}")
        },
    )
