"""Entity resolution for a backfill, decided before any write and independent of task order.

`kg ingest` resolves people inside each article's write: it looks up the people of the article's
surnames, matches each mention (`ingest.resolve.match_person`), writes, then folds bare-surname nodes the
article identifies into full names (`absorb_bare_people`). Run one article after another, that is a
function of the corpus and its order. Run as concurrent writes, it is not: two articles written at the
same time do not see each other, and which one creates a node decides its name.

A backfill therefore decides first and writes after:
1. every article's people become `PersonItem`s keyed by a blocking key, the surname (`rules.surname`);
   other entities become `EntityItem`s keyed by their id;
2. each block is replayed alone, in corpus order (`seq`), with the same rules and the same bookkeeping
   the writer does (`plan_people`), starting from the people of that surname already in the graph. A
   person's node can only be a node of the same surname, so blocks are independent and can run on any
   worker in any order; the result is what `kg ingest` of the corpus in that order gives;
3. every mention gets a `Patch`: the node id it ends on (after later merges), and that node's final
   name, aliases and properties; other entities get their final name, aliases and properties too;
4. the writes then carry these patches (`apply_patches`) and `PresolvedRules`, which keep the ids as they
   are: each write states the final value of everything it touches, so the writes commute and can run
   concurrently in any order.
The planned merges of bare nodes already in the graph are carried out by the writer (`absorbs` answers
yes for exactly those).

Known difference from `kg ingest`: a person matched only through an alias whose surname differs from the
mention's (the alias full-text look-up) is not seen across blocks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from graph.resolver import (
    OfficeRecord,
    PersonRecord,
    ResolutionRules,
    delta_people,
    plan_absorptions,
)
from graph.writer import ENTITY_PROPERTIES
from ingest.models import GraphDelta

PropValue = str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class PersonItem:
    """One person mention of one article, as the writer's resolution sees it."""

    seq: int  # the article's place in the corpus order
    article_id: str
    position: int  # its place among the article's entities
    person: PersonRecord


@dataclass(frozen=True, slots=True)
class EntityItem:
    """One non-person entity of one article: what its write would set on the node."""

    seq: int
    article_id: str
    position: int
    id: str
    name: str
    aliases: tuple[str, ...]
    props: tuple[tuple[str, PropValue], ...]


@dataclass(frozen=True, slots=True)
class Patch:
    """What one entity of one article is written as: the final node and its final state."""

    node_id: str
    name: str
    aliases: tuple[str, ...]
    props: tuple[tuple[str, PropValue], ...] = ()


BlockKey = tuple[str, str]  # ("person", surname) or ("entity", id)
Item = PersonItem | EntityItem


def items_of(seq: int, delta: GraphDelta, rules: ResolutionRules) -> list[tuple[BlockKey, Item]]:
    """An article's resolution items with their blocking keys (runs in the extraction task)."""
    out: list[tuple[BlockKey, Item]] = []
    position = {e.id: n for n, e in enumerate(delta.entities)}
    for person in delta_people(delta):
        key = ("person", rules.surname(person.name) or "")
        out.append((key, PersonItem(seq, delta.id, position[person.id], person)))
    for n, e in enumerate(delta.entities):
        if e.type == "Person":
            continue
        allowed = ENTITY_PROPERTIES[e.type]
        props = tuple((k, v) for k, v in e.properties.items() if k in allowed and v is not None)
        item = EntityItem(seq, delta.id, n, e.id, e.name, tuple(e.aliases), props)
        out.append((("entity", e.id), item))
    return out


@dataclass
class _Node:
    id: str
    name: str
    aliases: list[str]
    offices: list[OfficeRecord]
    gender: str | None
    # Which node this is: an id can be taken again by a new node after its first holder was merged away
    # ("Brennan" folded into "Thaddeus Brennan", then a later, ambiguous "Brennan" is a new node).
    uid: int = 0
    bare: bool = False  # a surname alone: only such a node can be folded (`_absorb`)
    # The node as a record, kept until the node changes (`changed`): a common surname's block matches
    # each article against every node of the block, most of which that article leaves as they were.
    _record: PersonRecord | None = None

    def record(self) -> PersonRecord:
        if self._record is None:
            self._record = PersonRecord(
                self.id, self.name, tuple(self.aliases), tuple(self.offices), self.gender
            )
        return self._record

    def changed(self) -> None:
        self._record = None


