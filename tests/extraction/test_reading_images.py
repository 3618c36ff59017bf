"""Scans and faxes: orientation, square pixels, several pages."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from extraction.reading import read_document
from extraction.reading.images import iter_image_pages
from tests.extraction import reading_fixtures as make

LINES = ("Order number PO-6020", "Delivery 2026-12-15", "Total 950.00 EUR")


@pytest.mark.slow
@pytest.mark.parametrize("turned_by", [90, 180])
def test_rotated_scan_is_read_upright(turned_by: int) -> None:
    scan = make.scan(LINES).rotate(turned_by, expand=True)

    page = read_document(make.png(scan)).pages[0]

    assert page.text.split() == " ".join(LINES).split()
    assert page.rotation == turned_by  # turned back clockwise by as much
    width, height = (page.width, page.height)
    assert height > width  # the upright A4 page, not the sideways image


def test_fax_tiff_pages_are_read_with_square_pixels() -> None:
    first, second = ("Order number PO-7001", "Quantity 12"), ("Second page", "Signed Martin")
    data = make.fax_tiff([first, second])
    with Image.open(io.BytesIO(data)) as tiff:
        assert (tiff.mode, tiff.info["compression"], getattr(tiff, "n_frames", 1)) == (
            "1",
            "group4",
            2,
        )

    result = read_document(data, media_type="image/tiff")

    assert result.media_type == "image/tiff"
    assert [p.number for p in result.pages] == [1, 2]
    assert result.pages[0].text.split() == " ".join(first).split()
    assert result.pages[1].text.split() == " ".join(second).split()
    page = result.pages[0]
    assert page.height / page.width == pytest.approx(make.PAGE_HEIGHT / make.PAGE_WIDTH, rel=0.01)


@pytest.mark.slow
def test_skewed_scan_is_straightened_so_words_of_a_line_share_a_height() -> None:
    skewed = make.scan(LINES).rotate(-2.5, resample=Image.Resampling.BICUBIC, fillcolor=255)

    page = read_document(make.png(skewed)).pages[0]

    assert page.text.split() == " ".join(LINES).split()
    first_line = [w for w in page.words if w.line_id == page.words[0].line_id]
    assert first_line[-1].x0 - first_line[0].x0 > 0.2  # a long line, where skew would show
    assert abs(first_line[-1].y_center - first_line[0].y_center) < 0.003


def test_fax_page_stays_black_and_white_once_its_pixels_are_square() -> None:
    data = make.fax_tiff([("Order number PO-7001",)])

    page = next(iter_image_pages(data, max_pages=5, max_pixels=10**8))

    assert page.dpi == 200
    assert page.image.getcolors(2) is not None  # only black and white: read as a fax
