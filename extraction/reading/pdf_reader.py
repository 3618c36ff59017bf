"""PDFs: the text layer through pdfplumber where it can be trusted, OCR page by page where not
(scanned pages, invisible scanner OCR, fonts without ToUnicode, text as outlines, garbage)."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pypdfium2 as pdfium

from extraction.pages import Page, ReadResult, Rule
from extraction.reading.limits import ReadLimits
from extraction.reading.media_types import PDF
from extraction.reading.ocr import DEFAULT_DPI, OcrPage
from extraction.reading.ocr_pages import PageImage, ocr_page_images, ocr_settings_for
from extraction.reading.pdf_document import (
    POINTS_PER_INCH,
    open_pdf,
    page_size_points,
    profile_page,
    render_page,
)
from extraction.reading.pdf_text import TextLayerPage
from extraction.reading.pdf_text_child import read_text_layers
from extraction.reading.text_layer import TextLayerVerdict, judge_text_layer

log = logging.getLogger(__name__)


class PdfPlumberReader:
    """Text-layer PDFs with pdfplumber; pages without a usable text layer are OCRed."""

    def score(self, media_type: str) -> int | None:
        return 10 if media_type == PDF else None

    def read(self, data: bytes, limits: ReadLimits) -> ReadResult:
        warnings: list[str] = []
        with open_pdf(data, max_pages=limits.max_pages) as document:
            page_count = len(document)
            layers = _text_layer_pages(data, page_count, limits, warnings)
            pages: dict[int, Page] = {}
            rules_of_ocr_pages: dict[int, tuple[Rule, ...]] = {}
            for index in range(page_count):
                layer = layers.get(index)
                verdict = judge_text_layer(
                    layer.text if layer else "", profile_page(document, index)
                )
                if layer is not None and verdict in _TRUSTED:
                    pages[index] = Page(
                        index + 1, layer.width, layer.height, layer.words, "pdf", rules=layer.rules
                    )
                    continue
                keeps_rules = layer is not None and verdict is not TextLayerVerdict.VECTOR_OUTLINES
                rules_of_ocr_pages[index] = layer.rules if layer is not None and keeps_rules else ()
                if layer is not None and verdict is not TextLayerVerdict.IMAGE_ONLY:
                    warnings.append(f"page {index + 1}: text layer not used ({verdict.value})")
            ocred = ocr_page_images(
                _rendered(document, list(rules_of_ocr_pages), limits),
                ocr_settings_for(limits),
                workers=limits.workers,
            )
            for index, ocr_page in ocred.items():
                pages[index] = _ocr_page(document, index, ocr_page, rules_of_ocr_pages[index])
        return ReadResult(tuple(pages[i] for i in range(page_count)), PDF, tuple(warnings))


_TRUSTED = (TextLayerVerdict.USABLE, TextLayerVerdict.EMPTY)


def _text_layer_pages(
    data: bytes, page_count: int, limits: ReadLimits, warnings: list[str]
) -> dict[int, TextLayerPage]:
    """The text layer of each page pdfplumber could parse in time; pages it could not are left
    out (and will be OCRed). Raises ReadTimeoutError when opening the PDF, or the whole
    document, takes longer than the limits allow."""
    layers = read_text_layers(
        data,
        page_count,
        page_timeout=limits.text_layer_page_timeout_seconds,
        document_timeout=limits.text_layer_timeout_seconds,
    )
    for failure in layers.failures:
        log.warning("%s", failure)
    warnings.extend(layers.failures)
    return layers.pages


def _rendered(
    document: pdfium.PdfDocument, indexes: list[int], limits: ReadLimits
) -> Iterator[PageImage]:
    for index in indexes:
        image = render_page(document, index, dpi=DEFAULT_DPI, max_pixels=limits.max_image_pixels)
        width, _ = page_size_points(document, index)
        yield index, image, image.width / width * POINTS_PER_INCH


def _ocr_page(
    document: pdfium.PdfDocument, index: int, ocr_page: OcrPage, rules: tuple[Rule, ...]
) -> Page:
    """The OCRed page, keeping the PDF's ruling lines when the page was read as it is drawn."""
    width, height = page_size_points(document, index)
    if ocr_page.rotation in (90, 270):
        width, height = height, width
    rules = rules if ocr_page.rotation == 0 else ()
    return Page(
        index + 1, width, height, ocr_page.words, "ocr", rules=rules, rotation=ocr_page.rotation
    )
