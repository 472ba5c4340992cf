"""Within-article references: titles without names and pronouns.

Deliberately simple and conservative:
- a title with its jurisdiction but no name ("Chicago mayor", "Philadelphia DA") is the person who holds
  that office in the article; when nobody does yet, the next untitled person within two sentences
  (the headline-then-story pattern "Chicago mayor calls ...  Johnson argued ...");
- "the mayor", "the district attorney" is the person most recently mentioned with that title;
- he/his/she/her is the most recent gender-compatible person, preferring subjects: first earlier in
  the same sentence, then the subjects of up to three previous sentences;
- they/their is the most recent coordinated group of people ("Krasner and Bilal").
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Token

from ingest.extract.mentions import ArticleGraph, get_graph

MALE = {"he", "him", "his", "himself"}
FEMALE = {"she", "her", "hers", "herself"}
PLURAL = {"they", "them", "their", "themselves"}
SUBJECT_DEPS = ("nsubj", "nsubjpass")


@dataclass
class _Entry:
    i: int
    sent: int
    keys: tuple[str, ...]
    subject: bool


def is_subject(tok: Token) -> bool:
    while tok.dep_ == "conj":
        tok = tok.head
    if tok.dep_ in SUBJECT_DEPS:
        return True
    return tok.dep_ == "poss" and tok.head.dep_ in SUBJECT_DEPS


class CoreferenceResolver:
    def __init__(self, lookback_sentences: int, bind_confidence: float) -> None:
        self.lookback = lookback_sentences
        self.bind_confidence = bind_confidence

    def __call__(self, doc: Doc) -> Doc:
        graph = get_graph(doc)
        self._bind_offices(doc, graph)
        events: list[tuple[int, str, object]] = []
        seen_mentions = set()
        for m in graph.mentions:
            if m.type == "Person" and m.start not in seen_mentions:
                seen_mentions.add(m.start)
                events.append((m.start, "person", m))
        for r in graph.office_refs:
            if r.start in graph.refs:
                events.append((r.start, "bound", r))
            elif r.office_key is None:
                events.append((r.start, "title", r))
        for tok in doc:
            if tok.lower_ in MALE | FEMALE | PLURAL and tok.pos_ == "PRON" and not graph.skip(tok.i):
                events.append((tok.i, "pronoun", tok))
        events.sort(key=lambda e: e[0])
        history: list[_Entry] = []
        titles = sorted(
            (m.start, str(graph.entities[m.key].properties.get("title")), (graph.holders[m.key][-1],))
            for m in graph.mentions
            if m.type == "Office" and graph.holders.get(m.key)
        )
        for i, kind, obj in events:
            sent = graph.sent_index[i]
            if kind == "person":
                m = obj
                root = doc[m.start : m.end].root  # type: ignore[attr-defined]
                history.append(_Entry(i, sent, (m.key,), is_subject(root)))  # type: ignore[attr-defined]
            elif kind == "bound":
                keys = graph.refs[i]
                history.append(_Entry(i, sent, keys, is_subject(doc[obj.end - 1])))  # type: ignore[attr-defined]
            elif kind == "title":
                same = [(p, k) for p, t, k in titles if t == obj.title]  # type: ignore[attr-defined]
                before = [k for p, k in same if p < i]
                keys = before[-1] if before else (same[0][1] if same else ())
                if keys:
                    for j in range(obj.start, obj.end):  # type: ignore[attr-defined]
                        graph.refs[j] = keys
                    history.append(_Entry(i, sent, keys, is_subject(doc[obj.end - 1])))  # type: ignore[attr-defined]
            else:
                tok = obj
                keys = self._pronoun(doc, graph, tok, history)  # type: ignore[arg-type]
                if keys:
                    graph.refs[i] = keys
                    history.append(_Entry(i, sent, keys, is_subject(tok)))  # type: ignore[arg-type]
        return doc

    def _bind_offices(self, doc: Doc, graph: ArticleGraph) -> None:
        person_mentions = sorted((m for m in graph.mentions if m.type == "Person"), key=lambda m: m.start)
        office_holders = {p for people in graph.holders.values() for p in people}
        for ref in graph.office_refs:
            if ref.office_key is None:
                continue
            people = graph.holders.get(ref.office_key)
            if not people:
                sent = graph.sent_index[ref.start]
                nxt = next(
                    (
                        m
                        for m in person_mentions
                        if m.start > ref.end
                        and graph.sent_index[m.start] <= sent + 2
                        and m.key not in office_holders
                    ),
                    None,
                )
                if nxt is None:
                    continue
                people = graph.holders[ref.office_key] = [nxt.key]
                office_holders.add(nxt.key)
                graph.add_relation(
                    "HOLDS_OFFICE",
                    nxt.key,
                    ref.office_key,
                    ref.start,
                    confidence=self.bind_confidence,
                    rule="coref.office_binding",
                    properties={"status": "current"},
                )
            for j in range(ref.start, ref.end):
                graph.refs[j] = (people[-1],)
            m = graph.token_mention.get(ref.start)
            if m is not None:
                graph.refs[m.start] = (people[-1],)

    def _pronoun(self, doc: Doc, graph: ArticleGraph, tok: Token, history: list[_Entry]) -> tuple[str, ...]:
        lower = tok.lower_
        sent = graph.sent_index[tok.i]
        if lower in PLURAL:
            for n in range(sent, max(-1, sent - 3), -1):
                groups = self._groups(doc, graph, n, tok.i)
                if groups:
                    return groups[-1]
            return ()
        gender = "m" if lower in MALE else "f"

        def ok(e: _Entry) -> bool:
            return len(e.keys) == 1 and graph.entities[e.keys[0]].gender in (None, gender)

        same = [e for e in history if e.sent == sent and e.i < tok.i and ok(e)]
        if same:
            subjects = [e for e in same if e.subject]
            return (subjects or same)[-1].keys
        for n in range(sent - 1, max(-1, sent - 1 - self.lookback), -1):
            subjects = [e for e in history if e.sent == n and e.subject and ok(e)]
            if subjects:
                return subjects[0].keys
        previous = [e for e in history if e.sent == sent - 1 and ok(e)]
        return previous[-1].keys if previous else ()

    @staticmethod
    def _groups(doc: Doc, graph: ArticleGraph, n: int, before: int) -> list[tuple[str, ...]]:
        """Coordinated people in sentence n ('Krasner and Bilal'), before token `before`."""
        out = []
        sent = graph.sents[n]
        for tok in sent:
            if tok.i >= before or tok.dep_ == "conj":
                continue
            members = [tok] + [c for c in tok.conjuncts if c.i > tok.i]
            keys: list[str] = []
            for member in members:
                for k in graph.keys_at(member.i):
                    if graph.type_of(k) == "Person" and k not in keys:
                        keys.append(k)
            if len(keys) >= 2 and len(members) >= 2:
                out.append(tuple(keys))
        return out


@Language.factory("kg_coref", default_config={"lookback_sentences": 3, "bind_confidence": 0.6})
def make_coref(
    nlp: Language, name: str, lookback_sentences: int, bind_confidence: float
) -> CoreferenceResolver:
    return CoreferenceResolver(lookback_sentences, bind_confidence)
