"""The GraphQL schema. The GraphQL issue fills in the types; this keeps `/graphql` alive meanwhile."""

from __future__ import annotations

import strawberry


@strawberry.type
class Query:
    @strawberry.field(description="The service's API version.")
    def api_version(self) -> str:
        return "0.1"


schema = strawberry.Schema(query=Query)
