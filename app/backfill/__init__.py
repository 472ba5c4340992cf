"""The backfill: an archive of articles into the graph on a distributed engine (docs/backfill.md).

It lives in `app` because, like `app.ingest_service`, it orchestrates the other two layers: it runs
`ingest`'s extraction and resolution rules and `graph`'s writer, and nothing in `ingest` or `graph`
imports it, so the flow stays one way (ingest -> graph -> app). The top level is fixed by DESIGN.md.
The engine (Dask) is an optional dependency (`pip install -e '.[backfill]'`); only `engine` imports it.
"""
