"""The person look-up's pure parts: the full-text queries it sends, and the graph as a write leaves it."""

from __future__ import annotations

from app.ingest_service import PERSON_RULES
from graph.resolver import (
    PHRASES_PER_QUERY,
    OfficeRecord,
    PersonRecord,
    Resolution,
    given_key,
    given_keys_wanted,
    lookup_params,
    office_key,
    office_lookup,
    phrase_queries,
    plan_absorptions,
)
from ingest.resolve import OfficeRef, given_names_compatible


def test_phrases_are_quoted_escaped_and_chunked_under_lucenes_clause_limit() -> None:
    assert phrase_queries(['larry "the da" krasner', "o'brien pat"]) == [
        '"larry \\"the da\\" krasner" OR "o\'brien pat"'
    ]
    assert phrase_queries(["--", "   "]) == []  # nothing to look for
    many = phrase_queries(f"name{i} x" for i in range(PHRASES_PER_QUERY * 2 + 1))
    assert len(many) == 3 and many[0].count(" OR ") == PHRASES_PER_QUERY - 1


def test_people_after_write_mirror_what_the_writer_sets() -> None:
    mayor = OfficeRecord("office:mayor", "Mayor", "Chicago")
    council = OfficeRecord("office:council", "Member", "Council")
    node = PersonRecord("person:brandon-johnson", "Brandon Johnson", ("Brandon Johnson",), (mayor,))
    other = PersonRecord("person:mike-johnson", "Mike Johnson", ("Mike Johnson",))
    mention = PersonRecord("person:b-johnson", "B. Johnson", ("Johnson",), (mayor, council), "male")
    new = PersonRecord("person:johnson", "Johnson", (), (council,))
    resolution = Resolution(
        ids={"person:b-johnson": "person:brandon-johnson", "person:johnson": "person:johnson"},
        mentions=(mention, new),
        candidates=(node, other),
    )
    after = {p.id: p for p in resolution.people_after_write()}
    assert after["person:mike-johnson"] == other
    merged = after["person:brandon-johnson"]
    assert merged.name == "Brandon Johnson"  # an existing node keeps its name
    assert merged.aliases == ("Brandon Johnson", "B. Johnson", "Johnson")
    assert merged.offices == (mayor, council) and merged.gender == "male"
    assert after["person:johnson"] == PersonRecord("person:johnson", "Johnson", ("Johnson",), (council,))


NAMES = [
    "Michael Johnson",
    "Mike Johnson",
    "M. Johnson",
    "Mayor Brandon Johnson",
    "B. Johnson",
    "Bill Johnson",
    "William Johnson",
    "Will Johnson",
    "Robert Johnson",
    "Bob Johnson",
    "Bert Johnson",
    "Ted Johnson",
    "Edward Johnson",
    "Theodore Johnson",
    "Alex Johnson",
    "Sandra Johnson",
    "Alexandra Johnson",
    "Sen. Ann Johnson Jr.",
    "Zed Johnson",
    "Z Johnson",
]


def test_a_full_names_lookup_keys_cover_every_given_name_the_rules_accept() -> None:
    assert given_key("Mayor Brandon Johnson") == "brandon"
    assert given_key("D. Trump") == "d"
    assert given_key("Johnson") == "" and given_key("Mayor Johnson") == ""
    for a in NAMES:
        keys, initial = given_keys_wanted(a)
        for b in NAMES:
            if given_names_compatible(given_key(a), given_key(b)):
                found = given_key(b) in keys or (initial is not None and given_key(b).startswith(initial))
                assert found, (a, b, keys, initial)
    # and the keys are much fewer than the surname's given names
    assert len(given_keys_wanted("Zed Johnson")[0]) == 2


