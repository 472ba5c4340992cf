"""Every read query the API issues: named constants and small builders over fixed allow-lists.

Values always travel as `$params`. Labels and relationship types are never formatted from input: the
builders below only pick among strings made at import time from `ENTITY_TYPES` / `RELATION_TYPES`.
Most queries take a list of keys (`UNWIND $ids`) so the API's DataLoaders fetch a whole level of a
GraphQL response in one round trip.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from ingest.models import ENTITY_TYPES, RELATION_TYPES, STANCE_TYPES

Direction = Literal["OUT", "IN", "BOTH"]

#: Relationship types a reader may name. `MENTIONS` (Article → Entity) is read through `mentions`.
READABLE_RELATION_TYPES: tuple[str, ...] = RELATION_TYPES
SUBGRAPH_RELATION_TYPES: tuple[str, ...] = (*RELATION_TYPES, "MENTIONS")
STANCE_PATTERN = "|".join(STANCE_TYPES)

# What the API reads: maps of primitives, never whole nodes or relationships. Temporal values leave
# Neo4j as ISO strings (`toString`), converted once at the API's edge (app/graphql/records.py): the
# driver's hydration of DateTime values was most of a request's cost (issue 9). The bookkeeping
# datetimes (`created_at`, `updated_at`) are not read at all. An article's `text` is read only when asked
# for (`ARTICLE_TEXTS`): it is the one large property. The full nodes remain what analysts get from /cypher.


def entity_map(v: str) -> str:
    """An entity node `v` as the API reads it."""
    return (
        "{.id, .name, .type, .aliases, .surname, .gender, .title, .jurisdiction, .kind, .acronym, .status, "
        f"date: toString({v}.date)}}"
    )


def article_map(v: str) -> str:
    """An article node `v` as the API reads it (no text)."""
    return (
        f"{{.id, .url, .title, .source, published_at: toString({v}.published_at), "
        f"ingested_at: toString({v}.ingested_at), .word_count, .extractor, .extractor_version}}"
    )


def rel_map(v: str) -> str:
    """An assertion `v` as a map: its id and type, and the evidence properties, `observed_at` as a string."""
    return (
        f"{{id: elementId({v}), type: type({v}), evidence: {v}.evidence, quote: {v}.quote, "
        f"confidence: {v}.confidence, char_start: {v}.char_start, char_end: {v}.char_end, "
        f"extractor: {v}.extractor, observed_at: toString({v}.observed_at), article_id: {v}.article_id, "
        f"status: {v}.status}}"
    )


# The few fields most selections ask for; the `_detail` switches below add the rest only when asked.
ENTITY_BRIEF = "{.id, .name, .type}"


def rel_brief(v: str) -> str:
    """An assertion `v` with its id, type, and the evidence a reader sees (sentence, quote, confidence,
    article)."""
    return (
        f"{{id: elementId({v}), type: type({v}), evidence: {v}.evidence, quote: {v}.quote, "
        f"confidence: {v}.confidence, article_id: {v}.article_id}}"
    )


def rel_item(r: str = "r", s: str = "s", t: str = "t", keyed: bool = False) -> str:
    """The `{r, s, t}` map a `Relation` is built from; `keyed` adds its keyset sort key."""
    key = f", key: [toString({r}.observed_at), elementId({r})]" if keyed else ""
    return f"{{r: {r} {rel_map(r)}, s: {s} {entity_map(s)}, t: {t} {entity_map(t)}{key}}}"


ENTITY_MAP = entity_map("n")
# A subgraph node, entity or article, with its labels (the viewer's node type).
GRAPH_NODE_MAP = (
    "{.id, .name, .type, .aliases, .title, .jurisdiction, .kind, .acronym, .status, date: toString(n.date), "
    ".url, .source, published_at: toString(n.published_at), labels: labels(n)}"
)
# What a node's `id`, `type` and `label` need, when neither `properties` nor `aliases` is selected.
GRAPH_NODE_BRIEF = "{.id, .name, .type, .title, .url, labels: labels(n)}"

# ---------------------------------------------------------------------------------------------------
# Full-text queries (the `entity_names` index is built with Lucene's standard analyzer).

_LUCENE_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')
_WORD = re.compile(r"[\w'’.-]+", re.UNICODE)
MAX_SEARCH_TERMS = 8


def lucene_escape(term: str) -> str:
    return _LUCENE_SPECIAL.sub(r"\\\1", term)


def _terms(text: str) -> list[str]:
    # The standard analyzer splits on punctuation; do the same so "O'Neill" or "D.A." still match.
    words = [w for chunk in _WORD.findall(text.lower()) for w in re.split(r"[^\w]+", chunk) if w]
    return words[:MAX_SEARCH_TERMS]


def search_query(text: str) -> str | None:
    """A Lucene query tolerant of partial and slightly misspelt names: "Kras" finds Larry Krasner.

    Every word must match, as a whole word (boosted), a prefix, or (from four letters on) a fuzzy term.
    None when the text holds no word at all.
    """
    clauses = []
    for word in _terms(text):
        esc = lucene_escape(word)
        parts = [f"{esc}^4", f"{esc}*"]
        if len(word) >= 4:
            parts.append(f"{esc}~1")
        clauses.append("(" + " OR ".join(parts) + ")")
    return " AND ".join(clauses) or None


def phrase_query(text: str) -> str | None:
    """An exact-phrase Lucene query, for finding candidates of a name or alias look-up."""
    words = _terms(text)
    if not words:
        return None
    return '"' + " ".join(lucene_escape(w) for w in words) + '"'


SEARCH = f"""
CALL db.index.fulltext.queryNodes('entity_names', $lucene) YIELD node, score
WHERE size($types) = 0 OR node.type IN $types
WITH node, score ORDER BY score DESC, node.name
WITH collect(node) AS hits
RETURN size(hits) AS total, [n IN hits[$skip..$skip + $limit] | n {ENTITY_MAP}] AS page
"""

# ---------------------------------------------------------------------------------------------------
# Resolving a user's reference (an id, a name, any alias, a surname) to entity nodes.
# Id wins over name; name or alias (case-insensitive, exact) wins over surname.

# Each look-up runs only when the ones before it found nothing (the full-text query is most of the cost).
_RESOLVE = """
CALL () { OPTIONAL MATCH (x:Entity {id: $key}) RETURN collect(x) AS by_id }
CALL (by_id) {
  WITH by_id WHERE size(by_id) = 0
  CALL db.index.fulltext.queryNodes('entity_names', $phrase) YIELD node
  WHERE ($label IS NULL OR $label IN labels(node))
    AND (toLower(node.name) = $lower OR any(a IN coalesce(node.aliases, []) WHERE toLower(a) = $lower))
  RETURN collect(DISTINCT node) AS by_name
}
CALL (by_id, by_name) {
  WITH by_id, by_name WHERE size(by_id) = 0 AND size(by_name) = 0
  OPTIONAL MATCH (x:Person {surname: $lower}) WHERE $label IS NULL OR $label = 'Person'
  RETURN collect(x) AS by_surname
}
WITH CASE WHEN size(by_id) > 0 THEN by_id WHEN size(by_name) > 0 THEN by_name ELSE by_surname END AS xs
"""

_CANDIDATES = "[c IN xs[..20] | c {.id, .name, .type}] AS candidates, size(xs) AS matches"
RESOLVE_ENTITY = (
    _RESOLVE + "RETURN [c IN xs[..20] | c " + entity_map("c") + "] AS candidates, size(xs) AS matches"
)


def resolve_params(ref: str, label: str | None = None) -> dict[str, object]:
    if label is not None and label not in ENTITY_TYPES:
        raise ValueError(f"unknown entity type {label!r}")
    lower = ref.strip().lower()
    # A reference with no word in it cannot match a name; the sentinel phrase finds nothing.
    return {"key": ref.strip(), "lower": lower, "phrase": phrase_query(ref) or '"\u2400"', "label": label}


# ---------------------------------------------------------------------------------------------------
# "Who responded to X": one query resolves X, finds X's things (X's offices, bills X sponsored or
# endorsed), every CRITICIZED / ENDORSED / RESPONDED_TO assertion aimed at them, and what the nested
# GraphQL fields need (responder offices, the article), so `responses` costs one round trip.
# A bill's sponsors are read once per bill (not one SPONSORED look-up per stance aimed at it), and a
# responder's offices as the few properties an `Office` shows (PROFILE on the seeds + 300 generated
# articles: 2,985 -> 1,874 database hits for Krasner; docs/performance.md).

#: What an `Office` object reads (app/graphql/office.py: the Entity fields, title, jurisdiction).
OFFICE_MAP = "{.id, .name, .type, .aliases, .title, .jurisdiction}"

# A bill's sponsors back it: what they say about it is no response to X. Checked per assertion where few
# are read, as a list per bill where all of them are.
_ALLY = "(t:Bill AND EXISTS { (s)-[:SPONSORED]->(t) })"
_ALLIES = "CASE WHEN t:Bill THEN COLLECT { MATCH (a)-[:SPONSORED]->(t) RETURN DISTINCT a } ELSE [] END"


def _newest_aimed(rel_type: str, at: str, carry: str = "x, ts") -> str:
    """One stance type's assertions aimed at X's things (`ts`), read from its `observed_at` index; `at` is
    the date predicate on `r.observed_at` (a range, or one date for the ties), `carry` the variables in."""
    if rel_type not in STANCE_TYPES:
        raise ValueError(f"not a stance type: {rel_type!r}")
    return f"""
    WITH {carry} WHERE '{rel_type}' IN $types
    MATCH (s:Entity)-[r:{rel_type}]->(t:Entity) USING INDEX r:{rel_type}(observed_at)
    WHERE {at} AND t IN ts AND s <> x AND NOT {_ALLY}"""


_DATES = "r.observed_at >= $lo AND r.observed_at < $hi"
_PREFIX_BRANCHES = "\n    UNION ALL".join(
    _newest_aimed(t, _DATES) + "\n    WITH s, r ORDER BY r.observed_at DESC LIMIT $need RETURN s, r"
    for t in STANCE_TYPES
)
_TIE_BRANCHES = "\n    UNION".join(
    _newest_aimed(t, "r.observed_at = edge", "x, ts, edge") + "\n    RETURN DISTINCT s" for t in STANCE_TYPES
)

RESPONSES = (
    _RESOLVE
    + f"""
