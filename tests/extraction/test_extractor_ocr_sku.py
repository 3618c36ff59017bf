"""An OCR'd item number one character off the catalogue SKU its line matched is that SKU."""

from __future__ import annotations

from decimal import Decimal

from extraction.extractor import ocr_sku
from extraction.masterdata import ProductRecord
from extraction.matching import ProductMatch
from extraction.pages import Word
from extraction.table_rows import TableLine

MATCH = ProductMatch(ProductRecord("ODS-11073", "Copy paper 80 gsm A4"), "description", 0.97)


def row(sku: str, *, ocr: bool) -> TableLine:
    word = Word(sku, (0.1, 0.1, 0.2, 0.12), line_id=0, ocr_confidence=0.8 if ocr else None)
    return TableLine(sku=sku, quantity=Decimal(12), words=[word])


def test_one_misread_character_gives_the_catalogue_sku():
    assert ocr_sku(row("O0DS-11073", ocr=True), MATCH) == "ODS-11073"
    assert ocr_sku(row("ODS-1 1073", ocr=True), MATCH) == "ODS-11073"


def test_a_different_number_or_a_text_layer_is_kept_as_printed():
    assert ocr_sku(row("ABC-99", ocr=True), MATCH) == "ABC-99"
    assert ocr_sku(row("O0DS-11073", ocr=False), MATCH) == "O0DS-11073"
    assert ocr_sku(row("O0DS-11073", ocr=True), None) == "O0DS-11073"
