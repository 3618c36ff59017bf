"""Domain errors. One exception handler maps them to problem+json in the API."""

from __future__ import annotations


class OrdinoError(Exception):
    """Base of every error Ordino raises on purpose."""

    status_code = 400
    title = "Request failed"

    def __init__(self, detail: str, **context: object) -> None:
        super().__init__(detail)
        self.detail = detail
        self.context = context


class NotFoundError(OrdinoError):
    status_code = 404
    title = "Not found"


class DocumentNotFoundError(NotFoundError):
    title = "Document not found"


class OrderNotFoundError(NotFoundError):
    title = "Order not found"


class ConflictError(OrdinoError):
    status_code = 409
    title = "Conflict"


class AlreadyValidatedError(ConflictError):
    title = "Document already validated"


class InvalidStateError(ConflictError):
    title = "Document is not in a state that allows this"


class DocumentLockedError(ConflictError):
    title = "Document is being reviewed by someone else"


class ValidationFailedError(OrdinoError):
    status_code = 422
    title = "Invalid data"


class ImportFailedError(ValidationFailedError):
    """A master-data file was refused; `errors` lists (line number, reason)."""

    title = "Import refused"

    def __init__(self, detail: str, errors: list[tuple[int, str]]) -> None:
        super().__init__(detail, errors=errors)
        self.errors = errors


class AuthenticationError(OrdinoError):
    status_code = 401
    title = "Not authenticated"


class PermissionDeniedError(OrdinoError):
    status_code = 403
    title = "Not allowed"
