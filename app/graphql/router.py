"""The GraphQL-over-HTTP endpoint: Strawberry's FastAPI router, speaking the spec's
`application/graphql-response+json` media type when the client asks for it.

With that media type the spec wants request errors (the document does not parse or validate, the
variables do not coerce: nothing was executed) answered with status 400 and no `data` entry. Strawberry
answers those 200 with `data: null`, as the older `application/json` convention allows; it still does
for clients that ask for `application/json` (or for nothing in particular).
"""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response, status
from fastapi.responses import HTMLResponse
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"


def wants_graphql_response_json(accept: str | None) -> bool:
    """True when the Accept header lists the spec's media type (with a non-zero quality)."""
    for part in (accept or "").split(","):
        media, *params = [p.strip() for p in part.split(";")]
        if media.lower() != GRAPHQL_RESPONSE_JSON:
            continue
        q = next((p.split("=", 1)[1] for p in params if p.replace(" ", "").startswith("q=")), "1")
        try:
            return float(q) > 0
        except ValueError:
            return True
    return False


def is_request_error(result: ExecutionResult) -> bool:
    """Nothing executed: errors, no data, and no error tied to a field path."""
    return bool(result.errors) and result.data is None and all(not e.path for e in result.errors or [])


class SpecGraphQLRouter(GraphQLRouter[Any, None]):
    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        # Our own GraphiQL page (offline, with the headline query), not Strawberry's CDN-loaded one.
        from app.web_routes import graphiql_page

        return graphiql_page()  # type: ignore[return-value]

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        data = await super().process_result(request, result)
        if wants_graphql_response_json(request.headers.get("accept")):
            request.state.graphql_response_json = True
            if is_request_error(result):
                request.state.graphql_request_error = True
                data.pop("data", None)
        return data

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        response = await super().run(request, context=context, root_value=root_value)
        state = getattr(request, "state", None)
        if (
            isinstance(response, Response)
            and state is not None
            and getattr(state, "graphql_response_json", False)
        ):
            response.headers["content-type"] = f"{GRAPHQL_RESPONSE_JSON}; charset=utf-8"
            if getattr(state, "graphql_request_error", False):
                response.status_code = status.HTTP_400_BAD_REQUEST
        return response