WITH xs, CASE WHEN size(xs) = 1 THEN xs[0] END AS x
OPTIONAL CALL (x) {{
  WITH x WHERE x IS NOT NULL
  // X's things: X, X's offices, and the bills X sponsored or backed (DISTINCT: X backs a bill in every
  // article that says so).
  CALL (x) {{
    RETURN x AS t
    UNION
    MATCH (x)-[:HOLDS_OFFICE]->(t:Office) RETURN t
    UNION
    MATCH (x)-[:SPONSORED|ENDORSED]->(t) WITH DISTINCT t WHERE t:Bill RETURN t
  }}
  // How many assertions point at them (node degrees) against how many exist (the count store): neither
  // reads an assertion.
  WITH x, collect(t) AS targets, sum(COUNT {{ (t)<-[:{STANCE_PATTERN}]-() }}) AS aimed
  RETURN targets, aimed
}}
CALL () {{
  {" UNION ALL ".join(f"MATCH ()-[r:{t}]->() RETURN count(r) AS n" for t in STANCE_TYPES)}
}}
WITH xs, x, coalesce(targets, []) AS targets, coalesce(aimed, 0) AS aimed, sum(n) AS stances
WITH xs, x, targets AS ts,
     // A page from the date index reads about (skip + limit) * stances / aimed assertions and then the
     // responders' own, the full sort every one aimed at X: the index pays once X draws a large enough
     // share of all of them (measured at 4,000 generated articles: 9,958 against 23,079 db hits for 20
     // rows, 52,270 against 23,832 for rows 500-600). A total reads them all anyway.
     coalesce($bounded, NOT $with_total AND aimed >= 200 AND aimed * aimed >= 10 * ($skip + $limit) * stances)
       AS bounded
