"""Hostile, malformed and truncated structured files are refused with a typed error."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from pypdf import PdfWriter

from extraction.structured import StructuredFormatError, detect_structured, read_structured

UBL_ORDER = b"""<?xml version="1.0" encoding="UTF-8"?>
<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"
       xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
       xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:ID>PO-77</cbc:ID>
  <cbc:IssueDate>2026-01-05</cbc:IssueDate>
  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  <cac:BuyerCustomerParty><cac:Party><cac:PartyName><cbc:Name>&xxe;</cbc:Name></cac:PartyName>
  </cac:Party></cac:BuyerCustomerParty>
  <cac:SellerSupplierParty><cac:Party/></cac:SellerSupplierParty>
  <cac:OrderLine><cac:LineItem><cbc:ID>1</cbc:ID>
    <cbc:Quantity unitCode="C62">2</cbc:Quantity>
    <cac:Item><cbc:Name>Widget</cbc:Name></cac:Item>
  </cac:LineItem></cac:OrderLine>
</Order>
"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2">&lol9;</Order>
"""

EXTERNAL_ENTITY = UBL_ORDER.replace(
    b"<Order ", b'<!DOCTYPE Order [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<Order ', 1
)


def _pdf_with_attachment(name: str, payload: bytes) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_attachment(name, payload)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_billion_laughs_is_refused_quickly_without_expansion() -> None:
    started = time.perf_counter()
    with pytest.raises(StructuredFormatError) as refused:
        read_structured(BILLION_LAUGHS, source="lol.xml")
    assert refused.value.reason == "forbidden_dtd"
    assert time.perf_counter() - started < 1.0


def test_external_entity_to_etc_passwd_is_refused_and_never_read() -> None:
    with pytest.raises(StructuredFormatError) as refused:
        read_structured(EXTERNAL_ENTITY, source="xxe.xml")
    assert refused.value.reason == "forbidden_dtd"
    assert "root:" not in str(refused.value)
    assert detect_structured(EXTERNAL_ENTITY) is None


def test_external_entity_in_utf16_is_refused_too() -> None:
    """The DTD check does not rely on seeing ASCII bytes."""
    text = EXTERNAL_ENTITY.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    data = text.encode("utf-16")
    with pytest.raises(StructuredFormatError) as refused:
        read_structured(data, source="xxe16.xml")
    assert refused.value.reason in ("forbidden_dtd", "malformed_xml")


def test_hostile_xml_embedded_in_a_pdf_is_refused() -> None:
    pdf = _pdf_with_attachment("order-x.xml", BILLION_LAUGHS)
    with pytest.raises(StructuredFormatError):
        read_structured(pdf, source="lol.pdf")


def test_malformed_ubl_order_raises_malformed_xml() -> None:
    broken = UBL_ORDER.replace(b"&xxe;", b"Buyer")[:-40]
    with pytest.raises(StructuredFormatError) as refused:
        read_structured(broken, source="broken.xml")
    assert refused.value.reason == "malformed_xml"


def test_ubl_order_without_its_id_raises_missing_element() -> None:
    data = UBL_ORDER.replace(b"&xxe;", b"Buyer").replace(b"<cbc:ID>PO-77</cbc:ID>", b"")
    with pytest.raises(StructuredFormatError) as refused:
        read_structured(data, source="no-id.xml")
    assert refused.value.reason == "missing_element"


def test_ubl_order_with_a_non_numeric_quantity_raises_invalid_value() -> None:
    data = UBL_ORDER.replace(b"&xxe;", b"Buyer").replace(b">2</cbc:", b">two</cbc:")
    with pytest.raises(StructuredFormatError) as refused:
        read_structured(data, source="qty.xml")
    assert refused.value.reason == "invalid_value"


def test_minimal_ubl_order_is_read() -> None:
    extraction = read_structured(UBL_ORDER.replace(b"&xxe;", b"Buyer GmbH"), source="o.xml")
    assert extraction is not None
    assert extraction.field_value("po_number") == "PO-77"
    assert extraction.field_value("customer_name") == "Buyer GmbH"
    assert extraction.lines[0].unit == "EA"


def test_truncated_edifact_raises_structured_format_error(realdata: Path) -> None:
    sample = realdata / "02_purchase_orders/edifact_orders/TestData_ORDERS_D.03B_Interchange.txt"
    data = sample.read_bytes()
    cut = data[: data.index(b"UNS+S")]
    with pytest.raises(StructuredFormatError) as refused:
        read_structured(cut, source="cut.edi")
    assert refused.value.reason == "truncated_edifact"


def test_edifact_whose_unt_count_disagrees_is_refused() -> None:
    data = (
        b"UNA:+.? 'UNB+UNOC:3+BUYER+SELLER+260105:1200+1'UNH+1+ORDERS:D:96A:UN'"
        b"BGM+220+PO-1+9'LIN+1++ABC:IN'QTY+21:3'UNS+S'UNT+9+1'UNZ+1+1'"
    )
    with pytest.raises(StructuredFormatError) as refused:
        read_structured(data, source="count.edi")
    assert refused.value.reason == "truncated_edifact"


def test_edifact_with_garbage_header_is_malformed() -> None:
    with pytest.raises(StructuredFormatError) as refused:
        read_structured(b"UNB+XX+'UNH+1'", source="junk.edi")
    assert refused.value.reason in ("malformed_edifact", "truncated_edifact")


@pytest.mark.parametrize(
    "data",
    [b"Hello, please send 3 boxes", b"<html><body>order</body></html>", b"<note>hi</note>"],
    ids=["text", "html", "unrelated-xml"],
)
def test_bytes_without_an_order_structure_give_none(data: bytes) -> None:
    assert detect_structured(data) is None
    assert read_structured(data, source="x") is None


def test_pdf_without_embedded_xml_gives_none() -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    assert read_structured(buffer.getvalue(), source="plain.pdf") is None


def test_edifact_whose_unz_count_disagrees_is_refused() -> None:
    data = (
        b"UNA:+.? 'UNB+UNOC:3+BUYER+SELLER+260105:1200+1'UNH+1+ORDERS:D:96A:UN'"
        b"BGM+220+PO-1+9'LIN+1++ABC:IN'QTY+21:3'UNS+S'UNT+6+1'UNZ+2+1'"
    )
    with pytest.raises(StructuredFormatError) as refused:
        read_structured(data, source="unz.edi")
    assert refused.value.reason == "truncated_edifact"
    intact = data.replace(b"UNZ+2+1", b"UNZ+1+1")
    extraction = read_structured(intact, source="ok.edi")
    assert extraction is not None and extraction.field_value("po_number") == "PO-1"
