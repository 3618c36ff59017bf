"""Raster documents (PNG, JPEG, single- and multi-page TIFF such as faxes), read by OCR."""

from __future__ import annotations

from collections.abc import Iterator

from extraction.pages import Page, ReadResult
from extraction.reading.images import iter_image_pages
from extraction.reading.limits import ReadLimits
from extraction.reading.media_types import JPEG, PNG, TIFF, detect_media_type
from extraction.reading.ocr_pages import PageImage, ocr_page_images, ocr_settings_for


class ImageReader:
    """Every frame of a PNG, JPEG or TIFF becomes one OCRed page."""

    media_types = (PNG, JPEG, TIFF)

    def score(self, media_type: str) -> int | None:
        return 10 if media_type in self.media_types else None

    def read(self, data: bytes, limits: ReadLimits) -> ReadResult:
        ocred = ocr_page_images(
            _frames(data, limits), ocr_settings_for(limits), workers=limits.workers
        )
        pages = tuple(
            Page(index + 1, float(o.width), float(o.height), o.words, "ocr", rotation=o.rotation)
            for index, o in sorted(ocred.items())
        )
        return ReadResult(pages, detect_media_type(data))


def _frames(data: bytes, limits: ReadLimits) -> Iterator[PageImage]:
    pages = iter_image_pages(data, max_pages=limits.max_pages, max_pixels=limits.max_image_pixels)
    for index, page in enumerate(pages):
        yield index, page.image, page.dpi
