"""Markdown marks removed, text kept; a leading heading is the title."""

from __future__ import annotations

from ingest.load.markup import strip_inline, strip_markdown


def test_leading_heading_is_the_title_and_leaves_the_body() -> None:
    title, body = strip_markdown("# Chicago Mayor Seeks to Clarify Order\n\nMayor Johnson moved on Friday.")
    assert title == "Chicago Mayor Seeks to Clarify Order"
    assert body.strip() == "Mayor Johnson moved on Friday."


def test_setext_heading_is_the_title() -> None:
    title, body = strip_markdown("Krasner Vows to Hunt ICE Agents\n===\n\nThe remarks came on Friday.")
    assert title == "Krasner Vows to Hunt ICE Agents"
    assert "===" not in body


def test_inline_link_keeps_its_text_only() -> None:
    assert strip_inline("said [Larry Krasner](https://example.com/krasner) on Friday") == (
        "said Larry Krasner on Friday"
    )


def test_reference_links_autolinks_and_images() -> None:
    assert strip_inline("![Krasner at a rally](/img/k.jpg)the [DA][1] and <https://a.example>") == (
        "the DA and https://a.example"
    )


def test_emphasis_marks_go_but_snake_case_and_arithmetic_stay() -> None:
    assert strip_inline("a **legislative package** known as _ICE OUT_, *really*") == (
        "a legislative package known as ICE OUT, really"
    )
    assert strip_inline("see file_name_here and 2 * 3 * 4") == "see file_name_here and 2 * 3 * 4"


def test_subheadings_blockquotes_lists_and_rules_lose_their_marks() -> None:
    _, body = strip_markdown(
        "# Title Here\n\nOpening line.\n\n## The National Backdrop\n"
        "> 'Any time you pit officers,' Lyons said.\n"
        "- first point\n* second point\n\n---\n\n[1]: https://example.com\nLast line."
    )
    lines = [line for line in body.split("\n") if line]
    assert lines == [
        "Opening line.",
        "The National Backdrop",
        "'Any time you pit officers,' Lyons said.",
        "first point",
        "second point",
        "Last line.",
    ]


def test_front_matter_is_not_article_text() -> None:
    title, body = strip_markdown("---\nlayout: post\ndate: 2025-01-01\n---\n# A Title Line\n\nBody text.")
    assert title == "A Title Line"
    assert "layout" not in body


def test_without_a_heading_there_is_no_markdown_title() -> None:
    title, body = strip_markdown("Mayor Johnson said so.\nHe left.")
    assert title is None
    assert body == "Mayor Johnson said so.\nHe left."
