"""Typed reading errors: each carries a short machine `reason` so the caller can quarantine the
document with it, and a message that tells the user what happened and what to do."""

from __future__ import annotations

from models.errors import OrdinoError


class ReadError(OrdinoError):
    """A document could not be read into pages."""

    status_code = 422
    title = "Document could not be read"
    reason = "unreadable"

    def __init__(self, detail: str, **context: object) -> None:
        super().__init__(detail, reason=self.reason, **context)


class CorruptDocumentError(ReadError):
    title = "Document is damaged"
    reason = "corrupt"


class EncryptedDocumentError(ReadError):
    title = "Document is password-protected"
    reason = "encrypted"


class TooManyPagesError(ReadError):
    title = "Document has too many pages"
    reason = "too_many_pages"


class DocumentTooLargeError(ReadError):
    title = "Document is too large"
    reason = "too_large"


class ImageTooLargeError(ReadError):
    title = "Image is too large"
    reason = "image_too_large"


class EmptyDocumentError(ReadError):
    title = "Document is empty"
    reason = "empty"


class UnsupportedMediaTypeError(ReadError):
    status_code = 415
    title = "Document type is not supported"
    reason = "unsupported_type"


class ReadTimeoutError(ReadError):
    title = "Reading the document took too long"
    reason = "timeout"
