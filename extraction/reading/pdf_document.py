"""PDF access through pypdfium2: open with typed errors, count and profile pages, render.

PDFium is not thread-safe, so every call into it holds `PDFIUM_LOCK`; OCR threads only ever see
rendered images.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from extraction.reading.errors import (
    CorruptDocumentError,
    EmptyDocumentError,
    EncryptedDocumentError,
    ImageTooLargeError,
    TooManyPagesError,
)
from extraction.reading.pdf_sandbox import check_pdf_in_child
from extraction.reading.text_layer import PageObjects

PDFIUM_LOCK = threading.RLock()
POINTS_PER_INCH = 72
MIN_RENDER_DPI = 72
_EOF_MARKER_WINDOW = 2048
_MAX_OBJECTS_PROFILED = 20_000


@contextmanager
def open_pdf(
    data: bytes, *, max_pages: int, pages_to_try: Sequence[int] | None = None
) -> Iterator[pdfium.PdfDocument]:
    """The PDF opened by PDFium, or a typed error: truncated or damaged, crashing PDFium,
    password-protected, without pages, or with more than `max_pages` pages. `pages_to_try`
    (0-based) are the pages tried in a child process first; None tries them all."""
    if b"%%EOF" not in data[-_EOF_MARKER_WINDOW:]:
        raise CorruptDocumentError(
            "The PDF ends before its end-of-file marker: it was probably cut off while being "
            "sent or saved. Ask the sender for the document again."
        )
    check_pdf_in_child(data, max_pages=max_pages, lock=PDFIUM_LOCK, pages=pages_to_try)
    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as error:
            raise _open_error(error) from error
        try:
            page_count = len(document)
            if page_count == 0:
                raise EmptyDocumentError("The PDF has no pages.")
            if page_count > max_pages:
                raise TooManyPagesError(
                    f"The PDF has {page_count} pages; documents of more than {max_pages} pages "
                    "are not read. Split it, or raise the page limit.",
                    pages=page_count,
                    max_pages=max_pages,
                )
            yield document
        finally:
            document.close()


def _open_error(error: pdfium.PdfiumError) -> Exception:
    code = getattr(error, "err_code", None)
    if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
        return EncryptedDocumentError(
            "The PDF is protected by a password. Ask the sender for an unprotected copy."
        )
    return CorruptDocumentError(
        f"The PDF is damaged and cannot be opened ({error}). Ask the sender for the document again."
    )


def page_size_points(document: pdfium.PdfDocument, index: int) -> tuple[float, float]:
    """Width and height as displayed (after the page's /Rotate)."""
    with PDFIUM_LOCK:
        page = document[index]
        try:
            width, height = page.get_size()
            if page.get_rotation() in (90, 270):
                width, height = height, width
            return float(width), float(height)
        finally:
            page.close()


def profile_page(document: pdfium.PdfDocument, index: int) -> PageObjects:
    """Count what the page draws: text objects (and how many are invisible), image area, paths."""
    with PDFIUM_LOCK:
        page = document[index]
        try:
            width, height = page.get_size()
            page_area = max(width * height, 1.0)
            text = invisible = paths = 0
            image_area = 0.0
            for count, obj in enumerate(page.get_objects(max_depth=4)):
                if count >= _MAX_OBJECTS_PROFILED:
                    break
                if obj.type == pdfium_c.FPDF_PAGEOBJ_TEXT:
                    text += 1
                    mode = pdfium_c.FPDFTextObj_GetTextRenderMode(obj.raw)
                    invisible += mode == pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE
                elif obj.type == pdfium_c.FPDF_PAGEOBJ_PATH:
                    paths += 1
                elif obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                    left, bottom, right, top = obj.get_bounds()
                    image_area += max(0.0, min(right, width) - max(left, 0.0)) * max(
                        0.0, min(top, height) - max(bottom, 0.0)
                    )
            return PageObjects(
                text_objects=text,
                invisible_text_objects=invisible,
                image_coverage=min(1.0, image_area / page_area),
                path_objects=paths,
            )
        finally:
            page.close()


def render_page(
    document: pdfium.PdfDocument, index: int, *, dpi: float, max_pixels: int
) -> Image.Image:
    """The page as an 8-bit grayscale image at `dpi`, lowered if needed to stay under
    `max_pixels` (refused below 72 dpi: such a page is a poster, not an order)."""
    width, height = page_size_points(document, index)
    scale = dpi / POINTS_PER_INCH
    pixels = width * scale * height * scale
    if pixels > max_pixels:
        scale *= (max_pixels / pixels) ** 0.5
        if scale * POINTS_PER_INCH < MIN_RENDER_DPI:
            raise ImageTooLargeError(
                f"Page {index + 1} measures {width / 72:.0f} x {height / 72:.0f} inches, too "
                "large to render for reading.",
                page=index + 1,
            )
    with PDFIUM_LOCK:
        page = document[index]
        try:
            bitmap = page.render(scale=scale, grayscale=True, may_draw_forms=False)
            try:
                return bitmap.to_pil().convert("L")
            finally:
                bitmap.close()
        finally:
            page.close()
