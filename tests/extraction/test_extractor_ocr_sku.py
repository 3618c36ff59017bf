"""An OCR'd item number one character off the catalogue SKU its line matched is that SKU."""

from __future__ import annotations

from decimal import Decimal

from extraction.extractor import (
    gtin_from_description,
    item_number_from_description,
    ocr_description,
    ocr_sku,
)
from extraction.masterdata import CustomerItemRecord, CustomerRecord, MasterData, ProductRecord
from extraction.matching import ProductIndex, ProductMatch
from extraction.pages import Word
from extraction.table_rows import TableLine

MATCH = ProductMatch(ProductRecord("ODS-11073", "Copy paper 80 gsm A4"), "description", 0.97)


def row(sku: str, *, ocr: bool) -> TableLine:
    word = Word(sku, (0.1, 0.1, 0.2, 0.12), line_id=0, ocr_confidence=0.8 if ocr else None)
    return TableLine(sku=sku, quantity=Decimal(12), words=[word])


def test_one_misread_character_gives_the_catalogue_sku():
    assert ocr_sku(row("O0DS-11073", ocr=True), MATCH) == "ODS-11073"
    assert ocr_sku(row("ODS-1 1073", ocr=True), MATCH) == "ODS-11073"
    assert ocr_sku(row("0D8-11073", ocr=True), MATCH) == "ODS-11073"  # look-alikes and 8 for S


def test_a_word_of_the_next_column_in_the_item_number_cell_is_left_out():
    assert ocr_sku(row("A2 ODS-11073", ocr=True), MATCH) == "ODS-11073"


def test_a_different_number_or_a_text_layer_is_kept_as_printed():
    assert ocr_sku(row("ABC-99", ocr=True), MATCH) == "ABC-99"
    assert ocr_sku(row("O0DS-11073", ocr=False), MATCH) == "O0DS-11073"
    assert ocr_sku(row("O0DS-11073", ocr=True), None) == "O0DS-11073"


def described(description: str, *, ocr: bool = True) -> TableLine:
    word = Word("x", (0.1, 0.1, 0.2, 0.12), line_id=0, ocr_confidence=0.8 if ocr else None)
    return TableLine(description=description, quantity=Decimal(10), words=[word])


INDEX = ProductIndex(
    MasterData(
        products=(
            ProductRecord("ODS-10664", "Zylinderschraube 5x30 mm Edelstahl A2"),
            ProductRecord("ODS-11604", "Zylinderschraube 5x16 mm Edelstahl A2"),
        ),
        customer_items=(CustomerItemRecord("C0007", "KS-4471", "ODS-11604"),),
    )
)
CUSTOMER = CustomerRecord("C0007", "Weber Haustechnik GmbH")


def test_a_known_item_number_among_an_ocr_description_is_the_line_item_number():
    line = described("Zylinderschraube 5x30 mm Edelstahl A2 ODS-10664")
    item_number_from_description(line, INDEX, None)
    assert (line.sku, line.description) == ("ODS-10664", "Zylinderschraube 5x30 mm Edelstahl A2")
    own = described("Zylinderschraube – KS-4471 laut Datenblatt")
    item_number_from_description(own, INDEX, CUSTOMER)
    assert (own.sku, own.description) == ("KS-4471", "Zylinderschraube – laut Datenblatt")


def test_an_item_number_ocr_split_at_a_gap_is_joined_out_of_the_description():
    for printed in ("ODS- 10664", "ODS-1 0664"):
        line = described(f"Zylinderschraube 5x30 mm {printed} Edelstahl A2")
        item_number_from_description(line, INDEX, None)
        assert (line.sku, line.description) == (
            "ODS-10664",
            "Zylinderschraube 5x30 mm Edelstahl A2",
        ), printed


def test_unknown_or_two_numbers_and_text_layers_are_left_as_read():
    for line, customer in (
        (described("Toner TN-2420 blau"), CUSTOMER),  # a model number, not an item number
        (described("Schraube ODS-10664 oder ODS-11604"), None),
        (described("Schraube ODS-10664", ocr=False), None),
        (described("Schraube KS-4471"), None),  # another customer's number
    ):
        before = line.description
        item_number_from_description(line, INDEX, customer)
        assert (line.sku, line.description) == (None, before)


def test_an_ocr_item_number_in_look_alike_characters_finds_its_product():
    for printed in ("0DS-10664", "00S-10664", "OD5-1O664"):
        match = INDEX.match(sku=printed, description=None, customer_id=None, ocr=True)
        assert match is not None and match.product.sku == "ODS-10664", printed
        assert ocr_sku(row(printed, ocr=True), match) == "ODS-10664"
    # a text layer prints what the customer typed; another number is not a look-alike
    assert INDEX.match(sku="0DS-10664", description=None, customer_id=None) is None
    assert INDEX.match(sku="ODS-10665", description=None, customer_id=None, ocr=True) is None
    line = described("Zylinderschraube 5x30 mm 0DS-1O664")
    item_number_from_description(line, INDEX, None)
    assert line.sku == "0DS-1O664"


def test_look_alike_skus_that_fold_together_match_neither():
    index = ProductIndex(
        MasterData(products=(ProductRecord("AB-105", "Vis"), ProductRecord("AB-10S", "Écrou")))
    )
    assert index.match(sku="A8-1O5", description=None, customer_id=None, ocr=True) is None


def test_a_gtin_among_an_ocr_description_is_the_line_gtin():
    line = described("3002289905905 Highlighter pink Premium")
    gtin_from_description(line)
    assert (line.gtin, line.description) == ("3002289905905", "Highlighter pink Premium")


def test_numbers_that_are_no_gtin_and_text_layers_stay_in_the_description():
    for line in (
        described("Palette 1200x1000 Eco 3002289905906"),  # the check digit is wrong
        described("Palette 12001000 Eco"),  # eight digits: a size as often as a GTIN-8
        described("Highlighter 3002289905905", ocr=False),
    ):
        before = line.description
        gtin_from_description(line)
        assert (line.gtin, line.description) == (None, before)


def test_marks_ocr_read_at_the_ends_of_a_description_go_and_a_text_layers_stay():
    assert ocr_description(described(": Emballage spécial ; ;"), None, None) == "Emballage spécial"
    assert ocr_description(described("; ·"), None, None) is None
    printed = described("Emballage spécial ;", ocr=False)
    assert ocr_description(printed, None, None) == "Emballage spécial ;"


def test_a_line_matched_by_its_description_alone_takes_the_catalogue_spelling_when_close():
    product = ProductRecord("ODS-11955", "Vis à tête fraisée 3x16 mm inox A2 Eco")
    read = described("Vis & tête fraisée 3x16 mm inox A2 Feu")
    close = ProductMatch(product, "description", 0.92)
    assert ocr_description(read, close, None) == product.description
    loose = ProductMatch(product, "description", 0.86)
    assert ocr_description(read, loose, None) == read.description
