"""The fax machine's line at the top of a page, and an OCR'd order date after it."""

from __future__ import annotations

from datetime import date

import pytest

from extraction.fax_header import fax_sent_date, order_date_before_sending
from extraction.layout import build_layout
from tests.extraction.test_extractor_tables import ocr_page, words_at
from tests.extraction.test_extractor_values import read_of


def test_the_date_of_the_fax_line_across_the_top_of_the_first_page_is_the_sending_date():
    top = ocr_page(
        [
            (0.004, words_at("28.03.2026 09:17 +352 223 784 136 Schmit P.001/001", 0.02)),
            (0.100, words_at("PO Date: 28.03.2028", 0.5)),
        ]
    )
    assert fax_sent_date(build_layout(read_of(top))) == date(2026, 3, 28)
    lower = ocr_page([(0.100, words_at("28.03.2026 09:17 Schmit", 0.02))])
    assert fax_sent_date(build_layout(read_of(lower))) is None  # not the machine's line


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        (date(2028, 3, 28), date(2026, 3, 28)),  # the year's last digit misread
        (date(2026, 3, 29), date(2026, 3, 28)),  # a day after sending: the latest that fits
        (date(2026, 3, 20), None),  # before sending: as read
        (date(2031, 7, 4), None),  # nothing one digit off fits
    ],
)
def test_an_order_date_after_sending_is_the_one_digit_off_date_on_or_before_it(
    read: date, expected: date | None
) -> None:
    assert order_date_before_sending(read, date(2026, 3, 28)) == expected
