"""A delivery address without a country gets the country of its city."""

from __future__ import annotations

from extraction.city_countries import city_spelling, country_of_city


def test_a_city_names_its_country_in_any_of_its_spellings():
    assert country_of_city("Zürich") == "CH"
    assert country_of_city("Zurich") == "CH"  # accents dropped
    assert country_of_city("Graz") == "AT"
    assert country_of_city("Genf") == "CH" and country_of_city("Genève") == "CH"
    assert country_of_city("Esch-sur-Alzette") == "LU"


def test_a_name_shared_by_several_countries_prefers_the_customers_then_the_larger_city():
    assert country_of_city("Baden") == "DE"
    assert country_of_city("Baden", preferred="CH") == "CH"
    assert country_of_city("Brest", preferred="FR") == "FR"
    assert country_of_city("Rotterdam", preferred="DE") == "NL"


def test_an_unknown_or_misread_city_says_nothing():
    assert country_of_city("Lyun") is None
    assert country_of_city("") is None


def test_a_misread_city_is_spelt_as_the_nearest_city():
    assert city_spelling("Frankfun am Main", preferred="DE") == "Frankfurt am Main"
    assert city_spelling("Lyun", preferred="FR") == "Lyon"
    assert city_spelling("Bordeau", preferred="FR") == "Bordeaux"  # its own name, not 'Bordeu'
    assert city_spelling("Stuttgert", preferred="DE") == "Stuttgart"


def test_a_known_city_a_short_word_or_a_far_one_is_left_as_read():
    assert city_spelling("Lyon") is None and city_spelling("Genf") is None
    assert city_spelling("Ulx") is None  # too short to tell from 'Ulm'
    assert city_spelling("Hordeuus", preferred="FR") is None  # three letters off Bordeaux
    assert city_spelling("Xyon", preferred="FR") is None  # not the first letter