OPTIONAL CALL (x, ts, bounded) {{
  WITH x, ts WHERE x IS NOT NULL AND NOT bounded
  UNWIND ts AS t
  WITH x, t, {_ALLIES} AS allies
  MATCH (s:Entity)-[r:{STANCE_PATTERN}]->(t)
  WHERE s <> x AND type(r) IN $types
    AND ($since IS NULL OR r.observed_at >= $since)
    AND ($until IS NULL OR r.observed_at < $until)
    AND NOT s IN allies
  WITH s, r, t ORDER BY r.observed_at DESC, elementId(r)
  WITH s, collect({{r: r, t: t}}) AS said, max(r.observed_at) AS latest
  ORDER BY latest DESC, s.name, s.id
  UNWIND said AS one
  RETURN collect({{s: s, r: one.r, t: one.t}}) AS rows, null AS counted
  UNION ALL
  // Bounded by the page: responders are ordered by their newest response, so the first skip + limit
  // assertions (newest first, from the date index), and every one dated like the last of them, name
  // every responder the page can reach; only their own assertions are then read and sorted.
  WITH x, ts WHERE x IS NOT NULL AND bounded
  CALL (x, ts) {{{_PREFIX_BRANCHES}
  }}
  WITH x, ts, s, r ORDER BY r.observed_at DESC LIMIT $need
  WITH x, ts, collect(DISTINCT s) AS found, min(r.observed_at) AS edge
  // Responders whose newest response is dated like the last one read: the page orders them by name.
  CALL (x, ts, edge) {{
    CALL (x, ts, edge) {{{_TIE_BRANCHES}
    }}
    RETURN collect(s) AS tied
  }}
  UNWIND found + [s IN tied WHERE NOT s IN found] AS s
  CALL (x, ts, s) {{
    WITH s, COLLECT {{ MATCH (s)-[:SPONSORED]->(b:Bill) RETURN DISTINCT b }} AS backed
    MATCH (s)-[r:{STANCE_PATTERN}]->(t)
    WHERE t IN ts AND NOT t IN backed AND type(r) IN $types
      AND ($since IS NULL OR r.observed_at >= $since) AND ($until IS NULL OR r.observed_at < $until)
    // A responder's newest first, and no more of them than the page can reach.
    WITH r, t ORDER BY r.observed_at DESC, elementId(r) LIMIT $need
    RETURN collect({{r: r, t: t}}) AS said, max(r.observed_at) AS latest
  }}
  WITH x, ts, s, said, latest ORDER BY latest DESC, s.name, s.id
  UNWIND said AS one
  WITH x, ts, collect({{s: s, r: one.r, t: one.t}}) AS rows
  // The total only when the selection asks for it: a count over X's assertions, nothing sorted.
  CALL (x, ts) {{
    WITH x, ts WHERE $with_total
    UNWIND ts AS t
    WITH x, t, {_ALLIES} AS allies
    MATCH (s:Entity)-[r:{STANCE_PATTERN}]->(t)
    WHERE s <> x AND type(r) IN $types AND r.observed_at >= $lo AND r.observed_at < $hi AND NOT s IN allies
    RETURN count(r) AS counted
  }}
  RETURN rows, counted
}}
WITH xs, coalesce(rows, []) AS rows, counted
WITH xs, coalesce(counted, size(rows)) AS total, rows[$skip..$skip + $limit] AS page
CALL (page) {{
  UNWIND page AS row
  WITH row.s AS s, row.r AS r, row.t AS t
  // The article and the responder's offices only when the selection asks for them.
  OPTIONAL MATCH (a:Article {{id: CASE WHEN $with_article THEN r.article_id END}})
  CALL (s) {{
    WITH s WHERE $with_offices
    OPTIONAL MATCH (s:Person)-[:HOLDS_OFFICE]->(o:Office)
    WITH DISTINCT o
    RETURN collect(o {OFFICE_MAP}) AS offices
  }}
  // Offsets, extractor and dates of the evidence, and the ends' other properties, only when selected.
  RETURN collect({{
    s: CASE WHEN $with_entity_detail THEN s {entity_map("s")} ELSE s {ENTITY_BRIEF} END,
    r: CASE WHEN $with_evidence_detail THEN r {rel_map("r")} ELSE r {rel_brief("r")} END,
    t: CASE WHEN $with_entity_detail THEN t {entity_map("t")} ELSE t {ENTITY_BRIEF} END,
    article: a {article_map("a")}, offices: offices
  }}) AS items
}}
RETURN {_CANDIDATES}, total, items
"""
)

# ---------------------------------------------------------------------------------------------------
# Loaders: one query per level of a response, keyed by a list of ids.

ENTITIES_BY_ID = f"UNWIND $ids AS id MATCH (n:Entity {{id: id}}) RETURN id, n {ENTITY_MAP} AS n"
ARTICLES_BY_ID = f"UNWIND $ids AS id MATCH (a:Article {{id: id}}) RETURN id, a {article_map('a')} AS a"
ARTICLE_TEXTS = "UNWIND $ids AS id MATCH (a:Article {id: id}) RETURN id, a.text AS text"
JOBS_BY_ID = "UNWIND $ids AS id MATCH (j:IngestJob {id: id}) RETURN id, j"

OFFICES_BY_PERSON = f"""
UNWIND $ids AS id
MATCH (p:Person {{id: id}})-[h:HOLDS_OFFICE]->(o:Office)
WITH id, o, min(CASE h.status WHEN 'current' THEN 0 WHEN 'acting' THEN 1 ELSE 2 END) AS rank
ORDER BY rank, o.name
RETURN id, collect(o {entity_map("o")}) AS nodes
"""


def _actors_of(rel_type: str, label: str, actor: str = "Entity") -> str:
    """Who stands at the start of `rel_type` into each `label` node in $ids, batched for a DataLoader."""
    if rel_type not in RELATION_TYPES or label not in ENTITY_TYPES or actor not in (*ENTITY_TYPES, "Entity"):
        raise ValueError(f"not an allow-listed pattern: ({actor})-[:{rel_type}]->({label})")
    return (
        f"UNWIND $ids AS id MATCH (p:{actor})-[:{rel_type}]->(:{label} {{id: id}}) "
        f"WITH DISTINCT id, p ORDER BY p.name RETURN id, collect(p {entity_map('p')}) AS nodes"
    )


HOLDERS_BY_OFFICE = _actors_of("HOLDS_OFFICE", "Office", actor="Person")
SPONSORS_BY_BILL = _actors_of("SPONSORED", "Bill")
SUPPORTERS_BY_BILL = _actors_of("ENDORSED", "Bill")
OPPONENTS_BY_BILL = _actors_of("CRITICIZED", "Bill")
PARTICIPANTS_BY_EVENT = _actors_of("INVOLVED_IN", "Event")

# Pages of an entity's articles and relations, for many entities at once (same page arguments), by keyset:
# `$after_at` / `$after_id` are the sort key of the last item of the previous page (nulls: from the
# start); a Top-K over the entity's own relationships, never a skip over everything before the page.
# The total is counted only when the selection asks for it (`$with_total`).

_AFTER_REL = (
    "($after_id IS NULL OR r.observed_at < datetime($after_at) "
    "OR (r.observed_at = datetime($after_at) AND elementId(r) > $after_id))"
)

MENTIONS_PAGE = f"""
UNWIND $ids AS id
MATCH (n:Entity {{id: id}})
CALL (n) {{
  MATCH (a:Article)-[m:MENTIONS]->(n)
  WITH a, m, coalesce(a.published_at, a.ingested_at) AS at
  WHERE $after_id IS NULL OR at < datetime($after_at) OR (at = datetime($after_at) AND a.id > $after_id)
  WITH a, m, at ORDER BY at DESC, a.id LIMIT $limit
  RETURN collect({{article: a {article_map("a")}, count: m.count, key: [toString(at), a.id]}}) AS items
}}
RETURN id, CASE WHEN $with_total THEN COUNT {{ (:Article)-[:MENTIONS]->(n) }} END AS total, items
"""

_DIRECTION_PATTERNS: dict[str, str] = {
    "OUT": "(n)-[r:{types}]->(o)",
    "IN": "(n)<-[r:{types}]-(o)",
    "BOTH": "(n)-[r:{types}]-(o)",
}


def _type_union(types: tuple[str, ...]) -> str:
    if not types or any(t not in READABLE_RELATION_TYPES for t in types):
        raise ValueError(f"not allow-listed relationship types: {types}")
    return "|".join(types)


def relations_page(direction: Direction, types: tuple[str, ...]) -> str:
    """An entity's assertions of `types` (allow-listed; every one joins two entities), newest first.

    The count, when asked, comes from the degree store: `COUNT { (n)-[:A|B]-() }` reads no relationship."""
    pattern = _DIRECTION_PATTERNS[direction].format(types=_type_union(types))
    count = pattern.replace("(o)", "()").replace("[r:", "[:")
    return f"""
