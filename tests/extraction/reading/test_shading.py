"""Whitening grey shading under text (a table header row on grey) before OCR, an option of the
OCR recipe: the shaded words are read, text on white paper is left as it was."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from extraction.reading import preprocess
from extraction.reading.ocr import OcrSettings, ocr_image

HEADER = "Quantity   Unit   Price   Amount"
ROW = "Copper cable red   25.00   0.70   17.50"


def _scan_with_grey_header() -> Image.Image:
    """A noisy 300-dpi strip: a header row on grey (190) above a row on white paper."""
    page = Image.new("L", (2480, 900), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=42)
    draw.rectangle((150, 100, 2300, 260), fill=190)
    draw.text((200, 150), HEADER, fill=20, font=font)
    draw.text((200, 400), ROW, fill=20, font=font)
    noise = np.random.default_rng(3).standard_normal((900, 2480)).astype(np.float32) * 10
    pixels = np.asarray(page, dtype=np.float32) + noise
    pixels[pixels > 228] = 255  # the scanner clips paper grain to white
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def test_with_the_shading_whitened_the_words_of_a_grey_header_row_are_read() -> None:
    page = ocr_image(_scan_with_grey_header(), OcrSettings(whiten_shading=True), dpi=300)
    words = [w.text for w in page.words]
    assert {"Quantity", "Unit", "Price", "Amount"} <= set(words)
    assert {"Copper", "17.50"} <= set(words)


def test_only_the_shading_is_whitened() -> None:
    scan = _scan_with_grey_header()
    before, after = np.asarray(scan), np.asarray(preprocess.whiten_shading(scan, 300))
    band = (slice(110, 140), slice(160, 2290))  # grey above the header's text
    assert np.median(before[band]) < 220
    assert np.mean(after[band] == 255) > 0.99
    assert np.count_nonzero(after[150:200, 200:1200] < 100) > 1000  # the header's ink stays
    assert np.array_equal(before[350:500], after[350:500])  # the row on white is untouched
