"""Exports of a validated order: canonical JSON, CSV, Order-X, UBL 2.1 Order, EDIFACT ORDERS.

Each format is a small class behind `OrderExporter`; `EXPORTERS` registers them by name and
`export_order(order, format)` gives (body, media type).
"""

from __future__ import annotations

from api.exports.base import ExportNotPossibleError, OrderExporter, UnknownExportFormatError
from api.exports.csv_export import CsvExporter
from api.exports.edifact import EdifactOrdersExporter
from api.exports.json_export import JsonExporter
from api.exports.model import ExportLine, ExportParty, OrderExport
from api.exports.orderx import OrderXExporter
from api.exports.ubl import UblOrderExporter

__all__ = [
    "EXPORTERS",
    "ExportLine",
    "ExportNotPossibleError",
    "ExportParty",
    "OrderExport",
    "OrderExporter",
    "UnknownExportFormatError",
    "export_order",
]

EXPORTERS: dict[str, OrderExporter] = {
    exporter.name: exporter
    for exporter in (
        JsonExporter(),
        CsvExporter(),
        OrderXExporter(),
        UblOrderExporter(),
        EdifactOrdersExporter(),
    )
}


def export_order(order: OrderExport, format: str) -> tuple[bytes, str]:
    """The order in `format` ("json", "csv", "orderx", "ubl", "edifact"): (body, media type).

    Raises UnknownExportFormatError for another name, ExportNotPossibleError when the order
    lacks what the format requires.
    """
    exporter = EXPORTERS.get(format.lower())
    if exporter is None:
        raise UnknownExportFormatError(format, sorted(EXPORTERS))
    return exporter.export(order), exporter.media_type
