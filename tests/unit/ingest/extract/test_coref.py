"""Within-article references: pronouns, 'the district attorney', headline titles."""

from __future__ import annotations


def test_he_said_is_the_previous_subject_and_his_follows(extract, relations):
    text = (
        "Larry Krasner took to CNN to voice his concerns about ICE. 'People are tired of these people coming "
        "into the city,' he said. His remarks were met with condemnation from Acting ICE Director Todd Lyons."
    )
    delta = extract(text)
    quotes = {r.quote for r in delta.relations if r.type == "CRITICIZED"}
    assert "People are tired of these people coming into the city" in quotes
    assert ("CRITICIZED", "Todd Lyons", "Larry Krasner") in relations(text)


def test_he_prefers_the_subject_over_the_object(relations):
    got = relations("Mayor Brandon Johnson accused Donald Trump of lying. He also accused the FBI of bias.")
    assert ("CRITICIZED", "Brandon Johnson", "Federal Bureau of Investigation") in got
    assert ("CRITICIZED", "Donald Trump", "Federal Bureau of Investigation") not in got


def test_she_skips_a_male_antecedent(relations):
    got = relations("Governor Kathy Hochul met Mayor Eric Adams. Later she criticized the FBI.")
    assert ("CRITICIZED", "Kathy Hochul", "Federal Bureau of Investigation") in got


def test_definite_title_points_to_the_office_holder(relations):
    got = relations(
        "Philadelphia District Attorney Larry Krasner spoke. The district attorney's remarks drew "
        "criticism from Senator John Fetterman."
    )
    assert ("CRITICIZED", "John Fetterman", "Larry Krasner") in got


def test_headline_title_binds_to_the_next_untitled_person(extract):
    delta = extract(
        "Chicago mayor calls for protests against ICE\nJohnson argued that the policy must be "
        "enforced.\nThe mayor welcomed the recent protests."
    )
    names = {e.id: e.name for e in delta.entities}
    got = {(r.type, names[r.source], names[r.target]) for r in delta.relations}
    assert ("HOLDS_OFFICE", "Johnson", "Mayor of Chicago") in got
    assert ("CRITICIZED", "Johnson", "U.S. Immigration and Customs Enforcement") in got
