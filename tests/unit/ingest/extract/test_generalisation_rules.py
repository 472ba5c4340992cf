"""One test per rule added while measuring on held-out articles; each shows the sentence it exists for."""

from __future__ import annotations


def test_veto_criticises_the_bill(relations):
    found = relations("Gov. Ann Lee on Friday vetoed the Clean Water Act, citing its cost.")
    assert ("CRITICIZED", "Ann Lee", "Clean Water Act") in found


def test_veto_never_targets_a_person(relations):
    found = relations("Gov. Ann Lee vetoed a request from Sen. Tom Ray.")
    assert not {t for t in found if t[0] == "CRITICIZED"}


def test_voted_against_criticises_the_bill_for_each_named_member(relations):
    text = (
        "The ordinance, sponsored by Council member Jo Ruiz, passed. "
        "Council members Sue Hart and Bill Kemp voted against the ordinance."
    )
    found = relations(text)
    assert ("CRITICIZED", "Sue Hart", "ordinance") in found
    assert ("CRITICIZED", "Bill Kemp", "ordinance") in found
    assert ("SPONSORED", "Jo Ruiz", "ordinance") in found


def test_voted_for_endorses_the_bill(relations):
    assert ("ENDORSED", "Tom Ray", "Clean Water Act") in relations(
        "Sen. Tom Ray voted for the Clean Water Act."
    )


def test_stood_by_is_endorsement_not_a_passive(relations):
    found = relations("Gov. Ann Lee has stood by Victor Cruz, the port director.")
    assert ("ENDORSED", "Ann Lee", "Victor Cruz") in found
    assert ("ENDORSED", "Victor Cruz", "Ann Lee") not in found


def test_call_for_possessor_resignation_criticises_the_possessor(relations):
    found = relations("Sen. Tom Ray called for Victor Cruz's resignation on Thursday.")
    assert ("CRITICIZED", "Tom Ray", "Victor Cruz") in found


def test_demanded_resignation_criticises_the_possessor(relations):
    assert ("CRITICIZED", "Tom Ray", "Victor Cruz") in relations(
        "Sen. Tom Ray demanded Victor Cruz's resignation."
    )


def test_after_a_quote_the_coordinated_verb_belongs_to_the_speaker(relations):
    text = (
        'Rep. Frank Dell said Victor Cruz had "lost the public trust" and called on Gov. Ann Lee to fire him.'
    )
    found = relations(text)
    assert ("RESPONDED_TO", "Frank Dell", "Ann Lee") in found
    assert ("RESPONDED_TO", "Victor Cruz", "Ann Lee") not in found


def test_capitalised_bill_name_with_connector_and_number(extract):
    delta = extract(
        "The Planning and Infrastructure Bill was introduced by Housing Secretary Priya Shah. "
        "Assembly Bill 214 was authored by Rep. Lisa Brandt."
    )
    bills = {e.name for e in delta.entities if e.type == "Bill"}
    assert {"Planning and Infrastructure Bill", "Assembly Bill 214"} <= bills


def test_bill_as_a_first_name_is_not_a_bill(extract):
    delta = extract("Council member Bill Kemp voted against the budget.")
    assert "Bill" not in {e.name for e in delta.entities if e.type == "Bill"}
    assert any(e.type == "Person" and e.name == "Bill Kemp" for e in delta.entities)


def test_dateline_gives_the_city_and_state_and_is_not_a_subject(extract, relations):
    text = "MADISON, Wis. - The Wisconsin Teachers Association endorsed Gov. Dan Ruiz on Saturday."
    offices = {e.name for e in extract(text).entities if e.type == "Office"}
    assert "Governor of Wisconsin" in offices
    assert ("ENDORSED", "Wisconsin Teachers Association", "Dan Ruiz") in relations(text)


def test_dateline_city_is_title_cased_for_city_offices(extract):
    text = "COLUMBUS, Ohio - Mayor Ann Lee signed the budget on Monday."
    assert "Mayor of Columbus" in {e.name for e in extract(text).entities if e.type == "Office"}


def test_lowercase_state_before_an_abbreviated_title(relations):
    text = "MADISON, Wis. - The bill was written by state Rep. Lisa Brandt, a Democrat."
    assert ("HOLDS_OFFICE", "Lisa Brandt", "Wisconsin State Representative") in relations(text)


def test_state_treasurer_is_an_office_not_part_of_the_name(relations):
    text = "COLUMBUS, Ohio - The union backed state Treasurer Rebecca Cole on Saturday."
    assert ("HOLDS_OFFICE", "Rebecca Cole", "Treasurer of Ohio") in relations(text)


def test_post_modifier_office_of_an_association_takes_the(relations):
    text = "Linda Moss, president of the Ohio Education Association, praised the plan."
    assert ("HOLDS_OFFICE", "Linda Moss", "President of the Ohio Education Association") in relations(text)


def test_post_modifier_chief_executive(relations):
    text = "Mark Elm, chief executive of the Home Builders Federation, warned that costs would rise."
    assert ("HOLDS_OFFICE", "Mark Elm", "Chief Executive of the Home Builders Federation") in relations(text)


def test_prime_minister_takes_the_dateline_country(relations):
    text = "LONDON - Prime Minister Helen Ash faced a revolt on Tuesday."
    assert ("HOLDS_OFFICE", "Helen Ash", "Prime Minister of the United Kingdom") in relations(text)


def test_leader_of_the_opposition_in_apposition_after_the_title(relations):
    text = "The Leader of the Opposition, Richard Stone, accused the government of failure."
    assert ("HOLDS_OFFICE", "Richard Stone", "Leader of the Opposition") in relations(text)


def test_title_then_name_apposition_needs_the_title_to_open_the_sentence(relations):
    text = "A spokesman for the majority leader, Kevin Marsh, said talks would continue."
    assert not any(t[0] == "HOLDS_OFFICE" and t[1] == "Kevin Marsh" for t in relations(text))


def test_mp_for_a_constituency_ignores_the_party(relations):
    text = "Among them was Jonathan Price, the Labour MP for Bristol East, who opposed the plan."
    assert ("HOLDS_OFFICE", "Jonathan Price", "Member of Parliament for Bristol East") in relations(text)


def test_assembly_speaker_is_a_state_office(relations):
    text = "MADISON, Wis. - Assembly Speaker Carla Neu called on the governor to reconsider."
    assert ("HOLDS_OFFICE", "Carla Neu", "Speaker of the Wisconsin State Assembly") in relations(text)


def test_executive_director_of_an_authority(relations):
    text = "Victor Cruz, executive director of the Harbor Port Authority, denied wrongdoing."
    assert ("HOLDS_OFFICE", "Victor Cruz", "Executive Director of the Harbor Port Authority") in relations(
        text
    )
