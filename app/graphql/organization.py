"""`Organization`: an agency, party, council, outlet or company."""

from __future__ import annotations

import strawberry

from app.graphql.entity import Entity


@strawberry.type(description="An agency, party, council, outlet, company.")
class Organization(Entity):
    @strawberry.field(description="agency, party, council, outlet, company or other.")
    def kind(self) -> str | None:
        return self.properties.get("kind")

    @strawberry.field
    def acronym(self) -> str | None:
        return self.properties.get("acronym")
