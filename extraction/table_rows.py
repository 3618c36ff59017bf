"""A line item as the table models read it, and the arithmetic that settles its figures."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
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


def settle_arithmetic(row: TableLine, divisor: Decimal, *, price_units: bool = True) -> None:
    """Divide a price printed per 100/1000; compute a missing line total. `price_units`: also
    try a price per 100 or 1000 no heading announces, where that alone closes the row."""
    if row.unit_price is not None and row.quantity is not None:
        if row.line_total is None:
            row.line_total = (row.quantity * row.unit_price / divisor).quantize(_CENT)
            row.unit_price = row.unit_price / divisor
            return
        if price_units and abs(row.quantity * row.unit_price - row.line_total) > _CENT:
            for d in (divisor, Decimal(100), Decimal(1000)):
                if d != 1 and abs(row.quantity * row.unit_price / d - row.line_total) <= _CENT:
                    row.unit_price = (row.unit_price / d).normalize()
                    return


FIGURES = ("quantity", "unit_price", "line_total")
MIN_ROWS_FOR_HABIT = 3
HABIT_SHARE = 0.6
"""A table prints a column's figures with so many decimals when at least this share of its rows
(and `MIN_ROWS_FOR_HABIT` of them) do, or when `MIN_ROWS_FOR_HABIT` rows do and every other
row's figure has no decimals at all (marks OCR lost)."""


def printed_decimals(rows: list[TableLine]) -> dict[str, int]:
    """Per figure, the number of decimals the table prints it with, where it has that habit
    ('10,000' quantities, '4,02' prices): what an OCR'd figure without a decimal mark in that
    column lost."""
    habits: dict[str, int] = {}
    for name in FIGURES:
        values = [v for row in rows if (v := getattr(row, name)) is not None]
        places = Counter(p for v in values if (p := _decimal_places(v)))
        if not places:
            continue
        common, count = places.most_common(1)[0]
        # on a scan that lost many decimal marks, the figures that kept theirs still agree
        agreed = len(places) == 1
        if count >= MIN_ROWS_FOR_HABIT and (count >= HABIT_SHARE * len(values) or agreed):
            habits[name] = common
    return habits


def restore_dropped_decimals(row: TableLine, habits: dict[str, int]) -> None:
    """Put back the decimal mark OCR dropped from figures of a column that always prints one
    ('2500' and '729' for 2,500 × 7,29): several in one row, which the one-repair search of
    `repair_ocr_figures` cannot find, or a row that closes either way ('1832' × 1 = '1832').
    Only a repair that closes the row's arithmetic is made, with, where the marks put back
    leave it one misread digit from closing and only one, that digit repaired too."""
    trial = replace(row)
    for name, places in habits.items():
        value = getattr(row, name)
        if value is not None and _decimal_places(value) == 0 and len(str(abs(value))) > places:
            setattr(trial, name, value.scaleb(-places))
    changed = (trial.quantity, trial.unit_price, trial.line_total) != (
        row.quantity,
        row.unit_price,
        row.line_total,
    )
    if not changed:
        return
    if not trial.arithmetic_ok and trial.quantity and trial.unit_price and trial.line_total:
        slips = [
            (name, value)
            for name, value in _one_digit_repairs(
                trial.quantity, trial.unit_price, trial.line_total
            )
            if one_digit_apart(str(getattr(trial, name)), str(value))
        ]
        if len(slips) == 1:
            name, value = slips[0]
            setattr(trial, name, value)  # and a digit misread ('24000 × 22,21 = 543,04')
    if trial.arithmetic_ok:
        row.quantity, row.unit_price, row.line_total = (
            trial.quantity,
            trial.unit_price,
            trial.line_total,
        )
        row.repaired = True


def _decimal_places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def repair_ocr_figures(row: TableLine) -> None:
    """When OCR'd figures do not close (quantity × price ≠ total) and exactly one way of putting
    back a decimal point OCR dropped in one of them ('125' for '12.5', '3712' for '37.12') closes
    the arithmetic, take it; failing that, exactly one figure that differs in one digit from the
    value the other two give. An ambiguous repair is not made (the order's subtotal may settle
    it: extraction/subtotal_line_repair.py)."""
    repairs = figure_repairs(row)
    if len(repairs) == 1:
        name, candidate = repairs[0]
        setattr(row, name, candidate)
        row.repaired = True


def figure_repairs(row: TableLine) -> list[tuple[str, Decimal]]:
    """The single-figure repairs that close a row's arithmetic (figure name, value): decimal
    points put back, else one-digit slips; none when the row closes or lacks a figure."""
    if row.quantity is None or row.unit_price is None or row.line_total is None:
        return []
    if row.arithmetic_ok:
        return []
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
    return repairs or _one_digit_repairs(row.quantity, row.unit_price, row.line_total)


def _one_digit_repairs(
    quantity: Decimal, unit_price: Decimal, line_total: Decimal
) -> list[tuple[str, Decimal]]:
    """The figure that, computed from the other two, differs from what OCR read in one digit
    only ('1.32' read for 7.32 = 21.96 / 3), or but for a digit OCR dropped from an amount
    ('2,4' for 2,84 = 710,00 / 250). Two candidate repairs (100 × 13.84 against 4384.00:
    the total or the price) make none."""
    read = {"quantity": quantity, "unit_price": unit_price, "line_total": line_total}
    computed: dict[str, Decimal] = {"line_total": quantity * unit_price}
    if quantity:
        computed["unit_price"] = line_total / quantity
    if unit_price:
        computed["quantity"] = line_total / unit_price
    repairs = []
    for name, value in computed.items():
        exponent = read[name].as_tuple().exponent
        if not isinstance(exponent, int):
            continue
        rounded = value.quantize(Decimal(1).scaleb(exponent))
        if value == rounded and one_digit_apart(str(read[name]), str(rounded)):
            repairs.append((name, rounded))
        elif (
            name != "quantity"
            and value == (cents := value.quantize(_CENT))
            and one_digit_dropped(str(read[name]), str(cents))
        ):
            repairs.append((name, cents))
    return repairs


def one_digit_dropped(read: str, whole: str) -> bool:
    """'2.4' read for 2.84: `whole` with one of its digits left out."""
    return len(whole) == len(read) + 1 and any(
        whole[i].isdigit() and whole[:i] + whole[i + 1 :] == read for i in range(len(whole))
    )


def one_digit_apart(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1
