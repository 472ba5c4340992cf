"""Stance verbs, nouns and phrases; one test per rule, with the sentence it exists for."""

from __future__ import annotations


def test_active_stance_verb(relations):
    assert ("CRITICIZED", "Elizabeth Warren", "Federal Reserve") in relations(
        "Senator Elizabeth Warren slammed the Federal Reserve on Tuesday."
    )


def test_praise_verb(relations):
    assert ("ENDORSED", "Gavin Newsom", "Inflation Reduction Act") in relations(
        "Governor Gavin Newsom praised the Inflation Reduction Act."
    )


def test_passive_with_by_agent(relations):
    assert ("CRITICIZED", "John Fetterman", "Larry Krasner") in relations(
        "Philadelphia District Attorney Larry Krasner was criticized by Senator John Fetterman."
    )


def test_nominal_drew_criticism_from(relations):
    assert ("CRITICIZED", "Jim Jordan", "Laken Riley Act") in relations(
        "The Laken Riley Act drew criticism from Rep. Jim Jordan."
    )


def test_met_with_condemnation_from_and_relative_clause(relations):
    got = relations(
        "Philadelphia District Attorney Larry Krasner spoke on CNN. "
        "His remarks, however, were met with swift "
        "condemnation from Acting ICE Director Todd Lyons, who accused Krasner of fostering division."
    )
    assert ("CRITICIZED", "Todd Lyons", "Larry Krasner") in got
    assert ("ENDORSED", "Todd Lyons", "Larry Krasner") not in got


def test_accuse_x_of(relations):
    assert ("CRITICIZED", "Brandon Johnson", "Donald Trump") in relations(
        "Chicago Mayor Brandon Johnson accused former President Donald Trump of waging a war on Chicago."
    )


def test_call_x_a_label(relations):
    assert ("CRITICIZED", "Larry Krasner", "U.S. Immigration and Customs Enforcement") in relations(
        'District Attorney Larry Krasner called ICE agents "wannabe Nazis" at the rally.'
    )


def test_call_x_a_positive_label_is_praise(relations):
    assert ("ENDORSED", "Ron DeSantis", "Donald Trump") in relations(
        'Governor Ron DeSantis called Donald Trump "a great leader" on Monday.'
    )


def test_call_for_protests_against(relations):
    assert ("CRITICIZED", "Karen Bass", "U.S. Immigration and Customs Enforcement") in relations(
        "Mayor Karen Bass calls for protests against ICE."
    )


def test_some_like_x_praised_possessed_rhetoric(relations):
    assert ("ENDORSED", "Pete Hegseth", "Larry Krasner") in relations(
        "Larry Krasner spoke. "
        "While some, like Defense Secretary Pete Hegseth, have praised Krasner's rhetoric, "
        "others disagreed."
    )


def test_light_verb_noun_with_relative_subject(relations):
    assert ("CRITICIZED", "Rochelle Bilal", "U.S. Immigration and Customs Enforcement") in relations(
        "The debate intensified after remarks by Sheriff Rochelle Bilal, who also launched strong criticism "
        "against ICE."
    )


def test_voice_concerns_about_possessed_noun(relations):
    assert ("CRITICIZED", "Larry Krasner", "U.S. Immigration and Customs Enforcement") in relations(
        "Larry Krasner took to CNN on Friday to voice his concerns about ICE's presence in the city."
    )


def test_possessive_criticism_of(relations):
    assert ("CRITICIZED", "Brandon Johnson", "Donald Trump") in relations(
        "Donald Trump spoke in Ohio. Mayor Brandon Johnson's criticism of Trump was sharp."
    )


def test_in_support_of_takes_the_clause_actor(relations):
    assert ("ENDORSED", "Larry Krasner", "ICE OUT") in relations(
        "Larry Krasner spoke on Monday. His remarks came during a rally in support of a legislative package "
        'known as "ICE OUT," aimed at limiting the agency.'
    )


def test_reaction_without_object_inherits_the_previous_target(relations):
    got = relations(
        "Philadelphia District Attorney Larry Krasner spoke. "
        "The district attorney's remarks generated a wave of "
        "criticism from Republican state lawmakers and the White House. State Senator Jarrett Coleman warned "
        "that local governments cannot interfere with federal law."
    )
    assert ("CRITICIZED", "White House", "Larry Krasner") in got
    assert ("CRITICIZED", "Jarrett Coleman", "Larry Krasner") in got
    assert ("ENDORSED", "Jarrett Coleman", "Larry Krasner") not in got


def test_urge_is_a_response(relations):
    assert ("RESPONDED_TO", "Kathy Hochul", "Eric Adams") in relations(
        "Governor Kathy Hochul urged Mayor Eric Adams to resign."
    )


def test_nobody_criticizes_themselves(relations):
    got = relations(
        "Larry Krasner, who has faced repeated criticism for his tenure as DA, took to CNN on Friday. "
        "In defending his position, Krasner criticized ICE."
    )
    assert not [t for t in got if t[1] == t[2]]
    assert ("CRITICIZED", "Larry Krasner", "U.S. Immigration and Customs Enforcement") in got


def test_joint_condemnation_by_coordinated_people(relations):
    got = relations(
        "Philadelphia District Attorney Larry Krasner and former city official Rochelle Bilal spoke out. "
        "Their joint condemnation of a recent shooting incident highlighted a divide."
    )
    assert ("CRITICIZED", "Larry Krasner", "recent shooting incident") in got
    assert ("CRITICIZED", "Rochelle Bilal", "recent shooting incident") in got


def test_page_furniture_yields_nothing(relations):
    got = relations(
        "Mayor Brandon Johnson spoke.\n« Trump Calls for Netanyahu Pardon, Criticizes Israeli President\n"
    )
    assert not [t for t in got if t[1] in ("Trump", "Donald Trump")]
