"""Reading: every document becomes pages of words with boxes (see extraction.pages).

    result = read_document(data, media_type="application/pdf")
    png = render_page_png(data, media_type="application/pdf", page_number=1, width_px=1200)
    # a page read by OCR: show it as it was read, so that its word boxes overlay it
    png = render_page_png(data, media_type=..., page_number=page.number,
                          rotation=page.rotation, deskew=page.source == "ocr")

Readers are small classes behind the DocumentReader protocol, registered in READERS; the one
that scores a media type highest reads it. Every failure is a ReadError subclass with a short
`reason` ("corrupt", "encrypted", "too_many_pages", ...) for quarantining the document.
"""

from __future__ import annotations

from dataclasses import replace

from extraction.pages import ReadResult
from extraction.reading.errors import (
    CorruptDocumentError,
    DocumentTooLargeError,
    EmptyDocumentError,
    EncryptedDocumentError,
    ImageTooLargeError,
    ReadError,
    ReadTimeoutError,
    TooManyPagesError,
    UnsupportedMediaTypeError,
)
from extraction.reading.image_reader import ImageReader
from extraction.reading.limits import ReadLimits
from extraction.reading.media_types import (
    HTML,
    PLAIN_TEXT,
    UNKNOWN,
    base_media_type,
    detect_media_type,
)
from extraction.reading.pdf_reader import PdfPlumberReader
from extraction.reading.plain_text import PlainTextReader, decode_text
from extraction.reading.registry import DocumentReader, best_reader
from extraction.reading.rendering import count_pages, render_page_png

READERS: tuple[DocumentReader, ...] = (PdfPlumberReader(), ImageReader(), PlainTextReader())

__all__ = [
    "READERS",
    "CorruptDocumentError",
    "DocumentReader",
    "DocumentTooLargeError",
    "EmptyDocumentError",
    "EncryptedDocumentError",
    "ImageReader",
    "ImageTooLargeError",
    "PdfPlumberReader",
    "PlainTextReader",
    "ReadError",
    "ReadLimits",
    "ReadTimeoutError",
    "TooManyPagesError",
    "UnsupportedMediaTypeError",
    "count_pages",
    "detect_media_type",
    "read_document",
    "render_page_png",
]


def read_document(
    data: bytes,
    *,
    media_type: str | None = None,
    filename: str = "",
    limits: ReadLimits = ReadLimits(),
) -> ReadResult:
    """Pages of words with boxes for one document. What the bytes are is decided by their
    content; `media_type` (e.g. from a MIME header) and `filename` only break ties. Raises a
    ReadError subclass, never anything else on bad input."""
    if not data:
        raise EmptyDocumentError(
            "The document is empty (0 bytes). Ask the sender to send it again."
        )
    if len(data) > limits.max_bytes:
        raise DocumentTooLargeError(
            f"The document is {len(data):,} bytes; documents over {limits.max_bytes:,} bytes are "
            "not read.",
            size=len(data),
        )
    kind = _effective_media_type(data, media_type, filename)
    if kind == PLAIN_TEXT and media_type:
        data = decode_text(data, _charset(media_type)).encode("utf-8")
    reader = best_reader(READERS, kind)
    if reader is None:
        claimed = (
            f" (sent as {media_type})" if media_type and base_media_type(media_type) != kind else ""
        )
        raise UnsupportedMediaTypeError(
            f"The document is {_describe(kind)}{claimed}; only PDF, TIFF, PNG, JPEG and plain "
            "text can be read as pages.",
            media_type=kind,
        )
    result = reader.read(data, limits)
    if media_type and base_media_type(media_type) not in (kind, UNKNOWN):
        mismatch = f"sent as {base_media_type(media_type)}, read as {kind} (its content)"
        result = replace(result, warnings=(mismatch, *result.warnings))
    return result


def _effective_media_type(data: bytes, media_type: str | None, filename: str) -> str:
    sniffed = detect_media_type(data, filename)
    if sniffed == UNKNOWN and media_type:
        return base_media_type(media_type)
    return sniffed


def _charset(media_type: str) -> str | None:
    for parameter in media_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"') or None
    return None


def _describe(kind: str) -> str:
    if kind == HTML:
        return "a web page (HTML)"
    if kind == UNKNOWN:
        return "of an unknown kind"
    return f"of type {kind}"
