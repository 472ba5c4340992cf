"""Rules for references across sentences (organisations, bills, pronouns), co-sponsors, double subjects,
bare titles and press events: each with the sentence it exists for and one where it must stay silent."""

from __future__ import annotations

# organisations named by a description ------------------------------------------------------------


def test_the_union_is_the_one_union_named_before(relations):
    text = (
        "The Lakeside Nurses Union endorsed Mayor Ann Lee on Monday. "
        "Sen. Tom Ray criticized the union on Tuesday."
    )
    assert ("CRITICIZED", "Tom Ray", "Lakeside Nurses Union") in relations(text)


def test_the_union_stays_unresolved_with_two_unions(relations):
    text = (
        "The Lakeside Nurses Union and the Harbor Dockworkers Union met on Monday. "
        "Sen. Tom Ray criticized the union on Tuesday."
    )
    assert not {t for t in relations(text) if t[0] == "CRITICIZED"}


def test_a_teachers_association_is_the_union(relations):
    text = (
        "The Lakeside Education Association endorsed Rep. Ann Lee on Saturday. "
        "Lee thanked the union on Sunday."
    )
    assert ("ENDORSED", "Ann Lee", "Lakeside Education Association") in relations(text)


def test_a_modifier_must_be_part_of_the_name(relations):
    text = (
        "The Lakeside Nurses Union endorsed Rep. Ann Lee on Monday. "
        "Sen. Tom Ray criticized the police union on Tuesday."
    )
    assert not {t for t in relations(text) if t[0] == "CRITICIZED"}


def test_a_common_noun_subject_takes_its_named_apposition(relations):
    text = "The city's largest tenants group, Renters United, condemned Mayor Ann Lee on Friday."
    assert ("CRITICIZED", "Renters United", "Ann Lee") in relations(text)


# "it" as the object of a stance verb ---------------------------------------------------------------


def test_it_after_a_sentence_about_one_bill_is_that_bill(relations):
    text = "The Harbor Chamber praised the Clean Water Act on Monday. The Lakeside Nurses Union condemned it."
    assert ("CRITICIZED", "Lakeside Nurses Union", "Clean Water Act") in relations(text)


def test_it_after_an_organisation_that_did_something_stays_unresolved(relations):
    text = "The Lakeside Nurses Union held a vote on Monday. Sen. Tom Ray condemned it."
    assert not {t for t in relations(text) if t[0] == "CRITICIZED"}


def test_a_question_is_no_stance(relations):
    text = "Sen. Tom Ray asked Ann Lee whether the Harbor Chamber would back the Clean Water Act."
    assert ("ENDORSED", "Harbor Chamber", "Clean Water Act") not in relations(text)


# bills named in apposition, by chamber, or by a definite noun ------------------------------------


def test_a_described_bill_renamed_in_the_next_sentence_is_one_bill(extract, entity):
    delta = extract(
        "Gov. Ann Lee on Friday vetoed a bill that would have capped rents in large cities. "
        "The measure, Senate Bill 40, was written by Sen. Tom Ray."
    )
    names = {e.id: e.name for e in delta.entities}
    found = {(r.type, names[r.source], names[r.target]) for r in delta.relations}
    assert ("CRITICIZED", "Ann Lee", "Senate Bill 40") in found
    assert ("SPONSORED", "Tom Ray", "Senate Bill 40") in found
    assert [e.name for e in delta.entities if e.type == "Bill"] == ["Senate Bill 40"]


def test_a_described_bill_without_a_renaming_stays_its_own(extract):
    delta = extract(
        "Gov. Ann Lee vetoed a bill that would have capped rents. "
        "Sen. Tom Ray wrote Senate Bill 40 last year."
    )
    bills = sorted(e.name for e in delta.entities if e.type == "Bill")
    assert len(bills) == 2


def test_numbered_file_and_the_chamber_plan_refer_to_it(relations):
    text = (
        "The talks turned on the Senate's spending plan, Senate File 3, which cuts taxes. "
        "The Harbor Chamber praised the Senate plan on Monday."
    )
    assert ("ENDORSED", "Harbor Chamber", "Senate File 3") in relations(text)


def test_the_other_chamber_plan_is_not_that_bill(relations):
    text = (
        "The talks turned on the Senate's spending plan, Senate File 3, which cuts taxes. "
        "The Harbor Chamber praised the House plan on Monday."
    )
    assert ("ENDORSED", "Harbor Chamber", "Senate File 3") not in relations(text)


def test_the_measure_is_the_latest_bill_of_any_kind(relations):
    text = (
        "Sen. Tom Ray introduced the Clean Water Act in March. "
        "The Lakeside Nurses Union condemned the measure on Monday."
    )
    assert ("CRITICIZED", "Lakeside Nurses Union", "Clean Water Act") in relations(text)


def test_the_order_never_refers_to_a_bill(relations):
    text = (
        "Sen. Tom Ray introduced the Clean Water Act in March. "
        "The Lakeside Nurses Union condemned the order on Monday."
    )
    assert ("CRITICIZED", "Lakeside Nurses Union", "Clean Water Act") not in relations(text)


def test_a_chamber_owner_is_no_sponsor(relations):
    found = relations("The Senate's spending plan, Senate File 3, cuts taxes.")
    assert not {t for t in found if t[0] == "SPONSORED"}


# co-sponsors -----------------------------------------------------------------------------------------


def test_coordinated_participles_give_both_sponsors(relations):
    found = relations(
        "The Clean Water Act, introduced in March by Sen. Ann Lee and co-sponsored by Sen. Tom Ray, passed."
    )
    assert ("SPONSORED", "Ann Lee", "Clean Water Act") in found
    assert ("SPONSORED", "Tom Ray", "Clean Water Act") in found


