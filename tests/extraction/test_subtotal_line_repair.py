"""OCR'd lines whose one misread figure could be either of two, settled by the subtotal."""

from __future__ import annotations

from decimal import Decimal

from extraction.pages import Word
from extraction.subtotal_line_repair import settle_by_subtotal
from extraction.table_rows import TableLine


def line(quantity: str, price: str, total: str, *, ocr: bool = True) -> TableLine:
    word = Word("x", (0.1, 0.1, 0.2, 0.12), line_id=0, ocr_confidence=0.8 if ocr else None)
    return TableLine(
        quantity=Decimal(quantity),
        unit_price=Decimal(price),
        line_total=Decimal(total),
        words=[word],
    )


def figures(row: TableLine) -> tuple[str, str, str]:
    return str(row.quantity), str(row.unit_price), str(row.line_total)


def test_totals_that_make_the_subtotal_name_the_price_as_the_misread_figure() -> None:
    well_read = line("2.5", "7.29", "18.23")
    undecided = line("10", "4.21", "12.10")  # the price 1.21, or the total 42.10

    settle_by_subtotal([well_read, undecided], Decimal("30.33"), None, None)

    assert figures(undecided) == ("10", "1.21", "12.10")
    assert undecided.repaired
    assert figures(well_read) == ("2.5", "7.29", "18.23")


def test_a_confirmed_subtotal_names_the_one_total_that_makes_it() -> None:
    undecided = line("10", "1.21", "42.10")  # the price 4.21, or the total 12.10

    settle_by_subtotal(
        [line("2.5", "7.29", "18.23"), undecided],
        Decimal("30.33"),
        Decimal("5.76"),
        Decimal("36.09"),
    )

    assert figures(undecided) == ("10", "1.21", "12.10")


def test_a_subtotal_not_read_is_what_the_total_and_the_tax_give() -> None:
    undecided = line("100", "9.24", "424.00")  # the price 4.24, or the total 924.00

    settle_by_subtotal(
        [line("50", "1.28", "64.00"), undecided], None, Decimal("197.60"), Decimal("1185.60")
    )

    assert figures(undecided) == ("100", "9.24", "924.00")


def test_an_unconfirmed_subtotal_does_not_change_a_total() -> None:
    undecided = line("10", "1.21", "42.10")

    settle_by_subtotal(
        [line("2.5", "7.29", "18.23"), undecided], Decimal("30.33"), Decimal("5.76"), None
    )

    assert figures(undecided) == ("10", "1.21", "42.10")
    assert not undecided.repaired


def test_a_sum_that_settles_nothing_changes_nothing() -> None:
    first, second = line("10", "4.21", "12.10"), line("1", "5.61", "5.51")

    # two undecided lines and a subtotal the totals as read do not make
    settle_by_subtotal([first, second], Decimal("47.61"), Decimal("9.05"), Decimal("56.66"))

    assert figures(first) == ("10", "4.21", "12.10")
    assert figures(second) == ("1", "5.61", "5.51")


def test_a_text_layers_figures_are_what_was_printed() -> None:
    printed = line("10", "4.21", "12.10", ocr=False)

    settle_by_subtotal([printed], Decimal("12.10"), None, None)

    assert figures(printed) == ("10", "4.21", "12.10")


def test_a_line_without_a_total_leaves_the_sum_unknown() -> None:
    undecided = line("10", "4.21", "12.10")
    no_total = TableLine(quantity=Decimal(1), unit_price=Decimal("3.00"), words=undecided.words)

    settle_by_subtotal([undecided, no_total], Decimal("12.10"), None, None)

    assert figures(undecided) == ("10", "4.21", "12.10")


def test_a_line_whose_decimal_marks_ocr_dropped_is_put_right_by_a_confirmed_subtotal():
    dropped = line("100", "1384", "138400")  # 13,84 and 1 384,00: its arithmetic closes
    rows = [line("100", "3.74", "374.00"), dropped]

    settle_by_subtotal(rows, Decimal("1758.00"), Decimal("351.60"), Decimal("2109.60"))

    assert figures(dropped) == ("100", "13.84", "1384.00")
    assert dropped.repaired


def test_dropped_decimal_marks_are_not_guessed_from_an_unconfirmed_subtotal():
    dropped = line("100", "1384", "138400")

    settle_by_subtotal([line("100", "3.74", "374.00"), dropped], Decimal("1758.00"), None, None)

    assert figures(dropped) == ("100", "1384", "138400")