UNWIND $ids AS id
MATCH (n:Entity {{id: id}})
CALL (n) {{
  MATCH {pattern}
  WHERE {_AFTER_REL}
  WITH r ORDER BY r.observed_at DESC, elementId(r) LIMIT $limit
  WITH r, startNode(r) AS s, endNode(r) AS t
  RETURN collect({rel_item(keyed=True)}) AS items
}}
RETURN id, CASE WHEN $with_total THEN COUNT {{ {count} }} END AS total, items
"""


# A collapsed HOLDS_OFFICE (one edge per person and office, docs/graph-model.md) as the assertion of
# one article `$article`: the edge's id and ends with that article's own word on it, its `STATES_HOLDING`
# (`e`), whatever article is the edge's newest.
HOLDINGS_OF_ARTICLE = """MATCH (:Article {{id: {article}}})-[e:STATES_HOLDING]->(t:Entity)
  MATCH (s:Entity {{id: e.person_id}})-[r:HOLDS_OFFICE]->(t)
  WITH s, r, t, e, e.observed_at AS observed"""


def holding_map(r: str, article: str) -> str:
    """`rel_map` of a HOLDS_OFFICE edge as `article`'s assertion (`e`, `observed`: HOLDINGS_OF_ARTICLE)."""
    return (
        f"{{id: elementId({r}), type: type({r}), evidence: e.evidence, quote: e.quote, "
        "confidence: e.confidence, char_start: e.char_start, char_end: e.char_end, "
        f"extractor: e.extractor, observed_at: toString(observed), article_id: {article}, status: e.status}}"
    )


