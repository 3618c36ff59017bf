"""OCR'd line items whose misread figure their own arithmetic cannot name, settled by the
order's subtotal.

'10 × 4,21 = 12,10' closes with the price 1,21 or with the total 42,10, one digit apart either
way, so `repair_ocr_figures` leaves it. An order's line totals add up to its subtotal. When the
line totals as read already make the subtotal read (independent figures that agree to the
cent), they are right, and the price or quantity was misread. When they do not, the subtotal is
confirmed by subtotal + tax = total as read (or is what the total and the tax give, where OCR
lost its label), and exactly one undecided line's repaired total
makes the sum, that total was the misread figure; or, where OCR dropped the decimal marks of
both the price and the total of one line ('100 × 1384 = 138400' for 13,84 and 1 384,00), its
arithmetic still closes, and only the confirmed subtotal shows it. Only OCR'd lines; nothing
changes when the sum settles nothing.
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
    if subtotal is None and tax is not None and total is not None:
        subtotal = total - tax  # a subtotal whose label OCR misread: what total and tax give
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
        return
    if tax is None or subtotal + tax != total:
        return  # a subtotal no other figure confirms puts no total right
    if _restore_dropped_cents(rows, lines_sum, subtotal):
        return
    if len(undecided) == 1:
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


def _restore_dropped_cents(
    rows: Sequence[TableLine], lines_sum: Decimal, subtotal: Decimal
) -> bool:
    """The one OCR'd line of whole-number price and total that, both read a hundred times too
    large, makes the lines add up to `subtotal`: put right. Whether one was."""
    found = [
        row
        for row in rows
        if row.ocr_confidence is not None
        and row.unit_price is not None
        and row.line_total is not None
        and _whole(row.unit_price)
        and _whole(row.line_total)
        and abs(lines_sum - row.line_total + row.line_total / 100 - subtotal) <= _CENT
    ]
    if len(found) != 1:
        return False
    row = found[0]
    assert row.unit_price is not None and row.line_total is not None  # found so
    row.unit_price, row.line_total = row.unit_price.scaleb(-2), row.line_total.scaleb(-2)
    row.repaired = True
    return True


def _whole(value: Decimal) -> bool:
    exponent = value.as_tuple().exponent
    return isinstance(exponent, int) and exponent >= 0