OFFICE_REFS = [
    OfficeRef("o1", "Mayor", "Chicago"),
    OfficeRef("o2", "mayor", "the Chicago"),
    OfficeRef("o3", "Mayor", None),
    OfficeRef("o4", "Mayor", "New York"),
    OfficeRef("o5", "Mayor", "York"),
    OfficeRef("o6", "Council President", "City Council"),
    OfficeRef("o7", "Council President", "Philadelphia City Council"),
    OfficeRef("o8", "Council President", "Council"),
    OfficeRef("o9", "Council President", "Chicago City Council"),
    OfficeRef("o10", None, None),
    OfficeRef("o11", "Speaker", ""),
    OfficeRef("o12", "Speaker", "House"),
    OfficeRef("o13", "Speaker", "State House of Representatives"),
]


def test_an_offices_lookup_keys_reach_every_office_the_rules_call_compatible() -> None:
    for a in OFFICE_REFS:
        keys, prefix = office_lookup(a.title, a.jurisdiction)
        for b in OFFICE_REFS:
            if a.id == b.id or not a.compatible(b):
                continue
            key = office_key(b.title, b.jurisdiction)
            assert key is not None, (a, b)
            assert key in keys or (prefix is not None and key.startswith(prefix)), (a, b, keys, prefix)
    # An office with a named jurisdiction lists a few keys; one without asks for its whole title.
    assert office_lookup("Mayor", "Chicago") == (["mayor|", "mayor|chicago"], None)
    assert office_lookup("Council President", "Philadelphia City Council")[0] == [
        "council president|",
        "council president|city council",
        "council president|council",
        "council president|philadelphia city council",
    ]
    assert office_lookup("Speaker", None) == ([], "speaker|")
    assert office_lookup(None, "Chicago") == ([], None)


def test_lookup_parameters_sort_an_articles_people_by_what_decides_them() -> None:
    mayor = OfficeRecord("office:mayor-of-chicago", "Mayor", "Chicago")
    params = lookup_params(
        [
            PersonRecord("person:brandon-johnson", "Brandon Johnson", ("Mayor Brandon Johnson",)),
            PersonRecord("person:d-trump", "D. Trump"),
            PersonRecord("person:johnson", "Johnson", (), (mayor,), "male"),
        ],
        PERSON_RULES,
    )
    assert params["surnames"] == ["johnson", "trump"]
    assert params["named"] == [{"surname": "johnson", "given": ["b", "brandon"]}]
    assert params["initialled"] == [{"surname": "trump", "initial": "d"}]
    assert params["bare"] == [
        {
            "surname": "johnson",
            "gender": "male",
            "keys": ["mayor|", "mayor|chicago"],
            "prefixes": [],
            "offices": ["office:mayor-of-chicago"],
        }
    ]
    # Raw surfaces for the exact alias check, and the rules' folded ones for the phrase look-up.
    assert params["surfaces"] == ["brandon johnson", "d. trump", "mayor brandon johnson"]
    assert '"brandon johnson"' in params["phrases"][0] and '"d trump"' in params["phrases"][0]


def test_which_bare_node_a_person_absorbs_does_not_depend_on_the_order_people_are_read_in() -> None:
    # Ann Lee holds nothing, so the first bare Lee she absorbs gives her its office, and then the second
    # bare Lee (another office) is no longer hers. The database returns the two in any order.
    mayor = OfficeRecord("office:mayor-of-chicago", "Mayor", "Chicago")
    sheriff = OfficeRecord("office:sheriff-of-cook", "Sheriff", "Cook")
    ann = PersonRecord("person:ann-lee", "Ann Lee")
    lee = PersonRecord("person:lee", "Lee", ("Lee",), (mayor,))
    lee_sheriff = PersonRecord("person:lee--sheriff-of-cook", "Lee", ("Lee",), (sheriff,))
    written = {"person:ann-lee": "lee"}
    plans = [
        plan_absorptions(written, PERSON_RULES, people)
        for people in ([ann, lee, lee_sheriff], [lee_sheriff, ann, lee], [ann, lee_sheriff, lee])
    ]
    assert len(plans[0]) == 1 and plans[0][0].bare == "person:lee"
    assert plans[1] == plans[0] and plans[2] == plans[0]