def test_introduced_with_names_a_co_author(relations):
    found = relations(
        "Rep. Ann Lee praised the Clean Water Act, a bill she introduced with Rep. Tom Ray in May."
    )
    assert ("SPONSORED", "Ann Lee", "Clean Water Act") in found
    assert ("SPONSORED", "Tom Ray", "Clean Water Act") in found


def test_a_coordinated_active_verb_is_no_sponsorship(relations):
    found = relations("The Clean Water Act was introduced by Sen. Ann Lee and criticized by Sen. Tom Ray.")
    assert ("SPONSORED", "Tom Ray", "Clean Water Act") not in found
    assert ("CRITICIZED", "Tom Ray", "Clean Water Act") in found


# pronouns -------------------------------------------------------------------------------------------


def test_he_prefers_the_person_already_called_he(relations):
    text = (
        "In his message, Gov. Okoro Banda said he preferred a registry. "
        "Organizer Wren Castell said members would rally next week. "
        "The veto was Banda's ninth. Earlier this year he rejected the Clean Water Act."
    )
    found = relations(text)
    assert ("CRITICIZED", "Okoro Banda", "Clean Water Act") in found
    assert ("CRITICIZED", "Wren Castell", "Clean Water Act") not in found


def test_she_said_after_a_quote_is_not_someone_named_in_the_quote(relations):
    text = (
        "Rep. Priya Nair shrugged off the news. "
        '"The mayor is entitled to his friends," she said. '
        "She accused Glen Ostrow of taking money from developers."
    )
    found = relations("Mayor Frank Dunn endorsed Glen Ostrow on Monday. " + text)
    assert ("CRITICIZED", "Priya Nair", "Glen Ostrow") in found
    assert ("CRITICIZED", "Frank Dunn", "Glen Ostrow") not in found


def test_a_headline_person_is_nobody_to_refer_back_to(extract):
    delta = extract("Endorsements Split Lakeside Voters\nRep. Priya Nair said she was pleased with the vote.")
    assert "Split Lakeside" not in {e.name for e in delta.entities if e.type == "Person"} or not any(
        r.type != "HOLDS_OFFICE" for r in delta.relations
    )


# both ... and, and a verb the parser gave two subjects ----------------------------------------------


def test_both_and_with_a_described_subject(relations):
    found = relations(
        "The third candidate, businessman Wren Castell, accused both Ann Lee and Tom Ray "
        "of ignoring the deficit."
    )
    assert ("CRITICIZED", "Wren Castell", "Ann Lee") in found
    assert ("CRITICIZED", "Wren Castell", "Tom Ray") in found


def test_a_subject_that_names_nobody_gives_no_actor(relations):
    found = relations("The third candidate accused both Ann Lee and Tom Ray of ignoring the deficit.")
    assert not {t for t in found if t[0] == "CRITICIZED"}


# bare titles and press events ---------------------------------------------------------------------


def test_a_bare_board_chair_is_no_office(extract):
    delta = extract("Board chair Denise Harper said the audit would be public.")
    assert not [e for e in delta.entities if e.type == "Office" and e.name == "Chair"]


def test_a_board_chair_attaches_to_the_named_board(extract):
    delta = extract(
        "The Lakeside Harbor Board met on Monday. Board chair Denise Harper said the audit would be public."
    )
    offices = {e.name for e in delta.entities if e.type == "Office"}
    assert "Chair of the Lakeside Harbor Board" in offices


def test_an_administrator_belongs_to_the_agency_just_named(extract):
    delta = extract(
        "The head of the Federal Emergency Management Agency faced questions on Thursday. "
        "Administrator Karen Holt told the committee that claims were being paid."
    )
    offices = {e.name for e in delta.entities if e.type == "Office"}
    assert "Administrator of the Federal Emergency Management Agency" in offices


def test_a_news_conference_is_no_event(extract):
    delta = extract("Mayor Ann Lee spoke at a news conference on Monday and attended a rally on Tuesday.")
    events = {e.name for e in delta.entities if e.type == "Event"}
    assert not any("conference" in e for e in events)


# organisation names and "the president" ---------------------------------------------------------


def test_a_numbered_union_local_keeps_its_number(relations):
    found = relations("The Harbor City Firefighters Local 12 endorsed Rep. Ann Lee on Monday.")
    assert ("ENDORSED", "Harbor City Firefighters Local 12", "Ann Lee") in found


def test_a_county_party_is_its_own_organisation(relations):
    found = relations("The Marion County Republicans endorsed Rep. Ann Lee on Monday.")
    assert ("ENDORSED", "Marion County Republicans", "Ann Lee") in found
    assert ("ENDORSED", "Republican Party", "Ann Lee") not in found


def test_a_state_party_name_is_still_the_party(relations):
    found = relations("Republicans in the Senate endorsed Rep. Ann Lee on Monday.")
    assert not {t for t in found if t[1].endswith("County Republicans")}


def test_the_president_among_several_is_the_default_office_holder(relations):
    text = (
        "President Michael Grant threatened tariffs on Sunday. "
        "Argentine President Tomas Ibarra praised the plan. "
        "Senate Minority Leader Claire Donovan criticized the president on Monday."
    )
    found = relations(text)
    assert ("CRITICIZED", "Claire Donovan", "Michael Grant") in found
    assert ("CRITICIZED", "Claire Donovan", "Tomas Ibarra") not in found
