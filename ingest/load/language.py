"""The English-only guard.

Extraction rules, lexicons and the spaCy model are English; a French article would come out as a
handful of wrong "Person" nodes. Rejecting it at the door, with the language named, is kinder.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ingest.errors import NotEnglish

# Below this, a classifier guesses; an English brief full of names can look like anything.
MIN_CHARS_TO_JUDGE = 200
# Classifying the opening few thousand characters costs milliseconds and is as good as the whole.
SAMPLE_CHARS = 3000
# Reject only when the classifier is sure it is another language and gives English next to nothing.
MIN_CONFIDENCE = 0.9
MAX_ENGLISH_PROBABILITY = 0.05


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """Loaded once, on first use (about half a second), with probabilities normalised to 0..1."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    load = getattr(LanguageIdentifier, "from_model_file", None) or LanguageIdentifier.from_pickled_model
    return load(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str, float, float] | None:
    """(language, its probability, probability of English), or None when the text is too short."""
    sample = text[:SAMPLE_CHARS]
    if len(sample.strip()) < MIN_CHARS_TO_JUDGE:
        return None
    ranked = _identifier().rank(sample)
    lang, confidence = ranked[0]
    english = next((float(p) for code, p in ranked if code == "en"), 0.0)
    return str(lang), float(confidence), english


def check_english(text: str) -> None:
    detected = detect_language(text)
    if detected is None:
        return
    lang, confidence, english = detected
    if lang != "en" and confidence >= MIN_CONFIDENCE and english <= MAX_ENGLISH_PROBABILITY:
        raise NotEnglish(lang, confidence)