# An article's assertions: one index seek per relationship type (`rel_<type>_article`); its office-
# holdings through its MENTIONS, each with the article's own sentence (HOLDINGS_OF_ARTICLE).
ASSERTIONS_BY_ARTICLE = (
    "UNWIND $ids AS id\nCALL (id) {\n"
    + "\n  UNION ALL\n".join(
        f"  MATCH (s)-[r:{t}]->(t) WHERE r.article_id = id\n"
        f"  RETURN {rel_item()} AS item, r.char_start AS at, elementId(r) AS eid"
        for t in READABLE_RELATION_TYPES
        if t != "HOLDS_OFFICE"
    )
    + "\n  UNION ALL\n  "
    + HOLDINGS_OF_ARTICLE.format(article="id")
    + f"\n  RETURN {{r: {holding_map('r', 'id')}, s: s {entity_map('s')}, t: t {entity_map('t')}}} AS item,"
    + " e.char_start AS at, elementId(r) AS eid"
    + "\n}\nWITH id, item ORDER BY at, eid\nRETURN id, collect(item) AS items"
)
MENTIONED_BY_ARTICLE = f"""
UNWIND $ids AS id
MATCH (a:Article {{id: id}})-[m:MENTIONS]->(n:Entity)
WITH id, n, m ORDER BY m.count DESC, n.name
RETURN id, collect({{node: n {ENTITY_MAP}, count: m.count}}) AS items
"""

