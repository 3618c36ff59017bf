"""A full page scanned a quarter turn clockwise is read upright: Tesseract reads such a page
confidently as vertical lines, which must not pass for an upright reading."""

from __future__ import annotations

import pytest
from PIL import Image

from extraction.reading import preprocess, read_document
from tests.extraction import reading_fixtures as make

ORDER_LINES = (
    "PURCHASE ORDER PO-6020",
    "Delivery date 2026-12-15",
    "Steel bolts M8 quantity 120",
    "Hex nuts M8 quantity 240",
    "Flat washers quantity 500",
    "Total amount 1,234.50 EUR",
)


@pytest.mark.slow
def test_a_page_turned_clockwise_is_read_upright() -> None:
    scan = make.scan(ORDER_LINES, size=14).rotate(270, expand=True)  # a quarter turn clockwise

    page = read_document(make.png(scan)).pages[0]

    assert page.rotation == 270  # turned back three quarter turns clockwise
    assert page.text.split() == " ".join(ORDER_LINES).split()
    assert page.height > page.width
    for word in page.words:
        if len(word.text) >= 3:
            assert (word.x1 - word.x0) * page.width > (word.y1 - word.y0) * page.height


@pytest.mark.slow
def test_an_upright_page_is_not_taken_for_a_turned_one() -> None:
    page = read_document(make.png(make.scan(ORDER_LINES, size=14))).pages[0]

    assert page.rotation == 0
    assert page.text.split() == " ".join(ORDER_LINES).split()


@pytest.mark.parametrize("degrees", [90, 270])
def test_text_lines_of_a_quarter_turned_page_run_vertically(degrees: int) -> None:
    upright = make.scan(ORDER_LINES, size=14)

    assert not preprocess.lines_run_vertically(upright)
    assert not preprocess.lines_run_vertically(upright.rotate(180, expand=True))
    assert preprocess.lines_run_vertically(upright.rotate(degrees, expand=True))


def test_a_blank_page_has_no_direction() -> None:
    assert not preprocess.lines_run_vertically(Image.new("L", (800, 1100), 255))
