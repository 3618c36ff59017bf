"""Hybrid e-invoices (Factur-X, ZUGFeRD 1 and 2, XRechnung in PDF): the PDF is read from the XML
it embeds, as an invoice whose PO number is the buyer's order reference the XML states."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from extraction.structured import read_structured

FOLDER = "04_einvoices_facturx_zugferd"
_SAFE = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def _pairs(realdata: Path) -> list[tuple[Path, Path]]:
    folder = realdata / FOLDER
    if not folder.is_dir():
        pytest.skip(f"e-invoice samples not found at {folder}")
    return [
        (pdf, pdf.with_suffix(".embedded.xml"))
        for pdf in sorted(folder.rglob("*.pdf"))
        if pdf.with_suffix(".embedded.xml").is_file()
    ]


def _stated(xml: bytes, *paths: str) -> str | None:
    """A value found by plain ElementTree paths with any namespace (independent of the reader)."""
    root = etree.fromstring(xml, _SAFE)
    for path in paths:
        found = root.find(path)
        if found is not None and found.text and found.text.strip():
            return found.text.strip()
    return None


HEADER_ORDER_REFERENCE = (
    ".//{*}ApplicableHeaderTradeAgreement/{*}BuyerOrderReferencedDocument/{*}IssuerAssignedID",
    ".//{*}ApplicableSupplyChainTradeAgreement/{*}BuyerOrderReferencedDocument/{*}ID",
    "./{*}OrderReference/{*}ID",
)
GRAND_TOTAL = (
    ".//{*}SpecifiedTradeSettlementHeaderMonetarySummation/{*}GrandTotalAmount",
    ".//{*}SpecifiedTradeSettlementMonetarySummation/{*}GrandTotalAmount",
    "./{*}LegalMonetaryTotal/{*}TaxInclusiveAmount",
    "./{*}LegalMonetaryTotal/{*}PayableAmount",  # stands for the gross total when tax is stated
)


def test_every_hybrid_invoice_pdf_reads_as_its_embedded_xml(realdata: Path) -> None:
    pairs = _pairs(realdata)
    assert len(pairs) >= 60, f"expected the e-invoice corpus, found {len(pairs)} PDF/XML pairs"
    with_reference = 0
    for pdf, xml_path in pairs:
        xml = xml_path.read_bytes()
        from_pdf = read_structured(pdf.read_bytes(), source=pdf.name)
        from_xml = read_structured(xml, source=pdf.name)
        assert from_pdf is not None and from_xml is not None, pdf.name
        assert from_pdf.pages >= 1 and from_xml.pages == 0, pdf.name
        assert from_pdf.to_json() | {"pages": 0} == from_xml.to_json(), pdf.name
        assert from_pdf.document_type == "invoice", pdf.name
        stated_reference = _stated(xml, *HEADER_ORDER_REFERENCE)
        if stated_reference is not None:
            with_reference += 1
            assert from_pdf.field_value("po_number") == stated_reference, pdf.name
        _assert_total_as_stated(from_pdf.field_value("total"), xml, pdf.name)
    assert with_reference >= 30


def _assert_total_as_stated(total: str | None, xml: bytes, name: str) -> None:
    stated = _stated(xml, *GRAND_TOTAL)
    assert stated is not None and total is not None, name
    assert Decimal(total) == Decimal(stated), name


def test_ubl_invoices_read_as_invoices_with_their_stated_values(realdata: Path) -> None:
    folder = realdata / FOLDER / "oca_edi" / "ubl_invoices_xml"
    if not folder.is_dir():
        pytest.skip(f"UBL invoice samples not found at {folder}")
    samples = sorted(folder.glob("*.xml"))
    assert samples
    for sample in samples:
        xml = sample.read_bytes()
        extraction = read_structured(xml, source=sample.name)
        assert extraction is not None and extraction.document_type == "invoice", sample.name
        assert extraction.field_value("po_number") == _stated(xml, *HEADER_ORDER_REFERENCE)
        _assert_total_as_stated(extraction.field_value("total"), xml, sample.name)


def test_invoice_lines_naming_one_order_give_that_po_number(realdata: Path) -> None:
    sample = (
        realdata
        / FOLDER
        / "zugferd_corpus/intarsys_v2_BASIC_EXTENDED_MINIMUM"
        / "zugferd_2p0_EXTENDED_Fremdwaehrung.embedded.xml"
    )
    several = sample.with_name(
        "zugferd_2p0_EXTENDED_InnergemeinschLieferungMehrereBestellungen.embedded.xml"
    )
    if not sample.is_file() or not several.is_file():
        pytest.skip(f"ZUGFeRD EXTENDED samples not found beside {sample}")
    one = read_structured(sample.read_bytes(), source=sample.name)
    many = read_structured(several.read_bytes(), source=several.name)
    assert one is not None and one.field_value("po_number") == "ORDER84359"
    assert many is not None and many.field_value("po_number") is None  # several orders billed
