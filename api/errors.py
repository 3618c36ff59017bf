"""Errors that only the HTTP layer raises."""

from __future__ import annotations

from models.errors import ConflictError, OrdinoError, ValidationFailedError


class InvalidCursorError(OrdinoError):
    status_code = 400
    title = "Invalid cursor"


class PayloadTooLargeError(OrdinoError):
    status_code = 413
    title = "Request body too large"


class PreconditionFailedError(OrdinoError):
    """If-Match named a version that is no longer the current one."""

    status_code = 412
    title = "Precondition failed"


class IdempotencyKeyReusedError(ValidationFailedError):
    title = "Idempotency key reused with a different request"


class IdempotencyKeyInFlightError(ConflictError):
    title = "A request with this idempotency key is still being processed"
