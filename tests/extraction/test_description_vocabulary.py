"""Description words learnt across languages, and matching through them."""

from __future__ import annotations

from decimal import Decimal

from extraction.description_vocabulary import DescriptionVocabulary, learn_vocabulary
from extraction.masterdata import MasterData, ProductRecord
from extraction.matching import ProductIndex

PAIRS = [
    ("Textmarker gelb", "Surligneur jaune"),
    ("Textmarker gelb Premium", "Surligneur jaune Premium"),
    ("Textmarker pink", "Surligneur rose"),
    ("Textmarker orange Eco", "Surligneur orange Eco"),
    ("Kugelschreiber gelb", "Stylo bille jaune"),
    ("Kugelschreiber blau Pro", "Stylo bille bleu Pro"),
    ("Kugelschreiber blau", "Stylo bille bleu"),
    ("Ordner gelb Rücken 50 mm", "Classeur à levier jaune dos 50 mm"),
]


def test_words_that_keep_appearing_together_are_learnt_as_translations() -> None:
    vocabulary = learn_vocabulary(PAIRS)
    assert vocabulary.translations["textmarker"] == ("surligneur",)
    assert vocabulary.translations["gelb"] == ("jaune",)
    assert vocabulary.translations["kugelschreiber"] == ("bille", "stylo")
    # seen in two lines only: not enough to be sure
    assert "ordner" not in vocabulary.translations and "blau" not in vocabulary.translations
    # printed alike in both languages: nothing to translate
    assert "premium" not in vocabulary.translations and "orange" not in vocabulary.translations


def test_a_description_reads_in_catalogue_words_keeping_what_it_does_not_know() -> None:
    vocabulary = DescriptionVocabulary({"textmarker": ("surligneur",), "gelb": ("jaune",)})
    assert vocabulary.translate("Textmarker gelb 3er, laut Datenblatt") == (
        "surligneur jaune 3er, laut datenblatt"
    )
    assert vocabulary.translate("Kopierpapier A4") is None
    assert DescriptionVocabulary.from_json(vocabulary.to_json()) == vocabulary


def test_a_description_in_another_language_matches_through_the_vocabulary() -> None:
    index = ProductIndex(
        MasterData(
            products=(
                ProductRecord(
                    "P-Y", "Surligneur jaune qualité industrielle", unit_price=Decimal(1)
                ),
                ProductRecord("P-R", "Surligneur rose qualité industrielle", unit_price=Decimal(1)),
                ProductRecord("P-YP", "Surligneur jaune Premium", unit_price=Decimal(1)),
            )
        )
    )
    vocabulary = DescriptionVocabulary(
        {
            "textmarker": ("surligneur",),
            "gelb": ("jaune",),
            "industriequalitat": ("industrielle", "qualite"),
        }
    )
    printed = "Textmarker gelb Industriequalität"
    assert index.match(sku=None, description=printed, customer_id=None) is None
    found = index.match(sku=None, description=printed, customer_id=None, vocabulary=vocabulary)
    assert found is not None and found.product.sku == "P-Y"
    # a colour the vocabulary does not know is not guessed
    unknown = index.match(
        sku=None,
        description="Textmarker grün Industriequalität",
        customer_id=None,
        vocabulary=vocabulary,
    )
    assert unknown is None
