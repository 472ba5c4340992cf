"""The backfill's resolution plan: what `kg ingest` would decide, whatever order the items come in."""

from __future__ import annotations

import random

from app.backfill.resolution import (
    EntityItem,
    PersonItem,
    PresolvedRules,
    apply_patches,
    plan_entities,
    plan_people,
)
from app.ingest_service import PERSON_RULES
from graph.resolver import OfficeRecord, PersonRecord
from ingest.models import Entity, GraphDelta, Relation

MAYOR = OfficeRecord("office:mayor-of-chicago", "Mayor", "Chicago")


def person(seq: int, name: str, *offices: OfficeRecord, position: int = 0) -> PersonItem:
    slug = name.lower().replace(" ", "-")
    return PersonItem(seq, f"article-{seq}", position, PersonRecord(f"person:{slug}", name, (), offices))


def where(plan_patches: dict, seq: int, name: str) -> str:
    return plan_patches[(f"article-{seq}", f"person:{name.lower().replace(' ', '-')}")].node_id


def test_a_bare_surname_met_first_ends_on_the_full_name_that_arrives_later() -> None:
    plan = plan_people([person(1, "Bilal"), person(2, "Rochelle Bilal")], [], PERSON_RULES)
    assert where(plan.patches, 1, "Bilal") == "person:rochelle-bilal"
    patch = plan.patches[("article-1", "person:bilal")]
    assert patch.name == "Rochelle Bilal" and "Bilal" in patch.aliases


def test_an_id_taken_again_after_a_merge_is_a_new_node() -> None:
    # "Brennan" folds into Rafael; once two Brennans are known a later bare "Brennan" is its own node,
    # under the same id as the first: the two must not be confused.
    items = [
        person(1, "Brennan"),
        person(2, "Rafael Brennan"),
        person(3, "Marcus Brennan"),
        person(4, "Brennan"),
    ]
    plan = plan_people(items, [], PERSON_RULES)
    assert where(plan.patches, 1, "Brennan") == "person:rafael-brennan"
    assert where(plan.patches, 4, "Brennan") == "person:brennan"
    assert plan.patches[("article-4", "person:brennan")].name == "Brennan"


def johnsons() -> list[PersonItem]:
    """Seven articles: a bare Johnson thrice (twice a mayor), Kenyatta, Brandon (mayor), Mike, Michael."""
    return [
        person(1, "Johnson", MAYOR),
        person(2, "Kenyatta Johnson"),
        person(3, "Brandon Johnson", MAYOR),
        person(4, "Johnson"),
        person(5, "Mike Johnson"),
        person(6, "Michael Johnson"),
        person(7, "Johnson", MAYOR),
    ]


def test_the_plan_does_not_depend_on_the_order_items_arrive_in() -> None:
    items = johnsons()
    expected = plan_people(items, [], PERSON_RULES)
    for seed in range(5):
        shuffled = items[:]
        random.Random(seed).shuffle(shuffled)
        assert plan_people(shuffled, [], PERSON_RULES).patches == expected.patches
    # As `kg ingest` in this order: the first Johnson is the only Johnson known when Kenyatta arrives;
    # a bare Johnson once two are known is its own node.
    assert where(expected.patches, 1, "Johnson") == "person:kenyatta-johnson"
    assert where(expected.patches, 4, "Johnson") == "person:johnson"
    assert where(expected.patches, 6, "Michael Johnson") == "person:mike-johnson"


def test_a_bare_node_already_in_the_graph_is_merged_by_the_writer_when_planned() -> None:
    existing = [PersonRecord("person:johnson", "Johnson", ("Johnson",), (MAYOR,))]
    plan = plan_people([person(1, "Brandon Johnson", MAYOR)], existing, PERSON_RULES)
    assert plan.merges == {"article-1": [("person:johnson", "person:brandon-johnson")]}
    assert plan.after == {}
    rules = PresolvedRules(PERSON_RULES, plan.merges["article-1"])
    full = PersonRecord("person:brandon-johnson", "Brandon Johnson")
    assert rules.absorbs(full, existing[0], [])
    assert not rules.absorbs(full, PersonRecord("person:other", "Other"), [])
    assert rules.match(full, existing) == "person:brandon-johnson"


