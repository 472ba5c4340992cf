"""An article's headline is read with its text (ingest/extract/__init__.py): the loader keeps the two
apart, the extractor reads both, and every offset still counts from the stored text."""

from ingest.extract import Extractor
from ingest.models import Article

TITLE = "Detroit Mayor Ann Carver Backs Ruiz for Council Seat"
TEXT = (
    "Carver told reporters on Monday that she had never endorsed a council candidate before.\n"
    "Councilman Tom Webb criticized Carver for the endorsement."
)


def _article(title: str | None) -> Article:
    return Article(id=Article.content_hash(TEXT, title), text=TEXT, title=title, name="carver")


def _triples(delta) -> set[tuple[str, str, str]]:
    names = {e.id: e.name for e in delta.entities}
    return {(r.type, names[r.source], names[r.target]) for r in delta.relations}


def test_the_headline_gives_what_only_it_says(extractor: Extractor) -> None:
    with_title = _triples(extractor.extract(_article(TITLE)))
    without = _triples(extractor.extract(_article(None)))
    assert ("HOLDS_OFFICE", "Ann Carver", "Mayor of Detroit") in with_title
    assert ("HOLDS_OFFICE", "Ann Carver", "Mayor of Detroit") not in without


def test_offsets_count_from_the_text_and_headline_evidence_has_none(extractor: Extractor) -> None:
    delta = extractor.extract(_article(TITLE))
    in_text = [r for r in delta.relations if r.evidence in TEXT]
    in_title = [r for r in delta.relations if r.evidence == TITLE]
    assert in_text and in_title
    for r in in_text:
        assert TEXT[r.char_start : r.char_end] == r.evidence
    assert all((r.char_start, r.char_end) == (0, 0) for r in in_title)


def test_extract_many_reads_the_headline_as_extract_does(extractor: Extractor) -> None:
    one = extractor.extract(_article(TITLE))
    (many,) = extractor.extract_many([_article(TITLE)])
    assert many == one
