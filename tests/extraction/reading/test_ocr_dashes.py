"""Standalone dashes after OCR: the hyphen, the en dash and the middle dot that Tesseract reads
alike as '-' are told apart by their shape."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from PIL import Image, ImageDraw

from extraction.pages import Word
from extraction.reading import read_document
from extraction.reading.ocr_dashes import typeset_dashes
from tests.extraction import reading_fixtures as make

WIDTH, HEIGHT = 2480, 3508  # A4 at 300 dpi


def _word(text: str, x0: int, width: int, top: int, height: int) -> Word:
    return Word(
        text=text,
        bbox=(x0 / WIDTH, top / HEIGHT, (x0 + width) / WIDTH, (top + height) / HEIGHT),
        line_id=0,
        ocr_confidence=0.9,
    )


def _typeset(words: Sequence[Word]) -> list[Word]:
    """typeset_dashes on a page where each standalone dash is inked as a bar filling its box."""
    page = Image.new("L", (WIDTH, HEIGHT), 255)
    draw = ImageDraw.Draw(page)
    for word in words:
        if set(word.text) <= set("-~"):
            box = (word.x0 * WIDTH, word.y0 * HEIGHT, word.x1 * WIDTH - 1, word.y1 * HEIGHT - 1)
            draw.rectangle(box, fill=0)
    return typeset_dashes(words, page)


def _line(dash_width: int, dash_height: int) -> list[Word]:
    """'Carter - Warehouse' on a line whose words are 40 px high, the dash as given."""
    return [
        _word("Carter", 100, 150, 1000, 40),
        _word("-", 270, dash_width, 1020, dash_height),
        _word("Warehouse", 320, 230, 1000, 40),
    ]


def test_a_dash_is_read_by_its_length_against_the_line_height() -> None:
    assert _typeset(_line(27, 4))[1].text == "\u2013"  # en dash
    assert _typeset(_line(13, 4))[1].text == "-"  # hyphen
    assert _typeset(_line(50, 4))[1].text == "\u2014"  # em dash
    assert _typeset(_line(6, 6))[1].text == "\u00b7"  # middle dot


def test_a_flat_tilde_is_the_dash_a_fax_frayed_and_a_wavy_one_stays() -> None:
    line = _line(27, 4)
    line[1] = replace(line[1], text="~")
    assert _typeset(line)[1].text == "\u2013"
    wavy = _line(20, 14)
    wavy[1] = replace(wavy[1], text="~")
    assert _typeset(wavy)[1].text == "~"


def test_dashes_inside_words_and_lines_without_words_to_measure_are_left_alone() -> None:
    inside = [_word("ODS-11835", 100, 200, 1000, 40), _word("12,50", 400, 100, 1000, 40)]
    assert [w.text for w in _typeset(inside)] == ["ODS-11835", "12,50"]
    alone = [_word("-", 270, 27, 1020, 4), _word("12", 320, 40, 1000, 40)]
    assert _typeset(alone)[0].text == "-"  # no word of three letters


def test_a_scanned_return_address_and_site_name_keep_their_dot_and_dash() -> None:
    image = make.scan(
        [
            "Carter Laboratories plc \u00b7 89 Station Road \u00b7 London",
            "Carter plc \u2013 Warehouse",
        ],
        size=11,
    )
    words = [w.text for w in read_document(make.png(image)).pages[0].words]
    assert words.count("\u00b7") == 2
    assert "\u2013" in words
    assert "-" not in words


def test_a_dash_boxed_as_a_sliver_of_its_ink_is_measured_on_the_page() -> None:
    line = _line(27, 4)
    page = Image.new("L", (WIDTH, HEIGHT), 255)
    ImageDraw.Draw(page).rectangle((270, 1020, 296, 1023), fill=0)  # an en dash's bar
    line[1] = _word("-", 280, 6, 1021, 3)  # the box the engine gave: a sliver of it
    assert typeset_dashes(line, page)[1].text == "\u2013"
