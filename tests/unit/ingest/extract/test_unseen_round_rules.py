"""Rules added after scoring five freshly written articles (state house, Congress, school board,
European politics, a campaign); each test shows the made-up sentence the rule exists for, and a
negative test shows where it must not fire."""

from __future__ import annotations

from ingest.extract.offices import DATELINE


# a quoted label never contradicts an explicit stance in the same sentence ------------------------
def test_positive_quoted_label_after_an_endorsement_is_no_criticism(relations):
    found = relations(
        'At a rally, union president Ana Ruiz endorsed Tom Hale, calling him "the one who shows up."'
    )
    assert ("ENDORSED", "Ana Ruiz", "Tom Hale") in found
    assert ("CRITICIZED", "Ana Ruiz", "Tom Hale") not in found


def test_quoted_label_alone_still_criticises(relations):
    found = relations('Sen. Tom Ray called Victor Cruz "a menace to the port" on Friday.')
    assert ("CRITICIZED", "Tom Ray", "Victor Cruz") in found


# "Sen." and "Rep." in a story about a state legislature ------------------------------------------
STATE_STORY = (
    "MADISON, Wis. (AP) — The Wisconsin Senate passed the Clean Wells Act on Thursday. "
    "Sen. Carla Moss, a Democrat, wrote the bill. Rep. Paul Henning said the Legislature "
    "should act before March."
)


def test_sen_and_rep_in_a_state_house_story_are_state_lawmakers(relations):
    found = relations(STATE_STORY)
    assert ("HOLDS_OFFICE", "Carla Moss", "Wisconsin State Senator") in found
    assert ("HOLDS_OFFICE", "Paul Henning", "Wisconsin State Representative") in found
    assert not {t for t in found if t[2] in ("U.S. Senator", "U.S. Representative")}


def test_state_house_leaders_take_the_state_chamber(relations):
    found = relations(
        "ST. PAUL, Minn. — House Speaker Ruth Dahl and Senate Majority Leader Ole Berg met on Tuesday."
    )
    assert ("HOLDS_OFFICE", "Ruth Dahl", "Speaker of the Minnesota House of Representatives") in found
    assert ("HOLDS_OFFICE", "Ole Berg", "Majority Leader of the Minnesota Senate") in found


def test_congress_tags_keep_sen_federal_even_with_a_state_dateline(relations):
    found = relations(
        "MADISON, Wis. (AP) — Sen. Carla Moss (D-Wis.) said the Legislature should follow Congress."
    )
    assert ("HOLDS_OFFICE", "Carla Moss", "U.S. Senator") in found


def test_sen_without_state_cues_stays_a_us_senator(relations):
    found = relations("Sen. Carla Moss of Wisconsin said the tariff bill would hurt dairy farmers.")
    assert ("HOLDS_OFFICE", "Carla Moss", "U.S. Senator") in found


def test_wire_datelines_with_the_outlet_or_the_date():
    assert DATELINE.search("MADISON, Wis. (AP) — The").groups() == ("MADISON", "Wis.")
    assert DATELINE.search("BERLIN, Nov 19 (Reuters) - The").groups() == ("BERLIN", None)
    assert DATELINE.search("Madison said (AP) — x") is None


# heads of government and ministers abroad ------------------------------------------------------
def test_german_chancellor_and_finance_minister(relations):
    found = relations(
        "BERLIN (Reuters) - German Chancellor Eva Lindner met Finance Minister Paul Roth on Monday."
    )
    assert ("HOLDS_OFFICE", "Eva Lindner", "Chancellor of Germany") in found
    assert ("HOLDS_OFFICE", "Paul Roth", "Finance Minister of Germany") in found


def test_chancellor_with_no_country_is_no_office(relations):
    found = relations("Chancellor Dana Pierce told the faculty senate the campus would reopen Monday.")
    assert not {t for t in found if t[0] == "HOLDS_OFFICE"}


def test_university_chancellor_belongs_to_the_university(relations):
    found = relations("BERLIN - Stanford University Chancellor Dana Pierce visited on Monday.")
    assert ("HOLDS_OFFICE", "Dana Pierce", "Chancellor of Germany") not in found


# a president or chair modified by a common noun or a longer name ---------------------------------
def test_board_president_is_not_the_head_of_state(relations):
    found = relations('She accused board president Gary Stone of "stalling until people give up."')
    assert ("HOLDS_OFFICE", "Gary Stone", "President of the United States") not in found


def test_bare_president_still_defaults_to_the_united_states(relations):
    found = relations("President Dana Wells signed the order on Monday.")
    assert ("HOLDS_OFFICE", "Dana Wells", "President of the United States") in found


def test_place_inside_an_organisation_name_is_no_jurisdiction(relations):
    found = relations("Fire Fighters of Arizona president Luis Ortiz endorsed Ann Lee on Saturday.")
    assert ("HOLDS_OFFICE", "Luis Ortiz", "President of Arizona") not in found
    assert ("ENDORSED", "Luis Ortiz", "Ann Lee") in found


def test_modified_president_takes_the_organisation_named_by_the_modifier(relations):
    found = relations(
        "The Lakeside Teachers Union met the Lakeside School Board. Union president Mara Quist spoke first."
    )
    assert ("HOLDS_OFFICE", "Mara Quist", "President of the Lakeside Teachers Union") in found


# negation and mild positive labels ---------------------------------------------------------------
def test_negated_stance_verb_is_no_stance(relations):
    found = relations("Rep. Nina Ode said she could not support the Clean Water Act in its current form.")
    assert ("ENDORSED", "Nina Ode", "Clean Water Act") not in found


def test_unnegated_support_still_endorses(relations):
    found = relations("Rep. Nina Ode said she would support the Clean Water Act.")
    assert ("ENDORSED", "Nina Ode", "Clean Water Act") in found


def test_calling_an_offer_reasonable_is_no_criticism(relations):
    found = relations(
        "The Lakeside Teachers Union made an offer. "
        'Board member Dee Alba called the union\'s offer "reasonable."'
    )
    assert ("CRITICIZED", "Dee Alba", "Lakeside Teachers Union") not in found
