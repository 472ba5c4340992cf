"""Permission classes for GraphQL fields: every mutation needs the bearer token."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.permission import BasePermission

from app.graphql.context import Context
from app.graphql.errors import Unauthorized
from app.security import refusal, token_matches


class HasApiToken(BasePermission):
    message = "mutations need `Authorization: Bearer <KG_API_TOKEN>`"
    error_extensions = {"code": "UNAUTHENTICATED"}

    def has_permission(self, source: Any, info: strawberry.Info[Context, None], **kwargs: Any) -> bool:
        ctx = info.context
        request = ctx.request
        header = request.headers.get("authorization") if request is not None else None
        if token_matches(header, ctx.settings.api_token):
            return True
        self.message = refusal(ctx.settings)
        return False

    def on_unauthorized(self) -> None:
        raise Unauthorized(self.message)
