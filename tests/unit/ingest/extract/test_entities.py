"""People are named without titles or possessives, decided for the whole article."""

from __future__ import annotations


def test_title_is_not_part_of_the_name(extract, entity):
    delta = extract("Acting ICE Director Todd Lyons defended the agency on Monday.")
    assert entity(delta, "Person", "Todd Lyons") is not None
    assert not [e for e in delta.entities if e.type == "Person" and "Director" in e.name]


def test_possessive_is_not_part_of_the_name(extract, entity):
    delta = extract("Senator Elizabeth Warren spoke on Tuesday. Warren's remarks were brief.")
    people = [e.name for e in delta.entities if e.type == "Person"]
    assert people == ["Elizabeth Warren"]


def test_surname_points_to_the_full_name(extract, entity):
    delta = extract("Philadelphia District Attorney Larry Krasner spoke. Later, Krasner left the hall.")
    krasner = entity(delta, "Person", "Larry Krasner")
    assert krasner is not None and krasner.mentions == 2


def test_two_johnsons_with_different_first_names_stay_distinct(extract, entity):
    delta = extract(
        "Speaker Mike Johnson met Chicago Mayor Brandon Johnson in Washington. "
        "Mike Johnson said the talks went well."
    )
    people = {e.name for e in delta.entities if e.type == "Person"}
    assert {"Mike Johnson", "Brandon Johnson"} <= people


def test_a_name_tagged_person_once_is_a_person_everywhere(extract, entity):
    # the small model tags "Krasner" ORG in the second sentence; the article-level view repairs it
    delta = extract(
        "Philadelphia District Attorney Larry Krasner spoke on Friday. "
        "While some, like Defense Secretary Pete Hegseth, have praised Krasner's rhetoric, others disagreed."
    )
    assert not [e for e in delta.entities if e.type == "Organization" and "Krasner" in e.name]
    assert ("ENDORSED", "Pete Hegseth", "Larry Krasner") in {
        (r.type, *[e.name for x in (r.source, r.target) for e in delta.entities if e.id == x])
        for r in delta.relations
    }


def test_agency_lexicon_wins_over_a_person_label(extract, entity):
    delta = extract("'I've buried Border Patrol agents, I've buried ICE agents,' Homan said.")
    assert entity(delta, "Organization", "U.S. Border Patrol") is not None
    assert not [e for e in delta.entities if e.type == "Person" and "Border" in e.name]


def test_person_administration_is_an_organization(extract, entity):
    delta = extract("Mayor Karen Bass accused the Trump administration of overreach.")
    assert entity(delta, "Organization", "Trump administration") is not None


def test_tv_show_named_like_a_doctor_is_not_a_person(extract, entity):
    delta = extract("Tom Homan made a heartfelt plea on Dr.\nPhil. He asked for calm.")
    assert not [e for e in delta.entities if e.type == "Person" and e.name == "Phil"]


def test_places_are_extracted(extract, entity):
    delta = extract("The mayor of Chicago traveled to Minneapolis on Monday.")
    assert {"Chicago", "Minneapolis"} <= {e.name for e in delta.entities if e.type == "Place"}