def _add_distinct(target: list[Any], values: Iterable[Any]) -> None:
    for v in values:
        if v not in target:
            target.append(v)


def _add_offices(target: list[OfficeRecord], offices: Iterable[OfficeRecord]) -> None:
    known = {o.id for o in target}
    for o in offices:
        if o.id not in known:
            target.append(o)
            known.add(o.id)


@dataclass
class BlockPlan:
    """A block's outcome: a patch per (article id, entity id), the merges of nodes already in the graph
    by the article whose write carries each out, and which writes must wait for which.

    `after` holds the one order the writes of a slice must keep: a bare node already in the graph that an
    article folds into a full name leaves its id free, and a later article of the slice can name a new
    bare node by that same id ("Whitfield" folded into Gwendolyn Whitfield, then a later, ambiguous
    "Whitfield"). In the graph both are one id, so the later write must commit after the fold, or it
    writes into the old node and the fold takes it along (session 7's demo run with one person fewer)."""

    patches: dict[tuple[str, str], Patch] = field(default_factory=dict)
    # article id -> [(bare node already in the graph, the node it folds into)], carried out by its write
    merges: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    # article id -> the articles whose writes must have ended before it starts
    after: dict[str, set[str]] = field(default_factory=dict)
    # A person block's people once its writes have ended, as the graph will then hold them (what
    # `existing_people` would read back): the next slice is planned against these while this one is
    # written (`engine._Stages`).
    people: tuple[PersonRecord, ...] = ()


def plan_people(
    items: Iterable[PersonItem], existing: Sequence[PersonRecord], rules: ResolutionRules
) -> BlockPlan:
    """Replay one surname block in corpus order, as the writer would resolve it article by article.

    `existing` are the graph's people of this surname before the backfill. The outcome does not depend
    on the order of `items`: they are sorted by (seq, position) first."""
    uids = iter(range(1, 1 << 62))
    nodes: dict[str, _Node] = {
        p.id: _Node(
            p.id, p.name, list(p.aliases), list(p.offices), p.gender, next(uids), rules.is_bare(p.name)
        )
        for p in existing
    }
    by_uid = {n.uid: n for n in nodes.values()}
    preexisting = {n.uid for n in nodes.values()}
    parent: dict[int, int] = {}  # a merged node's uid -> the uid of the node it went into
    assigned: dict[tuple[str, str], int] = {}  # (article id, entity id) -> the uid it was written to

    by_article: dict[tuple[int, str], list[PersonItem]] = defaultdict(list)
    for item in items:
        by_article[(item.seq, item.article_id)].append(item)

    merges: list[tuple[int, int, str]] = []  # (bare uid, into uid, the article whose write folds it)
    for key in sorted(by_article):
        mentions = sorted(by_article[key], key=lambda i: i.position)
        candidates = [n.record() for n in nodes.values()]
        ids = {m.person.id: rules.match(m.person, candidates) for m in mentions}
        # The write: a node per id, named by its first mention; aliases, offices and gender added.
        rows: dict[str, tuple[str, list[str], list[OfficeRecord], str | None]] = {}
        for m in mentions:
            node_id = ids[m.person.id]
            name, aliases, offices, gender = rows.get(node_id, (m.person.name, [], [], None))
            aliases.extend([m.person.name, *m.person.aliases])
            offices.extend(m.person.offices)
            rows[node_id] = (name, aliases, offices, gender or m.person.gender)
        for node_id, (name, aliases, offices, gender) in rows.items():
            node = nodes.get(node_id)
            if node is None:
                node = nodes[node_id] = _Node(node_id, name, [], [], None, next(uids), rules.is_bare(name))
                by_uid[node.uid] = node
            _add_distinct(node.aliases, aliases)
            _add_offices(node.offices, offices)
            node.gender = gender or node.gender
            node.changed()
        for m in mentions:
            assigned[(m.article_id, m.person.id)] = nodes[ids[m.person.id]].uid
        merges.extend((bare, into, key[1]) for bare, into in _absorb(nodes, set(rows), rules, parent))

    def final(uid: int) -> _Node:
        while uid in parent:
            uid = parent[uid]
        return by_uid[uid]

    plan = BlockPlan(people=tuple(n.record() for n in nodes.values()))
    for (article_id, entity_id), uid in assigned.items():
        node = final(uid)
        props = (("gender", node.gender),) if node.gender else ()
        plan.patches[(article_id, entity_id)] = Patch(node.id, node.name, tuple(node.aliases), props)
    folded_by: dict[str, str] = {}  # the id of a bare node already in the graph -> the article folding it
    for bare, into, article_id in merges:
        if bare in preexisting:
            plan.merges.setdefault(article_id, []).append((by_uid[bare].id, final(into).id))
            folded_by[by_uid[bare].id] = article_id
    # A write naming such an id after its fold is a new node of that id: it waits for the fold's write.
    for (article_id, _), patch in plan.patches.items():
        folder = folded_by.get(patch.node_id)
        if folder is not None and folder != article_id:
            plan.after.setdefault(article_id, set()).add(folder)
    return plan


