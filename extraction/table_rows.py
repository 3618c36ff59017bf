"""A line item as the table models read it, and the arithmetic that settles its figures."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from extraction.layout import union_bbox
from extraction.pages import BBox, Word

SKU_RE = re.compile(r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9/_.-]{2,29}$")
_CENT = Decimal("0.01")


@dataclass(slots=True)
class TableLine:
    sku: str | None = None
    alt_sku: str | None = None
    """A second item number printed on the line (the seller's SKU beside the customer's)."""
    gtin: str | None = None
    description: str | None = None
    quantity: Decimal | None = None
    unit: str | None = None
    unit_price: Decimal | None = None
    line_total: Decimal | None = None
    total_printed: bool = False
    page: int = 1
    words: list[Word] = field(default_factory=list)
    from_header_table: bool = True

    @property
    def bbox(self) -> BBox:
        return union_bbox(self.words)

    @property
    def arithmetic_ok(self) -> bool:
        if self.quantity is None or self.unit_price is None or self.line_total is None:
            return False
        return abs(self.quantity * self.unit_price - self.line_total) <= _CENT

    @property
    def ocr_confidence(self) -> float | None:
        values = [w.ocr_confidence for w in self.words if w.ocr_confidence is not None]
        return min(values) if values else None


def settle_arithmetic(row: TableLine, divisor: Decimal) -> None:
    """Divide a price printed per 100/1000; compute a missing line total."""
    if row.unit_price is not None and row.quantity is not None:
        if row.line_total is None:
            row.line_total = (row.quantity * row.unit_price / divisor).quantize(_CENT)
            row.unit_price = row.unit_price / divisor
            return
        if abs(row.quantity * row.unit_price - row.line_total) > _CENT:
            for d in (divisor, Decimal(100), Decimal(1000)):
                if d != 1 and abs(row.quantity * row.unit_price / d - row.line_total) <= _CENT:
                    row.unit_price = (row.unit_price / d).normalize()
                    return
