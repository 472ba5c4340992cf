"""Round 5 rules: reply verbs with a clause, one-word title back-references, stance on an owned
statement, and money given to a recipient. Each rule has the made-up sentence it exists for and a
negative test where it must stay silent."""

from __future__ import annotations

from ingest.extract.coref import CoreferenceResolver


# reply verbs with a clause complement ----------------------------------------------------------
def test_retorted_that_criticises_the_clause_subject(relations):
    found = relations(
        'Mayor Lena Voss spoke first. Councilman Ray Ortiz retorted that Voss had "never read the budget."'
    )
    assert ("CRITICIZED", "Ray Ortiz", "Lena Voss") in found


def test_shot_back_that_criticises_the_possessor_of_the_clause_subject(relations):
    found = relations(
        "Mayor Lena Voss spoke first. "
        "Councilman Ray Ortiz shot back that Voss's plan would bankrupt the city."
    )
    assert ("CRITICIZED", "Ray Ortiz", "Lena Voss") in found


def test_reply_about_oneself_or_a_thing_gives_no_stance(relations):
    own = relations("Mayor Lena Voss spoke first. Councilman Ray Ortiz countered that he had voted for it.")
    thing = relations("Mayor Lena Voss spoke first. Councilman Ray Ortiz countered that the budget was fine.")
    for found in (own, thing):
        assert not {t for t in found if t[0] in ("CRITICIZED", "ENDORSED", "RESPONDED_TO")}


# one-word title back-references ----------------------------------------------------------------
def test_the_commissioner_is_the_one_police_commissioner(relations):
    found = relations(
        "Police Commissioner Ada Lowe testified on Monday. "
        "Councilwoman Rita Sand criticized the commissioner for the overtime costs."
    )
    assert ("CRITICIZED", "Rita Sand", "Ada Lowe") in found


def test_the_commissioner_with_no_commissioner_in_the_article_is_nobody(relations):
    found = relations("Councilwoman Rita Sand criticized the commissioner for the overtime costs.")
    assert not {t for t in found if t[0] == "CRITICIZED"}


def test_two_holders_of_titles_ending_in_the_word_leave_it_unresolved():
    titles = [(0, "Police Commissioner", ("person:a",)), (9, "Fire Commissioner", ("person:b",))]
    assert CoreferenceResolver._same_head(titles, "Commissioner") == []
    assert CoreferenceResolver._same_head(titles[:1], "Commissioner") == [(0, ("person:a",))]
    assert CoreferenceResolver._same_head(titles[:1], "Deputy Commissioner") == []


# stance on an owned statement ------------------------------------------------------------------
def test_dismissed_a_named_persons_statement_criticises_that_person(relations):
    found = relations("Senator Ana Ruiz dismissed Governor Tom Pike's statement on Friday.")
    assert ("CRITICIZED", "Ana Ruiz", "Tom Pike") in found


def test_dismissed_a_statement_without_owner_or_a_person_gives_nothing(relations):
    unowned = relations("Governor Tom Pike spoke. Senator Ana Ruiz dismissed the statement on Friday.")
    fired = relations("Governor Tom Pike dismissed Ana Ruiz, his chief of staff, on Friday.")
    for found in (unowned, fired):
        assert not {t for t in found if t[0] == "CRITICIZED"}


# money given to a recipient --------------------------------------------------------------------
def test_money_given_to_a_named_group_is_funding(relations):
    found = relations(
        "The Ohio Realtors Association also opposes the levy and has given $300,000 to the committee "
        "fighting it, Citizens for Fair Rent."
    )
    assert ("FUNDED", "Ohio Realtors Association", "Citizens for Fair Rent") in found


def test_money_poured_into_a_persons_campaign_funds_the_person(relations):
    found = relations("Businessman Carl Hurst poured $2 million into Senator Mia Lund's campaign last year.")
    assert ("FUNDED", "Carl Hurst", "Mia Lund") in found


def test_giving_something_other_than_money_is_no_funding(relations):
    found = relations("Businessman Carl Hurst gave a speech to the Ohio Realtors Association on Monday.")
    assert not {t for t in found if t[0] == "FUNDED"}
