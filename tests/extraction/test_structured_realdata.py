"""Every real structured order in shared/realdata/02_purchase_orders reads as its XML states.

The expectations in golden_structured/ were written per file from the XML / EDIFACT itself
(PO number, dates, parties, totals, and per line: item number, GTIN, quantity, unit, price per
single unit, line total).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from extraction.result import HEADER_FIELDS, Extraction
from extraction.structured import detect_structured, parse_structured, read_structured
from extraction.structured.to_extraction import STRUCTURED_CONFIDENCE

GOLDEN = Path(__file__).parent / "golden_structured"
GOLDEN_FILES = sorted(GOLDEN.glob("*.json"))
SCHEMA_PATH = (
    Path(__file__).resolve().parents[3] / "shared" / "contracts" / "extraction.schema.json"
)
NUMERIC_LINE_KEYS = ("quantity", "unit_price", "line_total")
NUMERIC_FIELDS = ("subtotal", "tax_total", "total", "payment_terms_days")

# PDF → (golden of the XML it embeds, its page count as pdfinfo reports it)
PDF_SAMPLES = {
    "orderx_pdf_with_xml/horstoeko_reader-order-x-comfort.pdf": (
        "orderx_pdf_with_xml__horstoeko_reader-order-x-comfort.embedded.json",
        1,
    ),
    "orderx_pdf_with_xml/horstoeko_reader-order-x-extended.pdf": (
        "orderx_pdf_with_xml__horstoeko_reader-order-x-extended.embedded.json",
        1,
    ),
    "orderx_pdf_with_xml/mustang_ORDER-X_EX01_ORDER_FULL_DATA-COMFORT.pdf": (
        "orderx_pdf_with_xml__mustang_ORDER-X_EX01_ORDER_FULL_DATA-COMFORT.embedded.json",
        2,
    ),
    "quotation_pdf_with_ubl/quote-PO00004.pdf": (
        "quotation_pdf_with_ubl__quote-PO00004.embedded.json",
        1,
    ),
}

DETECTED = {
    "orderx_xml_only/akretion_order-x-basic.xml": "orderx",
    "orderx_pdf_with_xml/mustang_ORDER-X_EX01_ORDER_FULL_DATA-COMFORT.pdf": "orderx",
    "ubl_peppol_orders/Order_Example.xml": "ubl_order",
    "ubl_peppol_orders/OrderChange_Example.xml": "ubl_order_change",
    "ubl_peppol_orders/OrderCancellation_Example.xml": "ubl_order_cancellation",
    "ubl_peppol_orders/OrderAgreement_Example.xml": "ubl_other",
    "ubl_oasis_orders_oca/UBL-RequestForQuotation-2.1-Example.xml": "ubl_other",
    "quotation_pdf_with_ubl/quote-PO00004.pdf": "ubl_other",
    "edifact_orders/pydifact_order.edi": "edifact_orders",
    "edifact_orders/TestData_ORDERS_D.03B_Interchange.txt": "edifact_orders",
    "edifact_orders/pydifact_invoice1.edi": "edifact_other",
    "edifact_orders/TestInfosets_ORDERS_D.03B_Interchange.xml": None,
}


@pytest.fixture
def orders_dir(realdata: Path) -> Path:
    folder = realdata / "02_purchase_orders"
    if not folder.is_dir():
        pytest.skip(f"real purchase orders not found at {folder}")
    return folder


@pytest.fixture(scope="module")
def extraction_schema() -> dict[str, Any]:
    if not SCHEMA_PATH.is_file():
        pytest.skip(f"extraction schema not found at {SCHEMA_PATH}")
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text())
    return schema


def _same(expected: str | None, actual: str | None, *, numeric: bool) -> bool:
    if expected is None or actual is None:
        return expected is actual
    return Decimal(expected) == Decimal(actual) if numeric else expected == actual


def _assert_matches_golden(extraction: Extraction, data: bytes, golden: dict[str, Any]) -> None:
    assert extraction.document_type == golden["document_type"]
    for name in HEADER_FIELDS:
        expected, found = golden["fields"][name], extraction.fields.get(name)
        actual = found.value if found is not None else None
        assert _same(expected, actual, numeric=name in NUMERIC_FIELDS), (
            f"{golden['file']} {name}: expected {expected!r}, read {actual!r}"
        )
        if found is not None:
            assert found.method == "structured"
            assert found.confidence >= STRUCTURED_CONFIDENCE
    assert len(extraction.lines) == len(golden["lines"])
    order = parse_structured(data)
    assert order is not None
    for index, (line, structured, want) in enumerate(
        zip(extraction.lines, order.lines, golden["lines"], strict=True), start=1
    ):
        where = f"{golden['file']} line {index}"
        assert line.sku == want["sku"], where
        assert structured.gtin == want["gtin"], where
        assert line.description == want["description"], where
        assert line.unit == want["unit"], where
        for key in NUMERIC_LINE_KEYS:
            assert _same(want[key], getattr(line, key), numeric=True), f"{where} {key}"
        assert line.confidence >= STRUCTURED_CONFIDENCE


@pytest.mark.parametrize("golden_path", GOLDEN_FILES, ids=lambda path: path.stem)
def test_structured_sample_reads_the_values_its_file_states(
    golden_path: Path, orders_dir: Path
) -> None:
    golden = json.loads(golden_path.read_text())
    data = (orders_dir / golden["file"]).read_bytes()
    extraction = read_structured(data, source=golden["file"], sha256="0" * 64)
    assert extraction is not None
    _assert_matches_golden(extraction, data, golden)


@pytest.mark.parametrize("pdf", sorted(PDF_SAMPLES), ids=lambda name: Path(name).stem)
def test_pdf_with_embedded_xml_is_read_from_the_xml_not_the_page(
    pdf: str, orders_dir: Path
) -> None:
    golden_name, pages = PDF_SAMPLES[pdf]
    golden = json.loads((GOLDEN / golden_name).read_text())
    data = (orders_dir / pdf).read_bytes()
    extraction = read_structured(data, source=pdf)
    assert extraction is not None
    assert extraction.pages == pages
    _assert_matches_golden(extraction, data, golden)


@pytest.mark.parametrize(("name", "expected"), sorted(DETECTED.items()), ids=lambda v: str(v))
def test_detect_structured_names_the_format(
    name: str, expected: str | None, orders_dir: Path
) -> None:
    assert detect_structured((orders_dir / name).read_bytes(), filename=name) == expected


def test_structured_extraction_needs_review_and_leaves_reasons_to_the_pipeline(
    orders_dir: Path, extraction_schema: dict[str, Any]
) -> None:
    order = read_structured(
        (orders_dir / "ubl_peppol_orders/Order_Example.xml").read_bytes(),
        source="Order_Example.xml",
    )
    cancellation = read_structured(
        (orders_dir / "ubl_peppol_orders/OrderCancellation_Example.xml").read_bytes(),
        source="OrderCancellation_Example.xml",
    )
    assert order is not None and cancellation is not None
    assert order.decision.status == "needs_review" and order.decision.reasons == []
    assert cancellation.document_type == "order_change"
    assert cancellation.decision.reasons == ["cancellation"]
    for extraction in (order, cancellation):
        jsonschema.validate(extraction.to_json(), extraction_schema)


def test_infoset_xml_that_is_not_an_order_gives_none(orders_dir: Path) -> None:
    data = (orders_dir / "edifact_orders/TestInfosets_ORDERS_D.03B_Interchange.xml").read_bytes()
    assert read_structured(data, source="infoset.xml") is None