# ---------------------------------------------------------------------------------------------------
# Root look-ups.

NODE_BY_ID = """
CALL () {
  MATCH (n:Entity {id: $id}) RETURN n
  UNION
  MATCH (n:Article {id: $id}) RETURN n
  UNION
  MATCH (n:IngestJob {id: $id}) RETURN n
}
RETURN n LIMIT 1
"""
RELATION_BY_ELEMENT_ID = f"""
MATCH (s)-[r]->(t) WHERE elementId(r) = $element_id AND type(r) IN $types
RETURN r {rel_map("r")} AS r, s {entity_map("s")} AS s, t {entity_map("t")} AS t
"""


_DATE_FILTERS = """
  AND ($since IS NULL OR r.observed_at >= $since) AND ($until IS NULL OR r.observed_at < $until)"""
_REL_FILTERS = (
    """
  AND ($source IS NULL OR s.id = $source) AND ($target IS NULL OR t.id = $target)"""
    + _DATE_FILTERS
)


@lru_cache(maxsize=256)
def relations_filtered(
    anchor: Literal["source", "target", "article", "none"],
    types: tuple[str, ...],
    with_total: bool = False,
    dated: bool = False,
) -> str:
    """`relations(filter:)`, newest first, by keyset; each branch starts from the most selective thing given.

    - none: per type, the `rel_<type>_observed` index read newest first (a range seek between `$lo` and
      `$hi`, the cursor's date), `$limit` rows each, merged: cost in proportion to the page and the number
      of types, not to the graph. The count, when asked, comes from the count store (no date filter) or
      the same index range.
    - article: per type, the `rel_<type>_article` index: the article's own assertions, then the source
      and target, when given, filter them.
    - source / target: that entity's relationships (a Top-K over its degree).

    The count is part of the statement only when asked for (`with_total`), and the date range in it only
    when there is one (`dated`): each part left out is planning time saved on the statement's first use."""
    union = _type_union(types)
    if anchor == "article":
        return _relations_of_article(types, with_total, dated)
    if anchor == "none":
        prop, where = ("observed_at", "r.observed_at >= $lo AND r.observed_at <= $hi")
        # The hint: left alone, the planner may prefer a label scan and expand from every entity.
        branches = "\n  UNION ALL\n".join(
            f"""  MATCH (s:Entity)-[r:{t}]->(t:Entity) USING INDEX r:{t}({prop})
  WHERE {where} AND {_AFTER_REL}{_DATE_FILTERS if dated else ""}
  WITH s, r, t ORDER BY r.observed_at DESC, elementId(r) LIMIT $limit
  RETURN s, r, t"""
            for t in types
        )
        if not with_total:
            counted = "null"
        elif anchor == "none" and not dated:
            counted = " + ".join(f"COUNT {{ ()-[:{t}]->() }}" for t in types)
        else:
            counted = " + ".join(
                f"COUNT {{ MATCH ()-[r:{t}]->() WHERE r.observed_at >= $lo AND r.observed_at <= $hi "
                "AND ($until IS NULL OR r.observed_at < $until) }"
                for t in types
            )
        return f"""
CALL () {{
{branches}
}}
WITH s, r, t ORDER BY r.observed_at DESC, elementId(r) LIMIT $limit
WITH collect({rel_item(keyed=True)}) AS items
RETURN items, {counted} AS total
"""
    match = {
        "source": f"MATCH (s:Entity {{id: $source}})-[r:{union}]->(t:Entity)",
        "target": f"MATCH (s:Entity)-[r:{union}]->(t:Entity {{id: $target}})",
    }[anchor]
    return f"""
CALL () {{
  {match}
  WHERE {_AFTER_REL}{_REL_FILTERS}
  WITH s, r, t ORDER BY r.observed_at DESC, elementId(r) LIMIT $limit
  RETURN collect({rel_item(keyed=True)}) AS items
}}
RETURN items, {f"COUNT {{ {match} WHERE true{_REL_FILTERS} }}" if with_total else "null"} AS total
"""


