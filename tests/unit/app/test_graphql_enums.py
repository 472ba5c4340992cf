"""The GraphQL enums spell the same closed vocabularies as the graph model; a new type must reach both."""

from __future__ import annotations

from app.graphql.enums import STANCES, EntityType, JobKind, JobStatus, RelationType
from ingest import jobs
from ingest.models import ENTITY_TYPES, RELATION_TYPES, STANCE_TYPES


def test_enums_match_the_graph_model() -> None:
    assert tuple(t.value for t in EntityType) == ENTITY_TYPES
    assert tuple(t.value for t in RelationType) == RELATION_TYPES
    assert tuple(t.value for t in STANCES) == STANCE_TYPES
    assert [s.value for s in JobStatus] == [s.value for s in jobs.JobStatus]
    assert [k.value for k in JobKind] == [k.value for k in jobs.JobKind]
