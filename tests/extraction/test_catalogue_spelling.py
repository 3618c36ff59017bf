"""The catalogue's spelling of an OCR'd description that names its product by item number."""

from __future__ import annotations

import pytest

from extraction.catalogue_spelling import catalogue_spelling

SCREW = "Vis à tête cylindrique 5x40 mm inox A2 qualité industrielle"
TAPE = "Ruban adhésif 25 mm x 66 m transparent Eco"
FOREIGN = frozenset({"klebeband", "tape", "adhesive"})


@pytest.mark.parametrize(
    ("read", "catalogue", "expected"),
    [
        (
            "Vis à the cytimdnque 5x40 mn inax A2 quulité Indastrieile",
            SCREW,
            SCREW,
        ),
        (  # the customer's note after the description stays as read
            "Écrou hexagonal MS zingud Eco – selon fiche technique jointe",
            "Écrou hexagonal M5 zingué Eco",
            "Écrou hexagonal M5 zingué Eco – selon fiche technique jointe",
        ),
        (  # another language sharing the sizes: not a misreading
            "Klebeband 25 mm x 66 m transparent Eco",
            TAPE,
            "Klebeband 25 mm x 66 m transparent Eco",
        ),
        (  # a word fewer than the catalogue's: the customer's wording
            "Vis à tête cylindrique 5x40 mm inox A2",
            SCREW,
            "Vis à tête cylindrique 5x40 mm inox A2",
        ),
        (  # another size: two digits differ
            "Vis à tête cylindrique 6x50 mm inox A2 qualité industrielle",
            SCREW,
            "Vis à tête cylindrique 6x50 mm inox A2 qualité industrielle",
        ),
        ("Palette consignée", SCREW, "Palette consignée"),
    ],
)
def test_a_misread_start_takes_the_catalogue_spelling_and_nothing_else_does(
    read: str, catalogue: str, expected: str
) -> None:
    assert catalogue_spelling(read, catalogue, FOREIGN) == expected


def test_two_misread_digits_are_mended_only_where_the_line_names_its_product_exactly():
    read = "Vis à tête cylindrique 5440 mm inox AR qualité industrielle – selon fiche"
    assert catalogue_spelling(read, SCREW, FOREIGN) == read
    assert catalogue_spelling(read, SCREW, FOREIGN, digit_edits=2) == f"{SCREW} – selon fiche"


def test_a_short_foreign_word_is_as_often_a_misread_catalogue_word():
    read = "Ruban adhésif 25 nut x 66 m transparent Eco"  # 'nut' (an English word) for 'mm'
    assert catalogue_spelling(read, TAPE, FOREIGN | {"nut"}) == TAPE


def test_words_ocr_glued_together_are_no_length_difference():
    read = "Ruban adhésif25mmx66m transparent Eco"
    assert catalogue_spelling(read, TAPE, FOREIGN) == TAPE
