"""Page images for the review screen, and page counts."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from extraction.reading import count_pages, render_page_png
from extraction.reading.preprocess import measure_skew
from tests.extraction import reading_fixtures as make


def _image(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


def _ink_box(image: Image.Image) -> tuple[int, int, int, int]:
    inverted = Image.eval(image.convert("L"), lambda v: 255 - v)
    box = inverted.point(lambda v: 255 if v > 128 else 0).getbbox()
    assert box is not None
    return box


def test_pdf_page_renders_to_png_of_the_requested_width_and_page_shape() -> None:
    image = _image(
        render_page_png(make.text_pdf(), media_type="application/pdf", page_number=1, width_px=600)
    )

    assert image.format == "PNG" and image.width == 600
    assert image.height == round(600 * make.PAGE_HEIGHT / make.PAGE_WIDTH)
    left, _, _, _ = _ink_box(image)
    assert left == pytest.approx(
        make.MARGIN / make.PAGE_WIDTH * 600, abs=3
    )  # the title's left edge


def test_rotation_turns_the_page_image_clockwise() -> None:
    sideways = make.scan(["Order"], dpi=72).rotate(90, expand=True)  # text reads bottom-to-top

    image = _image(
        render_page_png(
            make.png(sideways, dpi=72),
            media_type="image/png",
            page_number=1,
            width_px=300,
            rotation=90,
        )
    )

    assert image.height > image.width


def test_fax_page_renders_with_square_pixels() -> None:
    data = make.fax_tiff([["Page one"], ["Page two"]])

    image = _image(render_page_png(data, media_type="image/tiff", page_number=2, width_px=400))

    assert image.height / image.width == pytest.approx(make.PAGE_HEIGHT / make.PAGE_WIDTH, rel=0.01)


def test_plain_text_page_renders_its_characters() -> None:
    image = _image(
        render_page_png(b"Order PO-1\nQty 3", media_type="text/plain", page_number=1, width_px=800)
    )

    left, top, right, _ = _ink_box(image)
    assert left < 15 and top < 30 and right < 800 * 12 / 80


def test_missing_page_raises_index_error() -> None:
    with pytest.raises(IndexError):
        render_page_png(make.text_pdf(), media_type="application/pdf", page_number=2)


@pytest.mark.parametrize(
    ("data", "media_type", "pages"),
    [
        (make.mixed_pdf(["a"], ["b"]), "application/pdf", 2),
        (make.fax_tiff([["a"], ["b"], ["c"]]), "image/tiff", 3),
        ("\n".join(["x"] * 61).encode(), "text/plain", 2),
    ],
)
def test_count_pages(data: bytes, media_type: str, pages: int) -> None:
    assert count_pages(data, media_type=media_type) == pages


@pytest.mark.parametrize("as_pdf", [False, True])
def test_scanned_page_image_is_straightened_as_ocr_read_it(as_pdf: bool) -> None:
    skewed = make.scan(["Order number PO-6020", "Total 950.00 EUR"], dpi=150).rotate(
        -2, resample=Image.Resampling.BICUBIC, fillcolor=255
    )
    data = make.image_only_pdf(skewed) if as_pdf else make.png(skewed, dpi=150)
    media_type = "application/pdf" if as_pdf else "image/png"

    shown = _image(render_page_png(data, media_type=media_type, page_number=1, width_px=900))
    as_sent = _image(
        render_page_png(data, media_type=media_type, page_number=1, width_px=900, deskew=False)
    )

    assert abs(measure_skew(shown.convert("L"))) < 0.3
    assert abs(measure_skew(as_sent.convert("L"))) > 1.5


def test_text_pdf_page_image_is_not_straightened() -> None:
    png = render_page_png(make.text_pdf(), media_type="application/pdf", page_number=1)
    assert png == render_page_png(
        make.text_pdf(), media_type="application/pdf", page_number=1, deskew=False
    )
