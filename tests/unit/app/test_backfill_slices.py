"""Where a backfill slice ends: the chunk it begins with, then the chunks already extracted in a row,
within the slice's bound of files. Slices are planned and written one after the other in corpus order
while the workers extract the next ones, so every chunk must land in exactly one slice, in order."""

from __future__ import annotations

import pytest

from app.backfill.engine import slice_end


def slices(sizes: list[int], finished: set[int], max_files: int) -> list[list[int]]:
    out, start = [], 0
    while start < len(sizes):
        end = slice_end(start, sizes, finished.__contains__, max_files)
        out.append(list(range(start, end)))
        start = end
    return out


def test_a_slice_takes_the_finished_chunks_in_a_row_and_stops_at_the_first_unfinished() -> None:
    assert slice_end(0, [4, 4, 4, 4, 4], {1, 2, 4}.__contains__, 100) == 3
    assert slice_end(3, [4, 4, 4, 4, 4], {4}.__contains__, 100) == 5


def test_a_slice_always_holds_its_first_chunk_even_when_nothing_else_is_done() -> None:
    assert slice_end(2, [4, 4, 4, 4], set().__contains__, 100) == 3
    assert slice_end(0, [9, 1], {1}.__contains__, 4) == 1  # bigger than the bound: alone


def test_a_slice_stays_within_its_bound_of_files() -> None:
    assert slices([4, 4, 4, 4, 4], set(range(5)), 8) == [[0, 1], [2, 3], [4]]
    assert slices([3, 3, 3, 3, 2], set(range(5)), 3) == [[0], [1], [2], [3], [4]]


@pytest.mark.parametrize("finished", [set(), {1, 3}, {0, 1, 2, 3, 4, 5, 6}, {2, 4, 5, 6}])
def test_every_chunk_is_in_exactly_one_slice_in_corpus_order(finished: set[int]) -> None:
    sizes = [4, 4, 2, 4, 4, 4, 1]
    assert [n for s in slices(sizes, finished, 9) for n in s] == list(range(len(sizes)))


def test_a_slice_beginning_outside_the_chunks_is_refused_naming_them() -> None:
    with pytest.raises(ValueError, match="one of the 3 chunks, not at 3"):
        slice_end(3, [1, 1, 1], set().__contains__, 10)


def test_the_people_known_between_slices_are_bounded_and_keep_the_latest_plan_whole() -> None:
    """`KnownPeople` holds each plan's people by surname across slices; past its bound it drops the
    surnames planned longest ago, never one of the latest plan (its writes may still be running)."""
    from app.backfill.writing import KnownPeople
    from graph.resolver import PersonRecord

    def people(*surnames: str) -> dict[str, tuple[PersonRecord, ...]]:
        return {s: (PersonRecord(f"person:{s}", s.capitalize()),) for s in surnames}

    known = KnownPeople(limit=3)
    known.update(people("adams", "baker"))
    known.update(people("clark", "adams"))
    assert list(known.people) == ["baker", "clark", "adams"]
    known.update(people("davis"))
    assert list(known.people) == ["clark", "adams", "davis"]  # baker, planned longest ago, dropped
    known.update(people("evans", "frost", "grant", "hayes"))  # a plan bigger than the bound: all kept
    assert list(known.people) == ["evans", "frost", "grant", "hayes"]
    known.reset(people("irwin"))  # after a failed write: the latest plan's people only
    assert list(known.people) == ["irwin"]
    with pytest.raises(ValueError, match="at least 1"):
        KnownPeople(limit=0)
