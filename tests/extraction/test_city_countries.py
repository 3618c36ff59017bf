"""A delivery address without a country gets the country of its city."""

from __future__ import annotations

from extraction.city_countries import country_of_city


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
