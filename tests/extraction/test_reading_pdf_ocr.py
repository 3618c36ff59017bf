"""PDF pages without a usable text layer are OCRed, page by page."""

from __future__ import annotations

import pytest

from extraction.reading import read_document
from tests.extraction import reading_fixtures as make

SCANNED = ("Order number PO-5512", "Quantity 48 boxes")


def _words(text: str) -> list[str]:
    return text.split()


def test_mixed_pdf_reads_text_page_from_layer_and_scanned_page_by_ocr() -> None:
    result = read_document(make.mixed_pdf(["Invoice address Lyon"], SCANNED))

    text_page, scanned_page = result.pages
    assert (text_page.source, scanned_page.source) == ("pdf", "ocr")
    assert _words(text_page.text) == ["Invoice", "address", "Lyon"]
    assert _words(scanned_page.text) == _words(" ".join(SCANNED))
    assert all(
        w.ocr_confidence is not None and 0 < w.ocr_confidence <= 1 for w in scanned_page.words
    )
    assert scanned_page.width == pytest.approx(make.PAGE_WIDTH, abs=0.01)


def test_reader_ocrs_page_whose_invisible_text_layer_is_garbage() -> None:
    garbage = ["~~|| lI1 ;;,, ..", "xq§¶ ±± ¤¬ zz"]
    result = read_document(make.scan_with_garbage_layer_pdf(SCANNED, garbage))

    page = result.pages[0]
    assert page.source == "ocr"
    assert _words(page.text) == _words(" ".join(SCANNED))
    assert any("text layer not used" in warning for warning in result.warnings)


@pytest.mark.slow
def test_reader_ocrs_page_whose_text_is_drawn_as_outlines() -> None:
    result = read_document(make.outlined_text_pdf(SCANNED))

    page = result.pages[0]
    assert page.source == "ocr"
    assert _words(page.text) == _words(" ".join(SCANNED))
    assert page.rules == ()  # the outline shapes are not table rules
