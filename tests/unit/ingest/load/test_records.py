"""JSON and JSON Lines: records load one by one, and a bad record fails alone, with its number."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from ingest.errors import InvalidField, InvalidJson, InvalidRecord, MissingField
from ingest.load import load_path
from ingest.models import Article

BODY_A = "Mayor Brandon Johnson moved on Friday to clarify an executive order on federal immigration agents."
BODY_B = "Acting ICE Director Todd Lyons accused District Attorney Larry Krasner of fostering division."
BODY_C = "Sheriff Rochelle Bilal also launched strong criticism against federal immigration agents."


def _write(path: Path, content: object) -> Path:
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


def test_json_record_missing_text_fails_alone(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "batch.json",
        [
            {"title": "Johnson Clarifies Order", "text": BODY_A, "url": "https://example.com/a"},
            {"title": "No body here", "url": "https://example.com/b"},
            {"text": BODY_C, "source": "Example News"},
        ],
    )
    first, second, third = load_path(path)
    assert first.article is not None and first.article.text == BODY_A
    assert first.article.title == "Johnson Clarifies Order"
    assert first.article.url == "https://example.com/a"
    assert isinstance(second.error, MissingField)
    assert second.origin == f"{path}#2"
    assert second.error.field == "text" and second.error.record_no == 2
    assert "record #2" in str(second.error) and "'text'" in str(second.error)
    assert third.article is not None and third.article.source == "Example News"


def test_empty_text_is_a_missing_field_too(tmp_path: Path) -> None:
    (result,) = load_path(_write(tmp_path / "one.json", [{"text": "   "}]))
    assert isinstance(result.error, MissingField)
    assert "empty 'text'" in str(result.error)


def test_record_names_use_id_or_stem_and_number(tmp_path: Path) -> None:
    path = _write(tmp_path / "feed.json", [{"id": "krasner-ice", "text": BODY_B}, {"text": BODY_A}])
    named, numbered = load_path(path)
    assert named.article is not None and named.article.name == "krasner-ice"
    assert numbered.article is not None and numbered.article.name == "feed-2"


def test_single_object_json_is_named_after_the_file(tmp_path: Path) -> None:
    (result,) = load_path(_write(tmp_path / "000_abc.json", {"text": BODY_A, "title": "A Title"}))
    assert result.origin == str(tmp_path / "000_abc.json")
    assert result.article is not None and result.article.name == "000_abc"
    assert result.article.id == Article.content_hash(BODY_A, "A Title")


def test_published_at_is_parsed_as_iso_8601(tmp_path: Path) -> None:
    (result,) = load_path(
        _write(tmp_path / "d.json", [{"text": BODY_A, "published_at": "2025-01-31T14:30:00Z"}])
    )
    assert result.article is not None
    assert result.article.published_at == datetime(2025, 1, 31, 14, 30, tzinfo=UTC)
    (dated,) = load_path(
        _write(tmp_path / "e.json", [{"text": BODY_A, "published_at": "2025-01-31T09:30-05:00"}])
    )
    assert dated.article is not None
    assert dated.article.published_at == datetime(2025, 1, 31, 9, 30, tzinfo=timezone(timedelta(hours=-5)))


def test_unparseable_date_is_an_error_naming_the_field(tmp_path: Path) -> None:
    (result,) = load_path(_write(tmp_path / "d.json", [{"text": BODY_A, "published_at": "last Tuesday"}]))
    assert isinstance(result.error, InvalidField)
    assert result.error.code == "invalid_field"
    assert "'published_at' is 'last Tuesday'" in str(result.error)
    assert "ISO 8601" in str(result.error)


def test_wrongly_typed_field_is_an_error(tmp_path: Path) -> None:
    (result,) = load_path(_write(tmp_path / "t.json", [{"text": BODY_A, "title": 42}]))
    assert isinstance(result.error, InvalidField) and result.error.field == "title"


def test_jsonl_loads_several_records_numbered_by_line(tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": BODY_A}),
        "",
        json.dumps({"text": BODY_B, "id": 7}),
        json.dumps({"text": BODY_C}),
    ]
    path = _write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")
    results = load_path(path)
    assert [r.origin for r in results] == [f"{path}#1", f"{path}#3", f"{path}#4"]
    assert [r.article.name for r in results if r.article] == ["feed-1", "7", "feed-4"]
    assert [r.article.text for r in results if r.article] == [BODY_A, BODY_B, BODY_C]


def test_jsonl_bad_line_fails_alone(tmp_path: Path) -> None:
    path = _write(tmp_path / "feed.jsonl", "\n".join([json.dumps({"text": BODY_A}), "{not json", "[1, 2]"]))
    ok, broken, not_object = load_path(path)
    assert ok.article is not None
    assert isinstance(broken.error, InvalidRecord) and "record #2" in str(broken.error)
    assert "not valid JSON" in str(broken.error)
    assert isinstance(not_object.error, InvalidRecord) and "not a list" in str(not_object.error)


def test_malformed_json_file_is_one_error_with_line_and_column(tmp_path: Path) -> None:
    (result,) = load_path(_write(tmp_path / "bad.json", '[{"text": "a"},\n  {"text": }]'))
    assert isinstance(result.error, InvalidJson)
    assert result.error.line == 2 and "line 2, column" in str(result.error)


def test_records_are_normalised_like_files(tmp_path: Path) -> None:
    raw = "Krasner’s remarks on Dr.\nPhil. drew “swift condemnation.”\n\nADVERTISEMENT\n« Another story"
    (result,) = load_path(_write(tmp_path / "n.json", [{"text": raw}]))
    assert result.article is not None
    assert result.article.text == 'Krasner\'s remarks on Dr. Phil. drew "swift condemnation."'
