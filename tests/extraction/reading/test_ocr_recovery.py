"""The second OCR pass over ink Tesseract's layout analysis left without a word: text-sized
patches are read (with the real Tesseract) and come back in the page's coordinates; rules,
specks and the leftover stroke of a word that was read are not sent."""

from __future__ import annotations

import time

from PIL import Image, ImageDraw, ImageFont

from extraction.pages import Word
from extraction.reading.ocr import OcrSettings, read_words
from extraction.reading.ocr_recovery import (
    dropped_text_patches,
    read_dropped_text,
    with_dropped_text,
)

DPI = 300
WIDTH, HEIGHT = 1800, 600
FONT = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 42)  # 10 pt


def _page() -> tuple[Image.Image, Word]:
    """'Betrag' at the left (read), '67,83' at the right (not read), a table rule, specks."""
    image = Image.new("L", (WIDTH, HEIGHT), 255)
    draw = ImageDraw.Draw(image)
    draw.text((100, 200), "Betrag", font=FONT, fill=0)
    draw.text((1300, 200), "67,83", font=FONT, fill=0)
    draw.line((100, 450, 1700, 450), fill=0, width=3)
    for x in range(300, 1200, 150):
        draw.point((x, 350), fill=0)
    left, top, right, bottom = draw.textbbox((100, 200), "Betrag", font=FONT)
    read = Word(
        "Betrag",
        (left / WIDTH, top / HEIGHT, right / WIDTH, bottom / HEIGHT),
        line_id=0,
        ocr_confidence=0.95,
    )
    return image, read


def _tesseract_block(image: Image.Image) -> list[Word]:
    return read_words(image, OcrSettings(languages="eng"), DPI, time.monotonic() + 60, 6)


def test_only_the_text_sized_ink_no_word_covers_is_sent() -> None:
    image, read = _page()
    (patch,) = dropped_text_patches(image, [read], DPI)
    assert 1290 <= patch.left <= 1305 and patch.right <= 1440
    assert patch.top >= 200 and patch.bottom <= 260


def test_dropped_words_come_back_where_they_are_printed() -> None:
    image, read = _page()
    (word,) = read_dropped_text(image, [read], DPI, _tesseract_block)
    assert word.text == "67,83"
    assert 1295 / WIDTH <= word.x0 < word.x1 <= 1440 / WIDTH
    assert 200 / HEIGHT <= word.y0 < word.y1 <= 260 / HEIGHT
    assert word.line_id != read.line_id and word.ocr_confidence and word.ocr_confidence >= 0.5


def test_the_rest_of_a_word_that_was_read_is_not_read_again() -> None:
    image, read = _page()
    clipped = Word("Betra", (read.x0, read.y0, read.x1 - 25 / WIDTH, read.y1), line_id=0)
    assert [p.left < 600 for p in dropped_text_patches(image, [clipped], DPI)] == [False]
    assert dropped_text_patches(image, [read, _covering(1290, 1450)], DPI) == []


def _covering(left: int, right: int) -> Word:
    return Word("67,83", (left / WIDTH, 190 / HEIGHT, right / WIDTH, 270 / HEIGHT), line_id=1)


def test_a_sliver_of_a_word_read_again_gives_way_to_the_second_reading() -> None:
    image, read = _page()
    top = ImageDraw.Draw(image).textbbox((1300, 200), "67,83", font=FONT)[1]
    sliver = Word("67,83", (1300 / WIDTH, (top - 9) / HEIGHT, 1430 / WIDTH, (top - 7) / HEIGHT), 1)
    words = with_dropped_text(image, [read, sliver], DPI, _tesseract_block)
    assert [w.text for w in words] == ["Betrag", "67,83"]
    assert words[1].y1 - words[1].y0 > 20 / HEIGHT  # the full word's box, not the sliver
