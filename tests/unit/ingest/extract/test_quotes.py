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


def test_a_relative_clause_speaker_is_the_one_it_describes(extractor):
    text = 'It was echoed by member Marvin Lowe, who said, "These books have no place in our libraries."'
    assert speakers(extractor, text) == [("These books have no place in our libraries", ["Marvin Lowe"])]


def test_a_speech_verb_a_few_words_before_the_quote(extractor):
    text = 'Councilman Dan Valdez said in his statement on Friday, "The budget wastes our money."'
    assert speakers(extractor, text) == [("The budget wastes our money", ["Dan Valdez"])]


def test_the_following_statement_makes_its_issuer_the_speaker(extractor):
    text = 'The Riverton Teachers Union released the following statement:\n\n"The cuts will hurt classrooms."'
    assert speakers(extractor, text) == [("The cuts will hurt classrooms", ["Riverton Teachers Union"])]


def test_a_line_naming_someone_gives_the_quote_under_it_its_speaker(extractor):
    text = 'Reactions\n\nSenate Minority Leader Chris Larkin, D-Milwaukee\n\n"There is no plan here."'
    assert speakers(extractor, text) == [("There is no plan here", ["Chris Larkin"])]


def test_a_line_with_a_verb_is_no_speaker_line(extractor):
    text = 'Budget reactions\n\nSenator Chris Larkin spoke first\n\n"There is no long-term plan here."'
    assert speakers(extractor, text) == [("There is no long-term plan here", [])]
