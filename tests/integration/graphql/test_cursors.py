"""Cursors come from this API; anything else given as `after:` is the caller's error."""

from __future__ import annotations

import base64

import pytest
from kg_fixture import Api

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("offset", [str(2**70), "9" * 5000, "²", "-1"])
async def test_bad_cursors_are_user_errors(api: Api, offset: str) -> None:
    cursor = base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()
    body = await api.gql("query($c: String) { articles(first: 1, after: $c) { totalCount } }", {"c": cursor})
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_REQUEST", error
    assert "is not a cursor this API issued" in error["message"] and len(error["message"]) < 200
