"""Folder walking: recursive, sorted, supported suffixes only, hidden entries skipped."""

from __future__ import annotations

import json
from pathlib import Path

from ingest.errors import NotUtf8, UnsupportedFormat
from ingest.load import iter_inputs
from ingest.load.loader import SUPPORTED_SUFFIXES
from ingest.load.walk import walk_folder

SENTENCE = "Mayor Brandon Johnson said on Friday that the order would stand, and critics disagreed."


def _tree(root: Path) -> None:
    (root / "b").mkdir(parents=True)
    (root / "b" / "inner").mkdir()
    (root / ".git").mkdir()
    (root / "a.txt").write_text(SENTENCE, encoding="utf-8")
    (root / "c.md").write_text("# A Headline Here\n\n" + SENTENCE, encoding="utf-8")
    (root / "b" / "feed.jsonl").write_text(
        json.dumps({"text": SENTENCE}) + "\n" + json.dumps({"text": SENTENCE + " Again."}) + "\n",
        encoding="utf-8",
    )
    (root / "b" / "inner" / "deep.TXT").write_text(SENTENCE + " Deep.", encoding="utf-8")
    (root / "b" / "broken.txt").write_bytes(b"caf\xe9")
    (root / "notes.docx").write_bytes(b"PK\x03\x04")
    (root / ".hidden.txt").write_text(SENTENCE, encoding="utf-8")
    (root / ".git" / "HEAD.txt").write_text(SENTENCE, encoding="utf-8")


def test_walk_is_sorted_recursive_and_skips_hidden_and_unsupported(tmp_path: Path) -> None:
    _tree(tmp_path)
    found = [
        p.relative_to(tmp_path).as_posix()
        for p in walk_folder(tmp_path, SUPPORTED_SUFFIXES)
        if isinstance(p, Path)
    ]
    assert found == ["a.txt", "b/broken.txt", "b/feed.jsonl", "b/inner/deep.TXT", "c.md"]


def test_iter_inputs_mixes_files_and_folders_and_reports_each_failure(tmp_path: Path) -> None:
    _tree(tmp_path)
    extra = tmp_path.parent / f"{tmp_path.name}-extra.txt"
    extra.write_text(SENTENCE + " Extra.", encoding="utf-8")
    results = list(iter_inputs([extra, tmp_path, tmp_path / "notes.docx", tmp_path / "a.txt"]))
    assert [Path(r.origin).name for r in results] == [
        extra.name,
        "a.txt",
        "broken.txt",
        "feed.jsonl#1",
        "feed.jsonl#2",
        "deep.TXT",
        "c.md",
        "notes.docx",  # named explicitly, so reported rather than skipped
    ]  # a.txt, named again at the end, loads only once
    by_name = {Path(r.origin).name: r for r in results}
    assert isinstance(by_name["broken.txt"].error, NotUtf8)
    assert isinstance(by_name["notes.docx"].error, UnsupportedFormat)
    assert by_name["c.md"].article is not None and by_name["c.md"].article.title == "A Headline Here"
    assert sum(r.ok for r in results) == 6


def test_hidden_file_named_explicitly_is_loaded(tmp_path: Path) -> None:
    _tree(tmp_path)
    (result,) = iter_inputs([tmp_path / ".hidden.txt"])
    assert result.ok


def test_symlink_loop_does_not_hang(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "x.txt").write_text(SENTENCE, encoding="utf-8")
    (tmp_path / "sub" / "loop").symlink_to(tmp_path, target_is_directory=True)
    assert [r.ok for r in iter_inputs([tmp_path])] == [True]
