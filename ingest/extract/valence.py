"""How positive or negative a stretch of text is: VADER (`vaderSentiment`, MIT licence).

VADER is a lexicon of about 7,500 words scored by human raters, with rules for negation ("not good"),
intensifiers ("very"), contrast ("but") and capitals, built for short social-media text; quotes and
labels in news are of that kind. It is a component here, not a list of our own: rules ask it how a
statement or a label leans, and decide the stance from that with the syntax around it.

VADER's raters scored everyday words, so the vocabulary of political argument ("un-American",
"grandstanding", "overreach", "bipartisan") is missing; the packaged stance lexicon's `valence_words`
adds those on VADER's own scale. They are read from the packaged lexicon, whatever lexicon directory
the rules were given, so one process scores text one way.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Span
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from ingest.extract.lexicons import load_lexicons


@lru_cache(maxsize=1)
def _analyzer() -> SentimentIntensityAnalyzer:
    analyzer = SentimentIntensityAnalyzer()
    extra = load_lexicons().stance.get("valence_words", {})
    analyzer.lexicon.update({w: float(s) for w, s in extra.items() if not w.startswith("_")})
    return analyzer


@lru_cache(maxsize=65536)
def valence(text: str) -> float:
    """VADER's compound score, in [-1, 1]; 0 for text with no scored words. Cached: the same verbs,
    labels and clauses are asked about many times in one article."""
    return float(_analyzer().polarity_scores(text)["compound"])


def absent(span: Span) -> set[int]:
    """Token indices under 'without' ('she did it without demonizing our allies'): what did not happen.
    VADER has no such negation and would count those words as said of the subject."""
    return {t.i for w in span if w.lower_ == "without" and w.dep_ == "prep" for t in w.subtree}


def span_valence(span: Span) -> float:
    """valence() of a parsed span, without the words under 'without'."""
    gone = absent(span)
    if not gone:
        return valence(span.text)
    return valence(" ".join(t.text for t in span if t.i not in gone))
