"""Extraction: article text in, a `GraphDelta` out (spaCy + rules, deterministic and offline).

    from ingest.extract import get_extractor
    delta = get_extractor().extract(article)            # an ingest.models.Article or plain text
    deltas = get_extractor().extract_many(articles, batch_size=32, n_process=1)

The pipeline is loaded once per process (`get_extractor` is cached); `extract_many` streams through
`nlp.pipe`, so the rules cost little next to the parse itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from ingest.extract.lexicons import load_lexicons
from ingest.extract.mentions import ArticleGraph, get_graph
from ingest.extract.pieces import LONG_TEXT_CHARS, merge_deltas, split_text
from ingest.extract.pipeline import DEFAULT_MODEL, build_nlp
from ingest.extract.quotes import sentence_quote
from ingest.models import STANCE_TYPES, Article, Entity, GraphDelta, Relation

__all__ = ["EXTRACTOR_VERSION", "Extractor", "get_extractor"]

EXTRACTOR_VERSION = "0.12.0"
INTERNAL_PROPERTIES = ("core",)
HEADLINE_BREAK = "\n\n"


class Extractor:
    """Rules over a spaCy parse. One instance per process; it holds the loaded pipeline."""

    def __init__(
        self, model_name: str = DEFAULT_MODEL, lexicon_dir: str | None = None, nlp: Language | None = None
    ) -> None:
        self.nlp = nlp if nlp is not None else build_nlp(model_name, lexicon_dir)
        meta = self.nlp.meta
        lexicons = load_lexicons(lexicon_dir)
        self.name = (
            f"rules-spacy/{EXTRACTOR_VERSION} {meta.get('lang', 'en')}_{meta.get('name', model_name)}"
            f"-{meta.get('version', '?')} lexicons/{lexicons.version}"
        )

    def extract(self, article: Article | str, *, doc_id: str | None = None) -> GraphDelta:
        text, delta_id, lead = _text_and_id(article, doc_id)
        if len(text) > LONG_TEXT_CHARS:
            return _from_body(self._extract_long(text, delta_id), lead)
        return _from_body(self.to_delta(self.nlp(text), delta_id), lead)

    def _extract_long(self, text: str, delta_id: str) -> GraphDelta:
        """A text too long for one Doc, in pieces (see pieces.py): one Doc in memory at a time."""
        return merge_deltas(
            delta_id,
            self.name,
            ((offset, self.to_delta(self.nlp(piece), delta_id)) for offset, piece in split_text(text)),
        )

    def extract_many(
        self, articles: Iterable[Article | str], batch_size: int = 32, n_process: int = 1
    ) -> Iterator[GraphDelta]:
        """Deltas in input order; plain strings get ids 'doc-0', 'doc-1', ... A text too long for one Doc
        is extracted in pieces, in its turn."""
        items = [
            _text_and_id(a, None if isinstance(a, Article) else f"doc-{n}") for n, a in enumerate(articles)
        ]
        short = ((text, delta_id) for text, delta_id, _ in items if len(text) <= LONG_TEXT_CHARS)
        docs = self.nlp.pipe(short, as_tuples=True, batch_size=batch_size, n_process=n_process)
        for text, delta_id, lead in items:
            if len(text) > LONG_TEXT_CHARS:
                yield _from_body(self._extract_long(text, delta_id), lead)
            else:
                doc, _ = next(docs)
                yield _from_body(self.to_delta(doc, delta_id), lead)

    def to_delta(self, doc: Doc, delta_id: str) -> GraphDelta:
        graph: ArticleGraph = get_graph(doc)
        used = {r.source for r in graph.relations} | {r.target for r in graph.relations}
        entities = [
            Entity(
                id=rec.key,
                type=rec.type,  # type: ignore[arg-type]
                name=rec.name,
                aliases=sorted(a for a in rec.aliases if a and a != rec.name),
                properties={
                    k: v for k, v in rec.properties.items() if k not in INTERNAL_PROPERTIES and v is not None
                },
                mentions=max(rec.mentions, 1),
            )
            for rec in graph.entities.values()
            if rec.mentions or rec.key in used
        ]
        relations = []
        for rel in graph.relations:
            if rel.quote is None and rel.type in STANCE_TYPES:
                rel.quote = sentence_quote(graph, rel.sent_start, rel.source)
            sent = graph.sents[graph.sent_index[rel.sent_start]]
            text = sent.text
            lead = len(text) - len(text.lstrip())
            evidence = text.strip()
            start = sent.start_char + lead
            relations.append(
                Relation(
                    type=rel.type,  # type: ignore[arg-type]
                    source=rel.source,
                    target=rel.target,
                    evidence=evidence,
                    quote=rel.quote,
                    char_start=start,
                    char_end=start + len(evidence),
                    confidence=rel.confidence,
                    rule=rel.rule,
                    properties=rel.properties,
                )
            )
        return GraphDelta(id=delta_id, entities=entities, relations=relations, extractor=self.name)


def _headline_lead(article: Article) -> str:
    """What goes before an article's text: its headline and a paragraph break. The loader keeps the
    headline apart from the text, but it names people with their titles ("Detroit Mayor Mike Duggan")
    and says who did what as often as the body does; the extractor reads it as a headline."""
    return f"{article.title}{HEADLINE_BREAK}" if article.title else ""


def _from_body(delta: GraphDelta, lead: int) -> GraphDelta:
    """A delta whose offsets count from the article's text, not from the `lead` characters of headline
    before it: evidence found in the headline itself has no place in the text and gets the empty span
    at 0."""
    if not lead:
        return delta
    moved = []
    for r in delta.relations:
        start, end = (r.char_start - lead, r.char_end - lead) if r.char_start >= lead else (0, 0)
        moved.append(r.model_copy(update={"char_start": start, "char_end": end}))
    return delta.model_copy(update={"relations": moved})


def _text_and_id(article: Article | str, doc_id: str | None) -> tuple[str, str, int]:
    """The text to parse, the delta's id, and how many characters of headline come before the text."""
    if isinstance(article, Article):
        lead = _headline_lead(article)
        return lead + article.text, doc_id or article.name or article.id, len(lead)
    if not isinstance(article, str):
        raise TypeError(f"extract() takes an Article or a str, not {type(article).__name__}")
    return article, doc_id or Article.content_hash(article), 0


@lru_cache(maxsize=4)
def get_extractor(model_name: str = DEFAULT_MODEL) -> Extractor:
    """The process-wide extractor for a model (loading spaCy takes seconds; do it once)."""
    return Extractor(model_name)