def _absorb(
    nodes: dict[str, _Node], written: set[str], rules: ResolutionRules, parent: dict[int, int]
) -> list[tuple[int, int]]:
    """The writer's bare-surname folding (`graph.resolver.plan_absorptions`, the same decision
    `absorb_bare_people` carries out) applied to the block's nodes; returns the merges (bare, into).
    With no bare node in the block there is nothing to fold (`plan_absorptions` only folds bare nodes),
    and the block's people are not gathered: a common surname's block has hundreds of full names."""
    if not any(n.bare for n in nodes.values()):
        return []
    people = [n.record() for n in nodes.values()]
    surnames = {node_id: s for node_id in sorted(written) if (s := rules.surname(nodes[node_id].name))}
    merges: list[tuple[int, int]] = []
    for absorption in plan_absorptions(surnames, rules, people):
        into = nodes[absorption.into]
        gone_node = nodes.pop(absorption.bare)
        into.aliases = list(absorption.aliases)
        _add_offices(into.offices, gone_node.offices)
        into.gender = into.gender or gone_node.gender
        into.changed()
        parent[gone_node.uid] = into.uid
        merges.append((gone_node.uid, into.uid))
    return merges


def plan_entities(items: Iterable[EntityItem]) -> dict[tuple[str, str], Patch]:
    """One non-person entity id: its name from the first article, aliases and properties in order."""
    ordered = sorted(items, key=lambda i: (i.seq, i.position))
    if not ordered:
        return {}
    aliases: list[str] = []
    props: dict[str, PropValue] = {}
    for article_items in _by_article(ordered):
        row_props: dict[str, PropValue] = {}
        for item in article_items:
            _add_distinct(aliases, (item.name, *item.aliases))
            row_props = {**dict(item.props), **row_props}  # within an article the first mention wins
        props.update(row_props)
    patch = Patch(ordered[0].id, ordered[0].name, tuple(aliases), tuple(sorted(props.items())))
    return {(i.article_id, i.id): patch for i in ordered}


def _by_article(items: list[EntityItem]) -> list[list[EntityItem]]:
    groups: dict[tuple[int, str], list[EntityItem]] = {}
    for item in items:
        groups.setdefault((item.seq, item.article_id), []).append(item)
    return list(groups.values())


