"""Normalisation of printed values (FR/EN/DE) and typed candidates on hand-made pages."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from extraction.candidates import generate_candidates
from extraction.layout import build_layout
from extraction.lexicon import default_matcher
from extraction.normalize import (
    parse_amount,
    parse_country,
    parse_date,
    parse_email,
    parse_gtin,
    parse_ocr_vat_id,
    parse_payment_terms_days,
    parse_unit,
    parse_vat_id,
)
from extraction.pages import Page, ReadResult, Word


def page_of(rows: list[list[tuple[str, float]]], *, number: int = 1) -> Page:
    """A page from rows of (text, x0) words; each row is one line, 2.5 % of the page high."""
    words = []
    for line_id, row in enumerate(rows):
        y0 = 0.05 + line_id * 0.025
        for text, x0 in row:
            width = 0.011 * len(text)
            words.append(
                Word(
                    text=text,
                    bbox=(x0, y0, x0 + width, y0 + 0.012),
                    line_id=line_id,
                    font_size=10.0,
                )
            )
    return Page(number=number, width=595.0, height=842.0, words=tuple(words), source="pdf")


def read_of(*pages: Page) -> ReadResult:
    return ReadResult(pages=pages, media_type="application/pdf")


@pytest.mark.parametrize(
    ("text", "mark", "expected"),
    [
        ("1 234,50 €", None, "1234.50"),
        ("1.234,50", None, "1234.50"),
        ("1,234.50", None, "1234.50"),
        ("EUR 99.00", None, "99.00"),
        ("12,5", None, "12.5"),
        ("1.234", ",", "1234"),
        ("1,234", ",", "1.234"),
        ("-12.50", None, "-12.50"),
        ("1.234.567", ",", "1234567"),
        ("7.330.22", ",", "7330.22"),  # OCR's full stop for the decimal comma
    ],
)
def test_amounts_parse_in_french_german_and_english_formats(text, mark, expected):
    assert parse_amount(text, decimal_mark=mark) == Decimal(expected)


def test_text_that_is_not_an_amount_is_refused():
    assert parse_amount("12:30") is None
    assert parse_amount("ODS-1234") is None


@pytest.mark.parametrize(
    ("text", "language", "month_first", "expected"),
    [
        ("12.03.2026", "de", False, date(2026, 3, 12)),
        ("12/03/2026", "fr", False, date(2026, 3, 12)),
        ("03/12/2026", "en", True, date(2026, 3, 12)),
        ("2026-03-12", "en", False, date(2026, 3, 12)),
        ("12 mars 2026", "fr", False, date(2026, 3, 12)),
        ("3. März 2026", "de", False, date(2026, 3, 3)),
        ("March 12, 2026", "en", False, date(2026, 3, 12)),
        ("1er avril 2026", "fr", False, date(2026, 4, 1)),
    ],
)
def test_dates_parse_with_locale_month_names_and_orders(text, language, month_first, expected):
    assert parse_date(text, language=language, month_first=month_first) == expected


def test_an_ocr_month_name_a_letter_off_is_that_month_only_when_one_month_is_near():
    assert parse_date("10. Jull 2026", language="de", ocr=True) == date(2026, 7, 10)
    assert parse_date("3 Septernber 2026", ocr=True) == date(2026, 9, 3)
    assert parse_date("10. Jull 2026", language="de") is None, "a text layer is taken as spelt"
    assert parse_date("3 juim 2026", language="fr", ocr=True) is None  # juin or juil.
    assert parse_date("3 Mal 2026", language="de", ocr=True) is None  # mai or mar
    assert parse_date("23 moi 2026", language="fr", ocr=True) == date(2026, 5, 23)


def test_impossible_dates_are_refused():
    assert parse_date("31.02.2026") is None
    assert parse_date("12.13.2026") is None


def test_vat_ids_are_compacted_and_check_digits_verified():
    assert parse_vat_id("FR 40 303 265 045") == "FR40303265045"
    assert parse_vat_id("DE136695976") == "DE136695976"
    assert parse_vat_id("FR 41 303 265 045") is None
    assert parse_vat_id("CHE-931.869.116 MWST") == "CHE931869116"
    assert parse_vat_id("CHE-931.869.116") == "CHE931869116"
    assert parse_vat_id("CHE-931.869.117 MWST") is None


def test_an_ocr_vat_id_whose_country_code_letter_was_read_as_a_digit_is_read():
    assert parse_ocr_vat_id("0E 533824125") == "DE533824125"
    assert parse_ocr_vat_id("DE533824125") == "DE533824125"
    assert parse_ocr_vat_id("0E 533824126") is None  # the check digit still decides
    assert parse_vat_id("0E 533824125") is None  # a text layer's is as printed


def test_gtin_check_digit_is_verified():
    assert parse_gtin("4006381333931") == "4006381333931"
    assert parse_gtin("4006381333932") is None


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("30 jours fin de mois", 30),
        ("Net 60", 60),
        ("14 Tage 2 % Skonto, 30 Tage netto", 30),
        ("À réception de facture", 0),
        ("sofort netto", 0),
        ("Vorkasse", None),
        ("As agreed", None),
        ("Merci de retourner l'accusé de réception sous 48 heures.", None),
        ("Gesamtsumme netto 4.247,64", None),
        ("Vis à tête cylindrique – conforme à 07/01/2027 24,000 11,17", None),
        ("24 x Ordner Rücken 80 mm Pro à 3,76 EUR", None),
        ("15 Film étirable 23 µm 450 mm Pro – conforme à 6 rlx 17,54 105,24", None),
        ("Antoine Martin A réception de facture +33 2 08 26 07 34", 0),
        ("Virement à 30 jours", 30),
        ("Zahlbar innerhalb 14 Tagen netto", 14),
        ("payable within 45 days", 45),
        ("14 Tage 2 % Skonto, 30 Taganeto", 30),  # OCR glued 'Tage netto'
        ("Règlement: 4$ jours fin de mois", 45),  # a digit read as a look-alike
        ("Suivi par Claire Bonnet 12 rue des Entrepreneurs", None),  # a name ending in 'net'
    ],
)
def test_payment_terms_become_net_days(text, days):
    assert parse_payment_terms_days(text) == days


def test_countries_and_units_map_to_codes():
    assert parse_country("Royaume-Uni") == "GB"
    assert parse_country("Deutschland") == "DE"
    assert parse_country("Belgique") == "BE"
    assert parse_unit("Stück") == "EA"
    assert parse_unit("rouleau") == "ROL"
    assert parse_unit("Karton") == "BOX"


def test_label_words_are_not_part_of_the_value_candidate():
    page = page_of(
        [[("Bestell-Nr.:", 0.6), ("4500012345", 0.75)], [("Datum:", 0.6), ("12.03.2026", 0.75)]]
    )
    layout = build_layout(read_of(page))
    hits = default_matcher().match(layout)
    candidates = generate_candidates(layout, hits, language="de")
    identifiers = [c for c in candidates if c.kind == "identifier"]
    assert [c.value for c in identifiers] == ["4500012345"]
    assert identifiers[0].start == 1
    assert {c.value for c in candidates if c.kind == "date"} == {"2026-03-12"}


def test_postal_code_and_city_are_split_from_an_address_line():
    page = page_of([[("75011", 0.1), ("Paris", 0.18)]])
    layout = build_layout(read_of(page))
    candidates = generate_candidates(layout, [], language="fr")
    assert ("postal", "75011") in {(c.kind, c.value) for c in candidates}
    assert ("text", "Paris") in {(c.kind, c.value) for c in candidates}


def test_amount_split_over_two_words_is_one_candidate():
    page = page_of([[("Total", 0.6), ("HT", 0.66), ("20", 0.8), ("851,16", 0.83)]])
    layout = build_layout(read_of(page))
    candidates = generate_candidates(layout, default_matcher().match(layout), language="fr")
    assert "20851.16" in {c.value for c in candidates if c.kind == "amount"}


def test_an_email_address_split_at_the_at_sign_is_one_candidate():
    page = page_of([[("Mail", 0.1), ("julien.girard", 0.2), ("@rousseau-boulan.fr", 0.36)]])
    layout = build_layout(read_of(page))
    candidates = generate_candidates(layout, [], language="fr")
    assert {c.value for c in candidates if c.kind == "email"} == {
        "julien.girard@rousseau-boulan.fr"
    }


def test_an_email_address_ocr_spaced_around_the_at_sign_with_a_comma_for_the_dot():
    words = [("E-Mail", 0.1), ("julia.weber", 0.2), ("@", 0.31), ("weber-hauste,de", 0.33)]
    layout = build_layout(read_of(page_of([words])))
    candidates = generate_candidates(layout, [], language="de")
    assert {c.value for c in candidates if c.kind == "email"} == {"julia.weber@weber-hauste.de"}
    assert parse_email("a.b@c,d") is None  # one letter is no top-level domain


@pytest.mark.parametrize(
    "words",
    [
        [
            ("E-mail:", 0.1),
            ("marie.", 0.2),
            ("weber", 0.27),
            ("@", 0.33),
            ("weber-garage.lu", 0.35),
        ],
        [("E-mail:", 0.1), ("marie.", 0.2), ("weber@weber-garage.lu", 0.27)],
    ],
)
def test_an_email_address_ocr_parted_after_the_first_name_is_read_whole(words):
    layout = build_layout(read_of(page_of([words])))
    candidates = generate_candidates(layout, [], language="en")
    assert {c.value for c in candidates if c.kind == "email"} == {"marie.weber@weber-garage.lu"}


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (
            [
                ("Mail", 0.1),
                ("julien.", 0.2),
                ("giturd", 0.26),
                ("@rousseau-boulun.", 0.32),
                ("fr", 0.5),
            ],
            "julien.giturd@rousseau-boulun.fr",
        ),
        (
            [("E-Mail", 0.1), ("markus.fischer@muller-elektr.", 0.2), ("de", 0.525)],
            "markus.fischer@muller-elektr.de",
        ),
    ],
)
def test_an_email_address_ocr_split_at_several_dots_and_its_at_sign_is_read_whole(words, expected):
    layout = build_layout(read_of(page_of([words])))
    candidates = generate_candidates(layout, [], language="fr")
    assert {c.value for c in candidates if c.kind == "email"} == {expected}


def test_a_postal_code_keeps_its_country_prefix():
    page = page_of([[("L-1616", 0.1), ("Luxembourg", 0.18)]])
    layout = build_layout(read_of(page))
    candidates = generate_candidates(layout, [], language="fr")
    assert ("postal", "L-1616") in {(c.kind, c.value) for c in candidates}


def ocr_page_of(rows):
    page = page_of(rows)
    return replace(page, words=tuple(replace(w, ocr_confidence=0.9) for w in page.words))


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (  # the dot before the domain's ending read as a comma, then a space
            [("Mail:", 0.1), ("thomas.", 0.2), ("bonnet", 0.27), ("@chevalier-bureau,", 0.33)],
            None,
        ),
        (
            [("Mail:", 0.1), ("thomas.bonnet", 0.2), ("@chevalier-bureau,", 0.33), ("fr", 0.5)],
            "thomas.bonnet@chevalier-bureau.fr",
        ),
        (  # the dot between the names read as a space
            [("Mail:", 0.1), ("sophie", 0.2), ("lefevre", 0.26), ("@", 0.33), ("bonnet.fr", 0.35)],
            "sophie.lefevre@bonnet.fr",
        ),
        (  # a name written with its capital is no part of the address
            [("Contact", 0.1), ("Sophie", 0.2), ("lefevre@bonnet.fr", 0.26)],
            "lefevre@bonnet.fr",
        ),
    ],
)
def test_an_ocr_address_with_a_dot_read_as_a_comma_or_a_space_is_read_whole(words, expected):
    layout = build_layout(read_of(ocr_page_of([words])))
    emails = {c.value for c in generate_candidates(layout, [], language="fr") if c.kind == "email"}
    assert emails == ({expected} if expected else set())


def test_a_text_layers_address_is_read_as_printed():
    words = [("Mail:", 0.1), ("thomas.bonnet", 0.2), ("@chevalier-bureau,", 0.33), ("fr", 0.5)]
    layout = build_layout(read_of(page_of([words])))
    assert not [c for c in generate_candidates(layout, [], language="fr") if c.kind == "email"]
