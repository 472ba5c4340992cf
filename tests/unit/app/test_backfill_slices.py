"""How the backfill cuts its chunks into slices (planned and written one after the other while the next
slice is extracted): consecutive, in corpus order, every chunk exactly once."""

from __future__ import annotations

import pytest

from app.backfill.engine import slices_of


@pytest.mark.parametrize(("chunks", "per_slice"), [(0, 3), (1, 3), (5, 2), (6, 3), (7, 1), (4, 10)])
def test_slices_cover_every_chunk_once_in_order(chunks: int, per_slice: int) -> None:
    slices = slices_of(chunks, per_slice)
    assert [n for s in slices for n in s] == list(range(chunks))
    assert all(1 <= len(s) <= per_slice for s in slices)
    assert all(len(s) == per_slice for s in slices[:-1])


def test_five_chunks_in_slices_of_two_are_three_slices() -> None:
    assert [list(s) for s in slices_of(5, 2)] == [[0, 1], [2, 3], [4]]


def test_a_slice_of_no_chunk_is_refused_with_the_limit() -> None:
    with pytest.raises(ValueError, match="at least 1 chunk, not 0"):
        slices_of(4, 0)
