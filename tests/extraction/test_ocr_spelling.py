"""OCR'd description words put back in the spelling of the training orders and the catalogue."""

from __future__ import annotations

import pytest

from extraction.extractor import respell_ocr_descriptions
from extraction.masterdata import MasterData, ProductRecord
from extraction.ocr_spelling import Spellings, learn_spellings
from extraction.pages import Word
from extraction.tables import TableLine

LEARNT = learn_spellings(
    [
        "Aderleitung H07V-U 1,5 mm² rot Premium",
        "Ordner Rücken 80 mm Pro",
        "Sechskantmutter M12 verzinkt Industriequalität",
        "Sechskantmutter M10 verzinkt",
        "Hex nut M8 zinc plated Eco",
        "Ordner Rücken Premium",
    ]
)


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        ("Aderleitung HO7V-U 1,5 mm? rot", "Aderleitung H07V-U 1,5 mm² rot"),
        ("Ordner Riicken 80 mm Pro", "Ordner Rücken 80 mm Pro"),
        (
            "Sechskantmutter M12 verzinkt, Industriequalitat",
            "Sechskantmutter M12 verzinkt, Industriequalität",
        ),
        ("HexnutM8zincplated", "Hex nut M8 zinc plated"),  # OCR lost the spaces
        ("Hex nut M5zincplatedEco", "Hex nut M5 zinc plated Eco"),
        ("“Sechskantmuter M10", "Sechskantmutter M10"),  # a speck read as a quote before it
        ("‘Ordner Rücken", "Ordner Rücken"),
    ],
)
def test_misread_words_take_the_known_spelling(read, expected):
    assert LEARNT.respell(read) == expected


@pytest.mark.parametrize(
    "read",
    [
        "Sechskantmutter M13 verzinkt",  # M12 or M10? a digit is never changed
        "Aderleitung 2,5 mm",  # numbers stay as read
        "Kabelbinder schwarz",  # unknown words far from every known one
        "Ordnerrücken Premium",  # a compound of known words shows no seam: left whole
        "“Kabelbinder” schwarz",  # a quoted word not known is quoted
    ],
)
def test_numbers_and_words_far_from_the_vocabulary_stay_as_read(read):
    assert LEARNT.respell(read) == read


def test_spellings_survive_the_model_file_and_take_in_the_catalogue():
    assert Spellings.from_json(LEARNT.to_json()) == LEARNT
    merged = LEARNT.merged(["Palette bois Einweg"])
    assert merged.respell("Elnweg Rucken") == "Einweg Rücken"


def _row(description: str, confidence: float | None) -> TableLine:
    word = Word(text=description, bbox=(0.1, 0.5, 0.6, 0.51), line_id=0, ocr_confidence=confidence)
    return TableLine(description=description, words=[word])


def test_only_ocr_read_rows_are_respelt():
    master = MasterData(products=(ProductRecord(sku="ODS-1", description="Ordner Rücken 50 mm"),))
    ocr, text_layer = _row("Ordner Riicken 50 mm", 0.8), _row("Ordner Riicken 50 mm", None)
    respell_ocr_descriptions([ocr, text_layer], Spellings(), master)
    assert (ocr.description, text_layer.description) == (
        "Ordner Rücken 50 mm",
        "Ordner Riicken 50 mm",
    )


def test_a_diameter_sign_read_as_a_look_alike_before_a_size_is_put_back():
    spellings = Spellings(frozenset({"Wellrohr"}))
    assert spellings.respell("Wellrohr @ 20 mm") == "Wellrohr Ø 20 mm"
    assert spellings.respell("Gaine © 16 mm") == "Gaine Ø 16 mm"
    assert spellings.respell("Wellrohr @ Rolle") == "Wellrohr @ Rolle"  # not before a size


def test_a_compound_is_respelt_part_by_part_when_the_whole_is_too_far():
    spellings = Spellings(frozenset({"Alkaline-Batterien", "Premium"}))
    assert spellings.respell("Akalino-Batterion Premium") == "Alkaline-Batterien Premium"
    assert spellings.respell("Akalino-Steckdose") == "Akalino-Steckdose"  # one part unknown