class NameRules:
    """`ResolutionRules` that remember each name's surname and bareness, for one plan.

    A block's replay asks for them for every node of the block at every article (`plan_absorptions`
    takes the surname of each person it is given): a common surname's block asks hundreds of times
    for the same few names. The answers are a function of the name; the rest is `rules`' own."""

    def __init__(self, rules: ResolutionRules) -> None:
        self._rules = rules
        self._surnames: dict[str, str | None] = {}
        self._bare: dict[str, bool] = {}

    def surname(self, name: str) -> str | None:
        if name not in self._surnames:
            self._surnames[name] = self._rules.surname(name)
        return self._surnames[name]

    def is_bare(self, name: str) -> bool:
        if name not in self._bare:
            self._bare[name] = self._rules.is_bare(name)
        return self._bare[name]

    def match(self, mention: PersonRecord, candidates: Sequence[PersonRecord]) -> str:
        return self._rules.match(mention, candidates)

    def absorbs(self, person: PersonRecord, bare: PersonRecord, rivals: Sequence[PersonRecord]) -> bool:
        return self._rules.absorbs(person, bare, rivals)

    def merge_aliases(self, *groups: Iterable[str]) -> list[str]:
        return self._rules.merge_aliases(*groups)


def plan_block(
    key: BlockKey, items: Iterable[Item], existing: Sequence[PersonRecord], rules: ResolutionRules
) -> BlockPlan:
    """The plan of one block, whichever kind it is."""
    if key[0] == "person":
        return plan_people([i for i in items if isinstance(i, PersonItem)], existing, rules)
    return BlockPlan(patches=plan_entities([i for i in items if isinstance(i, EntityItem)]))


def apply_patches(delta: GraphDelta, patches: dict[str, Patch]) -> GraphDelta:
    """The delta as the backfill writes it: final ids, names, aliases and properties.

    Entities are sorted by their final id, so every write locks its nodes in one global order (two
    writers of the same nodes then wait for each other instead of deadlocking)."""
    ids = {e.id: patches[e.id].node_id if e.id in patches else e.id for e in delta.entities}
    entities = []
    for e in delta.entities:
        patch = patches.get(e.id)
        if patch is None:
            entities.append(e)
            continue
        entities.append(
            e.model_copy(
                update={
                    "id": patch.node_id,
                    "name": patch.name,
                    "aliases": list(patch.aliases),
                    "properties": dict(patch.props),
                }
            )
        )
    entities.sort(key=lambda e: e.id)
    relations = [
        r.model_copy(update={"source": ids[r.source], "target": ids[r.target]}) for r in delta.relations
    ]
    return delta.model_copy(update={"entities": entities, "relations": relations})


class PresolvedRules:
    """`ResolutionRules` for one write whose people are already resolved (`apply_patches`).

    A mention is the node it names; nothing is folded, except the bare nodes already in the graph that
    the plan folds into a person in this very article (`merges`: `BlockPlan.merges` of the article).
    Only that article's write folds them: a later write of the same person must not fold by id, since
    the id may by then name a new bare node (`BlockPlan.after`)."""

    def __init__(self, rules: ResolutionRules, merges: Iterable[tuple[str, str]] = ()) -> None:
        self._rules = rules
        self._merges = frozenset(merges)
        self._bare_of: dict[str, list[str]] = defaultdict(list)
        for bare, person in sorted(self._merges):
            self._bare_of[person].append(bare)

    def people_to_read(self, mentions: Sequence[PersonRecord]) -> list[str]:
        """The bare nodes the plan folds into these people: all a write needs of the graph's people
        (`graph.resolver.PresolvedResolution`), so it runs no look-up and takes no resolution lock."""
        return [bare for m in mentions for bare in self._bare_of.get(m.id, ())]

    def surname(self, name: str) -> str | None:
        return self._rules.surname(name)

    def is_bare(self, name: str) -> bool:
        return self._rules.is_bare(name)

    def match(self, mention: PersonRecord, candidates: Sequence[PersonRecord]) -> str:
        return mention.id

    def absorbs(self, person: PersonRecord, bare: PersonRecord, rivals: Sequence[PersonRecord]) -> bool:
        return (bare.id, person.id) in self._merges

    def merge_aliases(self, *groups: Iterable[str]) -> list[str]:
        return self._rules.merge_aliases(*groups)


def with_seq(item: Item, seq: int) -> Item:
    """The same item at another place in the corpus order (tests of order independence)."""
    return replace(item, seq=seq)
