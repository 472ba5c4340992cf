"""Cross-article person resolution: the pure decisions behind one person = one node."""

from __future__ import annotations

import pytest

from ingest.resolve import (
    Match,
    OfficeRef,
    PersonProfile,
    absorbs,
    given_names_compatible,
    jurisdictions_compatible,
    match_person,
    merge_aliases,
    name_tokens,
    surname_of,
)

MAYOR_CHICAGO = OfficeRef("office:mayor-of-chicago", "Mayor", "Chicago")
SPEAKER = OfficeRef("office:speaker-of-the-house", "Speaker", "House")
BARE_SPEAKER = OfficeRef("office:speaker", "Speaker", None)
SHERIFF = OfficeRef("office:sheriff-of-philadelphia-county", "Sheriff", "Philadelphia County")

BRANDON = PersonProfile("person:brandon-johnson", "Brandon Johnson", ("Johnson",), (MAYOR_CHICAGO,))
MIKE = PersonProfile("person:mike-johnson", "Mike Johnson", ("Johnson",), (SPEAKER,))


def bare(name: str, *offices: OfficeRef) -> PersonProfile:
    return PersonProfile(f"person:{name.lower()}", name, (), offices)


def test_name_tokens_drop_titles_and_suffixes() -> None:
    assert name_tokens("Sen. Ted Cruz Jr.") == ["ted", "cruz"]
    assert surname_of("Mayor Johnson") == "johnson"
    assert surname_of("Krasner's") == "krasner"


@pytest.mark.parametrize(
    ("a", "b", "ok"),
    [
        ("brandon", "brandon", True),
        ("b.", "brandon", True),
        ("mike", "michael", True),
        ("mike", "brandon", False),
    ],
)
def test_given_names(a: str, b: str, ok: bool) -> None:
    assert given_names_compatible(a, b) is ok


def test_bare_surname_with_office_goes_to_the_office_holder() -> None:
    m = match_person(bare("Johnson", MAYOR_CHICAGO), [BRANDON, MIKE])
    assert m.target_id == "person:brandon-johnson"
    m = match_person(bare("Johnson", BARE_SPEAKER), [BRANDON, MIKE])
    assert m.target_id == "person:mike-johnson"


def test_ambiguous_bare_surname_stays_separate() -> None:
    m = match_person(bare("Johnson"), [BRANDON, MIKE])
    assert m.target_id is None
    assert m.node_id == "person:johnson"


def test_bare_surname_with_only_one_candidate_resolves_to_it() -> None:
    rochelle = PersonProfile("person:rochelle-bilal", "Rochelle Bilal", (), (SHERIFF,))
    assert match_person(bare("Bilal"), [rochelle]).target_id == "person:rochelle-bilal"


def test_bare_surname_with_a_different_office_does_not_merge() -> None:
    assert match_person(bare("Johnson", BARE_SPEAKER), [BRANDON]).target_id is None


def test_full_names_with_different_given_names_never_merge() -> None:
    mike = PersonProfile("person:mike-johnson", "Mike Johnson")
    assert match_person(mike, [BRANDON]).target_id is None


def test_full_name_variants_merge() -> None:
    donald = PersonProfile("person:donald-trump", "Donald Trump")
    m = match_person(PersonProfile("person:donald-j-trump", "Donald J. Trump"), [donald])
    assert m == Match("person:donald-trump", "surname + given name", "person:donald-j-trump")


def test_shared_full_alias_merges() -> None:
    node = PersonProfile("person:aoc", "AOC", ("Alexandria Ocasio-Cortez",))
    mention = PersonProfile("person:alexandria-ocasio-cortez", "Alexandria Ocasio-Cortez")
    assert match_person(mention, [node]).target_id == "person:aoc"


def test_gender_conflict_blocks_a_merge() -> None:
    him = PersonProfile("person:pat-lee", "Pat Lee", gender="male")
    her = PersonProfile("person:pat-lee-2", "Pat Lee", gender="female")
    assert match_person(her, [him]).target_id is None


def test_bare_nodes_for_two_offices_get_distinct_ids() -> None:
    speaker_node = bare("Johnson", BARE_SPEAKER)
    m = match_person(bare("Johnson", MAYOR_CHICAGO), [speaker_node])
    assert m.target_id is None
    assert m.node_id == "person:johnson--mayor-of-chicago"


def test_absorb_is_the_same_rule_from_the_other_side() -> None:
    # Arrival order bare-first: the bare node is absorbed exactly when it would have matched.
    assert absorbs(BRANDON, bare("Johnson", MAYOR_CHICAGO), [MIKE])
    assert not absorbs(BRANDON, bare("Johnson", BARE_SPEAKER), [MIKE])
    assert absorbs(MIKE, bare("Johnson", BARE_SPEAKER), [BRANDON])
    assert not absorbs(BRANDON, bare("Johnson"), [MIKE])  # ambiguous: stays separate
    assert absorbs(BRANDON, bare("Johnson"), [])  # the only Johnson


def test_merge_aliases_keeps_first_spelling_once() -> None:
    assert merge_aliases(["Krasner", "Larry Krasner"], ["krasner", "DA Krasner"]) == [
        "Krasner",
        "Larry Krasner",
        "DA Krasner",
    ]


CITY_COUNCIL_PRESIDENT = OfficeRef("office:president-of-the-city-council", "President", "City Council")
COUNCIL_PRESIDENT = OfficeRef("office:president-of-the-council", "President", "Council")


@pytest.mark.parametrize(
    ("a", "b", "ok"),
    [
        ("Council", "City Council", True),
        ("City Council", "Philadelphia City Council", True),
        ("the Council", "council", True),
        ("Senate", "State Senate", True),
        ("York", "New York", False),
        ("Chicago", "Philadelphia", False),
        ("City Council", "County Council", False),
    ],
)
def test_a_generic_body_agrees_with_a_longer_name_ending_in_it(a: str, b: str, ok: bool) -> None:
    assert jurisdictions_compatible(a, b) is ok
    assert jurisdictions_compatible(b, a) is ok


def test_council_president_title_variants_are_one_bare_person_in_either_order() -> None:
    city = bare("Johnson", CITY_COUNCIL_PRESIDENT)
    council = bare("Johnson", COUNCIL_PRESIDENT)
    assert match_person(council, [city]).node_id == "person:johnson"
    assert match_person(city, [council]).node_id == "person:johnson"
    kenyatta = PersonProfile("person:kenyatta-johnson", "Kenyatta Johnson", (), (CITY_COUNCIL_PRESIDENT,))
    assert match_person(council, [kenyatta, BRANDON]).target_id == "person:kenyatta-johnson"
    assert absorbs(kenyatta, council, [BRANDON])
