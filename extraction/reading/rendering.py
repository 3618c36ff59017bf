"""Page images for the review screen: page N of a stored document as a PNG of a given width.

Word boxes are page fractions, so they overlay these images at any width. Pass the page's
`rotation` (from `Page.rotation`) to show an OSD-rotated scan upright, as it was read.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from extraction.reading.errors import (
    DocumentTooLargeError,
    ImageTooLargeError,
    UnsupportedMediaTypeError,
)
from extraction.reading.images import count_image_pages, iter_image_pages
from extraction.reading.limits import ReadLimits
from extraction.reading.media_types import JPEG, PDF, PLAIN_TEXT, PNG, TIFF, base_media_type
from extraction.reading.pdf_document import (
    POINTS_PER_INCH,
    open_pdf,
    page_size_points,
    profile_page,
    render_page,
)
from extraction.reading.plain_text import (
    LINES_PER_PAGE,
    MIN_COLUMNS,
    decode_text,
    grid_lines,
    paginate,
)
from extraction.reading.preprocess import MIN_SKEW_TO_CORRECT, rotate_upright, straighten
from extraction.reading.text_layer import MIN_IMAGE_COVERAGE_TO_OCR, PageObjects

MAX_WIDTH_PX = 4000
_MONOSPACE_FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf",
)


def count_pages(data: bytes, *, media_type: str, limits: ReadLimits = ReadLimits()) -> int:
    """Number of pages `read_document` would produce (PDF pages, image frames, text pages)."""
    kind = base_media_type(media_type)
    if kind == PDF:
        with open_pdf(data, max_pages=limits.max_pages, pages_to_try=()) as document:
            return len(document)
    if kind in (PNG, JPEG, TIFF):
        return count_image_pages(data)
    if kind == PLAIN_TEXT:
        return len(paginate(grid_lines(decode_text(data))))
    raise UnsupportedMediaTypeError(f"Documents of type {media_type} have no pages to count.")


def render_page_png(
    data: bytes,
    *,
    media_type: str,
    page_number: int,
    width_px: int = 1200,
    rotation: int = 0,
    deskew: bool | None = None,
    limits: ReadLimits = ReadLimits(),
) -> bytes:
    """Page `page_number` (1-based) as PNG bytes, `width_px` wide, turned clockwise by
    `rotation` degrees (pass `page.rotation`) and straightened as OCR straightened it, so that
    the page's word boxes overlay the image. `deskew=None` straightens the pages the reader
    OCRs on sight (images, PDF pages showing only a scan); pass `page.source == "ocr"` to be
    exact. Raises the same typed errors as `read_document`, and IndexError for a page number
    the document does not have."""
    if not 1 <= width_px <= MAX_WIDTH_PX:
        raise ValueError(f"width_px must be between 1 and {MAX_WIDTH_PX}")
    if len(data) > limits.max_bytes:
        raise DocumentTooLargeError(f"The document is larger than {limits.max_bytes:,} bytes.")
    image, scanned = _page_image(
        data, base_media_type(media_type), page_number, width_px, rotation, limits
    )
    image = rotate_upright(image, rotation // 90)
    if image.width != width_px:
        height = max(1, round(image.height * width_px / image.width))
        image = image.resize((width_px, height), Image.Resampling.LANCZOS)
    read_straightened = scanned if deskew is None else deskew
    if read_straightened:
        image, _ = straighten(image, min_degrees=MIN_SKEW_TO_CORRECT)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def _page_image(
    data: bytes, kind: str, page_number: int, width_px: int, rotation: int, limits: ReadLimits
) -> tuple[Image.Image, bool]:
    """The page image, and whether it is a scan (a page the reader OCRs)."""
    if kind == PDF:
        tried = (page_number - 1,)  # a thumbnail per page must not try every page each time
        with open_pdf(data, max_pages=limits.max_pages, pages_to_try=tried) as document:
            if not 1 <= page_number <= len(document):
                raise IndexError(f"the PDF has no page {page_number}")
            width, height = page_size_points(document, page_number - 1)
            shown_width = height if rotation % 180 == 90 else width
            dpi = width_px / shown_width * POINTS_PER_INCH
            image = render_page(
                document, page_number - 1, dpi=dpi, max_pixels=limits.max_image_pixels
            )
            return image, _shows_only_a_scan(profile_page(document, page_number - 1))
    if kind in (PNG, JPEG, TIFF):
        pages = iter_image_pages(
            data, max_pages=limits.max_pages, max_pixels=limits.max_image_pixels
        )
        for number, page in enumerate(pages, start=1):
            if number == page_number:
                return page.image, True
        raise IndexError(f"the image has no page {page_number}")
    if kind == PLAIN_TEXT:
        return _text_page_image(decode_text(data), page_number, width_px), False
    raise UnsupportedMediaTypeError(f"Documents of type {kind} cannot be shown as page images.")


def _shows_only_a_scan(objects: PageObjects) -> bool:
    visible_text = objects.text_objects - objects.invisible_text_objects
    return visible_text == 0 and objects.image_coverage >= MIN_IMAGE_COVERAGE_TO_OCR


def _text_page_image(text: str, page_number: int, width_px: int) -> Image.Image:
    lines = grid_lines(text)
    pages = paginate(lines)
    if not 1 <= page_number <= len(pages):
        raise IndexError(f"the text has no page {page_number}")
    columns = max(MIN_COLUMNS, max((len(line) for line in lines), default=0))
    cell_width = width_px / columns
    line_height = cell_width * 2
    height = round(line_height * LINES_PER_PAGE)
    if width_px * height > ReadLimits().max_image_pixels:
        raise ImageTooLargeError("The text page image would be too large.")
    image = Image.new("L", (width_px, height), 255)
    draw = ImageDraw.Draw(image)
    font = _monospace_font(max(1, round(cell_width / 0.6)))
    for row, line in enumerate(pages[page_number - 1]):
        for column, char in enumerate(line):
            if not char.isspace():
                draw.text((column * cell_width, row * line_height), char, fill=0, font=font)
    return image


@lru_cache(maxsize=16)
def _monospace_font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in _MONOSPACE_FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)
