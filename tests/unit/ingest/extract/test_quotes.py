"""Quote attribution in the mention graph: "'...,' Lyons stated", "said X", "X said: '...'".
What the extracted relations look like is in tests/data/extraction_cases.jsonl."""

from __future__ import annotations

from ingest.extract.mentions import get_graph


def speakers(extractor, text):
    doc = extractor.nlp(text)
    graph = get_graph(doc)
    return [(q.span.text.strip(" ,."), [graph.entities[k].name for k in q.speakers]) for q in graph.quotes]


def test_said_after_the_quote_with_title(extractor):
    got = speakers(extractor, "'This is reckless and dangerous,' said Speaker Mike Johnson.")
    assert got == [("This is reckless and dangerous", ["Mike Johnson"])]


def test_name_then_verb_after_the_quote(extractor):
    text = (
        "Acting ICE Director Todd Lyons responded. 'Any time you pit law enforcement officers against law "
        "enforcement officers, it makes nobody safe,' Lyons stated on Fox News."
    )
    assert speakers(extractor, text)[0][1] == ["Todd Lyons"]


def test_speaker_before_the_quote(extractor):
    text = 'Governor Gavin Newsom said: "We will not be intimidated by these threats."'
    assert speakers(extractor, text) == [("We will not be intimidated by these threats", ["Gavin Newsom"])]


def test_plural_possessive_apostrophe_is_not_a_quote(extractor):
    text = "The rules limit agents' access to public facilities without warrants."
    assert speakers(extractor, text) == []


def test_quoted_phrase_in_the_next_sentence_is_not_attributed_forward(extractor):
    text = (
        'Johnson accused Trump of waging a "war on Chicago." He has further claimed that the policy failed.'
    )
    assert all(not who for _, who in speakers(extractor, text))
