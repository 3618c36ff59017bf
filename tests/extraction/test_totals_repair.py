"""A total OCR misread by one figure, or not taken, put right by the order's arithmetic only when
the lines' sum or the VAT rate confirms it."""

from __future__ import annotations

from extraction.candidates import Candidate
from extraction.result import ExtractedLine
from extraction.totals_repair import repair_totals


def amount(value: str, line: int = 0) -> Candidate:
    return Candidate("amount", value, value, line, 0, 1, 1, (0.8, 0.1, 0.9, 0.12), 0.7)


def line(quantity: str, price: str, total: str) -> ExtractedLine:
    return ExtractedLine(quantity=quantity, unit_price=price, line_total=total, confidence=0.5)


LINES = [line("10", "12.50", "125.00"), line("3", "30.00", "90.00")]  # 215.00, VAT 20 %: 43.00


def repair(read: dict[str, str | None], lines=LINES, extra: tuple[str, ...] = ()):
    chosen = {name: amount(v) if v else None for name, v in read.items()}
    amounts = [c for c in chosen.values() if c] + [amount(v, 9) for v in extra]
    return repair_totals(dict(read), chosen, lines, amounts), chosen


def test_a_subtotal_one_figure_off_the_lines_sum_is_put_right():
    fixed, chosen = repair({"subtotal": "216.00", "tax_total": "43.00", "total": "258.00"})
    assert fixed is not None and (fixed.field, fixed.value) == ("subtotal", "215.00")
    assert fixed.candidate is chosen["subtotal"], "the amount keeps its place on the page"


def test_a_tax_with_a_figure_too_many_is_the_subtotal_at_its_rate():
    # no lines to sum: the 19 % rate alone confirms it
    fixed, _ = repair({"subtotal": "90.25", "tax_total": "17.135", "total": "107.40"}, lines=[])
    assert fixed is not None and (fixed.field, fixed.value) == ("tax_total", "17.15")


def test_a_total_one_figure_off_is_the_sum_of_subtotal_and_tax():
    fixed, _ = repair({"subtotal": "215.00", "tax_total": "43.00", "total": "253.00"})
    assert fixed is not None and (fixed.field, fixed.value) == ("total", "258.00")


def test_a_subtotal_not_taken_is_found_as_the_amount_one_figure_off():
    fixed, _ = repair(
        {"subtotal": None, "tax_total": "43.00", "total": "258.00"}, extra=("815.00", "12.00")
    )
    assert fixed is not None and (fixed.field, fixed.value, fixed.candidate.value) == (
        "subtotal",
        "215.00",
        "815.00",
    )


def test_a_subtotal_not_taken_is_the_amount_printed_that_the_arithmetic_gives():
    """Its label misread ('Montant SIT 215,00'): the lines' sum confirms total - tax."""
    fixed, _ = repair(
        {"subtotal": None, "tax_total": "43.00", "total": "258.00"}, extra=("215.00",)
    )
    assert fixed is not None and (fixed.field, fixed.value, fixed.candidate.value) == (
        "subtotal",
        "215.00",
        "215.00",
    )


def test_amounts_that_add_up_are_left_alone():
    fixed, _ = repair({"subtotal": "215.00", "tax_total": "43.00", "total": "258.00"})
    assert fixed is None


def test_a_derivation_nothing_confirms_is_not_made():
    # 216 + 40 ≠ 255, but no lines to sum and no VAT rate makes 40 the tax of 215 or of 216
    fixed, _ = repair({"subtotal": "216.00", "tax_total": "40.00", "total": "255.00"}, lines=[])
    assert fixed is None


def test_an_amount_more_than_one_figure_off_is_another_amount_not_a_misreading():
    fixed, _ = repair({"subtotal": "315.50", "tax_total": "43.00", "total": "258.00"})
    assert fixed is None


def test_the_lines_sum_confirms_a_subtotal_not_a_tax_derived_from_it():
    # 261.33 − 232.50 = 28.83 is one figure off the tax read too, but only the total's
    # derivation agrees with the 21 % rate
    fixed, _ = repair(
        {"subtotal": "232.50", "tax_total": "48.83", "total": "261.33"},
        lines=[line("250", "0.93", "232.50")],
    )
    assert fixed is not None and (fixed.field, fixed.value) == ("total", "281.33")
