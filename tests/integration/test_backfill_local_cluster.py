"""The backfill's local Dask cluster: its workers are forked from a fork server that has loaded the
extractor (`app.backfill.warm_workers`), so none of them loads the model again before its first task."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration


def _loaded_models() -> int:
    """Runs in a worker: how many extractors (spaCy models) its process already holds."""
    from ingest.extract import get_extractor

    return get_extractor.cache_info().currsize


def test_local_workers_start_with_the_model_loaded() -> None:
    pytest.importorskip("dask.distributed")
    import sys

    import cloudpickle
    from dask.distributed import Client

    from app.backfill.engine import local_cluster
    from app.config import Settings

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers cannot import `tests`
    cluster = local_cluster(2, Settings().spacy_model)
    try:
        with Client(cluster) as client:
            held = client.run(_loaded_models)  # no task has run: what the fork server gave them
            assert len(held) == 2
            assert list(held.values()) == [1, 1], held
    finally:
        cluster.close()
