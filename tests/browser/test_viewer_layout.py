"""The same question draws the same picture: Krasner's neighbourhood lands on the same positions on
every draw, with his critics, endorsers and other responders each on their own side."""

from __future__ import annotations

import math
from typing import Any

import pytest
from viewer_helpers import KRASNER, LiveServer, shoot

pytestmark = [pytest.mark.browser]

POSITIONS = """() => Object.fromEntries(window.kgViewer.cy.nodes().map(
    n => [n.id(), [Math.round(n.position('x') * 10) / 10, Math.round(n.position('y') * 10) / 10]]))"""
STANCES = """(center) => window.kgViewer.cy.edges().filter(e => e.target().id() === center)
    .map(e => [e.source().id(), e.data('type')])"""


def draw_krasner(page: Any, server: LiveServer) -> dict[str, list[float]]:
    page.goto(server.url + "/")
    page.wait_for_function("document.body.dataset.state === 'ready'")
    page.fill("#search-input", "Kras")
    page.locator(f"#search-results li[role=option][data-id='{KRASNER}']").click()
    page.wait_for_function("document.body.dataset.graph === 'ready'")
    return page.evaluate(POSITIONS)


def test_krasner_is_drawn_on_the_same_positions_twice(page: Any, seeded: LiveServer) -> None:
    first = draw_krasner(page, seeded)
    assert len(first) >= 5
    shoot(page, "krasner-stable-layout")
    again = draw_krasner(page, seeded)  # a fresh page: nothing carried over
    assert again == first


def test_responders_are_grouped_by_stance_around_him(page: Any, seeded: LiveServer) -> None:
    positions = draw_krasner(page, seeded)
    cx, cy = positions[KRASNER]
    angles: dict[str, list[float]] = {}
    for source, stance in page.evaluate(STANCES, KRASNER):
        if stance in ("CRITICIZED", "ENDORSED"):
            x, y = positions[source]
            angles.setdefault(stance, []).append(math.atan2(y - cy, x - cx))
    assert angles.get("CRITICIZED") and angles.get("ENDORSED"), angles

    def mean(values: list[float]) -> float:
        return math.atan2(sum(math.sin(a) for a in values), sum(math.cos(a) for a in values))

    apart = abs((mean(angles["CRITICIZED"]) - mean(angles["ENDORSED"]) + math.pi) % (2 * math.pi) - math.pi)
    assert apart > math.pi / 4, f"critics and endorsers overlap: {angles}"
