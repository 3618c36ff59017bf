"""Business checks on an extraction: the arithmetic closes, every line is a known item at about
its list price, the customer is known. Each failed check is a reason an agent reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from extraction.charges import is_charge_line
from extraction.masterdata import MasterData
from extraction.normalize import parse_gtin
from extraction.result import ExtractedLine, Extraction

PRICE_DEVIATION_LIMIT = Decimal("0.15")
"""A unit price more than 15 % away from the list price (same currency) is flagged: customers'
negotiated prices commonly sit within that band of the list."""
_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class CheckResult:
    name: str
    passed: bool
    reason: str = ""
    line: int | None = None
    """0-based line index for line checks."""


def decimal_or_none(value: str | None) -> Decimal | None:
    """A normal-form amount as a Decimal; None when absent or not a number."""
    if value is None:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        return None


def _close(a: Decimal, b: Decimal, *, terms: int = 1) -> bool:
    """Equal to the cent, allowing one cent of rounding per summed term."""
    return abs(a - b) <= _CENT * max(terms, 1)


def line_arithmetic_ok(line: ExtractedLine) -> bool:
    qty, price, total = (
        decimal_or_none(line.quantity),
        decimal_or_none(line.unit_price),
        decimal_or_none(line.line_total),
    )
    if qty is None or price is None or total is None:
        return False
    return _close(qty * price, total)


def run_checks(extraction: Extraction, master: MasterData) -> list[CheckResult]:
    results: list[CheckResult] = []
    lines = extraction.lines
    if not lines:
        results.append(CheckResult("lines", False, "no line items found"))
    for i, line in enumerate(lines):
        ok = line_arithmetic_ok(line)
        results.append(
            CheckResult(
                "line_arithmetic",
                ok,
                "" if ok else f"line {i + 1}: quantity × unit price ≠ line total",
                line=i,
            )
        )
    results.extend(_totals_checks(extraction))
    results.extend(_order_number_checks(extraction))
    results.extend(_catalogue_checks(extraction, master))
    if extraction.customer_id is None:
        results.append(CheckResult("customer", False, "customer not found in the master data"))
    return results


def _order_number_checks(extraction: Extraction) -> list[CheckResult]:
    """An order number of 13 or 14 digits that is a valid GLN or GTIN is more likely the
    buyer's location number ('GLN: 4012345000009') or an item's, printed near the order's."""
    po_number = extraction.field_value("po_number")
    if po_number and po_number.isdigit() and len(po_number) in (13, 14) and parse_gtin(po_number):
        return [
            CheckResult(
                "po_number",
                False,
                f"po_number {po_number} is a valid GLN/GTIN: a location or item number?",
            )
        ]
    return []


def _totals_checks(extraction: Extraction) -> list[CheckResult]:
    subtotal = decimal_or_none(extraction.field_value("subtotal"))
    tax = decimal_or_none(extraction.field_value("tax_total"))
    total = decimal_or_none(extraction.field_value("total"))
    line_totals = [decimal_or_none(line.line_total) for line in extraction.lines]
    results: list[CheckResult] = []
    if subtotal is None and total is None:
        results.append(CheckResult("totals", False, "no order total found"))
        return results
    if line_totals and all(v is not None for v in line_totals):
        lines_sum = sum((v for v in line_totals if v is not None), Decimal(0))
        net = subtotal if subtotal is not None else (total if tax is None else None)
        if net is not None:
            ok = _close(lines_sum, net, terms=len(line_totals))
            results.append(
                CheckResult(
                    "lines_sum", ok, "" if ok else f"sum of lines {lines_sum} ≠ subtotal {net}"
                )
            )
    elif line_totals:
        results.append(CheckResult("lines_sum", False, "a line has no total"))
    if subtotal is not None and total is not None:
        if tax is None:
            ok = subtotal == total
            reason = f"subtotal {subtotal} ≠ total {total} and no tax shown"
        else:
            ok = _close(subtotal + tax, total)
            reason = f"subtotal {subtotal} + tax {tax} ≠ total {total}"
        results.append(CheckResult("totals", ok, "" if ok else reason))
    return results


def _catalogue_checks(extraction: Extraction, master: MasterData) -> list[CheckResult]:
    products = {p.sku: p for p in master.products}
    currency = extraction.field_value("currency")
    results: list[CheckResult] = []
    for i, line in enumerate(extraction.lines):
        if line.product_sku is None:
            if line.sku is None and is_charge_line(line.description):
                continue  # freight, packaging, a deposit: no catalogue product is expected
            if line.sku is not None or line.description:
                label = line.sku or (line.description or "")[:40]
                results.append(
                    CheckResult(
                        "known_item", False, f"line {i + 1}: unknown item {label!r}", line=i
                    )
                )
            continue
        product = products.get(line.product_sku)
        price = decimal_or_none(line.unit_price)
        if product is None or product.unit_price is None or price is None or not product.unit_price:
            continue
        if product.currency and currency and product.currency != currency:
            continue
        deviation = abs(price - product.unit_price) / product.unit_price
        # a price is rounded to its last printed digit: 15 % off 3.12 prints as 2.65
        rounding = Decimal(1).scaleb(int(price.as_tuple().exponent)) / 2
        limit = PRICE_DEVIATION_LIMIT * product.unit_price + rounding
        ok = abs(price - product.unit_price) <= limit
        results.append(
            CheckResult(
                "price",
                ok,
                ""
                if ok
                else f"line {i + 1}: unit price {price} differs from list price "
                f"{product.unit_price} by {deviation:.0%}",
                line=i,
            )
        )
    return results
