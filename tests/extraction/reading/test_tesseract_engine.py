"""Tesseract inside the process (the real engine, Debian's language data): word tables, the
orientation, engines shared by threads, time limits and missing language data."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from PIL import Image

from extraction.reading import tesseract_engine
from extraction.reading.errors import ReadTimeoutError
from extraction.reading.tesseract_engine import OcrEngineError, orientation, words_table
from tests.extraction import reading_fixtures as make

LINES = ("PURCHASE ORDER PO-6020", "Delivery date 2026-12-15", "Hex nuts M8 quantity 240")


def _words(image: Image.Image, *, languages: str = "eng") -> list[str]:
    table = words_table(
        image,
        languages=languages,
        segmentation_mode=3,
        dpi=300,
        deadline=time.monotonic() + 60,
    )
    return [text for text in table["text"] if text.strip()]


def test_the_word_table_holds_every_printed_word_with_its_box_and_confidence() -> None:
    image = make.scan(LINES, size=14)

    table = words_table(
        image, languages="eng", segmentation_mode=3, dpi=300, deadline=time.monotonic() + 60
    )

    words = [i for i, text in enumerate(table["text"]) if text.strip()]
    assert [table["text"][i] for i in words] == " ".join(LINES).split()
    first = words[0]
    assert 0 < int(table["left"][first]) < image.width // 4
    assert int(table["width"][first]) > 0 and int(table["height"][first]) > 0
    assert all(0 <= float(table["conf"][i]) <= 100 for i in words)
    # the three printed lines are three lines of the table
    lines = {(table["block_num"][i], table["par_num"][i], table["line_num"][i]) for i in words}
    assert len(lines) == 3


def test_threads_reading_at_once_each_get_an_engine_of_their_own() -> None:
    pages = [
        make.scan((f"Order number PO-{6021 + n}", "Quantity 12 pieces"), size=14) for n in range(4)
    ]

    with ThreadPoolExecutor(max_workers=2) as pool:
        readings = list(pool.map(_words, pages))

    assert readings == [
        ["Order", "number", f"PO-{6021 + n}", "Quantity", "12", "pieces"] for n in range(4)
    ]
    assert len(tesseract_engine._idle["eng"]) <= 2  # kept for the next pages, not one per call


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_the_orientation_is_the_quarter_turns_that_make_the_page_upright(turn: int) -> None:
    page = make.scan(LINES * 4, size=14)
    turned = page.rotate(turn, expand=True)  # PIL turns counter-clockwise

    found = orientation(turned, time.monotonic() + 60)

    assert found is not None
    assert found.quarter_turns == turn // 90  # clockwise turns undo counter-clockwise ones


def test_a_blank_page_has_no_orientation() -> None:
    assert orientation(Image.new("L", (1200, 1600), 255), time.monotonic() + 60) is None


def test_a_page_past_its_deadline_is_not_read() -> None:
    with pytest.raises(ReadTimeoutError):
        words_table(
            make.scan(LINES),
            languages="eng",
            segmentation_mode=3,
            dpi=300,
            deadline=time.monotonic() - 1,
        )


def test_missing_language_data_names_the_package_to_install() -> None:
    with pytest.raises(OcrEngineError, match="tesseract-ocr-xyz") as raised:
        _words(make.scan(LINES), languages="eng+xyz")

    assert raised.value.reason == "ocr_unavailable"
