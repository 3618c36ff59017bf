"""The exporter protocol and the errors exporters raise."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from api.exports.model import OrderExport
from models.errors import ValidationFailedError


@runtime_checkable
class OrderExporter(Protocol):
    """Turns a validated order into one file format. A new format is a new class."""

    name: str
    media_type: str
    file_extension: str

    def export(self, order: OrderExport) -> bytes: ...


class UnknownExportFormatError(ValidationFailedError):
    title = "Unknown export format"

    def __init__(self, requested: str, known: list[str]) -> None:
        super().__init__(
            f"There is no export format {requested!r}; choose one of {', '.join(known)}.",
            requested=requested,
            known=known,
        )
        self.requested = requested


class ExportNotPossibleError(ValidationFailedError):
    """The order lacks something the target format requires (a currency for amounts, say)."""

    title = "Order cannot be exported in this format"
