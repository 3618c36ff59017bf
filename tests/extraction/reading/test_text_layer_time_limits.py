"""Parsing a PDF's text layer is stopped when a page takes longer than its limit (that page is
OCRed instead) and, with a typed error, when opening the PDF or the whole document does; pages
within the limits come back whole."""

from __future__ import annotations

import io
import time

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from extraction.reading import (
    ReadError,
    ReadLimits,
    ReadTimeoutError,
    pdf_text_child,
    read_document,
)
from extraction.reading.pdf_text import TextLayerPage, extract_text_layer
from extraction.reading.pdf_text_child import read_text_layers
from tests.extraction import reading_fixtures as make


def _pages_pdf(count: int) -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    for number in range(1, count + 1):
        make.draw_lines(c, [f"Order page {number}", "Steel bolts M8 quantity 120"])
        c.showPage()
    c.save()
    return out.getvalue()


def _dense_pdf() -> bytes:
    """One page of about 60,000 characters: a long parse for pdfminer, nothing for PDFium."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    text = c.beginText(10, A4[1] - 10)
    text.setFont("Helvetica", 2)
    for row in range(400):
        text.textLine(f"row {row} " + "x1 " * 50)
    c.drawText(text)
    c.save()
    return out.getvalue()


def _parsing_forever(page: object) -> TextLayerPage:
    time.sleep(3600)
    raise AssertionError("unreachable")


@pytest.mark.slow
def test_a_page_that_parses_forever_is_ocred_instead(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_text_child, "extract_text_layer", _parsing_forever)
    limits = ReadLimits(text_layer_page_timeout_seconds=0.3)

    started = time.monotonic()
    result = read_document(make.text_pdf(), limits=limits)

    (page,) = result.pages
    assert page.source == "ocr"
    assert "PO-4711" in page.text
    assert any("page 1: text layer took longer than 0.3 s" in w for w in result.warnings)
    assert time.monotonic() - started < 20


def test_only_the_slow_page_is_left_out_and_parsing_goes_on_after_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def stuck_on_page_2(page: object) -> TextLayerPage:
        if getattr(page, "page_number", 0) == 2:
            time.sleep(3600)
        return extract_text_layer(page)

    monkeypatch.setattr(pdf_text_child, "extract_text_layer", stuck_on_page_2)

    layers = read_text_layers(_pages_pdf(3), 3, page_timeout=0.5, document_timeout=60)

    assert sorted(layers.pages) == [0, 2]
    assert layers.pages[2].text == "Order page 3 Steel bolts M8 quantity 120"
    assert layers.failures == ["page 2: text layer took longer than 0.5 s to parse; OCRed"]


def test_a_real_page_too_slow_to_parse_is_left_to_ocr() -> None:
    # opening takes milliseconds, even on a busy machine; the page's parse about a second
    layers = read_text_layers(_dense_pdf(), 1, page_timeout=0.25, document_timeout=60)

    assert layers.pages == {}
    assert layers.failures == ["page 1: text layer took longer than 0.25 s to parse; OCRed"]


def test_a_pdf_that_takes_too_long_to_open_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    def opening_forever(*_: object, **__: object) -> object:
        time.sleep(3600)
        raise AssertionError("unreachable")

    monkeypatch.setattr(pdf_text_child.pdfplumber, "open", opening_forever)

    with pytest.raises(ReadTimeoutError) as raised:
        read_text_layers(_pages_pdf(1), 1, page_timeout=0.3, document_timeout=60)

    assert isinstance(raised.value, ReadError)
    assert raised.value.reason == "timeout"
    assert "Opening the PDF" in raised.value.detail


def test_the_whole_document_has_its_own_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(page: object) -> TextLayerPage:
        time.sleep(0.4)
        return extract_text_layer(page)

    monkeypatch.setattr(pdf_text_child, "extract_text_layer", slow)

    with pytest.raises(ReadTimeoutError) as raised:
        read_text_layers(_pages_pdf(4), 4, page_timeout=30, document_timeout=1.0)

    assert "in all" in raised.value.detail
    assert raised.value.context["limit_seconds"] == 1.0


def test_pages_within_the_limits_come_back_whole() -> None:
    data = make.text_pdf()

    layers = read_text_layers(_pages_pdf(3), 2, page_timeout=30, document_timeout=60)
    direct = read_document(data).pages[0]

    assert sorted(layers.pages) == [0, 1]  # only the pages asked for
    assert layers.failures == []
    assert layers.pages[1].text == "Order page 2 Steel bolts M8 quantity 120"
    assert direct.source == "pdf" and direct.rules  # words and ruling lines survive the trip


def test_a_page_the_parser_fails_on_is_reported_and_the_others_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def failing_on_page_2(page: object) -> TextLayerPage:
        if getattr(page, "page_number", 0) == 2:
            raise ValueError("broken content stream")
        return extract_text_layer(page)

    monkeypatch.setattr(pdf_text_child, "extract_text_layer", failing_on_page_2)

    layers = read_text_layers(_pages_pdf(3), 3, page_timeout=30, document_timeout=60)

    assert sorted(layers.pages) == [0, 2]
    assert layers.failures == ["page 2: text layer unreadable (broken content stream)"]


def test_a_file_pdfplumber_cannot_open_is_reported_not_raised() -> None:
    layers = read_text_layers(b"%PDF-1.4 not really", 1, page_timeout=30, document_timeout=60)

    assert layers.pages == {}
    assert len(layers.failures) == 1 and "every page OCRed" in layers.failures[0]
