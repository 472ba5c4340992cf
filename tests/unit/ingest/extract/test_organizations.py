"""Organisations: acronyms unified with their full names, a lexicon of well-known bodies."""

from __future__ import annotations


def test_ice_acronym_and_full_name_are_one_organization(extract, entity):
    delta = extract(
        "He vowed to hunt down Immigration and Customs Enforcement (ICE) agents. ICE did not respond."
    )
    orgs = [e for e in delta.entities if e.type == "Organization"]
    assert [o.name for o in orgs] == ["U.S. Immigration and Customs Enforcement"]
    assert "ICE" in orgs[0].aliases and orgs[0].mentions >= 2


def test_acronym_introduced_in_parentheses_is_learned(extract, entity):
    delta = extract(
        "The Civilian Office of Police Accountability (COPA) opened an inquiry. "
        "COPA said it would report soon."
    )
    copa = entity(delta, "Organization", "Civilian Office of Police Accountability")
    assert copa is not None and "COPA" in copa.aliases and copa.mentions >= 2


def test_party_names_map_to_the_party(extract, entity):
    delta = extract("Republicans in the GOP caucus blocked the vote, while Democrats objected.")
    names = {e.name for e in delta.entities if e.type == "Organization"}
    assert {"Republican Party", "Democratic Party"} <= names


def test_agency_lexicon_knows_fbi(extract, entity):
    delta = extract("The FBI opened an investigation into the shooting.")
    assert entity(delta, "Organization", "Federal Bureau of Investigation") is not None
