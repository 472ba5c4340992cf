"""Article loading: files, folders and API text in; clean, normalised `Article`s out.

    from ingest.load import iter_inputs, load_text

    for result in iter_inputs([Path("seeds"), Path("feed.jsonl")], max_bytes=settings.max_article_bytes):
        if result.error:
            print(result.origin, result.error.code, result.error)

The text of an `Article` is normalised here, once: extraction reads it and every character offset
in the graph refers to it.
"""

from ingest.load.guards import DEFAULT_MAX_BYTES
from ingest.load.loader import (
    SUPPORTED_SUFFIXES,
    LoadResult,
    build_article,
    iter_inputs,
    load_path,
    load_text,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SUPPORTED_SUFFIXES",
    "LoadResult",
    "build_article",
    "iter_inputs",
    "load_path",
    "load_text",
]
