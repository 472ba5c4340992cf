"""The GraphQL schema: root fields merged from `app.graphql.roots`, guarded by the safety extensions.

`schema` (no extensions) is what `make schema` exports to schema.graphql; the server runs
`build_schema(settings)`, the same types with the limits and caches of its settings.
"""

from __future__ import annotations

from collections.abc import Callable

import strawberry
from strawberry.extensions import (
    MaskErrors,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from app.config import Settings
from app.graphql.bill import Bill
from app.graphql.cost import CostLimiter, Limits, PassedChecks
from app.graphql.errors import should_mask
from app.graphql.event import Event
from app.graphql.execution import FastExecutionContext
from app.graphql.fast_lane import LaneExecuted
from app.graphql.office import Office
from app.graphql.organization import Organization
from app.graphql.person import Person
from app.graphql.place import Place
from app.graphql.roots.articles import ArticlesQuery
from app.graphql.roots.entities import EntityQuery
from app.graphql.roots.ingest import IngestMutation
from app.graphql.roots.jobs import JobsQuery
from app.graphql.roots.relations import RelationsQuery
from app.graphql.roots.responses import ResponsesQuery
from app.graphql.roots.search import SearchQuery
from app.graphql.roots.stats import StatsQuery
from app.graphql.roots.subgraph import SubgraphQuery
from app.graphql.router import DatabaseOutage
from app.graphql.validation import Validation

Query = merge_types(
    "Query",
    (
        SearchQuery,
        EntityQuery,
        ResponsesQuery,
        RelationsQuery,
        SubgraphQuery,
        ArticlesQuery,
        JobsQuery,
        StatsQuery,
    ),
)
Mutation = merge_types("Mutation", (IngestMutation,))

# Concrete entity types are reached only through the `Entity` interface; list them so they exist.
ENTITY_TYPES = [Person, Office, Organization, Bill, Event, Place]

# Parsed documents and validation results are cached, but never without bound.
CACHE_SIZE = 256


def _schema(
    extensions: list[type[SchemaExtension] | Callable[[], SchemaExtension]], *, short_path: bool = True
) -> strawberry.Schema:
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        types=ENTITY_TYPES,
        extensions=extensions,
        config=StrawberryConfig(auto_camel_case=True),
        # Attribute fields completed without graphql-core's per-field machinery (app/graphql/execution.py);
        # `short_path=False` is the stock executor, for the tests that compare the two.
        execution_context_class=FastExecutionContext if short_path else None,
    )


def limits_of(settings: Settings) -> Limits:
    return Limits(
        max_depth=settings.max_query_depth,
        max_aliases=settings.max_aliases,
        max_cost=settings.max_query_cost,
        page_size=settings.max_page_size,
        max_variables=settings.max_variables,
        max_variable_values=settings.max_variable_values,
        max_selections=settings.max_selections,
    )


def build_schema(settings: Settings, *, short_path: bool = True) -> strawberry.Schema:
    # Depth, aliases, cost and variables are checked in one memoised pass right after parsing, before
    # any validation rule walks the document (Strawberry's depth and alias limiters expand fragments
    # without memory: thirty fragments each spreading the next twice held the event loop for minutes).
    limits = limits_of(settings)
    passed = PassedChecks(CACHE_SIZE)  # one per schema, shared by its requests
    extensions: list[type[SchemaExtension] | Callable[[], SchemaExtension]] = [
        # The token limit must act on parsing before the cached parse runs.
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: ParserCache(maxsize=CACHE_SIZE),
        lambda: CostLimiter(limits, passed),
        lambda: Validation(
            introspection=settings.introspection_enabled, suggestions=not settings.is_production
        ),
    ]
    # A request the known-query lane executed with an error: its result, not a second execution.
    extensions.append(LaneExecuted)
    if settings.is_production:
        extensions.append(lambda: MaskErrors(should_mask_error=should_mask))
    extensions.append(DatabaseOutage)  # after MaskErrors: it must see the errors unmasked
    return _schema(extensions, short_path=short_path)


schema = _schema([])
