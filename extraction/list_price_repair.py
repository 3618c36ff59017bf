"""An OCR'd line whose figures do not add up, put right by its product's list price.

An order's prices are the catalogue's list prices times one factor (the customer's discount),
which the order's well-read lines show. Where a line's arithmetic does not close and its
product is known, the price that factor gives decides what OCR misread: the price
('1,63' read for 1,53 beside 4 × … = 6,12, where the total could as well be the slip), a price
not read at all, the total, or the quantity. Only slips of one digit are repaired, and only on
OCR'd lines: the figures stay what the customer printed, not what the catalogue would like.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from extraction.matching import ProductMatch, price_fits
from extraction.table_rows import TableLine, one_digit_apart

_CENT = Decimal("0.01")
MIN_SUPPORT = 2
"""Lines whose price fits the factor, besides the one that gives it."""


@dataclass(frozen=True, slots=True)
class _Line:
    """An OCR'd line's figures as read, beside its product's list price and the order's
    factor."""

    quantity: Decimal
    price: Decimal | None
    total: Decimal
    list_price: Decimal
    factor: Decimal

    def fits(self, price: Decimal) -> bool:
        return price_fits(price, self.list_price, self.factor)

    @property
    def factor_price(self) -> Decimal:
        return (self.list_price * self.factor).quantize(_CENT)


def repair_by_list_price(
    rows: Sequence[TableLine], matches: Sequence[ProductMatch | None], methods: frozenset[str]
) -> None:
    """`methods`: the match methods trusted to name the line's product (an identifier).

    A factor that fewer than `MIN_SUPPORT` other lines confirm (a short order) only puts a
    total right, where the line's printed price agrees with that factor to the cent: two
    prices read alike are then the evidence, and no price is made up from one line's
    discount."""
    found = _order_factor(rows, matches, methods)
    if found is None:
        return
    factor, support = found
    for row, match in zip(rows, matches, strict=True):
        list_price = match.product.unit_price if match else None
        if (
            list_price is None
            or row.ocr_confidence is None
            or not row.quantity
            or row.line_total is None
            or row.arithmetic_ok
        ):
            continue
        line = _Line(row.quantity, row.unit_price, row.line_total, list_price, factor)
        if support < MIN_SUPPORT:
            repaired = _total_repaired(line, line.price)
        else:
            repaired = _repaired(line)
            if repaired is None and (counted := _quantity_repaired(line)) is not None:
                row.quantity, row.unit_price = counted
                row.repaired = True
        if repaired is not None:
            row.unit_price, row.line_total = repaired
            row.repaired = True


def _quantity_repaired(line: _Line) -> tuple[Decimal, Decimal] | None:
    """(quantity, price) when the price the factor gives (the one printed, if it fits) goes a
    whole number of times into the total, a number one digit from the quantity read ('100'
    read for 150 beside a lost price and 408,00)."""
    price = line.price if line.price is not None and line.fits(line.price) else line.factor_price
    if not price or line.quantity != line.quantity.to_integral_value():
        return None
    counted = line.total / price
    if counted != counted.to_integral_value():
        return None
    counted = counted.quantize(Decimal(1))
    return (counted, price) if one_digit_apart(str(int(line.quantity)), str(counted)) else None


def _repaired(line: _Line) -> tuple[Decimal, Decimal] | None:
    """(price, total) with one of them put right, when exactly one of them can be; a price
    not read is the printed total's share when that fits the factor."""
    options = []
    implied = (line.total / line.quantity).quantize(_CENT)
    if (
        implied * line.quantity == line.total
        and line.fits(implied)
        and (line.price is None or one_digit_apart(str(line.price), str(implied)))
    ):
        options.append((implied, line.total))
    if line.price is None and options:
        return options[0]  # the printed total gives the price: no figure is changed
    kept = line.price if line.price is not None else line.factor_price
    if (total_put_right := _total_repaired(line, kept)) is not None:
        options.append(total_put_right)
    if len(options) == 2:
        # both within the factor's slack: a price a cent or more nearer list price × factor
        # is it ('16,79' beside 20 × … = 335,40, not 16,77)
        expected = line.list_price * line.factor
        near, far = sorted(options, key=lambda o: abs(o[0] - expected))
        if abs(far[0] - expected) - abs(near[0] - expected) >= _CENT:
            return near
    return options[0] if len(options) == 1 else None


def _total_repaired(line: _Line, price: Decimal | None) -> tuple[Decimal, Decimal] | None:
    """(price, quantity × price) when the price fits the factor and the printed total is one
    digit from that product."""
    if price is None or not line.fits(price):
        return None
    computed = (line.quantity * price).quantize(_CENT)
    return (price, computed) if one_digit_apart(str(line.total), str(computed)) else None


def _order_factor(
    rows: Sequence[TableLine], matches: Sequence[ProductMatch | None], methods: frozenset[str]
) -> tuple[Decimal, int] | None:
    """The factor most well-read lines matched by an identifier agree on, and how many lines
    besides the one giving it agree."""
    known = [
        (row.unit_price, match.product.unit_price)
        for row, match in zip(rows, matches, strict=True)
        if match is not None
        and match.method in methods
        and match.product.unit_price
        and row.unit_price
        and row.arithmetic_ok
        and not row.repaired
    ]
    best: tuple[int, Decimal] | None = None
    for price, list_price in sorted(known, key=lambda pair: -pair[0]):  # dearest: least rounded
        factor = price / list_price
        support = sum(price_fits(p, lp, factor) for p, lp in known)
        if best is None or support > best[0]:
            best = (support, factor)
    if best is None:
        return None
    return best[1], best[0] - 1
