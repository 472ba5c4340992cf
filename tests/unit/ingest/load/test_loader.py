"""The public entry points: load_path, load_text and LoadResult, on the seeds and on bad input."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from ingest.errors import (
    BinaryInput,
    EmptyInput,
    LoneSurrogate,
    NotEnglish,
    NotUtf8,
    TooLarge,
    Unreadable,
    UnsupportedFormat,
)
from ingest.load import LoadResult, load_path, load_text
from ingest.models import Article

ITALIAN = (
    "Il sindaco di Chicago ha cercato martedì di chiarire un decreto che chiedeva di perseguire gli agenti "
    "federali dell'immigrazione, dopo giorni di polemiche con l'opposizione repubblicana. Secondo il suo "
    "ufficio, il provvedimento voleva soltanto ricordare che la polizia locale non collabora con le "
    "autorità federali senza un mandato del giudice."
)
BODY = (
    "Chicago Mayor Brandon Johnson has moved to clarify a recent executive order that called for the "
    "prosecution of Immigration and Customs Enforcement agents."
)


def _only(results: list[LoadResult]) -> LoadResult:
    assert len(results) == 1
    return results[0]


def test_seeds_load_with_names_titles_and_content_hash_ids(seeds_dir: Path) -> None:
    expected = {
        "000_9783608efdbeb351": None,
        "001_c000532f649bbec3": "Soros-backed Philadelphia DA vows to 'hunt' down ICE agents",
        "002_5b07aaa5b5e44678": "Chicago Mayor Seeks to Clarify Order on ICE Prosecutions",
    }
    for name, title in expected.items():
        result = _only(load_path(seeds_dir / f"{name}.txt"))
        article = result.article
        assert article is not None, result.error
        assert result.origin == str(seeds_dir / f"{name}.txt")
        assert article.name == name
        assert article.title == title
        assert article.id == Article.content_hash(article.text, title)
        assert article.source is None and article.url is None and article.published_at is None


def test_seed_texts_are_clean_for_extraction(seeds_dir: Path) -> None:
    articles = {p.stem[:3]: _only(load_path(p)).article for p in sorted(seeds_dir.glob("*.txt"))}
    texts = {key: article.text for key, article in articles.items() if article is not None}
    assert len(texts) == 3
    assert "on Dr. Phil. 'I've buried Border Patrol agents" in texts["000"]
    assert "(File)" not in texts["001"]
    assert "Netanyahu" not in texts["002"]
    assert not texts["001"].startswith("Soros-backed")  # the title is not repeated in the body
    assert all(not set("‘’“”«»") & set(text) for text in texts.values())


def test_loading_is_deterministic(seeds_dir: Path) -> None:
    path = seeds_dir / "000_9783608efdbeb351.txt"
    assert _only(load_path(path)).article == _only(load_path(path)).article


def test_markdown_file_takes_its_heading_as_title(tmp_path: Path) -> None:
    path = tmp_path / "story.md"
    path.write_text(
        "# Johnson Clarifies **ICE** Order\n\n"
        "[Mayor Brandon Johnson](https://example.com/j) moved to _clarify_ a recent executive order.\n",
        encoding="utf-8",
    )
    article = _only(load_path(path)).article
    assert article is not None
    assert article.title == "Johnson Clarifies ICE Order"
    assert article.text == "Mayor Brandon Johnson moved to clarify a recent executive order."


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    result = _only(load_path(path))
    assert isinstance(result.error, EmptyInput) and str(result.error) == "file is empty"
    assert result.article is None and not result.ok


def test_whitespace_only_file(tmp_path: Path) -> None:
    path = tmp_path / "blank.md"
    path.write_text(" \n\n\t \n", encoding="utf-8")
    assert isinstance(_only(load_path(path)).error, EmptyInput)


def test_file_with_only_page_furniture_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "furniture.txt"
    path.write_text(
        "Advertisement\nShare this article\n« Trump Calls for Netanyahu Pardon\n", encoding="utf-8"
    )
    error = _only(load_path(path)).error
    assert isinstance(error, EmptyInput) and "page furniture" in str(error)


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    assert isinstance(_only(load_path(path)).error, BinaryInput)


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes(b"\xff\xfe caf\xe9")
    error = _only(load_path(path)).error
    assert isinstance(error, NotUtf8) and error.offset == 0


def test_oversized_file_is_refused_with_the_limit_named(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text(BODY + "\n" + "More words follow here. " * 100, encoding="utf-8")
    error = _only(load_path(path, max_bytes=1_000)).error
    assert isinstance(error, TooLarge)
    assert error.limit == 1_000 and error.size == path.stat().st_size
    assert f"article is {error.size:,} bytes; the limit is 1,000 (KG_MAX_ARTICLE_BYTES)" == str(error)


def test_html_page_gets_a_larger_file_allowance_but_its_text_does_not(data_dir: Path) -> None:
    page = data_dir / "article.html"
    size = page.stat().st_size
    assert _only(load_path(page, max_bytes=size)).ok
    error = _only(load_path(page, max_bytes=size // 20)).error
    assert (
        isinstance(error, TooLarge)
        and "HTML page" in str(error)
        and "10 × KG_MAX_ARTICLE_BYTES" in str(error)
    )
    text_error = _only(load_path(page, max_bytes=size // 3)).error
    assert isinstance(text_error, TooLarge) and str(text_error).startswith("article is")


def test_non_english_file(tmp_path: Path) -> None:
    path = tmp_path / "italiano.txt"
    path.write_text(ITALIAN, encoding="utf-8")
    error = _only(load_path(path)).error
    assert isinstance(error, NotEnglish) and error.lang == "it"


def test_unsupported_suffix(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.7")
    error = _only(load_path(path)).error
    assert isinstance(error, UnsupportedFormat) and error.code == "unsupported"
    assert "'.pdf' files are not supported" in str(error) and ".jsonl" in str(error)


def test_missing_file(tmp_path: Path) -> None:
    error = _only(load_path(tmp_path / "nope.txt")).error
    assert isinstance(error, Unreadable) and "nope.txt" in str(error)


def test_load_text_applies_the_same_normalisation_and_hash() -> None:
    article = load_text(
        "Krasner’s remarks on Dr.\nPhil.\n\nPhiladelphia District Attorney Larry Krasner (File).\n" + BODY,
        title="Krasner’s  Remarks",
        url=" https://example.com/k ",
        source="Example News",
        published_at=datetime(2025, 1, 31),
        name="api-1",
    )
    assert article.text == "Krasner's remarks on Dr. Phil.\n\n" + BODY
    assert article.title == "Krasner's Remarks"
    assert article.id == Article.content_hash(article.text, "Krasner's Remarks")
    assert (article.url, article.source, article.name) == ("https://example.com/k", "Example News", "api-1")


def test_load_text_and_a_file_with_the_same_content_share_an_id(tmp_path: Path) -> None:
    path = tmp_path / "same.txt"
    path.write_text("Chicago Mayor Seeks to Clarify Order\n" + BODY, encoding="utf-8")
    from_file = _only(load_path(path)).article
    assert from_file is not None
    assert load_text(BODY, title="Chicago Mayor Seeks to Clarify Order").id == from_file.id


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", EmptyInput),
        ("   ", EmptyInput),
        ("a\x00b", BinaryInput),
        ("x \ud800", LoneSurrogate),
        (ITALIAN, NotEnglish),
    ],
)
def test_load_text_raises_ingest_errors(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        load_text(text)


def test_load_text_size_limit() -> None:
    with pytest.raises(TooLarge, match="article is 2,001 bytes; the limit is 2,000"):
        load_text("a" * 2_001, max_bytes=2_000)


def test_load_result_holds_exactly_one_of_article_or_error() -> None:
    with pytest.raises(ValueError):
        LoadResult("x")
    with pytest.raises(ValueError):
        LoadResult("x", article=load_text(BODY), error=EmptyInput())
