"""Code and value conversions of the structured readers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from extraction.structured import StructuredFormatError
from extraction.structured.values import (
    map_unit,
    normalise_country,
    normalise_vat_id,
    parse_coded_date,
    parse_decimal,
    parse_iso_date,
    payment_days_from_text,
    per_unit,
    unit_code,
)


@pytest.mark.parametrize(
    ("code", "unit"),
    [
        ("C62", "EA"),
        ("EA", "EA"),
        ("H87", "EA"),
        ("PCE", "EA"),
        ("KGM", "KG"),
        ("MTR", "M"),
        ("LTR", "L"),
        ("BX", "BOX"),
        ("PK", "PAC"),
        ("RO", "ROL"),
        ("kgm", "KG"),
        ("DAY", "DAY"),
        (None, None),
        ("  ", None),
    ],
)
def test_rec20_codes_map_to_ordino_units(code: str | None, unit: str | None) -> None:
    assert map_unit(code) == unit


@pytest.mark.parametrize("unit", ["EA", "BOX", "PAC", "ROL", "M", "KG", "L"])
def test_ordino_units_survive_a_trip_through_rec20(unit: str) -> None:
    assert map_unit(unit_code(unit)) == unit


def test_price_per_basis_quantity_is_a_price_per_single_unit() -> None:
    assert per_unit(Decimal("20.00"), Decimal("2")) == Decimal("10")
    assert per_unit(Decimal("3630.1724"), Decimal("100")) == Decimal("36.301724")
    assert per_unit(Decimal("5"), None) == Decimal("5")
    assert per_unit(Decimal("5"), Decimal("0")) == Decimal("5")
    assert per_unit(None, Decimal("2")) is None


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        ("20200331", "102", date(2020, 3, 31)),
        ("202003311232", "203", date(2020, 3, 31)),
        ("20200331123000", "204", date(2020, 3, 31)),
        ("20200331", None, date(2020, 3, 31)),
    ],
)
def test_coded_dates(text: str, fmt: str | None, expected: date) -> None:
    assert parse_coded_date(text, fmt, what="date") == expected


@pytest.mark.parametrize(
    ("text", "fmt"), [("20200231", "102"), ("2020", "102"), ("20200331", "616")]
)
def test_impossible_or_unknown_coded_dates_are_refused(text: str, fmt: str) -> None:
    with pytest.raises(StructuredFormatError) as refused:
        parse_coded_date(text, fmt, what="The order date")
    assert refused.value.reason == "invalid_value"


def test_iso_dates_accept_a_timezone_suffix() -> None:
    assert parse_iso_date("2010-01-20Z", what="d") == date(2010, 1, 20)
    assert parse_iso_date("2010-01-20+01:00", what="d") == date(2010, 1, 20)
    with pytest.raises(StructuredFormatError):
        parse_iso_date("20.01.2010", what="d")


@pytest.mark.parametrize("text", ["1,5", "NaN", "Infinity", "12 EUR"])
def test_non_numbers_are_refused(text: str) -> None:
    with pytest.raises(StructuredFormatError):
        parse_decimal(text, what="amount")


@pytest.mark.parametrize(
    ("text", "vat_id"),
    [
        ("FR 05 987 654 321", "FR05987654321"),
        ("CHE-123.456.789 MWST", "CHE123456789"),
        ("NO9311867455MVA", "NO9311867455"),
        ("de123456789", "DE123456789"),
        ("", None),
    ],
)
def test_vat_ids_are_compacted(text: str, vat_id: str | None) -> None:
    assert normalise_vat_id(text) == vat_id


def test_uk_country_code_is_gb() -> None:
    assert normalise_country("uk") == "GB" and normalise_country("FR") == "FR"


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Net 30 days", 30),
        ("30 jours fin de mois", 30),
        ("14 Tage 2 % Skonto, 30 Tage netto", 30),
        ("Zahlbar innerhalb 10 Tagen", 10),
        ("net 45", 45),
        ("Payment terms description", None),
        ("PAYMENT_TERMS_DESC", None),
        (None, None),
    ],
)
def test_payment_days_from_free_text_terms(text: str | None, days: int | None) -> None:
    assert payment_days_from_text(text) == days
