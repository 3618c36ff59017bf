"""Documents for the reading tests, made in code: text PDFs with reportlab, scans rasterised
with pypdfium2, fax TIFFs with Pillow, and the bad inputs a mailbox really receives."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Sequence

import numpy as np
import pypdfium2 as pdfium
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas
from reportlab.pdfgen.canvas import Canvas

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 60.0

ORDER_TEXT = (
    "PURCHASE ORDER",
    "Order number PO-4711",
    "Delivery date 2026-12-15",
    "Steel bolts M8 quantity 120",
    "Total amount 1,234.50 EUR",
)
"""Large, well-spaced text, so that OCR reads it in well under a second per page."""


def draw_lines(c: Canvas, lines: Sequence[str], *, size: float = 20, render_mode: int = 0) -> None:
    y = PAGE_HEIGHT - MARGIN - size
    for line in lines:
        text = c.beginText(MARGIN, y)
        text.setTextRenderMode(render_mode)
        text.setFont("Helvetica", size)
        text.textLine(line)
        c.drawText(text)
        y -= size * 2


def text_pdf(lines: Sequence[str] = ORDER_TEXT) -> bytes:
    """One text page: a bold title, body lines, a ruling line and a table rectangle."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.setFont("Helvetica-Bold", 18)
    c.drawString(MARGIN, PAGE_HEIGHT - MARGIN - 18, lines[0])
    y = PAGE_HEIGHT - MARGIN - 60
    for line in lines[1:]:
        c.setFont("Helvetica", 11)
        c.drawString(MARGIN, y, line)
        y -= 20
    c.setLineWidth(1)
    c.line(MARGIN, y, PAGE_WIDTH - MARGIN, y)
    c.rect(MARGIN, y - 120, PAGE_WIDTH - 2 * MARGIN, 100)
    c.save()
    return out.getvalue()


def scan(lines: Sequence[str] = ORDER_TEXT, *, dpi: int = 300, size: float = 20) -> Image.Image:
    """The lines printed and scanned: rendered with PDFium to an 8-bit grayscale image."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    draw_lines(c, lines, size=size)
    c.save()
    document = pdfium.PdfDocument(out.getvalue())
    try:
        return document[0].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        document.close()


def png(image: Image.Image, *, dpi: int = 300) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(dpi, dpi))
    return out.getvalue()


def _draw_page_image(c: Canvas, image: Image.Image) -> None:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    c.drawImage(ImageReader(io.BytesIO(buffer.getvalue())), 0, 0, PAGE_WIDTH, PAGE_HEIGHT)


def mixed_pdf(text_lines: Sequence[str], scanned_lines: Sequence[str]) -> bytes:
    """Page 1 has a text layer; page 2 is a scanned image without one."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    draw_lines(c, text_lines)
    c.showPage()
    _draw_page_image(c, scan(scanned_lines, dpi=150))
    c.showPage()
    c.save()
    return out.getvalue()


def image_only_pdf(image: Image.Image) -> bytes:
    """A scanner's PDF without a text layer: one page image."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    _draw_page_image(c, image)
    c.save()
    return out.getvalue()


def scan_with_garbage_layer_pdf(lines: Sequence[str], garbage: Sequence[str]) -> bytes:
    """A scanner's PDF: the page image with a useless invisible OCR layer on top."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    _draw_page_image(c, scan(lines, dpi=150))
    draw_lines(c, garbage, render_mode=3)
    c.save()
    return out.getvalue()


def visible_garbage_pdf(garbage: Sequence[str]) -> bytes:
    """Text whose extracted characters are symbol soup (a broken font encoding)."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    draw_lines(c, garbage, size=11)
    c.save()
    return out.getvalue()


def outlined_text_pdf(lines: Sequence[str]) -> bytes:
    """Text drawn as vector shapes, no characters: every run of ink pixels becomes a filled
    rectangle, as when a designer converts text to outlines."""
    ink = np.asarray(scan(lines, dpi=100)) < 128
    scale = 72 / 100
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.setFillGray(0)
    for y, row in enumerate(ink):
        # Runs of ink: where the row switches between paper and ink.
        edges = np.flatnonzero(np.diff(np.concatenate(([0], row.astype(np.int8), [0]))))
        for start, end in zip(edges[::2], edges[1::2], strict=True):
            c.rect(
                start * scale,
                PAGE_HEIGHT - (y + 1) * scale,
                (end - start) * scale,
                scale,
                stroke=0,
                fill=1,
            )
    c.save()
    return out.getvalue()


def fax_tiff(pages: Sequence[Sequence[str]]) -> bytes:
    """A multi-page fax: 1-bit, CCITT G4, 200 x 100 dpi (pixels twice as tall as wide)."""
    frames = []
    for lines in pages:
        fine = scan(lines, dpi=200, size=14)
        frames.append(
            fine.resize((fine.width, fine.height // 2))
            .point(lambda v: 255 if v > 160 else 0)
            .convert("1")
        )
    out = io.BytesIO()
    frames[0].save(
        out,
        format="TIFF",
        compression="group4",
        dpi=(200, 100),
        save_all=True,
        append_images=frames[1:],
    )
    return out.getvalue()


def encrypted_pdf() -> bytes:
    from reportlab.lib import pdfencrypt

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, encrypt=pdfencrypt.StandardEncryption("secret", "owner"))
    draw_lines(c, ORDER_TEXT)
    c.save()
    return out.getvalue()


def pdf_with_pages(count: int) -> bytes:
    document = pdfium.PdfDocument.new()
    try:
        for _ in range(count):
            document.new_page(PAGE_WIDTH, PAGE_HEIGHT).close()
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()
    finally:
        document.close()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares `width` x `height` pixels (1-bit gray) with a token of pixel data:
    enough for any reader that looks at the header first, fatal for one that decodes first."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


HTML_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>Login</title></head><body>Session expired</body></html>\n"
)
