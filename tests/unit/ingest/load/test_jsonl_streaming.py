"""A JSON Lines feed is read a line at a time: records come out before the file is read to its end,
and a line with a bad byte fails alone."""

from __future__ import annotations

import json
from pathlib import Path

from ingest.errors import InvalidRecord
from ingest.load import iter_inputs
from ingest.load.loader import iter_path

BODY = (
    "Mayor Cherelle Parker praised the council on Tuesday for passing the budget number {n}. "
    "District Attorney Larry Krasner criticized the plan in a statement later that day."
)


def test_records_come_out_before_the_file_is_read_to_the_end(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    with feed.open("w", encoding="utf-8") as out:
        for n in range(2000):
            out.write(json.dumps({"title": f"Budget {n}", "text": BODY.format(n=n)}) + "\n")
    results = iter_path(feed)
    first = next(results)
    assert first.ok and first.origin == f"{feed}#1"
    # A record added now, at the end of a ~400 KB file, is still read: the reader had not got there.
    with feed.open("a", encoding="utf-8") as out:
        out.write(json.dumps({"title": "Late", "text": BODY.format(n="late")}) + "\n")
    rest = list(results)
    assert len(rest) == 2000 and all(r.ok for r in rest)
    assert rest[-1].article is not None and rest[-1].article.title == "Late"


def test_a_line_with_a_bad_byte_fails_alone(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    good = json.dumps({"text": BODY.format(n=1)}).encode()
    # Past the sample the file-level checks read (8 KB), so only this line can know it is bad.
    padding = [json.dumps({"text": BODY.format(n=n)}).encode() for n in range(2, 60)]
    bad = b'{"text": "caf\xe9 au lait"}'
    feed.write_bytes(b"\n".join([good, *padding, bad, good.replace(b"1.", b"last.")]) + b"\n")
    results = list(iter_inputs([feed]))
    assert [r.ok for r in results] == [True] * 59 + [False, True]
    assert isinstance(results[59].error, InvalidRecord)
    assert "line is not valid UTF-8 (byte 0xe9 at column 14)" in str(results[59].error)
    assert results[59].origin == f"{feed}#60"
