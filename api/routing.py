"""The API's route class: request-size limits on every body, Idempotency-Key on every POST.

Both live here so that each endpoint gets them by being declared on an API router, with no
decorator to forget.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Coroutine
from contextlib import AsyncExitStack
from typing import Annotated, Any

from fastapi import Depends, Header, Request, Response
from fastapi.routing import APIRoute
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.types import Message, Receive

from api.errors import IdempotencyKeyInFlightError, IdempotencyKeyReusedError, PayloadTooLargeError
from api.problems import problem_responses
from models.context import AppContext
from models.idempotency import claim_key, complete_key, release_key

JSON_BODY_LIMIT = 1024 * 1024
"""Bodies other than file uploads and CSV imports are small JSON documents."""
MULTIPART_OVERHEAD = 64 * 1024
REPLAYED_HEADERS = ("content-type", "location", "etag")


def _idempotency_key_header(
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            min_length=1,
            max_length=200,
            description="Send the same key when retrying: the first response is returned again "
            "and the request has its effect only once (keys are kept for 24 hours)",
        ),
    ] = None,
) -> None:
    """Declares the header in the OpenAPI document; the route class does the work."""


def body_limit(request: Request, context: AppContext) -> int:
    content_type = request.headers.get("content-type", "").lower()
    if content_type.startswith(("multipart/form-data", "text/csv", "application/octet-stream")):
        return context.max_upload_bytes + MULTIPART_OVERHEAD
    return JSON_BODY_LIMIT


async def read_limited_body(request: Request, limit: int) -> bytes:
    """The whole body, refusing it as soon as it passes `limit` (declared or streamed)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise PayloadTooLargeError(
            f"the request body is over the {limit} bytes this endpoint accepts"
        )
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLargeError(
                f"the request body is over the {limit} bytes this endpoint accepts"
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _fingerprint(request: Request, body: bytes) -> str:
    """What makes two requests the same one; a multipart boundary, chosen anew by most clients
    on each retry, does not count."""
    content_type, _, parameters = request.headers.get("content-type", "").partition(";")
    boundary = next(
        (
            value.strip().strip('"')
            for name, _, value in (p.partition("=") for p in parameters.split(";"))
            if name.strip().lower() == "boundary"
        ),
        "",
    )
    if boundary:
        body = body.replace(boundary.encode(), b"")
    digest = hashlib.sha256()
    for part in (request.method, request.url.path, request.url.query, content_type.strip().lower()):
        digest.update(part.encode() + b"\0")
    digest.update(body)
    return digest.hexdigest()


def _owner(request: Request) -> str:
    """Keys are scoped to the credential that sent them, so two clients never collide."""
    return hashlib.sha256(request.headers.get("authorization", "").encode()).hexdigest()


class ApiRoute(APIRoute):
    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        methods = {m.upper() for m in kwargs.get("methods") or ()}
        if "POST" in methods:
            kwargs["dependencies"] = [
                *(kwargs.get("dependencies") or []),
                Depends(_idempotency_key_header),
            ]
            kwargs["responses"] = {**problem_responses(409), **(kwargs.get("responses") or {})}
        super().__init__(path, endpoint, **kwargs)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def limited_idempotent_handler(request: Request) -> Response:
            if request.method not in ("POST", "PUT", "PATCH"):
                return await handler(request)
            context: AppContext = request.app.state.context
            body = await read_limited_body(request, body_limit(request, context))
            key = request.headers.get("idempotency-key")
            if request.method != "POST" or not key or len(key) > 200:
                return await handler(Request(request.scope, _replaying(body)))
            return await _run_once(context, request, body, key, handler)

        return limited_idempotent_handler


def _replaying(body: bytes) -> Receive:
    """A receive callable that hands the already-read body to the route."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


async def _run_once(
    context: AppContext,
    request: Request,
    body: bytes,
    key: str,
    handler: Callable[[Request], Coroutine[Any, Any, Response]],
) -> Response:
    fingerprint = _fingerprint(request, body)

    def claim() -> tuple[int | None, Response | None]:
        with Session(context.engine, expire_on_commit=False) as session:
            record, claimed = claim_key(
                session, owner=_owner(request), key=key, fingerprint=fingerprint
            )
            if claimed:
                return record.id, None
            if record.fingerprint != fingerprint:
                raise IdempotencyKeyReusedError(
                    "this Idempotency-Key was already used for a different request; "
                    "use a new key for a new request"
                )
            if record.status_code is None:
                raise IdempotencyKeyInFlightError(
                    "the first request with this Idempotency-Key has not finished; retry shortly"
                )
            headers = {**(record.response_headers or {}), "Idempotent-Replayed": "true"}
            return None, Response(
                content=record.response_body or b"",
                status_code=record.status_code,
                headers=headers,
            )

    record_id, replay = await run_in_threadpool(claim)
    if replay is not None:
        return replay
    assert record_id is not None
    outcome: list[Response] = []

    def settle() -> None:
        response = outcome[0] if outcome else None
        stored = getattr(response, "body", None)
        with Session(context.engine) as session:
            if (
                response is not None
                and 200 <= response.status_code < 300
                and isinstance(stored, bytes)
            ):
                headers = {
                    h: response.headers[h] for h in REPLAYED_HEADERS if h in response.headers
                }
                complete_key(
                    session,
                    record_id=record_id,
                    status_code=response.status_code,
                    headers=headers,
                    body=stored,
                )
            else:
                release_key(session, record_id=record_id)

    async def settle_after_the_route() -> None:
        await run_in_threadpool(settle)

    # Settle once the route's own session has committed or rolled back: FastAPI closes the
    # request's dependencies in this exit stack, newest first, so a callback pushed before the
    # route runs comes after them (on SQLite a second writer would otherwise wait for the first).
    request_stack = request.scope.get("fastapi_inner_astack")
    if isinstance(request_stack, AsyncExitStack):
        request_stack.push_async_callback(settle_after_the_route)
    try:
        outcome.append(await handler(Request(request.scope, _replaying(body))))
    finally:
        if not isinstance(request_stack, AsyncExitStack):
            await settle_after_the_route()
    return outcome[0]
