"""Real third-party PDFs (../shared/realdata): text layers read as they are, broken fonts OCRed.

Skipped, loudly, where the real-data folder is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from extraction.reading import read_document

REALDATA = Path(__file__).resolve().parents[3] / "shared" / "realdata"
AKRETION = REALDATA / "08_plain_pdf_invoices_oca" / "akretion_france-test.pdf"
CID_FONT_INVOICE = (
    REALDATA / "04_einvoices_facturx_zugferd" / "oca_edi" / "facturx_fr" / "Facture_FR_BASIC.pdf"
)
SCANNED_AMAZON = next(
    iter(sorted((REALDATA / "01_invoice2data" / "history_extra").glob("*Amazon.pdf"))), None
)


def _require(path: Path | None) -> Path:
    if path is None or not path.exists():
        pytest.skip(
            f"real data not available: {path or REALDATA} (see ../shared/realdata/README.md)"
        )
    return path


def test_real_text_pdf_is_read_from_its_text_layer_with_known_values() -> None:
    result = read_document(_require(AKRETION).read_bytes())

    page = result.pages[0]
    assert page.source == "pdf" and result.warnings == ()
    text = result.text
    for value in ("VT/2022/0001", "Akretion", "CONS_0001", "1,509.00", "1,810.80"):
        assert value in text, value
    assert any(w.bold for w in page.words) and page.rules


@pytest.mark.slow
def test_real_pdf_whose_fonts_lack_a_unicode_map_is_ocred() -> None:
    result = read_document(_require(CID_FONT_INVOICE).read_bytes())

    assert result.pages[0].source == "ocr"
    assert "(cid:" not in result.text
    assert "FA-2017-0010" in result.text  # the invoice number of its embedded Factur-X XML
    assert "671,15" in result.text or "671.15" in result.text


@pytest.mark.slow
def test_real_image_only_pdf_is_ocred() -> None:
    result = read_document(_require(SCANNED_AMAZON).read_bytes())

    assert {page.source for page in result.pages} == {"ocr"}
    assert "Amazon" in result.text
