"""ActionExtractor internals that a sentence case cannot reach reliably."""

from __future__ import annotations

from ingest.extract.actions import ActionExtractor
from ingest.extract.mentions import RelationRecord, get_graph


def test_a_weak_attack_on_ones_own_bill_is_dropped_and_an_explicit_one_stays(extractor) -> None:
    graph = get_graph(extractor.nlp("Councilwoman Ann Lee introduced the Safe Parks Act. She spoke."))
    sponsor, bill, other = "person:ann-lee", "bill:safe-parks-act", "bill:other"
    graph.relations = [
        RelationRecord("SPONSORED", sponsor, bill, 0, 0.8, "action.sponsor"),
        RelationRecord("CRITICIZED", sponsor, bill, 0, 0.6, "statement.about"),
        RelationRecord("CRITICIZED", sponsor, bill, 0, 0.5, "pairs.model"),
        RelationRecord("CRITICIZED", sponsor, bill, 0, 0.85, "stance.verb"),
        RelationRecord("CRITICIZED", sponsor, other, 0, 0.6, "statement.about"),
    ]
    ActionExtractor._drop_attacks_on_own_bills(graph)
    assert [(r.type, r.target, r.rule) for r in graph.relations] == [
        ("SPONSORED", bill, "action.sponsor"),
        ("CRITICIZED", bill, "stance.verb"),
        ("CRITICIZED", other, "statement.about"),
    ]
