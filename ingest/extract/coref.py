"""Within-article references: titles without names and pronouns.

Deliberately simple and conservative:
- a title with its jurisdiction but no name ("Chicago mayor", "Philadelphia DA") is the person who holds
  that office in the article; when nobody does yet, the next untitled person within two sentences
  (the headline-then-story pattern "Chicago mayor calls ...  Johnson argued ...");
- "the mayor", "the district attorney" is the person most recently mentioned with that title; "the
  commissioner" with no office of that exact title is the one holder of a title ending in it ("Police
  Commissioner"), and nobody when there are two;
- he/his/she/her is the most recent gender-compatible person, preferring subjects: first earlier in
  the same sentence, then the subjects of up to three previous sentences;
- they/their is the most recent coordinated group of people ("Krasner and Bilal");
- "the union", "the agency", "the county party" (and "the teachers' union") is the one organisation named
  earlier whose name carries a word of that description (or whose kind it is); with two candidates it
  stays unresolved;
- "it" acting right after a sentence whose one subject is an organisation is that organisation;
- "the Council", "the City Council" are the story's one longer body ending so ("Seattle City Council"),
  and a plural surname ("both Garzas") is everyone of that name; a plural title ("the councillors") is
  never one holder.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import cast

from spacy.language import Language
from spacy.tokens import Doc, Token

from ingest.extract.lexicons import load_lexicons
from ingest.extract.mentions import ArticleGraph, Mention, get_graph
from ingest.extract.quotes import in_quote

MALE = {"he", "him", "his", "himself"}
FEMALE = {"she", "her", "hers", "herself"}
PLURAL = {"they", "them", "their", "themselves"}
SUBJECT_DEPS = ("nsubj", "nsubjpass")
# a title the article gives nobody binds to a name right after it, with no verb between ("the chairman of
# D.C.'s police union, Matthew Mahl"), or, in a headline, to the body's next name; a name further on is as
# often somebody else ("the appointment of X as the new ICE director. Crane said ...")
BIND_GAP = 8


@dataclass
class _Entry:
    i: int
    sent: int
    keys: tuple[str, ...]
    subject: bool


def _heading(graph: ArticleGraph, sent: int) -> bool:
    """A headline or a subheading: a line that does not end as a sentence does ('Chicago mayor calls
    for protests against ICE')."""
    text = graph.sents[sent].text.strip()
    return sent in graph.headlines or bool(text) and not text.endswith((".", "?", "!", '"', "'", "”"))


def is_subject(tok: Token) -> bool:
    while tok.dep_ == "conj":
        tok = tok.head
    if tok.dep_ in SUBJECT_DEPS:
        return True
    return tok.dep_ == "poss" and tok.head.dep_ in SUBJECT_DEPS


class CoreferenceResolver:
    def __init__(
        self,
        lookback_sentences: int,
        bind_confidence: float,
        descriptions: dict[str, dict[str, list[str]]],
        defaults: dict[str, str] | None = None,
        short_heads: Collection[str] = (),
    ) -> None:
        self.lookback = lookback_sentences
        self.bind_confidence = bind_confidence
        self.descriptions = descriptions
        self.defaults: dict[str, str] = defaults or {}
        self.short_heads = {h.lower() for h in short_heads}

    def __call__(self, doc: Doc) -> Doc:
        graph = get_graph(doc)
        self._bind_offices(doc, graph)
        self._short_names(graph)
        self._family_plurals(graph)
        self._organisations(doc, graph)
        events: list[tuple[int, str, object]] = []
        seen_mentions = set()
        for m in graph.mentions:
            if (
                m.type == "Person"
                and m.start not in seen_mentions
                and graph.sent_index[m.start] not in graph.headlines
            ):
                seen_mentions.add(m.start)
                events.append((m.start, "person", m))
        for r in graph.office_refs:
            if doc[r.end - 1].tag_ in ("NNS", "NNPS"):
                continue  # "the Labor councillors": several holders, never the one named before
            if r.start in graph.refs:
                events.append((r.start, "bound", r))
            elif r.office_key is None:
                events.append((r.start, "title", r))
        for tok in doc:
            if tok.lower_ in MALE | FEMALE | PLURAL and tok.pos_ == "PRON" and not graph.skip(tok.i):
                events.append((tok.i, "pronoun", tok))
        events.sort(key=lambda e: e[0])
        history: list[_Entry] = []
        titles: list[tuple[int, str, tuple[str, ...]]] = sorted(
            (m.start, str(graph.entities[m.key].properties.get("title")), (graph.holders[m.key][-1],))
            for m in graph.mentions
            if m.type == "Office" and graph.holders.get(m.key)
        )
        for i, kind, obj in events:
            sent = graph.sent_index[i]
            if kind == "person":
                m = cast(Mention, obj)
                root = doc[m.start : m.end].root  # type: ignore[attr-defined]
                history.append(_Entry(i, sent, (m.key,), is_subject(root)))  # type: ignore[attr-defined]
            elif kind == "bound":
                keys = graph.refs[i]
                history.append(_Entry(i, sent, keys, is_subject(doc[obj.end - 1])))  # type: ignore[attr-defined]
            elif kind == "title" and obj.status != "current":  # type: ignore[attr-defined]
                # "the former governor": the one person said to have held that office so
                keys = self._holder_by_status(graph, obj.title, obj.status)  # type: ignore[attr-defined]
                if keys:
                    for j in range(obj.start, obj.end):  # type: ignore[attr-defined]
                        graph.refs[j] = keys
                    history.append(_Entry(i, sent, keys, is_subject(doc[obj.end - 1])))  # type: ignore[attr-defined]
            elif kind == "title":
                same: list[tuple[int, tuple[str, ...]]] = [
                    (p, k)
                    for p, t, k in titles
                    if t == obj.title  # type: ignore[attr-defined]
                ]
                if not same:
                    same = self._same_head(titles, str(obj.title))  # type: ignore[attr-defined]
                before = [k for p, k in same if p < i]
                keys = before[-1] if before else (same[0][1] if same else ())
                default = self._default_holder(graph, obj.title)  # type: ignore[attr-defined]
                if default and len({k for _, k in same}) > 1:
                    keys = default  # "the president" among several presidents: the one of the default office
                current = self._holder_by_status(graph, obj.title, "current")  # type: ignore[attr-defined]
                if current and keys and keys != current and self._only_former(graph, keys[0], obj.title):  # type: ignore[attr-defined]
                    keys = current  # "Former Mayor Anderson criticized the mayor's efforts": the sitting one
                if keys:
                    for j in range(obj.start, obj.end):  # type: ignore[attr-defined]
                        graph.refs[j] = keys
                    history.append(_Entry(i, sent, keys, is_subject(doc[obj.end - 1])))  # type: ignore[attr-defined]
            else:
                tok = cast(Token, obj)
                keys = self._pronoun(doc, graph, tok, history)  # type: ignore[arg-type]
                if keys:
                    graph.refs[i] = keys
                    history.append(_Entry(i, sent, keys, is_subject(tok)))  # type: ignore[arg-type]
        self._it_subjects(doc, graph)
        self._it_objects(doc, graph)
        return doc

    @staticmethod
    def _only_former(graph: ArticleGraph, person: str, title: str) -> bool:
        statuses = {
            r.properties.get("status")
            for r in graph.relations
            if r.type == "HOLDS_OFFICE"
            and r.source == person
            and graph.entities[r.target].properties.get("title") == title
        }
        return statuses == {"former"}

    @staticmethod
    def _holder_by_status(graph: ArticleGraph, title: str, status: str) -> tuple[str, ...]:
        people = {
            r.source
            for r in graph.relations
            if r.type == "HOLDS_OFFICE"
            and r.properties.get("status") == status
            and graph.entities[r.target].properties.get("title") == title
        }
        return (people.pop(),) if len(people) == 1 else ()

    @staticmethod
    def _it_subjects(doc: Doc, graph: ArticleGraph) -> None:
        """'The Riverton Police Union endorsed Huxley in 2022. This year it backed his challenger': 'it'
        acting as the subject of a verb, in the sentence right after one whose subject is an
        organisation, is that organisation. Not 'it is ...' or 'it seems ...', nor when a bill or an event
        is named in either sentence before it."""
        for tok in doc:
            if tok.lower_ != "it" or tok.dep_ != "nsubj" or tok.i in graph.refs or graph.skip(tok.i):
                continue
            verb = tok.head
            if verb.pos_ != "VERB" or verb.lemma_ in ("be", "seem", "appear", "take", "remain"):
                continue
            sent = graph.sent_index[tok.i]
            if sent == 0 or any(
                graph.type_of(k) in ("Bill", "Event")
                for i in range(graph.sents[sent].start, tok.i)
                for k in graph.keys_at(i)
            ):
                continue
            before = graph.sents[sent - 1]
            subjects = [
                k
                for t in before
                if t.dep_ in SUBJECT_DEPS and t.head == before.root
                for k in graph.keys_at(t.i)
            ]
            things = {k for t in before for k in graph.keys_at(t.i) if graph.type_of(k) in ("Bill", "Event")}
            if len(subjects) == 1 and graph.type_of(subjects[0]) == "Organization" and not things:
                graph.refs[tok.i] = (subjects[0],)

    @staticmethod
    def _it_objects(doc: Doc, graph: ArticleGraph) -> None:
        """'If the budget keeps the tax increase, he will not support it': 'it' as the object of a verb
        (or of its preposition: 'voted against it') is the bill named last before it in its sentence,
        or else the one bill the sentence before names. Nothing when neither names a bill, or when the
        sentence before names two."""
        for tok in doc:
            if tok.lower_ != "it" or tok.i in graph.refs or graph.skip(tok.i):
                continue
            if not (
                (tok.dep_ == "dobj" and tok.head.pos_ == "VERB")
                or (tok.dep_ == "pobj" and tok.head.head.pos_ == "VERB")
            ):
                continue
            sent = graph.sent_index[tok.i]
            start = graph.sents[sent].start
            here = [k for i in range(start, tok.i) for k in graph.keys_at(i) if graph.type_of(k) == "Bill"]
            if here:
                graph.refs[tok.i] = (here[-1],)
                continue
            if sent == 0:
                continue
            before = {
                k for t in graph.sents[sent - 1] for k in graph.keys_at(t.i) if graph.type_of(k) == "Bill"
            }
            if len(before) == 1:
                graph.refs[tok.i] = (before.pop(),)

    @staticmethod
    def _same_head(
        titles: list[tuple[int, str, tuple[str, ...]]], title: str
    ) -> list[tuple[int, tuple[str, ...]]]:
        """'Police Commissioner Ada Lowe ... the commissioner': a one-word title with no office of exactly
        that title is the one person whose office title ends in it, or begins with it before 'of' ('Chief
        of Police ... the chief'); with two such people, nobody."""
        if len(title.split()) != 1:
            return []
        head = title.lower()
        same = [
            (p, k)
            for p, t, k in titles
            if t.split() and (t.split()[-1].lower() == head or t.lower().startswith(f"{head} of "))
        ]
        return same if len({k for _, k in same}) == 1 else []

    def _default_holder(self, graph: ArticleGraph, title: str) -> tuple[str, ...]:
        office = self.defaults.get(title)
        if office is None:
            return ()
        for key, people in graph.holders.items():
            if graph.entities[key].name == office and people:
                return (people[-1],)
        return ()

    @staticmethod
    def _family_plurals(graph: ArticleGraph) -> None:
        """'both Garzas' after José Garza and Delia Garza: a plural surname is everyone of that name."""
        people = [(k, rec.name.split()) for k, rec in graph.entities.items() if rec.type == "Person"]
        for key, words in people:
            if len(words) != 1 or not words[0].endswith("s"):
                continue
            plural = words[0]
            stems = {plural[:-1], plural[:-2]} if plural.endswith("es") else {plural[:-1]}
            family = tuple(k for k, w in people if k != key and len(w) > 1 and w[-1] in stems)
            if len(family) < 2:
                continue
            for m in [m for m in graph.mentions if m.key == key]:
                graph.drop_mention(m)
                for i in range(m.start, m.end):
                    graph.refs[i] = family

    def _short_names(self, graph: ArticleGraph) -> None:
        """'the Council' and 'the City Council' in a story about the Seattle City Council are that body.

        An organisation whose whole name ends the names of longer organisations of the story, all of them
        nested in the longest ('Council' < 'City Council' < 'Seattle City Council'), is folded into the
        longest, provided its last word is an organisation head ('Council', 'Senate'): 'House' is not
        folded into 'White House'. Two different longer names ('Seattle City Council', 'King County
        Council') leave it alone."""
        orgs = [k for k, rec in graph.entities.items() if rec.type == "Organization"]
        words = {k: graph.entities[k].name.lower().split() for k in orgs}
        for short in orgs:
            w = words[short]
            if not w or w[-1] not in self.short_heads:
                continue
            longer = sorted(
                (k for k in orgs if k != short and len(words[k]) > len(w) and words[k][-len(w) :] == w),
                key=lambda k: len(words[k]),
            )
            if not longer:
                continue
            longest = words[longer[-1]]
            if all(longest[-len(words[k]) :] == words[k] for k in longer):
                graph.merge_entity(short, longer[-1])
                words[short] = []  # folded: it is no longer a candidate

    def _organisations(self, doc: Doc, graph: ArticleGraph) -> None:
        """'The union said ...' after 'the Madison Renters Union': the only earlier organisation it can be.

        The description must be definite ('the union', 'the county party'), every modifier must be a word
        of the candidate's name, and exactly one organisation mentioned before it may qualify.
        """
        # a headline's "Teachers Union Backs Carver" is itself a description, not a name to refer back to
        orgs = sorted(
            (
                m
                for m in graph.mentions
                if m.type == "Organization" and graph.sent_index[m.start] not in graph.headlines
            ),
            key=lambda m: m.start,
        )
        if not orgs:
            return
        for tok in doc:
            entry = self.descriptions.get(tok.lower_)
            if (
                entry is None
                or tok.pos_ != "NOUN"
                or tok.i in graph.token_mention
                or tok.i in graph.refs
                or graph.skip(tok.i)
            ):
                continue
            lefts = [c for c in tok.lefts]
            # "the teachers' union": a genitive that describes the kind, with the article on it
            described = [
                c
                for c in lefts
                if c.dep_ == "poss"
                and c.pos_ == "NOUN"
                and c.tag_ == "NNS"
                and any(d.dep_ == "det" and d.lower_ == "the" for d in c.children)
            ]
            if not described and not any(c.dep_ == "det" and c.lower_ == "the" for c in lefts):
                continue
            if any(c.dep_ == "poss" and c not in described for c in lefts) or (
                tok.i + 1 < len(doc) and doc[tok.i + 1].text == "of"
            ):
                continue  # "the union of ...", "its union": not a back-reference
            modifiers = [c.lower_ for c in lefts if c.dep_ in ("compound", "amod", "nmod")]
            words, kinds = set(entry["words"]), set(entry["kinds"])
            # the genitive must be a word of the kind ("teachers" for a union) or of the name
            modifiers += [c.lower_ for c in described if c.lower_ not in words]
            candidates: set[str] = set()
            for m in orgs:
                if m.start >= tok.i:
                    break
                rec = graph.entities[m.key]
                names = [
                    " ".join(w.lower().strip(".,'") for w in n.split()) for n in (rec.name, *rec.aliases)
                ]
                name_words = {w for n in names for w in n.split()}
                fits = any(f" {w} " in f" {n} " for w in words for n in names)
                fits = fits or rec.properties.get("kind") in kinds
                if fits and all(w in name_words for w in modifiers):
                    candidates.add(m.key)
            if len(candidates) == 1:
                graph.refs[tok.i] = (candidates.pop(),)

    def _bind_offices(self, doc: Doc, graph: ArticleGraph) -> None:
        person_mentions = sorted((m for m in graph.mentions if m.type == "Person"), key=lambda m: m.start)
        office_holders = {p for people in graph.holders.values() for p in people}
        for ref in graph.office_refs:
            if ref.office_key is None or doc[ref.end - 1].tag_ in ("NNS", "NNPS"):
                continue  # "the Labor councillors": several holders, never the one named before
            people = graph.holders.get(ref.office_key)
            if not people:
                sent = graph.sent_index[ref.start]
                nxt = next(
                    (
                        m
                        for m in person_mentions
                        if m.start >= ref.end
                        and m.key not in office_holders
                        and (
                            (
                                m.start - ref.end <= BIND_GAP
                                and graph.sent_index[m.start] == sent
                                and not any(t.pos_ in ("VERB", "AUX") for t in doc[ref.end : m.start])
                            )
                            or (_heading(graph, sent) and graph.sent_index[m.start] <= sent + 2)
                        )
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
        keys = self._gendered(graph, tok, history, gender)
        if len(keys) == 1 and graph.entities[keys[0]].gender is None:
            # once unambiguously called "he", never "she" in this article: only when nobody else was in sight
            nearby = {k for e in history if sent - 1 <= e.sent <= sent for k in e.keys}
            if nearby == set(keys):
                graph.entities[keys[0]].gender = gender
        return keys

    def _gendered(
        self, graph: ArticleGraph, tok: Token, history: list[_Entry], gender: str
    ) -> tuple[str, ...]:
        """Same sentence first (never from inside a quote for a pronoun outside it: '"... his friends,"
        she said'); then earlier sentences, where someone known to be of that gender (a first name, an
        earlier he/she) wins over someone whose gender is unknown."""
        sent = graph.sent_index[tok.i]
        outside = not in_quote(graph, tok)

        def ok(e: _Entry, strict: bool = False) -> bool:
            if len(e.keys) != 1:
                return False
            known = graph.entities[e.keys[0]].gender
            return known == gender if strict else known in (None, gender)

        controller = self._controller(graph, tok, gender)
        if controller is not None:
            return (controller,)
        coargument = self._coargument(graph, tok)
        same = [
            e
            for e in history
            if e.sent == sent
            and e.i < tok.i
            and ok(e)
            and not (outside and in_quote(graph, tok.doc[e.i]))
            and e.i not in coargument
        ]
        if same:
            subjects = [e for e in same if e.subject]
            return (subjects or same)[-1].keys
        for strict in (True, False):
            for n in range(sent - 1, max(-1, sent - 1 - self.lookback), -1):
                subjects = [e for e in history if e.sent == n and e.subject and ok(e, strict)]
                if subjects:
                    return subjects[0].keys
                if n == sent - 1:
                    previous = [e for e in history if e.sent == n and ok(e, strict)]
                    if strict and previous:
                        return previous[-1].keys
        previous = [e for e in history if e.sent == sent - 1 and ok(e)]
        return previous[-1].keys if previous else ()

    @staticmethod
    def _coargument(graph: ArticleGraph, tok: Token) -> set[int]:
        """'Blake condemned him': an object pronoun is never its own verb's subject (that would be
        'herself'); the first tokens of the subject's mentions, which history entries start at."""
        if tok.dep_ not in ("dobj", "dative", "pobj"):
            return set()
        verb = tok.head.head if tok.dep_ == "pobj" else tok.head
        starts = set()
        for c in verb.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                for t in c.subtree:
                    m = graph.token_mention.get(t.i)
                    if m is not None:
                        starts.add(m.start)
        return starts

    @staticmethod
    def _controller(graph: ArticleGraph, tok: Token, gender: str) -> str | None:
        """'urged McConnell to reconsider his opposition': in a 'to' clause under a verb with a person as
        object, the pronoun is that object's (object control), not the subject's."""
        for anc in tok.ancestors:
            if anc.dep_ != "xcomp":
                continue
            objects = [c for c in anc.head.children if c.dep_ == "dobj" and c.i < anc.i]
            people = [
                k
                for o in objects
                for k in graph.keys_at(o.i)
                if graph.type_of(k) == "Person" and graph.entities[k].gender in (None, gender)
            ]
            return people[0] if len(people) == 1 else None
        return None

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


@Language.factory(
    "kg_coref", default_config={"lookback_sentences": 3, "bind_confidence": 0.6, "lexicon_dir": None}
)
def make_coref(
    nlp: Language, name: str, lookback_sentences: int, bind_confidence: float, lexicon_dir: str | None
) -> CoreferenceResolver:
    lexicons = load_lexicons(lexicon_dir)
    descriptions = lexicons.organizations.get("descriptions", {})
    defaults = {e["title"]: e["default"] for e in lexicons.offices["titles"].values() if "default" in e}
    # a body's short name ends in one of its head nouns; 'Senate' and 'Assembly' name chambers
    heads = [*lexicons.organizations.get("name_heads", []), "Senate", "Assembly"]
    return CoreferenceResolver(lookback_sentences, bind_confidence, descriptions, defaults, heads)
