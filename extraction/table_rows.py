"""A line item as the table models read it, and the arithmetic that settles its figures."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
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
    delivery_date: date | None = None
    """The line's own delivery date, where the table has a date column."""
    total_printed: bool = False
    repaired: bool = False
    """A figure was corrected by the row's arithmetic (a decimal point OCR lost: 125 → 12.5)."""
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


def repair_lost_decimal_point(row: TableLine) -> None:
    """When quantity × price ≠ total and exactly one way of putting back a decimal point that
    OCR dropped in one of the three figures ('125' for '12.5', '3712' for '37.12') closes the
    arithmetic, take it. Only whole numbers are candidates: a figure read with its decimals is
    left alone, and an ambiguous repair is not made."""
    if row.quantity is None or row.unit_price is None or row.line_total is None:
        return
    if row.arithmetic_ok:
        return
    repairs: list[tuple[str, Decimal]] = []
    for name in ("quantity", "unit_price", "line_total"):
        value: Decimal = getattr(row, name)
        if value != value.to_integral_value() or value < 10:
            continue
        digits = str(int(value))
        for cut in range(1, len(digits)):
            candidate = Decimal(f"{digits[:cut]}.{digits[cut:]}")
            trial = {"quantity": row.quantity, "unit_price": row.unit_price}
            trial["line_total"] = row.line_total
            trial[name] = candidate
            if abs(trial["quantity"] * trial["unit_price"] - trial["line_total"]) <= _CENT:
                repairs.append((name, candidate))
    if len(repairs) == 1:
        name, candidate = repairs[0]
        setattr(row, name, candidate)
        row.repaired = True
