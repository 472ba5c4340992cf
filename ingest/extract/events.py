"""Events: rallies, protests, shootings, raids, impeachment attempts, hearings.

An event is a noun phrase headed by an event noun (or "attempt"/"incident" with an event compound:
"impeachment attempt", "shooting incident"). Ambiguous nouns ("debate", "strike") count only with a
qualifying modifier ("presidential debate"). Mentions with the same core ("2022 impeachment attempt")
are one event; the name keeps the core, aliases add the first prepositional phrase
("rally in front of City Hall").
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token

from ingest.extract.lexicons import Lexicons, load_lexicons
from ingest.extract.mentions import ArticleGraph, get_graph
from ingest.extract.organizations import clean_text

CORE_DEPS = ("compound", "nummod", "amod", "nmod")
POSSESSOR_CONFIDENCE = 0.7
PP_HEADS = ("in", "at", "against", "over", "outside", "near", "on", "of", "for")


class EventRecognizer:
    def __init__(self, lexicons: Lexicons) -> None:
        lex = lexicons.events
        self.nouns: dict[str, str] = lex["nouns"]
        self.compound_heads: dict[str, list[str]] = lex["compound_heads"]
        self.strict = set(lex["strict_nouns"])
        self.second_words = {n.split()[-1] for n in self.nouns if " " in n}
        self.single_kinds = list(lex.get("single_kinds", []))

    def __call__(self, doc: Doc) -> Doc:
        graph = get_graph(doc)
        for tok in doc:
            if (
                tok.pos_ != "NOUN"
                or tok.dep_ == "compound"
                or tok.i in graph.token_mention
                or graph.skip(tok.i)
            ):
                continue
            kind = self._kind(doc, tok)
            if kind is not None:
                self._add(doc, graph, tok, kind)
        self._one_per_story(graph)
        return doc

    def _one_per_story(self, graph: ArticleGraph) -> None:
        """'the Boston Teachers Union vote of no confidence', 'a vote of no confidence in Superintendent
        Cassellius', 'that vote': a story tells of one vote of no confidence, so its mentions are one event,
        under its longest name."""
        for kind in self.single_kinds:
            same = [
                k
                for k, rec in graph.entities.items()
                if rec.type == "Event" and rec.properties.get("kind") == kind
            ]
            if len(same) < 2:
                continue
            keep = max(same, key=lambda k: (len(graph.entities[k].name), k))
            for k in same:
                graph.merge_entity(k, keep)

    def _kind(self, doc: Doc, tok: Token) -> str | None:
        lemma = tok.lemma_.lower()
        if (
            lemma not in self.nouns
            and lemma not in self.compound_heads
            and tok.lower_ not in self.second_words
        ):
            return None
        prev = doc[tok.i - 1] if tok.i else None
        if prev is not None and f"{prev.lower_} {tok.lower_}" in self.nouns:
            return self.nouns[f"{prev.lower_} {tok.lower_}"]
        mods = {c.lower_ for c in tok.lefts if c.dep_ in CORE_DEPS}
        mods |= {c.lower_ for c in tok.lefts if c.dep_ == "poss" and c.pos_ == "NOUN"}  # "governor's race"
        of_objects = [
            o
            for p in tok.rights
            if p.dep_ == "prep" and p.lower_ == "of"
            for o in p.children
            if o.dep_ == "pobj"
        ]
        for_objects = [
            o
            for p in tok.rights
            if p.dep_ == "prep" and p.lower_ == "for"
            for o in p.children
            if o.dep_ == "pobj"
        ]
        if lemma == "election" and any(c.ent_type_ == "DATE" for c in tok.lefts if c.dep_ in CORE_DEPS):
            return self.nouns.get(lemma, "election")  # "the Nov. 8 election": a dated one
        if lemma in self.compound_heads:
            hit = mods & set(self.compound_heads[lemma])
            # "a vote of no confidence in Chief McManus", "the race for mayor": the qualifier after the noun
            hit |= {o.lower_ for o in of_objects + for_objects} & set(self.compound_heads[lemma])
            if hit:  # a "governor's race" is an election; an "impeachment vote" an impeachment
                first = sorted(hit)[0]
                return self.nouns.get(lemma) or self.nouns.get(first, first)
            return None
        if lemma not in self.nouns:
            return None
        if lemma in self.strict:
            # "the firing of Police Chief Thomas Glover": what happened to somebody named is an event
            # ("the firing of now-former superintendent Scott Baker": the name may hang on the title)
            named = any(
                k
                for o in of_objects
                for t in (o, *(c for c in o.children if c.dep_ in ("compound", "appos")))
                for k in self._graph_keys(t)
            )
            return self.nouns[lemma] if named else None
        return self.nouns[lemma]

    def _graph_keys(self, tok: Token) -> tuple[str, ...]:
        graph = get_graph(tok.doc)
        return tuple(k for k in graph.keys_at(tok.i) if graph.type_of(k) in ("Person", "Organization"))

    def _add(self, doc: Doc, graph: ArticleGraph, tok: Token, kind: str) -> None:
        mods = [c for c in tok.lefts if c.dep_ in CORE_DEPS]
        # "George Floyd's killing", "Gascon's recall": a named possessor is part of what happened
        mods += [c for c in tok.lefts if c.dep_ == "poss" and graph.keys_at(c.i) and c.pos_ == "PROPN"]
        qualifiers = set(self.compound_heads.get(tok.lemma_.lower(), []))
        mods += [c for c in tok.lefts if c.dep_ == "poss" and c.pos_ == "NOUN" and c.lower_ in qualifiers]
        start = min([tok.i] + [t.i for c in mods for t in c.subtree])
        while start < tok.i and (
            doc[start].is_punct or doc[start].tag_ == "POS" or doc[start].lower_ == "the"
        ):
            start += 1
        core = clean_text(doc[start : tok.i + 1])
        aliases = {core}
        pp = next((c for c in tok.rights if c.dep_ == "prep" and c.lower_ in PP_HEADS), None)
        if pp is not None:
            end = max(t.i for t in pp.subtree) + 1
            obj = next((o for o in pp.children if o.dep_ == "pobj"), None)
            if end - tok.i > 10 and obj is not None:
                end = obj.i + 1  # "vote of no confidence (on district superintendent Maria ...)"
            if end - tok.i <= 10:
                aliases.add(clean_text(doc[start:end]))
        if (
            start == tok.i
            and len(aliases) > 1
            and (tok.lemma_.lower() in self.strict or tok.lemma_.lower() in self.compound_heads)
        ):
            # a bare "vote" or "firing" names nothing on its own: "vote of no confidence in Chief McManus"
            core = max(aliases, key=len)
        core_key = core.lower()
        key = next(
            (
                k
                for k, rec in graph.entities.items()
                if rec.type == "Event" and rec.properties.get("core") == core_key
            ),
            None,
        )
        if key is None:
            key = graph.add_entity("Event", core, properties={"kind": kind, "core": core_key})
        graph.entities[key].aliases.update(a for a in aliases if a != graph.entities[key].name)
        # "George Floyd's killing": the possessor took part in it, or underwent it; "the Boston Teachers
        # Union vote", "an ICE raid": so did a named body or person the event is named by (not the
        # body of an election's seat: "the Kentucky Senate primary")
        parties = [
            k
            for c in mods
            if c.dep_ == "poss"
            or (c.dep_ == "compound" and c.pos_ == "PROPN" and c.i + 1 == tok.i and kind != "election")
            for k in graph.keys_at(c.i)
            if graph.type_of(k) in ("Person", "Organization")
        ]
        graph.add_mention(start, tok.i + 1, key)
        for k in dict.fromkeys(parties):
            graph.add_relation(
                "INVOLVED_IN", k, key, tok, confidence=POSSESSOR_CONFIDENCE, rule="event.possessor"
            )


@Language.factory("kg_events", default_config={"lexicon_dir": None})
def make_events(nlp: Language, name: str, lexicon_dir: str | None) -> EventRecognizer:
    return EventRecognizer(load_lexicons(lexicon_dir))