def test_other_entities_get_the_first_name_every_alias_and_the_latest_properties() -> None:
    items = [
        EntityItem(2, "b", 0, "organization:ice", "ICE", ("the agency",), (("kind", "agency"),)),
        EntityItem(
            1, "a", 0, "organization:ice", "Immigration and Customs Enforcement", (), (("kind", "x"),)
        ),
        EntityItem(3, "c", 0, "organization:ice", "ICE", (), ()),
    ]
    patches = plan_entities(items)
    assert set(patches) == {("a", "organization:ice"), ("b", "organization:ice"), ("c", "organization:ice")}
    patch = patches[("c", "organization:ice")]
    assert patch.name == "Immigration and Customs Enforcement"
    assert patch.aliases == ("Immigration and Customs Enforcement", "ICE", "the agency")
    assert dict(patch.props) == {"kind": "agency"}
    assert plan_entities(list(reversed(items))) == patches


def test_a_patched_delta_names_final_nodes_in_id_order() -> None:
    delta = GraphDelta(
        id="a1",
        entities=[
            Entity(id="person:bilal", type="Person", name="Bilal"),
            Entity(id="organization:ice", type="Organization", name="ICE"),
        ],
        relations=[
            Relation(type="CRITICIZED", source="person:bilal", target="organization:ice", evidence="e")
        ],
    )
    plan = plan_people([person(1, "Bilal"), person(2, "Rochelle Bilal")], [], PERSON_RULES)
    patches = {"person:bilal": plan.patches[("article-1", "person:bilal")]}
    out = apply_patches(delta, patches)
    assert [e.id for e in out.entities] == ["organization:ice", "person:rochelle-bilal"]
    assert out.entities[1].name == "Rochelle Bilal"
    assert (out.relations[0].source, out.relations[0].target) == ("person:rochelle-bilal", "organization:ice")


def test_a_bare_id_taken_again_after_its_node_is_folded_is_written_after_the_fold() -> None:
    # "Whitfield" (Mayor) is in the graph; Gwendolyn, Mayor, arrives and takes it; once Marcus is known a
    # bare "Whitfield" is a new node under the old id. Only article 1 folds, and article 3 waits for it:
    # written before the fold, it would land on the old node, and the fold would take it along.
    existing = [PersonRecord("person:whitfield", "Whitfield", ("Whitfield",), (MAYOR,))]
    items = [
        person(1, "Gwendolyn Whitfield", MAYOR),
        person(2, "Marcus Whitfield"),
        person(3, "Whitfield"),
        person(4, "Gwendolyn Whitfield"),
    ]
    plan = plan_people(items, existing, PERSON_RULES)
    assert where(plan.patches, 3, "Whitfield") == "person:whitfield"
    assert plan.merges == {"article-1": [("person:whitfield", "person:gwendolyn-whitfield")]}
    assert plan.after == {"article-3": {"article-1"}}
    # Article 4 writes Gwendolyn again but folds nothing: by then the id is the new node's.
    later = PresolvedRules(PERSON_RULES, plan.merges.get("article-4", ()))
    gwendolyn = PersonRecord("person:gwendolyn-whitfield", "Gwendolyn Whitfield")
    assert later.people_to_read([gwendolyn]) == []
    assert not later.absorbs(gwendolyn, PersonRecord("person:whitfield", "Whitfield"), [])
    for seed in range(3):
        shuffled = items[:]
        random.Random(seed).shuffle(shuffled)
        again = plan_people(shuffled, list(reversed(existing)), PERSON_RULES)
        assert (again.patches, again.merges, again.after) == (plan.patches, plan.merges, plan.after)


def test_planning_two_slices_in_a_row_from_the_first_ones_people_gives_the_plan_of_one_slice() -> None:
    # The backfill plans slice k against the people slice k-1's plan leaves (`BlockPlan.people`), not
    # the graph: cut anywhere, the second half must resolve as it would in one slice with the first.
    items = johnsons()
    whole = plan_people(items, [], PERSON_RULES)
    for cut in range(1, len(items)):
        first = plan_people(items[:cut], [], PERSON_RULES)
        second = plan_people(items[cut:], first.people, PERSON_RULES)
        later = {key: patch for key, patch in whole.patches.items() if int(key[0].split("-")[1]) > cut}
        assert second.patches == later, cut
        assert sorted(p.id for p in second.people) == sorted(p.id for p in whole.people), cut
    # The people left: a bare Johnson folded into Kenyatta, Brandon the mayor, Mike, and the bare Johnson
    # of article 4, which the mayor's bare Johnson of article 7 does not join.
    assert sorted(p.id for p in whole.people) == [
        "person:brandon-johnson",
        "person:johnson",
        "person:kenyatta-johnson",
        "person:mike-johnson",
    ]
