"""The gazetteer's country of an article's places (`foreign_country`): pure look-ups, no model."""

from collections import Counter

from ingest.extract.gazetteer import foreign_country, foreign_places, load_gazetteer


def _us_names() -> set[str]:
    g = load_gazetteer()
    return set(g.states) | set(g.cities) | set(g.counties) | {"United States", "U.S."}


def test_places_of_one_country_name_it() -> None:
    assert foreign_country(Counter({"Leeds": 3, "West Yorkshire": 1}), _us_names()) == "the United Kingdom"
    assert foreign_country(Counter({"Regina": 2, "Saskatchewan": 1}), _us_names()) == "Canada"


def test_us_places_that_outnumber_foreign_ones_keep_the_story_at_home() -> None:
    assert foreign_country(Counter({"Leeds": 1, "Ohio": 2}), _us_names()) is None
    assert foreign_country(Counter(), _us_names()) is None


def test_a_region_outweighs_a_city_of_another_country() -> None:
    # Queensland (a state) weighs two, one city of another country one
    assert foreign_country(Counter({"Queensland": 1, "Leeds": 1}), _us_names()) == "Australia"


def test_names_shared_with_us_places_or_between_countries_say_nothing() -> None:
    places = foreign_places()
    assert "Cambridge" not in places  # a US city too
    assert "Victoria" not in places  # a US city, an Australian state and a Canadian city
    assert places["Oxfordshire"][0] == "the United Kingdom"
