"""The guards every input passes: size, binary, UTF-8, emptiness, and the messages they give."""

from __future__ import annotations

import pytest

from ingest.errors import BinaryInput, EmptyInput, LoneSurrogate, NotUtf8, TooLarge
from ingest.load.guards import check_not_blank, check_size, check_text, decode_utf8


def test_too_large_names_size_limit_and_setting() -> None:
    error = TooLarge(1_234_567, 1_000_000)
    assert str(error) == "article is 1,234,567 bytes; the limit is 1,000,000 (KG_MAX_ARTICLE_BYTES)"
    assert error.code == "too_large"


def test_size_over_the_limit_is_refused_and_at_the_limit_is_not() -> None:
    check_size(1_000, 1_000)
    with pytest.raises(TooLarge) as caught:
        check_size(1_001, 1_000)
    assert caught.value.size == 1_001 and caught.value.limit == 1_000


def test_non_utf8_names_the_byte_offset() -> None:
    with pytest.raises(NotUtf8) as caught:
        decode_utf8(b"\xff\xfe caf\xe9")
    assert caught.value.offset == 0
    assert caught.value.code == "not_utf8"
    assert "byte offset 0" in str(caught.value) and "0xff" in str(caught.value)


def test_latin1_text_is_refused_at_the_first_bad_byte() -> None:
    with pytest.raises(NotUtf8) as caught:
        decode_utf8("Mayor Johnson's café".encode("latin-1"))
    assert caught.value.offset == len("Mayor Johnson's caf")
    assert "byte offset 19" in str(caught.value)


def test_utf16_is_named_rather_than_called_binary() -> None:
    with pytest.raises(NotUtf8, match="UTF-16"):
        decode_utf8("Mayor Johnson said so.".encode("utf-16"))


def test_utf8_bom_is_accepted_and_dropped() -> None:
    assert decode_utf8(b"\xef\xbb\xbfKrasner\xe2\x80\x99s remarks") == "Krasner’s remarks"


def test_nul_bytes_mean_binary() -> None:
    with pytest.raises(BinaryInput) as caught:
        decode_utf8(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert caught.value.code == "binary"
    assert "NUL" in str(caught.value)


def test_a_high_share_of_control_bytes_means_binary() -> None:
    data = bytes([0x01, 0x02, 0x03, 0x1B]) * 50 + b"some text" * 20
    with pytest.raises(BinaryInput, match="control characters"):
        decode_utf8(data)


def test_a_stray_escape_character_is_not_binary() -> None:
    assert decode_utf8(b"Krasner said so.\x1b And left." * 10).startswith("Krasner said so.")


def test_text_from_the_api_with_a_lone_surrogate_is_refused_with_its_code_and_offset() -> None:
    with pytest.raises(LoneSurrogate, match="text holds a lone surrogate .* character offset 3") as caught:
        check_text("ok \ud800 text")
    assert caught.value.code == "lone_surrogate"


def test_text_from_the_api_with_nul_is_binary() -> None:
    with pytest.raises(BinaryInput):
        check_text("Krasner\x00said")


@pytest.mark.parametrize(("text", "reason"), [("", "is empty"), (" \n\t\n", "contains only whitespace")])
def test_empty_and_whitespace_only(text: str, reason: str) -> None:
    with pytest.raises(EmptyInput) as caught:
        check_not_blank(text)
    assert str(caught.value) == f"article {reason}"
    assert caught.value.code == "empty"
