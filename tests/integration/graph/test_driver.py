"""The driver's notifications: unknown names (usual on a young graph) are not logged, the rest are."""

from __future__ import annotations

import logging

import pytest

from app.config import Settings
from graph.driver import open_driver

pytestmark = pytest.mark.integration

UNKNOWN_NAMES = "MATCH (n:NoSuchLabelForTheTest) RETURN n.no_such_key_for_the_test AS x"


def notices(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name.startswith("neo4j.notifications")]


async def test_unknown_labels_and_property_keys_log_nothing(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="neo4j")
    driver = open_driver(settings.connection)
    try:
        await driver.execute_query(UNKNOWN_NAMES, database_=settings.neo4j_database)
    finally:
        await driver.close()
    assert notices(caplog) == []


async def test_the_same_query_is_noisy_without_that_setting(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    # The control: what the setting silences is really there.
    caplog.set_level(logging.INFO, logger="neo4j")
    driver = open_driver(settings.connection, notifications_disabled_classifications=[])
    try:
        await driver.execute_query(UNKNOWN_NAMES, database_=settings.neo4j_database)
    finally:
        await driver.close()
    assert any("does not exist" in n for n in notices(caplog)), notices(caplog)
