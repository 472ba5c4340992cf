"""The bearer token that guards mutations and `/cypher`: one check, constant time, shared by both."""

from __future__ import annotations

import hmac

from fastapi import HTTPException, Request, status

from app.config import Settings

TOKEN_HELP = "send `Authorization: Bearer <KG_API_TOKEN>`"


def bearer_token(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def token_matches(header: str | None, expected: str | None) -> bool:
    """False when no token is configured: then nothing that needs one is allowed."""
    given = bearer_token(header)
    if not expected or given is None:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def refusal(settings: Settings) -> str:
    if not settings.api_token:
        return "this server has no KG_API_TOKEN set, so mutations and /cypher are disabled"
    return f"missing or wrong bearer token: {TOKEN_HELP}"


def require_token(request: Request) -> None:
    """FastAPI dependency for routes outside GraphQL."""
    settings: Settings = request.app.state.settings
    if not token_matches(request.headers.get("authorization"), settings.api_token):
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail=refusal(settings),
            headers={"WWW-Authenticate": "Bearer"},
        )
