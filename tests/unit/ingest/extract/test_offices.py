"""Offices: title plus jurisdiction, and HOLDS_OFFICE with its status."""

from __future__ import annotations


def holds(delta):
    names = {e.id: e.name for e in delta.entities}
    return {
        (names[r.source], names[r.target], r.properties.get("status"))
        for r in delta.relations
        if r.type == "HOLDS_OFFICE"
    }


def test_place_title_name(extract):
    delta = extract("Philadelphia District Attorney Larry Krasner spoke to reporters.")
    assert ("Larry Krasner", "District Attorney of Philadelphia", "current") in holds(delta)


def test_acting_agency_director(extract):
    delta = extract("Acting ICE Director Todd Lyons spoke on Fox News.")
    assert ("Todd Lyons", "Director of U.S. Immigration and Customs Enforcement", "acting") in holds(delta)


def test_former_president(extract):
    delta = extract("The mayor has accused former President Donald Trump of waging a war on Chicago.")
    assert ("Donald Trump", "President of the United States", "former") in holds(delta)


def test_possessive_czar_with_apposition(extract):
    delta = extract("The debate drew attention from Trump's border czar, Tom Homan, who urged calm.")
    assert ("Tom Homan", "White House Border Czar", "current") in holds(delta)
    office = next(e for e in delta.entities if e.name == "White House Border Czar")
    assert "border czar" in office.aliases


def test_coordinated_councilwomen_in_a_city_article(extract):
    delta = extract(
        "Philadelphia officials met on Monday. "
        "Several bills were pushed by Councilwomen Kendra Brooks and Rue Landau."
    )
    got = holds(delta)
    assert ("Kendra Brooks", "Member of the Philadelphia City Council", "current") in got
    assert ("Rue Landau", "Member of the Philadelphia City Council", "current") in got


def test_title_with_jurisdiction_after_the_name(extract):
    delta = extract("Mayor Eric Adams of New York City announced a new budget.")
    assert ("Eric Adams", "Mayor of New York City", "current") in holds(delta)


def test_apposition_with_of_phrase(extract):
    delta = extract("John Catanzara, president of the Fraternal Order of Police, criticized the mayor.")
    assert ("John Catanzara", "President of Fraternal Order of Police", "current") in holds(delta)


def test_state_senator_takes_the_state_of_the_article_city(extract):
    delta = extract("Philadelphia is divided. State Senator Jarrett Coleman warned of legal consequences.")
    assert ("Jarrett Coleman", "Pennsylvania State Senator", "current") in holds(delta)


def test_spokeswoman_of_an_organization(extract):
    delta = extract(
        "White House spokeswoman Abigail Jackson accused Democratic officials of fueling hostility."
    )
    assert ("Abigail Jackson", "White House Spokesperson", "current") in holds(delta)


def test_title_lexicon_reorders_defense_secretary(extract):
    delta = extract("Defense Secretary Pete Hegseth praised the troops.")
    assert ("Pete Hegseth", "Secretary of Defense", "current") in holds(delta)


def test_mayor_without_place_takes_the_dominant_city(extract):
    delta = extract(
        "Philadelphia City Council will vote on the plan. Philadelphia residents are split. "
        "The package then goes to Mayor Cherelle Parker."
    )
    assert ("Cherelle Parker", "Mayor of Philadelphia", "current") in holds(delta)


def test_an_unnamed_someone_is_not_bound_to_an_office(extract):
    delta = extract("Donald Trump spoke. 'He obstructed the investigation,' one GOP representative said.")
    assert not [h for h in holds(delta) if h[0] == "Donald Trump" and "Representative" in h[1]]
