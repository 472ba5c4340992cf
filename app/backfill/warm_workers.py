"""What a local cluster's workers start from: the fork server (`engine.local_cluster`) imports this
module once, and every worker is forked from that process with the project imported, the spaCy model
loaded and the language identifier read.

Started one by one, each worker of a backfill paid 3-4 CPU s for that before its first article
(imports 0.8 s, the model 1.8 s, the language identifier 0.6 s, the lazily read gazetteers 0.5 s):
at 400 articles on two workers, 18 ms of CPU per article that `kg ingest`'s workers, which load no
language identifier, do not pay. Forked from one process, the workers share those pages until they
write to them, and the fork server is started once per process, whatever the number of backfills.

Nothing else imports this module: its import does the work. The model is the one `local_cluster`
names in the environment (`MODEL_ENV`), set before the fork server starts; without it only the
imports are done. A worker given another model loads it itself, as it did before.
"""

from __future__ import annotations

import os

from app.ingest_service import extract_chunk
from ingest.load.language import detect_language
from ingest.models import Article

MODEL_ENV = "KG_BACKFILL_WORKER_MODEL"

# Long enough for the language identifier to judge it (`MIN_CHARS_TO_JUDGE`), and with a person, an
# office and a place, so the extraction reads what its first real article would.
WARM_TEXT = (
    "Mayor Dana Whitcombe of Springfield said on Tuesday that the city council would vote on the "
    "budget next week. Councilmember Ray Okafor criticized the plan, saying it cut library hours "
    "while raising fees for parks and pools across the county."
)


def warm(model: str) -> None:
    """Load what extracting an article loads: the model, its lexicons, the language identifier."""
    detect_language(WARM_TEXT)
    extract_chunk(model, [Article(id=Article.content_hash(WARM_TEXT), text=WARM_TEXT)])


if model := os.environ.get(MODEL_ENV):
    try:
        warm(model)
    except Exception:  # noqa: BLE001 - the fork server must start: a worker meets the error itself
        pass