def _relations_of_article(types: tuple[str, ...], with_total: bool, dated: bool) -> str:
    """`relations(filter: {article})`: per type, the `rel_<type>_article` index (the article's own
    assertions); HOLDS_OFFICE through the article's MENTIONS, each edge the article supports with the
    article's own sentence, date and status (`holding_map`), whether or not it is the edge's newest."""
    after = (
        "($after_id IS NULL OR at < datetime($after_at) OR (at = datetime($after_at) AND eid > $after_id))"
    )
    date_filters = (
        " AND ($since IS NULL OR at >= $since) AND ($until IS NULL OR at < $until)" if dated else ""
    )
    ends = " AND ($source IS NULL OR s.id = $source) AND ($target IS NULL OR t.id = $target)"
    branches = []
    for t in types:
        if t == "HOLDS_OFFICE":
            branches.append(
                f"""  {HOLDINGS_OF_ARTICLE.format(article="$article")}
  WITH s, r, t, e, observed, observed AS at, elementId(r) AS eid
  WHERE {after}{date_filters}{ends}
  WITH s, r, t, e, observed, at, eid ORDER BY at DESC, eid LIMIT $limit
  RETURN s, t, {holding_map("r", "$article")} AS rm, at, eid"""
            )
        else:
            branches.append(
                f"""  MATCH (s:Entity)-[r:{t}]->(t:Entity) USING INDEX r:{t}(article_id)
  WHERE r.article_id = $article AND {_AFTER_REL}{_DATE_FILTERS if dated else ""}{ends}
  WITH s, r, t ORDER BY r.observed_at DESC, elementId(r) LIMIT $limit
  RETURN s, t, r {rel_map("r")} AS rm, r.observed_at AS at, elementId(r) AS eid"""
            )
    if not with_total:
        counted = "null"
    else:
        dates = _DATE_FILTERS if dated else ""
        parts = [
            f"COUNT {{ MATCH (s)-[r:{t}]->(t) WHERE r.article_id = $article{dates}{ends} }}"
            for t in types
            if t != "HOLDS_OFFICE"
        ]
        if "HOLDS_OFFICE" in types:
            parts.append("held")
        counted = " + ".join(parts)
    held = (
        f"""
CALL () {{
  {HOLDINGS_OF_ARTICLE.format(article="$article")}
  WITH s, t, observed AS at WHERE true{date_filters}{ends}
  RETURN count(*) AS held
}}"""
        if with_total and "HOLDS_OFFICE" in types
        else ""
    )
    union = "\n  UNION ALL\n".join(branches)
    return f"""
CALL () {{
{union}
}}
WITH s, rm, t, at, eid ORDER BY at DESC, eid LIMIT $limit
WITH collect({{r: rm, s: s {entity_map("s")}, t: t {entity_map("t")}, key: [toString(at), eid]}})
  AS items{held}
RETURN items, {counted} AS total
"""


