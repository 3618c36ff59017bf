"""Which text layers are trusted, and which pages must be OCRed instead."""

from __future__ import annotations

import io
import textwrap
from typing import Any

import pdfplumber
import pytest

from extraction.reading import read_document
from extraction.reading.pdf_text import extract_text_layer
from extraction.reading.text_layer import PageObjects, TextLayerVerdict, judge_text_layer
from tests.extraction import reading_fixtures as make

TEXT_ONLY = PageObjects(text_objects=40)
ORDER_PROSE = (
    "Purchase order PO-2291 dated 2026-11-30. Please deliver the following items to our "
    "warehouse in Lyon before the end of the month: 120 x SKU-4471 steel bolts M8 at 0.35 EUR, "
    "40 x SKU-9902 washers at 0.05 EUR. Total amount 44.00 EUR net, payment terms 30 days."
)


def _shifted(text: str) -> str:
    """Every letter replaced by the next one: what a font with a wrong encoding extracts as."""
    return "".join(chr(ord(c) + 1) if c.isalpha() else c for c in text)


@pytest.mark.parametrize(
    "text",
    [
        ORDER_PROSE,
        "Bestellung Nr. 4711 vom 30.11.2026 – Lieferung frei Haus, Menge 12 Stück à 3,50 €",
        "Bon de commande n° BC-88 : livraison le 15/12/2026, quantité 12, prix unitaire 3,50 €",
        "Qty  SKU       Price\n12   A-100     3.50\n4    B-220    12.00",
        "Total 12",
    ],
)
def test_real_text_is_usable(text: str) -> None:
    assert judge_text_layer(text, TEXT_ONLY) is TextLayerVerdict.USABLE


@pytest.mark.parametrize(
    "text",
    [
        "(cid:1)(cid:2)(cid:3)(cid:4) (cid:5)(cid:6)(cid:3) 12" * 5,
        "\ue001\ue002\ue003 \ue004\ue005\ue006\ue007 12",
        "\ufffd\ufffd\ufffd \ufffd\ufffd 12",
    ],
)
def test_characters_without_unicode_mapping_need_ocr(text: str) -> None:
    assert judge_text_layer(text, TEXT_ONLY) is TextLayerVerdict.MISSING_UNICODE_MAP


@pytest.mark.parametrize(
    "text",
    [
        "±±≈≈ ¬¬∆ ∑∑ ◊◊◊ ∫∫ ≠≠ ÷÷ ∂∂∂ ∏∏ ≤≤≥≥ ",
        "xQzKvW pLrTzx qWrTzP ZxCvBn mNbVcX aSdFgH jKlQwE rTyUiO pAsDfG hJkLzX",
    ],
)
def test_symbol_soup_and_letter_soup_need_ocr(text: str) -> None:
    assert judge_text_layer(text, TEXT_ONLY) is TextLayerVerdict.GARBAGE


def test_text_with_letters_shifted_by_a_wrong_font_encoding_needs_ocr() -> None:
    assert judge_text_layer(_shifted(ORDER_PROSE), TEXT_ONLY) is TextLayerVerdict.GARBAGE


def test_invisible_text_over_a_page_sized_image_is_a_scanner_layer() -> None:
    objects = PageObjects(text_objects=30, invisible_text_objects=30, image_coverage=0.98)
    assert judge_text_layer(ORDER_PROSE, objects) is TextLayerVerdict.INVISIBLE_OVER_IMAGE


def test_page_without_characters_is_empty_scanned_or_outlined_by_what_it_draws() -> None:
    assert judge_text_layer("", PageObjects()) is TextLayerVerdict.EMPTY
    assert judge_text_layer("", PageObjects(image_coverage=0.9)) is TextLayerVerdict.IMAGE_ONLY
    assert judge_text_layer("", PageObjects(path_objects=5000)) is TextLayerVerdict.VECTOR_OUTLINES


def test_reader_ocrs_page_whose_font_maps_letters_to_the_wrong_characters() -> None:
    pypdf = pytest.importorskip("pypdf")
    data = _with_shifted_to_unicode_map(make.visible_garbage_pdf(_lines(ORDER_PROSE)), pypdf)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert "Qvsdibtf" in extract_text_layer(pdf.pages[0]).text  # "Purchase", shifted

    result = read_document(data)

    assert result.pages[0].source == "ocr"
    assert "Purchase order PO-2291" in result.pages[0].text
    assert any("garbage" in warning for warning in result.warnings)


def _lines(text: str, width: int = 80) -> list[str]:
    return textwrap.wrap(text, width)


def _with_shifted_to_unicode_map(data: bytes, pypdf: Any) -> bytes:
    """The same PDF, its font given a ToUnicode map that shifts every letter by one: the page
    looks right, its extracted text is wrong."""
    from pypdf.generic import DecodedStreamObject, NameObject

    letters = [c for c in range(0x41, 0x7B) if chr(c).isalpha()]
    entries = "\n".join(f"<{c:02X}> <{c + 1:04X}>" for c in letters)
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CMapName /Shifted def 1 begincodespacerange <00> <FF> endcodespacerange\n"
        f"{len(letters)} beginbfchar\n{entries}\nendbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(data)))
    stream = DecodedStreamObject()
    stream.set_data(cmap.encode())
    for font in writer.pages[0]["/Resources"]["/Font"].values():
        font.get_object()[NameObject("/ToUnicode")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
