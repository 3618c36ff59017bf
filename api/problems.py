"""Every error leaves the application as `application/problem+json` (RFC 9457).

Domain errors (OrdinoError) carry their own status and title; FastAPI's validation errors and
Starlette's HTTP exceptions are mapped to the same shape; anything unexpected becomes a 500 whose
body says only that it happened and under which id it was logged.
"""

from __future__ import annotations

import logging
import re
import uuid
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from models.errors import AuthenticationError, ImportFailedError, OrdinoError

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_PREFIX = "urn:ordino:problem:"

logger = logging.getLogger(__name__)


class Problem(BaseModel):
    """An RFC 9457 problem detail; extension members may follow the standard ones."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(
        description="A URI naming the kind of problem", examples=["urn:ordino:problem:not-found"]
    )
    title: str = Field(description="Short, the same for every occurrence of this type")
    status: int = Field(description="The HTTP status code")
    detail: str | None = Field(default=None, description="What happened this time, and what to do")
    instance: str | None = Field(default=None, description="The request path")


class OrdinoHTTPError(OrdinoError):
    """An error whose status the API layer chooses (413, 412, 428…), raised from routes."""

    def __init__(self, status_code: int, detail: str, *, title: str | None = None) -> None:
        super().__init__(detail)
        self.status_code = status_code
        self.title = title or HTTPStatus(status_code).phrase


def problem_type(name: str) -> str:
    """`DocumentNotFoundError` → `urn:ordino:problem:document-not-found`."""
    stem = name.removesuffix("Error") or name
    return PROBLEM_TYPE_PREFIX + re.sub(r"(?<!^)(?=[A-Z])", "-", stem).lower()


def problem_response(
    *,
    status: int,
    title: str,
    detail: str | None,
    type_: str,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> JSONResponse:
    body: dict[str, Any] = {"type": type_, "title": title, "status": status, "detail": detail}
    if instance is not None:
        body["instance"] = instance
    body.update(extensions)
    return JSONResponse(
        jsonable_encoder(body), status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers
    )


def problem_for(request: Request, exc: OrdinoError) -> JSONResponse:
    """The problem+json response for a domain error (also used outside the exception handlers)."""
    extensions: dict[str, Any] = {}
    if isinstance(exc, ImportFailedError):
        extensions["errors"] = [{"line": line, "reason": reason} for line, reason in exc.errors]
    headers = (
        {"WWW-Authenticate": 'Bearer realm="ordino"'}
        if isinstance(exc, AuthenticationError)
        else None
    )
    type_ = (
        PROBLEM_TYPE_PREFIX + HTTPStatus(exc.status_code).phrase.lower().replace(" ", "-")
        if isinstance(exc, OrdinoHTTPError)
        else problem_type(type(exc).__name__)
    )
    return problem_response(
        status=exc.status_code,
        title=exc.title,
        detail=exc.detail,
        type_=type_,
        instance=request.url.path,
        headers=headers,
        **extensions,
    )


def _ordino_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, OrdinoError)
    return problem_for(request, exc)


def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {
            "loc": [str(part) for part in error.get("loc", ())],
            "msg": error.get("msg", ""),
            "type": error.get("type", ""),
        }
        for error in exc.errors()
    ]
    where = "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors[:5])
    return problem_response(
        status=422,
        title="Invalid request",
        detail=f"the request does not match what this endpoint accepts ({where})",
        type_=PROBLEM_TYPE_PREFIX + "invalid-request",
        instance=request.url.path,
        errors=errors,
    )


def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    phrase = HTTPStatus(exc.status_code).phrase
    detail = exc.detail if isinstance(exc.detail, str) and exc.detail != phrase else None
    return problem_response(
        status=exc.status_code,
        title=phrase,
        detail=detail or _DEFAULT_DETAILS.get(exc.status_code),
        type_="about:blank",
        instance=request.url.path,
        headers=dict(exc.headers) if exc.headers else None,
    )


_DEFAULT_DETAILS = {
    404: "there is nothing at this address; see /docs for the API's endpoints",
    405: "this endpoint does not accept that method; the Allow header lists those it does",
}


def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    error_id = uuid.uuid4().hex[:12]
    logger.error(
        "unhandled error %s on %s %s", error_id, request.method, request.url.path, exc_info=exc
    )
    return problem_response(
        status=500,
        title="Internal server error",
        detail=f"an unexpected error occurred and was logged under id {error_id}; "
        "retry later or report the id",
        type_=PROBLEM_TYPE_PREFIX + "internal-error",
        instance=request.url.path,
        error_id=error_id,
    )


def install_problem_handlers(app: FastAPI) -> None:
    """Map every error the application can raise to problem+json."""
    app.add_exception_handler(OrdinoError, _ordino_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)


def _problem_entry(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": _PROBLEM_SCHEMA}},
    }


_PROBLEM_SCHEMA = Problem.model_json_schema()

PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: _problem_entry(description)
    for status, description in {
        400: "Bad request",
        401: "Missing, unknown or revoked API key",
        403: "The API key lacks the scope this endpoint needs",
        413: "The request body is larger than this endpoint accepts",
        422: "The request does not match what this endpoint accepts",
        500: "Unexpected error (logged with an id)",
    }.items()
}
"""Problem responses every API endpoint may return, for the OpenAPI document."""


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for endpoint-specific problem statuses (404, 409, 412…)."""
    return {status: _problem_entry(HTTPStatus(status).phrase) for status in statuses}
