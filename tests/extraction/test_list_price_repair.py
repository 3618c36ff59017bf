"""OCR'd lines that do not add up, put right by the list price times the order's factor."""

from __future__ import annotations

from decimal import Decimal

from extraction.list_price_repair import repair_by_list_price
from extraction.masterdata import ProductRecord
from extraction.matching import ProductMatch, ProductMethod
from extraction.pages import Word
from extraction.table_rows import TableLine

IDENTIFIERS = frozenset({"sku"})
FACTOR_LINES = [  # list prices × 0.91, read well: they show the customer's factor
    ("2.27", "2.07", "250"),
    ("2.03", "1.85", "1"),
    ("5.38", "4.90", "10"),
]


def line(quantity: str, price: str | None, total: str, *, ocr: bool = True) -> TableLine:
    word = Word("x", (0.1, 0.1, 0.2, 0.12), line_id=0, ocr_confidence=0.8 if ocr else None)
    return TableLine(
        quantity=Decimal(quantity),
        unit_price=Decimal(price) if price else None,
        line_total=Decimal(total),
        words=[word],
    )


def order(
    *extra: tuple[TableLine, str, ProductMethod],
) -> tuple[list[TableLine], list[ProductMatch]]:
    rows, matches = [], []
    for list_price, price, quantity in FACTOR_LINES:
        total = str((Decimal(price) * Decimal(quantity)).quantize(Decimal("0.01")))
        rows.append(line(quantity, price, total))
        matches.append(
            ProductMatch(ProductRecord("ODS-1", "x", unit_price=Decimal(list_price)), "sku", 1.0)
        )
    for row, list_price, method in extra:
        rows.append(row)
        matches.append(
            ProductMatch(ProductRecord("ODS-2", "y", unit_price=Decimal(list_price)), method, 1.0)
        )
    return rows, matches


def test_the_factor_decides_which_figure_ocr_misread():
    misread_price = line("4", "1.63", "6.12")  # 1.68 × 0.91 = 1.53; the total is right
    lost_price = line("2", None, "2.50")  # 1.37 × 0.91 = 1.25
    lost_dear_price = line("100", None, "5535.00")  # 60.82 × 0.91 ≈ 55.35 or 55.36: the total says
    misread_total = line("100", "5.65", "585.00")  # 6.21 × 0.91 = 5.65
    rows, matches = order(
        (misread_price, "1.68", "sku"),
        (lost_price, "1.37", "description"),
        (misread_total, "6.21", "description"),
        (lost_dear_price, "60.82", "sku"),
    )
    repair_by_list_price(rows, matches, IDENTIFIERS)
    assert (misread_price.unit_price, misread_price.line_total) == (
        Decimal("1.53"),
        Decimal("6.12"),
    )
    assert lost_price.unit_price == Decimal("1.25")
    assert (lost_dear_price.unit_price, lost_dear_price.line_total) == (
        Decimal("55.35"),
        Decimal("5535.00"),
    )
    assert misread_total.line_total == Decimal("565.00")
    assert all(r.repaired for r in (misread_price, lost_price, misread_total))
    assert not any(r.repaired for r in rows[:3])


def test_what_is_not_one_slip_or_not_ocr_is_left_as_printed():
    special_price = line("4", "1.20", "4.80")  # closes: the customer's own price stands
    two_slips = line("4", "1.63", "6.72")
    either = line("100", "5.65", "566.00")  # 5.66 × 100 or 5.65 × 100 = 565.00: both fit
    typed = line("4", "1.63", "6.12", ocr=False)
    rows, matches = order(
        (special_price, "1.68", "sku"),
        (two_slips, "1.68", "sku"),
        (typed, "1.68", "sku"),
        (either, "6.21", "sku"),
    )
    repair_by_list_price(rows, matches, IDENTIFIERS)
    assert [(r.unit_price, r.line_total) for r in (special_price, two_slips, typed, either)] == [
        (Decimal("1.20"), Decimal("4.80")),
        (Decimal("1.63"), Decimal("6.72")),
        (Decimal("1.63"), Decimal("6.12")),
        (Decimal("5.65"), Decimal("566.00")),
    ]
    assert not any(r.repaired for r in rows)


def test_without_lines_that_agree_on_a_factor_nothing_is_repaired():
    misread = line("4", "1.63", "6.12")
    rows, matches = order((misread, "1.68", "sku"))
    repair_by_list_price(rows[1:], matches[1:], IDENTIFIERS)  # two lines show the factor
    assert misread.unit_price == Decimal("1.63")


def test_a_short_order_puts_right_only_a_total_whose_price_agrees_with_its_factor():
    misread_total = line("100", "5.65", "585.00")  # 6.21 × 0.91 = 5.65, as the other line's
    misread_price = line("4", "1.63", "6.12")  # 1.68 × 0.91 = 1.53: one line is too little
    rows, matches = order((misread_total, "6.21", "sku"), (misread_price, "1.68", "sku"))
    repair_by_list_price(rows[2:], matches[2:], IDENTIFIERS)  # one line shows the factor
    assert (misread_total.unit_price, misread_total.line_total) == (
        Decimal("5.65"),
        Decimal("565.00"),
    )
    assert misread_total.repaired
    assert (misread_price.unit_price, misread_price.line_total) == (
        Decimal("1.63"),
        Decimal("6.12"),
    )


def test_of_two_repairs_the_factor_allows_the_price_it_gives_to_the_cent_wins():
    # 18.45 × 0.91 = 16.79: the total is the slip, though 335.40 / 20 = 16.77 is within the
    # factor's slack too
    dear = line("20", "16.79", "335.40")
    rows, matches = order((dear, "18.45", "sku"))
    repair_by_list_price(rows, matches, IDENTIFIERS)
    assert (dear.unit_price, dear.line_total) == (Decimal("16.79"), Decimal("335.80"))


def test_a_misread_quantity_beside_a_lost_price_is_what_the_factor_price_goes_into_the_total():
    # 2.99 × 0.91 = 2.72, and 408.00 / 2.72 = 150: '100' was the misread figure
    lost = line("100", None, "408.00")
    far = line("300", None, "408.00")  # 150 is more than one digit from 300
    rows, matches = order((lost, "2.99", "sku"), (far, "2.99", "sku"))
    repair_by_list_price(rows, matches, IDENTIFIERS)
    assert (lost.quantity, lost.unit_price, lost.line_total) == (
        Decimal(150),
        Decimal("2.72"),
        Decimal("408.00"),
    )
    assert (far.quantity, far.unit_price, far.repaired) == (Decimal(300), None, False)
