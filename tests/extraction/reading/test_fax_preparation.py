"""Preparing black-and-white pages (faxes) for OCR: line noise despeckled, table rules painted
out, dark bands inverted, resampling to 300 dpi."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extraction.reading import preprocess, read_document
from extraction.reading.images import iter_image_pages
from tests.extraction import reading_fixtures as make

DPI = 200


def _table_cell(text: str) -> tuple[Image.Image, tuple[int, int, int, int]]:
    """A bilevel 200-dpi page with `text` in a ruled cell (borders touching the text's left)
    and the box the text was drawn in."""
    page = Image.new("L", (900, 300), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=28)
    draw.rectangle((40, 60, 860, 160), outline=0, width=2)
    draw.line((300, 60, 300, 160), fill=0, width=2)
    left, top, right, bottom = (round(v) for v in draw.textbbox((306, 90), text, font=font))
    draw.text((306, 90), text, fill=0, font=font)
    return page.point(lambda v: 255 if v > 128 else 0), (left, top, right, bottom)


def _ink(image: Image.Image, box: tuple[int, int, int, int] | None = None) -> int:
    pixels = np.asarray(image if box is None else image.crop(box))
    return int(np.count_nonzero(pixels < 128))


def test_rules_are_painted_out_and_the_text_stays() -> None:
    page, text_box = _table_cell("ODS-11588 Hex nut M8")
    inside = (text_box[0] + 4, text_box[1], text_box[2], text_box[3])  # clear of the rule

    cleaned = preprocess.remove_rules(page, DPI)

    assert _ink(cleaned, inside) == _ink(page, inside)
    assert _ink(cleaned) == pytest.approx(_ink(page, inside), abs=_ink(page, inside) * 0.05)
    assert _ink(cleaned, (0, 0, 290, 300)) == 0  # the cell's borders left of the text
    assert _ink(cleaned, (0, 0, 900, 85)) == 0  # the top border


def test_a_broken_skewed_rule_is_still_a_rule() -> None:
    page = Image.new("L", (900, 200), 255)
    draw = ImageDraw.Draw(page)
    draw.line((20, 100, 880, 108), fill=0, width=2)  # half a degree off
    pixels = np.asarray(page).copy()
    pixels[:, ::37] = 255  # gaps, as noise leaves in a fax's rules

    cleaned = preprocess.remove_rules(Image.fromarray(pixels), DPI)

    assert _ink(cleaned) == 0


def test_short_strokes_and_text_are_not_rules() -> None:
    page = Image.new("L", (600, 200), 255)
    draw = ImageDraw.Draw(page)
    draw.line((20, 50, 20 + int(0.2 * DPI), 50), fill=0, width=2)  # a dash, 5 mm
    draw.text((20, 100), "Total 1.234,50 EUR", fill=0, font=ImageFont.load_default(size=40))

    assert preprocess.remove_rules(page, DPI) is page  # nothing to remove


def test_a_fax_page_is_resampled_to_square_300_dpi_pixels() -> None:
    data = make.fax_tiff([("Order number PO-7001",)])
    page = next(iter_image_pages(data, max_pages=5, max_pixels=10**8))
    width, height = page.image.size  # 200 dpi both ways: each fax row twice

    upscaled = preprocess.upscale_bilevel(page.image, page.dpi, target_dpi=300)

    assert upscaled.size == (round(width * 1.5), round(height * 1.5))
    assert upscaled.width / upscaled.height == pytest.approx(
        make.PAGE_WIDTH / make.PAGE_HEIGHT, rel=0.01
    )
    assert upscaled.mode == "L" and upscaled.getcolors(2) is None  # smooth edges


def test_pages_already_fine_or_of_unknown_resolution_are_not_resampled() -> None:
    page = Image.new("L", (100, 100), 255)

    assert preprocess.upscale_bilevel(page, 300, target_dpi=300) is page
    assert preprocess.upscale_bilevel(page, None, target_dpi=300) is page


@pytest.mark.slow
def test_a_ruled_fax_is_read_without_bars_glued_to_its_words() -> None:
    page, _ = _table_cell("ODS-11588 Hex nut M8")
    fax = page.resize((page.width, page.height // 2), Image.Resampling.NEAREST).convert("1")
    sheet = Image.new("1", (1654, 1169), 1)
    sheet.paste(fax, (100, 200))
    out = io.BytesIO()
    sheet.save(out, format="TIFF", compression="group4", dpi=(200, 100))

    words = read_document(out.getvalue(), media_type="image/tiff").pages[0].text.split()

    assert words == ["ODS-11588", "Hex", "nut", "M8"]


def _banner(title: str) -> Image.Image:
    """A bilevel 200-dpi page with `title` in white on a black band, and black text below."""
    page = Image.new("L", (1600, 600), 255)
    draw = ImageDraw.Draw(page)
    draw.rectangle((0, 40, 1599, 160), fill=0)
    draw.text((80, 70), title, fill=255, font=ImageFont.load_default(size=48))
    draw.text((80, 300), "Kunden-Nr.: C0042", fill=0, font=ImageFont.load_default(size=32))
    return page.point(lambda v: 255 if v > 128 else 0)


def test_a_dark_band_is_turned_negative_and_the_rest_of_the_page_is_not() -> None:
    page = _banner("BESTELLUNG Nr. PO82199")
    inverted = np.asarray(preprocess.invert_dark_areas(page, DPI))
    band, below = inverted[40:161], inverted[200:]
    assert (band < 128).mean() < 0.2  # the band is paper now, its letters ink
    assert np.array_equal(below, np.asarray(page)[200:])


def test_bold_text_and_small_blots_are_not_dark_areas() -> None:
    page = Image.new("L", (1600, 600), 255)
    draw = ImageDraw.Draw(page)
    draw.text((80, 100), "BESTELLUNG", fill=0, font=ImageFont.load_default(size=72))
    draw.rectangle((900, 300, 1000, 360), fill=0)  # half an inch wide: a blot, not a band
    assert preprocess.invert_dark_areas(page, DPI) is page


@pytest.mark.slow
def test_white_text_on_a_band_a_fax_made_black_is_read() -> None:
    fax = _banner("BESTELLUNG Nr. PO82199")
    fax = fax.resize((fax.width, fax.height // 2), Image.Resampling.NEAREST).convert("1")
    out = io.BytesIO()
    fax.save(out, format="TIFF", compression="group4", dpi=(200, 100))

    text = read_document(out.getvalue(), media_type="image/tiff").pages[0].text

    assert "PO82199" in text
    assert "C0042" in text


def _text_with_specks(specks: int) -> Image.Image:
    """A bilevel 200-dpi page of prices (decimal commas, periods) with `specks` one-pixel fax
    specks (doubled to square pixels) scattered at random."""
    page = Image.new("L", (1600, 1000), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=24)
    for row in range(8):
        draw.text(
            (60, 60 + row * 110), f"Pos. {row + 1}  Art. 4711-{row}  12,50  1.234,00", font=font
        )
    pixels = np.asarray(page.point(lambda v: 255 if v > 128 else 0)).copy()
    rng = np.random.default_rng(7)
    ys = rng.integers(0, pixels.shape[0] // 2, specks) * 2
    xs = rng.integers(0, pixels.shape[1], specks)
    pixels[ys, xs] = 0
    pixels[ys + 1, xs] = 0
    return Image.fromarray(pixels)


def test_a_page_full_of_line_noise_loses_its_specks_and_keeps_its_punctuation() -> None:
    clean = _text_with_specks(0)
    noisy = _text_with_specks(12_000)  # 300 a square inch

    cleaned = preprocess.remove_specks(noisy, DPI)

    assert _ink(noisy) - _ink(cleaned) > 0.9 * (_ink(noisy) - _ink(clean))
    # every pixel of the text's own ink, commas and periods included, is still there
    text = np.asarray(clean) < 128
    assert np.all(np.asarray(cleaned)[text] < 128)


def test_the_specks_of_a_clean_page_are_its_punctuation_and_stay() -> None:
    page = _text_with_specks(400)  # 10 a square inch: dust, or the dots of the text

    assert preprocess.remove_specks(page, DPI) is page
