"""valence(): VADER's score, with the stance lexicon's words of political argument added."""

from ingest.extract.lexicons import load_lexicons
from ingest.extract.valence import valence


def test_political_words_missing_from_vader_get_their_lexicon_sign() -> None:
    assert valence("The governor's remarks were un-American.") < -0.2
    assert valence("It was grandstanding, pure and simple.") < -0.2
    assert valence("a bipartisan, fiscally prudent budget") > 0.2


def test_negation_still_applies_to_added_words() -> None:
    assert valence("The plan is not a sham.") > valence("The plan is a sham.")


def test_every_added_word_is_one_lowercase_token_on_vaders_scale() -> None:
    words = load_lexicons().stance["valence_words"]
    scored = {w: s for w, s in words.items() if not w.startswith("_")}
    assert scored
    for word, score in scored.items():
        assert word == word.lower() and " " not in word, word
        assert -4.0 <= score <= 4.0 and score != 0, word


def test_text_without_scored_words_is_neutral() -> None:
    assert valence("The council met on Tuesday at the city hall.") == 0.0
