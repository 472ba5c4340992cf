"""SPONSORED, FUNDED, INVOLVED_IN, and the bills and events they point to."""

from __future__ import annotations


def test_bills_pushed_by_coordinated_sponsors_resolve_to_the_named_package(relations):
    got = relations(
        "The statements coincided with several bills pushed by Councilwomen Kendra Brooks and Rue Landau. "
        'The legislative package "ICE OUT" will be presented to City Council.'
    )
    assert ("SPONSORED", "Kendra Brooks", "ICE OUT") in got
    assert ("SPONSORED", "Rue Landau", "ICE OUT") in got


def test_introduced_a_bill(relations):
    assert ("SPONSORED", "Josh Hawley", "Stop Insider Trading Act") in relations(
        "Senator Josh Hawley introduced the Stop Insider Trading Act on Monday."
    )


def test_executive_clarifies_own_executive_order(extract):
    delta = extract(
        "Chicago Mayor Brandon Johnson has moved to clarify a recent executive order that called for "
        "the prosecution of federal agents, an action that ignited a debate."
    )
    names = {e.id: e.name for e in delta.entities}
    sponsored = [(names[r.source], names[r.target]) for r in delta.relations if r.type == "SPONSORED"]
    assert sponsored and sponsored[0][0] == "Brandon Johnson"
    bill = next(e for e in delta.entities if e.type == "Bill")
    assert bill.properties["kind"] == "executive order"
    assert ("a recent executive order that called for the prosecution of federal agents") in bill.aliases


def test_backed_financially_is_funding_not_endorsement(relations):
    got = relations(
        "Philadelphia District Attorney Larry Krasner, backed financially by businessman George "
        "Soros, is at the center of controversy."
    )
    assert ("FUNDED", "George Soros", "Larry Krasner") in got
    assert ("ENDORSED", "George Soros", "Larry Krasner") not in got


def test_possessive_event_is_involvement(relations):
    assert ("INVOLVED_IN", "Larry Krasner", "2022 impeachment attempt") in relations(
        "Larry Krasner won re-election. His 2022 impeachment attempt remains a shadow over his tenure."
    )


def test_remarks_during_an_event(relations):
    assert ("INVOLVED_IN", "Larry Krasner", "rally") in relations(
        "Larry Krasner spoke on Monday. His remarks came during a rally in front of City Hall."
    )


def test_ambiguous_event_noun_needs_a_qualifier(extract):
    delta = extract("A heated debate over the agency's operations continued.")
    assert not [e for e in delta.entities if e.type == "Event"]
