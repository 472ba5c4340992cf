"""Article loading, extraction (spaCy + rules), entity resolution and ingest jobs.

Extraction is pure: text in, a `GraphDelta` out. Only resolution against existing entities and the
writer in `graph/` touch the database.
"""
