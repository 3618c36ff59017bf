"""A delivery address written as a sentence after its label."""

from __future__ import annotations

from extraction.inline_address import inline_ship_to
from extraction.layout import build_layout
from extraction.lexicon import default_matcher
from tests.extraction.test_extractor_tables import words_at
from tests.extraction.test_extractor_values import page_of, read_of


def address_in(sentence: str):
    layout = build_layout(read_of(page_of([words_at(sentence, 0.05)])))
    return inline_ship_to(layout, default_matcher().match(layout))


def test_a_sentence_address_gives_name_street_postal_code_and_city():
    found = address_in(
        "Merci de livrer à l'adresse suivante : Électricité Lefèvre SAS, "
        "37 boulevard Gambetta, 33000 Bordeaux."
    )
    assert found is not None
    assert (found.name, found.street, found.postal_code, found.city, found.country) == (
        "Électricité Lefèvre SAS",
        "37 boulevard Gambetta",
        "33000",
        "Bordeaux",
        None,
    )


def test_a_country_at_the_end_is_read_and_a_name_with_commas_kept():
    found = address_in("Lieferanschrift: Weber GmbH, Werk 2, Am Hafen 55, 1010 Wien, Österreich")
    assert found is not None
    assert (found.name, found.street, found.city, found.country) == (
        "Weber GmbH, Werk 2",
        "Am Hafen 55",
        "Wien",
        "AT",
    )


def test_a_delivery_sentence_without_an_address_gives_nothing():
    assert address_in("Livraison du lundi au vendredi de 8h à 12h, quai n° 3.") is None
