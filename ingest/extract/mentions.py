"""The per-article working state the pipeline components share: entities, mentions, references, relations.

Each component reads what earlier ones found and adds its own; the `Extractor` turns the final state
into a `GraphDelta`. The state lives on `doc._.kg`, so it travels with the Doc through `nlp.pipe`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ingest.models import entity_id

FURNITURE_PREFIXES = ("«", "»", "Related:", "Read more", "READ MORE", "Photo:", "Image:")


@dataclass
class EntityRecord:
    key: str
    type: str
    name: str
    aliases: set[str] = field(default_factory=set)
    properties: dict[str, str | int | float | bool | None] = field(default_factory=dict)
    mentions: int = 0
    gender: str | None = None


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    key: str
    type: str


@dataclass
class RelationRecord:
    type: str
    source: str
    target: str
    sent_start: int  # token index of the evidence sentence's first token
    confidence: float
    rule: str
    quote: str | None = None
    properties: dict[str, str | int | float | bool | None] = field(default_factory=dict)


@dataclass(frozen=True)
class QuoteSpan:
    start_char: int
    end_char: int  # exclusive, without the quote marks
    text: str


@dataclass
class Quote:
    span: QuoteSpan
    sent_start: int
    speakers: tuple[str, ...]


@dataclass
class OfficeRef:
    """A title seen without a name of its own: 'the mayor', 'Chicago mayor', 'the district attorney'."""

    start: int
    end: int
    title: str  # canonical title ('Mayor')
    office_key: str | None  # set when the mention carries its jurisdiction
    status: str = "current"  # 'former' in "the former governor"


class ArticleGraph:
    """Everything found in one article so far."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc.text
        self.entities: dict[str, EntityRecord] = {}
        self.mentions: list[Mention] = []
        self.token_mention: dict[int, Mention] = {}
        self.refs: dict[int, tuple[str, ...]] = {}  # token -> entities it refers to (pronouns, descriptions)
        self.relations: list[RelationRecord] = []
        self.quotes: list[Quote] = []
        self.quote_spans: list[QuoteSpan] | None = None
        self.quoted_tokens: set[int] | None = None
        self.claimed: set[int] = set()  # tokens inside organisation names and titles
        self.office_refs: list[OfficeRef] = []
        self.holders: dict[str, list[str]] = {}  # office key -> person keys
        self.last_reaction: tuple[int, tuple[str, ...]] | None = None  # (sentence idx, targets)
        self.statement_owners: list[tuple[int, str, str]] | None = None  # see ArgumentResolver._owner
        self.sents: list[Span] = list(doc.sents)
        self.sent_index: list[int] = [0] * len(doc)
        for n, sent in enumerate(self.sents):
            for i in range(sent.start, sent.end):
                self.sent_index[i] = n
        self.furniture: set[int] = {n for n, s in enumerate(self.sents) if _is_furniture(s)}
        self.headlines: set[int] = {n for n, s in enumerate(self.sents) if _is_headline(s)}
        # the article's own headline, its first line, as against a header line in the body
        first_line = doc.text.find("\n")
        self.title_sents: set[int] = {n for n in self.headlines if self.sents[n].start_char < first_line}

    # entities -------------------------------------------------------------------------------
    def add_entity(
        self,
        type_: str,
        name: str,
        *,
        alias: str | None = None,
        properties: dict[str, str | int | float | bool | None] | None = None,
        gender: str | None = None,
    ) -> str:
        key = entity_id(type_, name)
        rec = self.entities.get(key)
        if rec is None:
            rec = self.entities[key] = EntityRecord(key=key, type=type_, name=name)
        if alias and alias != rec.name:
            rec.aliases.add(alias)
        if properties:
            for k, v in properties.items():
                rec.properties.setdefault(k, v)
        if gender and not rec.gender:
            rec.gender = gender
        return key

    def add_mention(self, start: int, end: int, key: str) -> Mention:
        rec = self.entities[key]
        m = Mention(start, end, key, rec.type)
        self.mentions.append(m)
        rec.mentions += 1
        for i in range(start, end):
            self.token_mention[i] = m
        return m

    def drop_mention(self, m: Mention) -> None:
        """Forget a mention that turned out to be part of something else's name."""
        if m not in self.mentions:
            return
        self.mentions.remove(m)
        self.entities[m.key].mentions -= 1
        for i in range(m.start, m.end):
            if self.token_mention.get(i) is m:
                del self.token_mention[i]

    def merge_entity(self, old: str, new: str) -> None:
        """Fold entity `old` into `new`: its mentions, references and relations become new's, and its
        name and aliases new's aliases ("Council" into "Seattle City Council")."""
        if old == new or old not in self.entities or new not in self.entities:
            return
        gone, kept = self.entities.pop(old), self.entities[new]
        kept.aliases |= ({gone.name} | gone.aliases) - {kept.name}
        kept.mentions += gone.mentions
        for n, m in enumerate(self.mentions):
            if m.key == old:
                self.mentions[n] = moved = Mention(m.start, m.end, new, kept.type)
                for i in range(m.start, m.end):
                    self.token_mention[i] = moved
        for i, keys in self.refs.items():
            if old in keys:
                self.refs[i] = tuple(dict.fromkeys(new if k == old else k for k in keys))
        for r in self.relations:
            r.source = new if r.source == old else r.source
            r.target = new if r.target == old else r.target

    def keys_at(self, i: int) -> tuple[str, ...]:
        if i in self.refs:
            return self.refs[i]
        m = self.token_mention.get(i)
        return (m.key,) if m else ()

    def prep_objects(self, tok: Token, preps: Collection[str] | None, type_: str) -> list[str]:
        """Entities of one type that the objects of tok's prepositions name ('a candidate in the race',
        'the veto of the budget'); any preposition when preps is None."""
        return [
            k
            for p in tok.children
            if p.dep_ == "prep" and (preps is None or p.lower_ in preps)
            for o in p.children
            if o.dep_ == "pobj"
            for k in self.keys_at(o.i)
            if self.type_of(k) == type_
        ]

    def type_of(self, key: str) -> str:
        return self.entities[key].type

    # relations ------------------------------------------------------------------------------
    def add_relation(
        self,
        type_: str,
        source: str,
        target: str,
        token: Token | int,
        *,
        confidence: float,
        rule: str,
        properties: dict[str, str | int | float | bool | None] | None = None,
    ) -> None:
        """One assertion per (type, source, target, sentence); never an entity about itself."""
        if source == target:
            return
        i = token if isinstance(token, int) else token.i
        sent_start = self.sents[self.sent_index[i]].start
        for r in self.relations:
            if (r.type, r.source, r.target, r.sent_start) == (type_, source, target, sent_start):
                r.confidence = max(r.confidence, confidence)
                return
        self.relations.append(
            RelationRecord(
                type_,
                source,
                target,
                sent_start,
                round(confidence, 3),
                rule,
                properties=dict(properties or {}),
            )
        )

    def hold_office(
        self, person: str, office: str, token: Token | int, *, confidence: float, rule: str, status: str
    ) -> None:
        """Record that person holds office: among the office's holders and as a HOLDS_OFFICE relation."""
        holders = self.holders.setdefault(office, [])
        if person not in holders:
            holders.append(person)
        self.add_relation(
            "HOLDS_OFFICE",
            person,
            office,
            token,
            confidence=confidence,
            rule=rule,
            properties={"status": status},
        )

    def skip(self, i: int) -> bool:
        """Page furniture ('« Related story') never yields entities or relations."""
        return self.sent_index[i] in self.furniture

    # article-level views ----------------------------------------------------------------------
    def place_counts(self) -> Counter[str]:
        """How often each place is named, leaving out party-and-place tags: in "Rep. Greg Landry
        (R-Fla.)" Florida is his district's state, not where the story happens."""
        return Counter(
            self.entities[m.key].name
            for m in self.mentions
            if m.type == "Place" and not self._in_party_tag(m)
        )

    def _in_party_tag(self, m: Mention) -> bool:
        doc = self.doc
        return (
            m.start >= 3
            and doc[m.start - 1].text == "-"
            and doc[m.start - 2].text in ("R", "D", "I")
            and doc[m.start - 3].text == "("
        )


def _is_furniture(sent: Span) -> bool:
    text = sent.text.strip()
    return text.startswith(FURNITURE_PREFIXES)


def _is_headline(sent: Span) -> bool:
    """A title-case line without final punctuation ('Chicago Mayor Seeks to Clarify Order')."""
    words = [t for t in sent if t.is_alpha and len(t) > 3 and not t.is_stop]
    text = sent.text.strip()
    if not words or text.endswith((".", "?", "!", '"', "'")):
        return False
    capital = sum(1 for t in words if t.text[0].isupper())
    return len(words) >= 2 and capital / len(words) >= 0.8


def get_graph(doc: Doc) -> ArticleGraph:
    graph = doc._.kg
    if graph is None:
        graph = ArticleGraph(doc)
        doc._.kg = graph
    return graph


if not Doc.has_extension("kg"):
    Doc.set_extension("kg", default=None)
