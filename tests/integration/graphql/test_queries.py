"""The read side of the API over a small graph: search, look-ups, relations, subgraph, articles, stats."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from kg_fixture import Api, KrasnerGraph

pytestmark = pytest.mark.integration


async def test_search_finds_partial_names(api: Api, kg: KrasnerGraph) -> None:
    q = (
        "query($t: String!, $types: [EntityType!]) { search(text: $t, types: $types, first: 50) {"
        " totalCount nodes { id name type } } }"
    )
    hits = (await api.data(q, {"t": f"Krasner{kg.tok}"[:-2]}))["search"]["nodes"]  # a prefix of the name
    assert kg.ids["krasner"] in [h["id"] for h in hits]
    misspelt = (await api.data(q, {"t": f"Krasnr{kg.tok}"}))["search"]["nodes"]
    assert kg.ids["krasner"] in [h["id"] for h in misspelt]
    bills = (await api.data(q, {"t": f"ICE OUT{kg.tok}", "types": ["BILL"]}))["search"]["nodes"]
    assert [h["id"] for h in bills] == [kg.ids["ice-out"]]
    # Lucene syntax in the text is taken literally, not as an operator.
    odd = await api.gql('{ search(text: "Krasner AND (* OR ~") { totalCount } }')
    assert "errors" not in odd


async def test_entity_types_expose_their_own_fields(api: Api, kg: KrasnerGraph) -> None:
    q = """query($p: ID!, $b: ID!, $o: ID!, $e: ID!, $org: ID!) {
      p: entity(id: $p) { name aliases ... on Person { surname offices { name } } }
      b: entity(id: $b) { ... on Bill { kind sponsors { name } supporters { name } opponents { name } } }
      o: entity(id: $o) { ... on Office { title jurisdiction holders { name } } }
      e: entity(id: $e) { ... on Event { date kind participants { name } } }
      org: entity(id: $org) { ... on Organization { kind acronym } }
    }"""
    ids = kg.ids
    d = await api.data(
        q, {"p": ids["krasner"], "b": ids["ice-out"], "o": ids["da"], "e": ids["rally"], "org": ids["ice"]}
    )
    assert d["p"]["offices"] == [{"name": kg.name("District Attorney of Philadelphia")}]
    assert kg.name("Krasner") in d["p"]["aliases"]
    assert [s["name"] for s in d["b"]["sponsors"]] == [kg.name("Kendra Brooks"), kg.name("Rue Landau")]
    assert kg.name("Larry Krasner") in [s["name"] for s in d["b"]["supporters"]]
    assert [s["name"] for s in d["b"]["opponents"]] == [kg.name("Jarrett Coleman")]
    assert d["o"]["holders"] == [{"name": kg.name("Larry Krasner")}]
    assert d["e"] == {
        "date": "2025-06-01",
        "kind": "rally",
        "participants": [{"name": kg.name("Larry Krasner")}],
    }
    assert d["org"] == {"kind": "agency", "acronym": "ICE"}


async def test_person_by_name_or_alias_and_relations_and_mentions(api: Api, kg: KrasnerGraph) -> None:
    q = """query($n: String!) { person(name: $n) { id
        relations(types: [CRITICIZED], direction: IN) {
          totalCount nodes { source { name } evidence { quote } } }
        out: relations(direction: OUT, first: 1) { totalCount pageInfo { hasNextPage } }
        mentions { totalCount nodes { count article { title } } } } }"""
    p = (await api.data(q, {"n": f"krasner{kg.tok}"}))["person"]
    assert p["id"] == kg.ids["krasner"]
    assert p["relations"]["totalCount"] == 1
    assert p["relations"]["nodes"][0]["source"]["name"] == kg.name("Todd Lyons")
    assert p["out"]["totalCount"] == 4 and p["out"]["pageInfo"]["hasNextPage"] is True
    assert p["mentions"]["totalCount"] == 2
    assert (await api.data(f'{{ person(name: "Nobody{kg.tok}") {{ id }} }}'))["person"] is None


async def test_node_fetches_any_global_id(api: Api, kg: KrasnerGraph) -> None:
    q = "query($id: ID!) { node(id: $id) { id __typename ... on Relation { type source { id } } } }"
    assert (await api.data(q, {"id": kg.ids["lyons"]}))["node"]["__typename"] == "Person"
    assert (await api.data(q, {"id": kg.articles[0]}))["node"]["__typename"] == "Article"
    rel = (
        await api.data(
            "query($a: ID!) { article(id: $a) { assertions(types: [CRITICIZED]) { id } } }",
            {"a": kg.articles[0]},
        )
    )["article"]["assertions"][0]["id"]
    node = (await api.data(q, {"id": rel}))["node"]
    assert node["__typename"] == "Relation" and node["type"] == "CRITICIZED"
    assert (await api.data(q, {"id": "person:nobody-" + kg.tok}))["node"] is None


async def test_relations_filter(api: Api, kg: KrasnerGraph) -> None:
    q = """query($f: RelationFilter) { relations(filter: $f) { totalCount
        nodes { type source { id } target { id } evidence { article { id } } } } }"""
    by_article = (await api.data(q, {"f": {"articleId": kg.articles[1], "types": ["SPONSORED"]}}))[
        "relations"
    ]
    assert by_article["totalCount"] == 2
    assert {n["source"]["id"] for n in by_article["nodes"]} == {kg.ids["brooks"], kg.ids["landau"]}
    to_bill = (await api.data(q, {"f": {"target": kg.ids["ice-out"], "types": ["CRITICIZED"]}}))["relations"]
    assert [n["source"]["id"] for n in to_bill["nodes"]] == [kg.ids["coleman"]]
    one_sponsor = await api.data(
        q, {"f": {"articleId": kg.articles[1], "source": kg.ids["brooks"], "types": ["SPONSORED"]}}
    )
    assert one_sponsor["relations"]["totalCount"] == 1  # the article and the source, not either
    assert [n["source"]["id"] for n in one_sponsor["relations"]["nodes"]] == [kg.ids["brooks"]]
    elsewhere = await api.data(q, {"f": {"articleId": kg.articles[0], "source": kg.ids["brooks"]}})
    assert elsewhere["relations"]["totalCount"] == 0 and elsewhere["relations"]["nodes"] == []
    by_name = await api.data(q, {"f": {"source": f"Todd Lyons{kg.tok}", "until": "2025-06-02T00:00:00Z"}})
    assert {n["type"] for n in by_name["relations"]["nodes"]} == {"CRITICIZED", "HOLDS_OFFICE"}


async def test_subgraph_is_viewer_ready(api: Api, kg: KrasnerGraph) -> None:
    q = """query($c: String!, $d: Int!, $l: Int!, $a: Boolean!) {
      subgraph(center: $c, depth: $d, limit: $l, includeArticles: $a) { center truncated
        nodes { id type label properties } edges { id source target type evidence { sentence } } } }"""
    one = (await api.data(q, {"c": kg.name("Krasner"), "d": 1, "l": 100, "a": False}))["subgraph"]
    ids = {n["id"] for n in one["nodes"]}
    assert one["center"] == kg.ids["krasner"] and kg.ids["krasner"] in ids
    assert {kg.ids["lyons"], kg.ids["da"], kg.ids["ice-out"], kg.ids["rally"]} <= ids
    assert kg.ids["brooks"] not in ids  # two hops away
    assert all(e["source"] in ids and e["target"] in ids for e in one["edges"])
    assert one["truncated"] is False
    office = next(n for n in one["nodes"] if n["id"] == kg.ids["da"])
    assert office["type"] == "Office" and office["properties"]["jurisdiction"] == kg.name("Philadelphia")
    two = (await api.data(q, {"c": kg.ids["krasner"], "d": 2, "l": 100, "a": False}))["subgraph"]
    assert {kg.ids["brooks"], kg.ids["landau"], kg.ids["johnson"]} <= {n["id"] for n in two["nodes"]}
    small = (await api.data(q, {"c": kg.ids["krasner"], "d": 2, "l": 3, "a": False}))["subgraph"]
    assert len(small["nodes"]) == 3 and small["truncated"] is True
    assert small["nodes"][0]["id"] == kg.ids["krasner"]  # nearest first
    with_articles = (await api.data(q, {"c": kg.ids["krasner"], "d": 1, "l": 100, "a": True}))["subgraph"]
    assert {"Article"} <= {n["type"] for n in with_articles["nodes"]}
    assert any(e["type"] == "MENTIONS" and e["evidence"] is None for e in with_articles["edges"])
    too_deep = await api.gql('{ subgraph(center: "x", depth: 4) { truncated } }')
    assert "depth must be between 1 and 3" in too_deep["errors"][0]["message"]
    too_big = await api.gql('{ subgraph(center: "x", limit: 501) { truncated } }')
    assert "limit must be between 1 and 500" in too_big["errors"][0]["message"]


async def test_subgraph_of_an_unknown_centre_says_nothing_matches(api: Api, kg: KrasnerGraph) -> None:
    body = await api.gql(
        "query($c: String!) { subgraph(center: $c) { truncated } }", {"c": "nobody-" + kg.tok}
    )
    assert body["data"] is None
    assert [e["message"] for e in body["errors"]] == [f"no entity matches 'nobody-{kg.tok}'"]
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_articles_and_an_article_with_its_assertions(api: Api, kg: KrasnerGraph) -> None:
    q = """query($id: ID!) { article(id: $id) { title url publishedAt mentions { count entity { id } }
        assertions { type source { id } target { id }
          evidence { sentence charStart charEnd confidence } } } }"""
    a = (await api.data(q, {"id": kg.articles[0]}))["article"]
    assert a["title"] == f"ICE chief hits back at Krasner {kg.tok}"
    assert len(a["assertions"]) == 6
    assert {m["entity"]["id"] for m in a["mentions"]} >= {kg.ids["krasner"], kg.ids["lyons"]}
    listing = (await api.data("{ articles(first: 100) { totalCount nodes { id } } }"))["articles"]
    assert set(kg.articles) <= {n["id"] for n in listing["nodes"]} and listing["totalCount"] >= 2


async def test_stats_counts_labels_and_types(api: Api, kg: KrasnerGraph) -> None:
    s = await api.data(
        "{ stats { entities assertions labels { label count } relationshipTypes { type count } } }"
    )
    labels = {c["label"]: c["count"] for c in s["stats"]["labels"]}
    types = {c["type"]: c["count"] for c in s["stats"]["relationshipTypes"]}
    assert labels["Person"] >= 7 and labels["Bill"] >= 1 and labels["Article"] >= 2
    assert types["SPONSORED"] >= 2 and types["MENTIONS"] >= 9
    assert s["stats"]["entities"] >= 17


async def test_ingest_jobs_report_progress(api: Api, kg: KrasnerGraph, clean_graph, settings) -> None:
    job_id = f"job-{kg.tok}"
    await clean_graph.execute_query(
        "CREATE (j:IngestJob) SET j = $p",
        p={
            "id": job_id,
            "status": "succeeded",
            "created_at": datetime.now(UTC),
            "total": 2,
            "processed": 2,
            "ingested": 1,
            "unchanged": 0,
            "failed": 1,
            "entities_written": 5,
            "relations_written": 7,
            "errors": json.dumps([{"origin": "b.txt", "code": "empty", "message": "no text"}]),
            "article_ids": [kg.articles[0]],
        },
        database_=settings.neo4j_database,
    )
    q = (
        "query($id: ID!) { ingestJob(id: $id) {"
        " status total failed errors { origin message } articles { id } } }"
    )
    job = (await api.data(q, {"id": job_id}))["ingestJob"]
    assert job == {
        "status": "SUCCEEDED",
        "total": 2,
        "failed": 1,
        "errors": [{"origin": "b.txt", "message": "no text"}],
        "articles": [{"id": kg.articles[0]}],
    }
    jobs = (await api.data("{ ingestJobs(status: SUCCEEDED, first: 100) { nodes { id } } }"))["ingestJobs"]
    assert job_id in {n["id"] for n in jobs["nodes"]}


async def test_a_reextract_job_reports_its_kind_and_counts(
    api: Api, kg: KrasnerGraph, clean_graph, settings
) -> None:
    job_id = f"job-rx-{kg.tok}"
    await clean_graph.execute_query(
        "CREATE (j:IngestJob) SET j = $p",
        p={
            "id": job_id,
            "kind": "reextract",
            "status": "succeeded",
            "created_at": datetime.now(UTC),
            "total": 3,
            "processed": 3,
            "reextracted": 2,
            "unchanged": 1,
            "skipped": 4,
            "article_ids": [kg.articles[0]],
        },
        database_=settings.neo4j_database,
    )
    q = "query($id: ID!) { ingestJob(id: $id) { kind reextracted unchanged ingested skipped } }"
    job = (await api.data(q, {"id": job_id}))["ingestJob"]
    assert job == {"kind": "REEXTRACT", "reextracted": 2, "unchanged": 1, "ingested": 0, "skipped": 4}


async def test_an_articles_text_is_read_only_when_asked_for_in_one_query(
    api: Api, kg: KrasnerGraph, clean_graph, settings
) -> None:
    text = f"Lyons hit back at Krasner {kg.tok}."
    await clean_graph.execute_query(
        "MATCH (a:Article {id: $id}) SET a.text = $text, a.extractor_version = '0.1.0'",
        id=kg.articles[0],
        text=text,
        database_=settings.neo4j_database,
    )
    queries = api.count_queries()
    listing = await api.data("{ articles(first: 100) { nodes { id extractor extractorVersion text } } }")
    by_id = {n["id"]: n for n in listing["articles"]["nodes"]}
    assert by_id[kg.articles[0]] == {
        "id": kg.articles[0],
        "extractor": "fixture/1",
        "extractorVersion": "0.1.0",
        "text": text,
    }
    assert by_id[kg.articles[1]]["text"] is None  # stored before texts were kept
    assert len(queries) == 2  # the page, then every article's text at once
    queries.clear()
    await api.data("{ articles(first: 100) { nodes { id title } } }")
    assert len(queries) == 1 and ".text" not in queries[0]
