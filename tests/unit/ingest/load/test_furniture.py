"""Page furniture removal: one test per kind of line, with the line it exists for."""

from __future__ import annotations

import pytest

from ingest.load.furniture import drop_furniture, is_boilerplate, is_caption, is_story_link
from ingest.load.normalize import normalize_text


def test_file_photo_caption_is_dropped(seed_text) -> None:
    text = normalize_text(seed_text("001"))
    assert "Philadelphia District Attorney Larry Krasner (File)." not in text
    assert "(File)" not in text
    # the paragraph after the caption is still there
    assert (
        "Philadelphia District Attorney Larry Krasner, backed financially by businessman George Soros" in text
    )


@pytest.mark.parametrize(
    "line",
    [
        "Philadelphia District Attorney Larry Krasner (File).",
        "Mayor Brandon Johnson at City Hall (File photo)",
        "Mayor Brandon Johnson speaks at a news conference in Chicago, Jan. 6, 2025. (AP Photo/Erin Hooley)",
        "Protesters outside the ICE field office. (Photo by Jane Doe/Getty Images)",
        "Photo: Jane Doe",
        "Image credit: Reuters",
        "FILE PHOTO: Acting ICE Director Todd Lyons at a hearing",
        "Councilwoman Kendra Brooks. Jane Doe / Getty Images",
    ],
)
def test_caption_lines_are_recognised(line: str) -> None:
    assert is_caption(line)


@pytest.mark.parametrize(
    "line",
    [
        "He posted a photo of the raid on social media, calling it proof of abuse.",
        "Lyons told Reuters the agency would not back down.",
        "The footage, first obtained by the Associated Press, shows agents in masks.",
    ],
)
def test_sentences_mentioning_photos_or_agencies_are_kept(line: str) -> None:
    assert not is_caption(line)


def test_guillemet_link_to_another_story_is_dropped(seed_text) -> None:
    text = normalize_text(seed_text("002"))
    assert "Netanyahu" not in text
    assert text.endswith("will be closely watched by advocates and critics alike.")


@pytest.mark.parametrize(
    "line",
    [
        "« Trump Calls for Netanyahu Pardon, Criticizes Israeli President",
        "Next: Senate Passes Border Bill »",
        "→ Read the full report",
        "Related: Krasner wins re-election in landslide",
        "READ MORE: Homan tells Dr. Phil he wants less bloodshed",
        "READ MORE Homan tells Dr. Phil he wants less bloodshed",
        "See also - Chicago council votes on ordinance",
        "Next article",
        "Previous article",
    ],
)
def test_links_to_other_stories_are_recognised(line: str) -> None:
    assert is_story_link(line)


@pytest.mark.parametrize(
    "line",
    [
        "More than 100 people attended the rally.",
        "Next-generation policing tools were on the agenda.",
        "Related legislation passed the state Senate last year.",
        "«We will not be intimidated,» Krasner said.",
    ],
)
def test_prose_that_starts_like_a_link_label_is_kept(line: str) -> None:
    assert not is_story_link(line)


@pytest.mark.parametrize(
    "line",
    [
        "Advertisement",
        "ADVERTISEMENT",
        "Share this article",
        "Subscribe to our newsletter for daily updates",
        "Click here to read the full statement",
        "Sign up for Breaking News alerts",
        "Story continues below advertisement",
        "© 2025 Riverside Ledger. All rights reserved.",
        "Reporting by Jane Doe; Editing by John Smith",
    ],
)
def test_boilerplate_lines_are_recognised(line: str) -> None:
    assert is_boilerplate(line)


def test_long_prose_starting_like_boilerplate_is_kept() -> None:
    line = (
        "Subscribers to the city's emergency alert system received a notice on Friday warning that federal "
        "agents were operating near the courthouse, according to the mayor's office."
    )
    assert not is_boilerplate(line)


def test_headlines_listed_under_a_related_header_are_dropped() -> None:
    lines = [
        "Krasner said he would not back down.",
        "",
        "Related Stories",
        "Homan Urges Calm After Shooting",
        "Chicago Council Approves Police Oversight Measure",
        "",
        "The council meets again on Monday.",
    ]
    assert drop_furniture(lines) == [
        "Krasner said he would not back down.",
        "",
        "",
        "The council meets again on Monday.",
    ]


def test_trailing_title_case_link_without_marker_is_dropped() -> None:
    lines = [
        "The outcome will be closely watched.",
        "Trump Calls for Netanyahu Pardon, Criticizes Israeli President",
    ]
    assert drop_furniture(lines) == ["The outcome will be closely watched."]


def test_subheading_inside_the_article_is_kept() -> None:
    lines = ["Opening sentence.", "The National Political Backdrop", "This local dispute is set against it."]
    assert drop_furniture(lines) == lines
