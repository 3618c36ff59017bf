"""A table rule that Tesseract reads as a word ('74°' in a box under a pixel tall, seen on a
generated scan along a row's underline) is not a word. Tesseract's word table is given here
as it came for that row: the misreading depends on scan noise a drawn test page does not
reproduce."""

from __future__ import annotations

import time

import pytest
from PIL import Image

from extraction.reading import ocr, tesseract_engine

ROW = (
    # text, left, top, width, height (pixels of a 2481 x 3508 page)
    ("Graisse", 532, 1576, 150, 40),
    ("Premium", 934, 1576, 135, 40),
    ("74°", 1167, 1576, 261, 1),
    ("|", 1844, 1577, 13, 1),
    ("13.84", 1950, 1578, 95, 40),
)


@pytest.fixture
def tesseract_reads_the_row(monkeypatch: pytest.MonkeyPatch) -> None:
    table = {
        "text": [r[0] for r in ROW],
        "left": [str(r[1]) for r in ROW],
        "top": [str(r[2]) for r in ROW],
        "width": [str(r[3]) for r in ROW],
        "height": [str(r[4]) for r in ROW],
        "conf": ["90", "55", "22", "15", "88"],
        "block_num": ["1"] * len(ROW),
        "par_num": ["1"] * len(ROW),
        "line_num": ["1"] * len(ROW),
    }
    monkeypatch.setattr(tesseract_engine, "words_table", lambda *_, **__: table)


@pytest.mark.usefixtures("tesseract_reads_the_row")
def test_letters_or_digits_in_a_flat_box_are_dropped_and_the_rest_of_the_row_kept() -> None:
    words = ocr.read_words(
        Image.new("L", (2481, 3508), 255),
        ocr.OcrSettings(),
        300,
        time.monotonic() + 10,
        3,
    )
    assert [w.text for w in words] == ["Graisse", "Premium", "|", "13.84"]
