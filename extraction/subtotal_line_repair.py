"""OCR'd line items whose misread figure their own arithmetic cannot name, settled by the
order's subtotal.

'10 × 4,21 = 12,10' closes with the price 1,21 or with the total 42,10, one digit apart either
way, so `repair_ocr_figures` leaves it. An order's line totals add up to its subtotal. When the
line totals as read already make the subtotal read (independent figures that agree to the
cent), they are right, and the price or quantity was misread. When they do not, the subtotal is
confirmed by subtotal + tax = total as read, and exactly one undecided line's repaired total
makes the sum, that total was the misread figure. Only OCR'd lines; nothing changes when the
sum settles nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from extraction.table_rows import TableLine, figure_repairs

_CENT = Decimal("0.01")


def settle_by_subtotal(
    rows: Sequence[TableLine],
    subtotal: Decimal | None,
    tax: Decimal | None,
    total: Decimal | None,
) -> None:
    totals = [row.line_total for row in rows if row.line_total is not None]
    if subtotal is None or not rows or len(totals) < len(rows):
        return  # no subtotal, or the lines' sum is not known
    lines_sum = sum(totals, Decimal(0))
    undecided = [
        (row, repairs)
        for row in rows
        if row.ocr_confidence is not None and len(repairs := figure_repairs(row)) > 1
    ]
    if abs(lines_sum - subtotal) <= _CENT:
        for row, repairs in undecided:
            _apply(row, [(name, value) for name, value in repairs if name != "line_total"])
    elif len(undecided) == 1 and tax is not None and subtotal + tax == total:
        row, repairs = undecided[0]
        assert row.line_total is not None  # every row has one
        others = lines_sum - row.line_total
        _apply(
            row,
            [
                (name, value)
                for name, value in repairs
                if name == "line_total" and abs(others + value - subtotal) <= _CENT
            ],
        )


def _apply(row: TableLine, repairs: list[tuple[str, Decimal]]) -> None:
    if len(repairs) == 1:
        name, value = repairs[0]
        setattr(row, name, value)
        row.repaired = True
