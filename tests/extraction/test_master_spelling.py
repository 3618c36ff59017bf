"""The master data's spelling of the matched customer's name and address as OCR misread them."""

from __future__ import annotations

import pytest

from extraction.master_spelling import (
    master_postal_code,
    master_spelling,
    printed_customer_number,
    printed_vat_id,
)
from extraction.masterdata import CustomerRecord

SCHAEFER = CustomerRecord(
    customer_id="C0007",
    name="Schäfer Kältetechnik GmbH",
    street="Schillerstraße 79",
    postal_code="90402",
    city="Nürnberg",
    vat_id="DE 165 305 847",
    email_domains=("schaefer-kaelte.de", "schaefer-group.com"),
)


@pytest.mark.parametrize(
    ("field", "read", "expected"),
    [
        ("ship_to_name", "Schafer Kaltetechnik GmbH", "Schäfer Kältetechnik GmbH"),
        (
            "ship_to_name",
            "Schafer Kaltetechnik GmbH – Werk 2",
            "Schäfer Kältetechnik GmbH – Werk 2",
        ),
        ("ship_to_street", "SchillerstraRe 79", "Schillerstraße 79"),
        ("ship_to_city", "Nurnberg", "Nürnberg"),
        ("contact_email", "anna.roth@schaofer-kaolte.de", "anna.roth@schaefer-kaelte.de"),
    ],
)
def test_ocr_slips_in_the_customers_own_values_take_the_master_spelling(field, read, expected):
    assert master_spelling(field, read, SCHAEFER) == expected


@pytest.mark.parametrize(
    ("field", "read"),
    [
        ("ship_to_street", "Schillerstraße 97"),  # another number: another address
        ("ship_to_street", "Schillerstraße 79"),  # already right
        ("ship_to_city", "Fürth"),
        ("ship_to_name", "Weber Maschinenbau GmbH – Werk 2"),
        ("ship_to_postal_code", "90402"),  # not a field that is respelt
        ("contact_email", "anna.roth@schaefer-group.com"),
        ("contact_email", "anna.roth@gmail.com"),
    ],
)
def test_other_values_are_not_respelt(field, read):
    assert master_spelling(field, read, SCHAEFER) is None


def test_a_vat_id_with_broken_check_digits_is_the_customers_when_printed_all_but_one():
    assert printed_vat_id(["USt-IdNr. DE 165 3O5 847"], SCHAEFER) == "DE165305847"
    assert printed_vat_id(["IBAN DE94 3704 0044 5198 9307 45"], SCHAEFER) is None
    assert printed_vat_id(["USt-IdNr. DE 533 824 125"], SCHAEFER) is None  # another company's


def test_a_vat_id_whose_prefix_ocr_misread_or_with_three_slips_after_its_prefix_is_found():
    misread_prefix = "USt-IdNr. DF 165 305 84"
    assert printed_vat_id([], SCHAEFER, labelled=[misread_prefix]) == "DE165305847"
    assert printed_vat_id([misread_prefix], SCHAEFER) is None, "only on a VAT-labelled line"
    assert printed_vat_id(["UID-Nr. DE 185 3O5 841"], SCHAEFER) == "DE165305847"
    assert printed_vat_id([], SCHAEFER, labelled=["UID-Nr. DF 185 3O5 841"]) is None


@pytest.mark.parametrize(
    ("read", "street", "expected"),
    [
        ("90403", "Schillerstraße 79", "90402"),  # the customer's address, one digit misread
        ("90402", "Schillerstraße 79", None),  # already right
        ("90413", "Schillerstraße 79", None),  # two digits: another postal code
        ("90403", "Hauptstraße 2", None),  # another street: another address
    ],
)
def test_a_postal_code_printed_with_the_customers_street_and_city_is_the_customers(
    read: str, street: str, expected: str | None
) -> None:
    assert master_postal_code(read, street, "Nürnberg", SCHAEFER) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("N° client CoO07", "C0007"),  # look-alike letters for digits
        ("N“ client C00%7", "C0007"),  # one character that is no digit misread
        ("Kunden-Nr. C0009", None),  # another digit: another customer's number
        ("N° client ####", None),
    ],
)
def test_a_customer_number_ocr_misread_on_its_labelled_line_is_the_customers(
    line: str, expected: str | None
) -> None:
    assert printed_customer_number([line], SCHAEFER) == expected
