"""The error raised when a file claims a structured format but does not hold to it."""

from __future__ import annotations

from models.errors import ValidationFailedError


class StructuredFormatError(ValidationFailedError):
    """A structured order (Order-X, CII, UBL, EDIFACT) that is malformed or unsafe to read.

    `reason` is a short machine-readable code (`malformed_xml`, `forbidden_dtd`,
    `unexpected_root`, `missing_element`, `invalid_value`, `malformed_edifact`,
    `truncated_edifact`, `unreadable_pdf`); the message says what is wrong and what to do.
    """

    title = "Structured order refused"

    def __init__(self, detail: str, *, reason: str) -> None:
        super().__init__(detail, reason=reason)
        self.reason = reason
