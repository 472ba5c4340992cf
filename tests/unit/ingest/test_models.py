from __future__ import annotations

from ingest.models import Article, GraphDelta, entity_id


def _article(text: str, title: str | None = None) -> Article:
    return Article(id=Article.content_hash(text, title), text=text, title=title)


def test_display_title_is_the_headline_when_there_is_one() -> None:
    assert _article("Body text.", "Mayor Vetoes Budget").display_title == "Mayor Vetoes Budget"


def test_display_title_falls_back_to_the_opening_words_cut_at_a_word() -> None:
    text = (
        "The simmering tensions between local officials and federal immigration enforcement agencies "
        "reached a boiling point this week. More follows."
    )
    title = _article(text).display_title
    assert title.startswith("The simmering tensions between local officials")
    assert title.endswith("…") and len(title) <= 91
    assert not title[:-1].endswith(" ")


def test_short_first_sentence_is_used_whole() -> None:
    assert _article("Council passes budget. Details follow.").display_title == "Council passes budget."


def test_entity_ids_are_readable_and_ascii() -> None:
    assert entity_id("Person", "Larry Krasner") == "person:larry-krasner"
    assert entity_id("Person", "José Ñúñez") == "person:jose-nunez"


def test_content_hash_changes_with_text_and_title() -> None:
    base = Article.content_hash("a", "t")
    assert base != Article.content_hash("b", "t") and base != Article.content_hash("a", "u")


def test_delta_contract_shape() -> None:
    delta = GraphDelta(id="x")
    assert delta.to_contract() == {"id": "x", "entities": [], "relations": []}
