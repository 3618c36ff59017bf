"""Subtotal, tax or total that OCR misread, put right by the order's own arithmetic.

On a fax one figure of a printed amount is often misread ('216,50' for '215,50', '17,135' for
'17,15'), or the amount's label is lost and no amount is taken at all. Printed totals obey
subtotal + tax = total, and two more sums are independent of them: the line totals add up to
the subtotal, and the tax is the subtotal at a VAT rate. When the three amounts read do not add
up, each in turn is taken as the one misread and derived from the other two; the derivation is
kept only when a sum it was not derived from confirms it, when the amount read at its place is
one figure off the derived value (or, for an amount not taken, the derived value or one a
figure off it is printed on the page), and when exactly one of the three derivations is confirmed.

Only on OCR'd pages: a text layer's amounts are what was printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from rapidfuzz.distance import Levenshtein

from extraction.candidates import Candidate
from extraction.checks import decimal_or_none, line_arithmetic_ok
from extraction.features import TAX_RATES
from extraction.result import ExtractedLine
from extraction.totals_choice import TOTAL_FIELDS

_CENT = Decimal("0.01")
MAX_FIGURE_EDITS = 1
"""How far (figures inserted, dropped or changed) the amount read may be from the derived one."""


@dataclass(frozen=True, slots=True)
class TotalRepair:
    field: str
    value: str
    candidate: Candidate
    """Where the amount is printed: the misread amount chosen, or the one found one figure off."""


def repair_totals(
    values: dict[str, str | None],
    chosen: dict[str, Candidate | None],
    lines: list[ExtractedLine],
    amounts: list[Candidate],
) -> TotalRepair | None:
    """The one total misread, with its value as the arithmetic gives it; None when what was
    read adds up, when nothing confirms a derivation, or when more than one would do."""
    read = {name: decimal_or_none(values[name]) for name in TOTAL_FIELDS}
    subtotal, tax, total = (read[name] for name in TOTAL_FIELDS)
    if subtotal is not None and tax is not None and total is not None and subtotal + tax == total:
        return None
    lines_sum = _lines_sum(lines)
    repairs = []
    for name in TOTAL_FIELDS:
        derived = _derived(name, read)
        if derived is None or derived <= 0:
            continue
        triple = {**read, name: derived}
        if not _confirmed(name, triple, lines_sum):
            continue
        place = _place(derived, read[name], chosen[name], amounts)
        if place is not None:
            repairs.append(TotalRepair(name, str(derived.quantize(_CENT)), place))
    return repairs[0] if len(repairs) == 1 else None


def _derived(name: str, read: dict[str, Decimal | None]) -> Decimal | None:
    subtotal, tax, total = (read[n] for n in TOTAL_FIELDS)
    if name == "subtotal" and tax is not None and total is not None:
        return total - tax
    if name == "tax_total" and subtotal is not None and total is not None:
        return total - subtotal
    if name == "total" and subtotal is not None and tax is not None:
        return subtotal + tax
    return None


def _confirmed(name: str, triple: dict[str, Decimal | None], lines_sum: Decimal | None) -> bool:
    """The derived value agrees with a sum it was not derived from: a subtotal with the lines'
    sum or with the tax at a VAT rate, a tax with the subtotal at a VAT rate, and a total's
    subtotal and tax with each other."""
    subtotal, tax = triple["subtotal"], triple["tax_total"]
    if subtotal is None or tax is None:
        return False
    if name == "subtotal" and lines_sum is not None and subtotal == lines_sum:
        return True
    return any(
        (subtotal * rate).quantize(_CENT, rounding=ROUND_HALF_UP) == tax for rate in TAX_RATES
    )


def _place(
    derived: Decimal,
    read: Decimal | None,
    chosen: Candidate | None,
    amounts: list[Candidate],
) -> Candidate | None:
    """The candidate the derived amount stands for: the chosen one when its reading is one
    figure off, else the only amount of the page that is it or one figure off (None if none or
    several): an amount whose label OCR misread ('Montant SIT 988,00') was not taken."""
    if chosen is not None and read is not None:
        return chosen if _figures_off(read, derived) else None
    near = {
        c.value: c
        for c in amounts
        if (v := decimal_or_none(c.value)) and (v == derived or _figures_off(v, derived))
    }
    return next(iter(near.values())) if len(near) == 1 else None


def _figures_off(read: Decimal, derived: Decimal) -> bool:
    return 0 < Levenshtein.distance(_figures(read), _figures(derived)) <= MAX_FIGURE_EDITS


def _figures(amount: Decimal) -> str:
    return "".join(ch for ch in f"{amount:f}" if ch.isdigit()).lstrip("0")


def _lines_sum(lines: list[ExtractedLine]) -> Decimal | None:
    """The line totals' sum, when every line's quantity × price gives its total."""
    if not lines or not all(line_arithmetic_ok(line) for line in lines):
        return None
    return sum((Decimal(line.line_total or 0) for line in lines), Decimal(0))