# Articles, newest first by keyset: the dated ones through the `article_published` index, then (only once
# a page runs out of dated ones) those with no date through `article_ingested`. The key is
# [0 or 1, the date, the id]; `$phase` is the cursor's phase. The total is the count store's.
ARTICLES_PAGE = f"""
CALL () {{
  WITH 1 AS one WHERE $phase = 0
  MATCH (a:Article) WHERE a.published_at <= $hi
    AND ($after_id IS NULL OR a.published_at < $hi OR a.id > $after_id)
  WITH a ORDER BY a.published_at DESC, a.id LIMIT $limit
  RETURN collect({{a: a {article_map("a")}, key: [0, toString(a.published_at), a.id]}}) AS dated
}}
CALL (dated) {{
  // Only when the dated ones run out on this page (an empty UNWIND stops the index scan from starting).
  UNWIND CASE WHEN size(dated) < $limit THEN [1] ELSE [] END AS go
  MATCH (a:Article) USING INDEX a:Article(ingested_at)
  WHERE a.ingested_at <= $hi_undated AND a.published_at IS NULL
    AND ($phase = 0 OR $after_id IS NULL OR a.ingested_at < $hi_undated OR a.id > $after_id)
  WITH a ORDER BY a.ingested_at DESC, a.id LIMIT $limit
  RETURN collect({{a: a {article_map("a")}, key: [1, toString(a.ingested_at), a.id]}}) AS undated
}}
RETURN COUNT {{ (:Article) }} AS total, (dated + undated)[..$limit] AS items
"""
JOBS_PAGE = """
CALL () { MATCH (j:IngestJob) WHERE $status IS NULL OR j.status = $status RETURN count(j) AS total }
CALL () {
  MATCH (j:IngestJob) WHERE $status IS NULL OR j.status = $status
  WITH j ORDER BY j.created_at DESC, j.id SKIP $skip LIMIT $limit
  RETURN collect(j) AS items
}
RETURN total, items
"""

# Counts come from the count store: one COUNT {} per allow-listed label and type.
STATS = (
    "RETURN {"
    + ", ".join(f"{label}: COUNT {{ (:{label}) }}" for label in (*ENTITY_TYPES, "Article", "IngestJob"))
    + "} AS labels, {"
    + ", ".join(f"{t}: COUNT {{ ()-[:{t}]->() }}" for t in SUBGRAPH_RELATION_TYPES)
    + "} AS types"
)

# ---------------------------------------------------------------------------------------------------
# A neighbourhood for the viewer: breadth-first, hop by hop (unrolled up to MAX_SUBGRAPH_DEPTH), so
# nodes nearer the centre are kept first when the node limit truncates; then every edge among them.

MAX_SUBGRAPH_DEPTH = 3

# Every expansion reads at most `$scan_cap` relationships of a node (a multiple of `limit`), so a hub with
# a hundred thousand assertions costs what any node does: the work is bounded by `limit`, not the graph.
_HOP = """
  CALL (frontier, seen) {
    UNWIND frontier AS m
    CALL (m) {
      MATCH (m)-[r]-(n) WHERE type(r) IN $types AND (n:Entity OR n:Article)
      RETURN n LIMIT $scan_cap
    }
    WITH n WHERE NOT n IN seen
    WITH DISTINCT n LIMIT $node_cap
    RETURN collect(n) AS next
  }
  WITH seen + next AS seen, next AS frontier
"""


def subgraph(depth: int) -> str:
    """The neighbourhood of the resolved centre; with `$with_article`, also the distinct articles its
    edges were read from (`articles`), so that an edge's `evidence.article` needs no second statement."""
    if not 1 <= depth <= MAX_SUBGRAPH_DEPTH:
        raise ValueError(f"depth must be between 1 and {MAX_SUBGRAPH_DEPTH}")
    return (
        _RESOLVE
        + """
WITH xs, CASE WHEN size(xs) = 1 THEN xs[0] END AS c
CALL (c) {
  WITH c WHERE c IS NOT NULL
  WITH [c] AS seen, [c] AS frontier
"""
        + _HOP * depth
        + """
  RETURN seen[..$limit] AS nodes, size(seen) > $limit AS node_truncated
}
WITH xs, coalesce(nodes, []) AS nodes, coalesce(node_truncated, false) AS node_truncated
CALL (nodes) {
  UNWIND nodes AS a
  CALL (a) {
    MATCH (a)-[r]->(b) WHERE type(r) IN $types
    RETURN r, b LIMIT $scan_cap
  }
  WITH r, a, b WHERE b IN nodes
  WITH r, a, b LIMIT $edge_cap
  RETURN collect({r: CASE WHEN $with_evidence_detail THEN r """
        + rel_map("r")
        + """
    WHEN $with_evidence THEN r """
        + rel_brief("r")
        + """
    ELSE {id: elementId(r), type: type(r)} END, source: a.id, target: b.id}) AS edges
}
CALL (edges) {
  WITH edges WHERE $with_article
  UNWIND edges AS e
  WITH DISTINCT e.r.article_id AS aid WHERE aid IS NOT NULL
  MATCH (art:Article {id: aid})
  RETURN collect(art """
        + article_map("art")
        + """) AS articles
}
RETURN """
        + _CANDIDATES
        + """, [n IN nodes | CASE WHEN $with_node_detail THEN n """
        + GRAPH_NODE_MAP
        + " ELSE n "
        + GRAPH_NODE_BRIEF
        + """ END] AS nodes, edges,
       node_truncated, articles
"""
    )
