"""Attributed statements: stance carried by what a quote or reported speech says, not by its verb.

News reports most stances with a neutral verb: '"He is not meeting the moment," Torres said of the
mayor', 'Lopez said the order was "a political stunt"'. The verb rules in `stance.py` see nothing there.
This component runs after them and treats every attributed statement alike:

1. A statement is a quote with a speaker (`quotes.py`, plus a quote that continues the previous one
   in the same paragraph), or the clause of a speech verb ("Klein said the budget was immoral").
2. Its candidate targets: what the speech verb names ("said of the mayor", "in response to Lyons"), and
   the entities the statement is about: the subject of one of its clauses, or that subject's owner
   ("Krasner's plan is reckless"). Victims (objects, passive subjects) are not targets; a person spoken
   to in the first person ("we oppose the budget") is handled as a stance verb inside the quote.
3. One decision per (speaker, target): the valence of the clause that mentions the target, from the
   VADER lexicon (`vaderSentiment`, with its own negation and intensifier rules), decides CRITICIZED or
   ENDORSED; a named addressee with no clear valence is RESPONDED_TO; anything else gives nothing.

A statement never overrides an explicit stance of the same speaker on the same target nearby.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ingest.extract.arguments import ArgumentResolver
from ingest.extract.lexicons import Lexicons, load_lexicons
from ingest.extract.mentions import ArticleGraph, get_graph
from ingest.extract.quotes import TRIM, in_quote
from ingest.extract.valence import absent, valence

ACTOR_TYPES = ("Person", "Organization")
TARGET_TYPES = ("Person", "Organization", "Office", "Bill", "Event")
SUBJECT_DEPS = ("nsubj", "csubj")
FIRST_PERSON = {"i", "we"}
EXPLICIT_PREPS = ("of", "about")
FRAME_DEPS = ("neg", "advmod", "acomp", "attr", "oprd", "aux", "auxpass", "amod", "expl", "nsubj", "npadvmod")
VERDICT = 0.3  # how clearly an 'it is <adjective> that' adjective must lean to decide alone
AIDE_NOUNS = {"spokesman", "spokeswoman", "spokesperson", "aide", "adviser", "advisor", "secretary", "lawyer"}
EXECUTIVE_TITLES = {"Mayor", "Governor", "County Executive", "County Judge"}
DEPARTMENT_HEADS = {"Department", "Office", "Agency", "Police", "Authority"}


@dataclass
class Statement:
    speakers: tuple[str, ...]
    start: int  # content tokens [start, end)
    end: int
    verb: Token | None
    quote: str | None
    explicit: list[str] = field(default_factory=list)


class StatementStance:
    def __init__(self, lexicons: Lexicons) -> None:
        lex = lexicons.stance
        cfg = lex["statements"]
        self.speech_verbs = set(lexicons.people["speech_verbs"])
        self.negative_threshold = float(cfg["negative_threshold"])
        self.positive_threshold = float(cfg["positive_threshold"])
        self.negation_lean = float(cfg["negation_lean"])
        self.response_nouns = set(cfg["response_nouns"])
        self.conf = float(cfg["confidence"])
        self.verbs: dict[str, str] = lex["verbs"]
        self.phrasal: dict[str, str] = lex["phrasal_verbs"]
        self.prep_targets: dict[str, list[str]] = lex["prepositional_targets"]
        self.args = ArgumentResolver(lexicons)

    def __call__(self, doc: Doc) -> Doc:
        graph = get_graph(doc)
        explicit = {
            (r.source, r.target, graph.sent_index[r.sent_start])
            for r in graph.relations
            if r.type in ("CRITICIZED", "ENDORSED", "RESPONDED_TO")
        }
        for st in self._statements(doc, graph):
            self._decide(doc, graph, st, explicit)
        return doc

    # finding statements -----------------------------------------------------------------------
    def _statements(self, doc: Doc, graph: ArticleGraph) -> list[Statement]:
        out: list[Statement] = []
        covered: set[int] = set()
        previous: Statement | None = None
        for q in graph.quotes:
            span = doc.char_span(q.span.start_char, q.span.end_char, alignment_mode="expand")
            if span is None or graph.skip(span.start):
                continue
            speakers = tuple(k for k in q.speakers if graph.type_of(k) in ACTOR_TYPES)
            verb = self._attribution_verb(doc, span)
            if verb is not None and not speakers:
                speakers = tuple(self.args.actors(graph, self.args.subject(graph, verb)))
            if not speakers and previous is not None and self._continues(doc, graph, previous, span):
                speakers, verb = previous.speakers, None
            if not speakers:
                continue
            st = Statement(speakers, span.start, span.end, verb, q.span.text.strip(TRIM + "'\"").strip())
            if verb is not None:
                st.explicit = self._explicit_targets(graph, verb)
            out.append(st)
            covered.update(range(span.start, span.end))
            previous = st
        for verb in doc:
            if verb.lemma_.lower() not in self.speech_verbs or verb.pos_ not in ("VERB", "AUX"):
                continue
            if in_quote(graph, verb) or graph.skip(verb.i):
                continue
            clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
            if clause is None or any(
                c.dep_ == "mark" and c.lower_ in ("whether", "if") for c in clause.children
            ):
                continue  # "asked whether the agency would back the bill" is a question, not a statement
            tokens = [t.i for t in clause.subtree]
            start, end = min(tokens), max(tokens) + 1
            if sum(1 for i in range(start, end) if i in covered) > (end - start) // 2:
                continue  # the quote itself, already a statement
            speakers = tuple(self.args.actors(graph, self.args.subject(graph, verb)))
            self.args.via_pronoun.clear()
            if not speakers:
                continue
            out.append(Statement(speakers, start, end, verb, None, self._explicit_targets(graph, verb)))
        return out

    def _attribution_verb(self, doc: Doc, span: Span) -> Token | None:
        """The speech verb right after the quote in its sentence, or right before it."""
        sent_start = doc[span.end - 1].sent.start
        after = [t for t in doc[span.end : min(len(doc), span.end + 12)] if not t.is_punct and not t.is_space]
        for tok in after[:9]:
            if tok.sent.start != sent_start:
                break
            if tok.lemma_.lower() in self.speech_verbs and tok.pos_ in ("VERB", "AUX"):
                return tok
        for tok in reversed(doc[max(0, span.start - 6) : span.start]):
            if tok.lemma_.lower() in self.speech_verbs and tok.pos_ in ("VERB", "AUX"):
                return tok
        return None

    @staticmethod
    def _continues(doc: Doc, graph: ArticleGraph, previous: Statement, span: Span) -> bool:
        """'"...," Ortiz said. "Second sentence."': an unattributed quote right after an attributed one,
        in the same paragraph, is the same speaker's."""
        between = doc[previous.end : span.start]
        if "\n" in between.text or len(between) > 12:
            return False
        return graph.sent_index[span.start] - graph.sent_index[max(previous.end - 1, 0)] <= 1

    def _explicit_targets(self, graph: ArticleGraph, verb: Token) -> list[str]:
        """'said of the mayor', 'said about Ortiz', 'said in response to Lyons', 'responding to X',
        'referring to X'."""
        keys: list[str] = []
        for p in verb.children:
            if p.dep_ != "prep":
                continue
            objs = [c for c in p.children if c.dep_ == "pobj"]
            if p.lower_ in EXPLICIT_PREPS:
                keys += [k for o in objs for k in self.args.entities(graph, o, "target")]
            elif p.lower_ == "in":
                for o in objs:
                    if o.lemma_.lower() in self.response_nouns:
                        keys += [
                            k
                            for q in o.children
                            if q.dep_ == "prep" and q.lower_ in ("to", "of")
                            for oo in q.children
                            if oo.dep_ == "pobj"
                            for k in self.args.entities(graph, oo, "target")
                        ]
        for c in verb.children:  # "said Tuesday, responding to Lyons"
            if c.dep_ == "advcl" and c.lemma_.lower() in ("respond", "reply", "refer"):
                keys += [
                    k
                    for p in c.children
                    if p.dep_ == "prep" and p.lower_ == "to"
                    for o in p.children
                    if o.dep_ == "pobj"
                    for k in self.args.entities(graph, o, "target")
                ]
        self.args.via_pronoun.clear()
        return [k for k in dict.fromkeys(keys) if graph.type_of(k) in TARGET_TYPES]

    # deciding -----------------------------------------------------------------------------------
    def _decide(
        self, doc: Doc, graph: ArticleGraph, st: Statement, explicit: set[tuple[str, str, int]]
    ) -> None:
        content = doc[st.start : st.end]
        decided: dict[str, tuple[str, int, str]] = {}
        for key in st.explicit:
            pol = self._lean(content.text, content)
            type_ = self._type(pol) or ("RESPONDED_TO" if graph.type_of(key) in ACTOR_TYPES else None)
            if type_:
                decided[key] = (type_, st.verb.i if st.verb is not None else st.start, "statement.explicit")
        for key, tok in self._about(graph, content, st.speakers):
            if key in decided:
                continue
            verdict = self._verdict(tok, content)
            frame = self._lean(self._frame(tok, content), content) if verdict is None else verdict
            pol = frame if abs(frame) >= 0.05 else self._lean(self._clause(tok, content), content)
            type_ = self._type(pol)
            if type_:
                decided[key] = (type_, tok.i, "statement.about")
        for key, (type_, anchor) in self._first_person(graph, content).items():
            decided.setdefault(key, (type_, anchor, "statement.first_person"))
        for key, (type_, anchor, rule) in decided.items():
            sent = graph.sent_index[anchor]
            conf = self.conf
            for speaker in st.speakers:
                if speaker == key or any((speaker, key, s) in explicit for s in (sent - 1, sent, sent + 1)):
                    continue
                if rule == "statement.about" and key in self._affiliated(graph, speaker):
                    continue
                before = len(graph.relations)
                graph.add_relation(type_, speaker, key, anchor, confidence=conf, rule=rule)
                if len(graph.relations) > before:
                    graph.relations[-1].quote = st.quote
                    explicit.add((speaker, key, sent))

    @staticmethod
    def _affiliated(graph: ArticleGraph, speaker: str) -> set[str]:
        """The offices a speaker holds and the organisations those offices belong to ('Member of the
        Mobile City Council' -> Mobile City Council). A statement that its subject is the speaker's
        own body ('"The council doesn't meet in secret," said council member Williams') defends it far
        more often than it attacks it, so the valence of such a clause is no stance on it."""
        held = {r.target for r in graph.relations if r.type == "HOLDS_OFFICE" and r.source == speaker}
        names = [graph.entities[k].name.lower() for k in held]
        # a mayor's or a governor's own departments ('Mayor of Chicago' -> the Chicago Police Department)
        places = tuple(
            str(graph.entities[k].properties.get("jurisdiction")).lower() + " "
            for k in held
            if graph.entities[k].properties.get("title") in EXECUTIVE_TITLES
            and graph.entities[k].properties.get("jurisdiction")
        )
        return (
            held
            | StatementStance._principals(graph, speaker)
            | {
                k
                for k, rec in graph.entities.items()
                if rec.type == "Organization"
                and (
                    any(n.endswith(rec.name.lower()) for n in names)
                    or (rec.name.split()[-1] in DEPARTMENT_HEADS and rec.name.lower().startswith(places))
                )
            }
        )

    @staticmethod
    def _principals(graph: ArticleGraph, speaker: str) -> set[str]:
        """Whom a speaker speaks for: 'Charles Lutvak, a spokesman for Adams', 'Adams's spokesman'."""
        out: set[str] = set()
        for m in graph.mentions:
            if m.key != speaker:
                continue
            root = graph.doc[m.start : m.end].root
            for role in (c for c in root.children if c.dep_ == "appos"):
                if role.lemma_.lower() not in AIDE_NOUNS:
                    continue
                for c in role.children:
                    if c.dep_ == "poss":
                        out.update(graph.keys_at(c.i))
                    elif c.dep_ == "prep" and c.lower_ in ("for", "to", "of"):
                        out.update(k for o in c.children if o.dep_ == "pobj" for k in graph.keys_at(o.i))
        return out

    def _lean(self, text: str, content: Span) -> float:
        """Valence of a statement; a negated one with no scored words leans negative
        ('He is not meeting the moment': politicians rarely negate praise of their opponents)."""
        pol = valence(text)
        if abs(pol) < 0.05 and any(t.dep_ == "neg" and t.text in text for t in content):
            pol = self.negation_lean
        return pol

    def _type(self, pol: float) -> str | None:
        if pol <= self.negative_threshold:
            return "CRITICIZED"
        if pol >= self.positive_threshold:
            return "ENDORSED"
        return None

    @staticmethod
    def _clause(tok: Token, content: Span) -> str:
        """The clause that says something about `tok`: up from it to the top of its clause chain,
        without the clauses coordinated with that one ("We will be there, but it is disheartening that
        the superintendent has refused ...": the second half speaks of the superintendent)."""
        top = tok
        while top.dep_ not in ("ROOT", "conj") and content.start <= top.head.i < content.end:
            top = top.head
        skip = {t.i for c in top.children if c.dep_ in ("conj", "cc") for t in c.subtree} | absent(content)
        words = [t.text for t in top.subtree if t.i not in skip and content.start <= t.i < content.end]
        return " ".join(words)

    @staticmethod
    def _verdict(tok: Token, content: Span) -> float | None:
        """'It's disappointing that the Governor has vetoed this great opportunity': the adjective of an
        'it is <adjective> that ...' clause above `tok` is the speaker's verdict on what the clause says,
        whatever the words inside it praise. None when there is no such clause or no clear adjective."""
        node = tok
        while node.dep_ not in ("ROOT",) and content.start <= node.head.i < content.end:
            clause, node = node, node.head
            it = any(c.dep_ in ("expl", "nsubj") and c.lower_ == "it" for c in node.children)
            if clause.dep_ not in ("ccomp", "csubj") or not it:
                continue
            adjectives = [c for c in node.children if c.dep_ in ("acomp", "attr") and c.i < clause.i]
            if not adjectives:
                continue
            words = [t for a in adjectives for t in a.subtree] + [c for c in node.children if c.dep_ == "neg"]
            v = valence(" ".join(t.text for t in sorted(words, key=lambda t: t.i)))
            return v if abs(v) >= VERDICT else None
        return None

    @staticmethod
    def _frame(tok: Token, content: Span) -> str:
        """What is said of `tok` itself: the words on the way up from it to the top of its clause and
        their modifiers and predicates ("it is very disheartening that the superintendent has refused"),
        without the objects of those verbs, whose valence is not the subject's ("refused to ensure
        equitable safety provisions": the provisions are good, the refusal is not)."""
        keep = {tok.i}
        node = tok
        while True:
            keep.add(node.i)
            for c in node.children:
                if c.dep_ in FRAME_DEPS:
                    keep.update(t.i for t in c.subtree)
            if node.dep_ in ("ROOT", "conj") or not content.start <= node.head.i < content.end:
                break
            node = node.head
        keep -= absent(content)
        return " ".join(t.text for t in content.doc[min(keep) : max(keep) + 1] if t.i in keep)

    def _about(
        self, graph: ArticleGraph, content: Span, speakers: tuple[str, ...]
    ) -> list[tuple[str, Token]]:
        """Entities a statement evaluates: subjects of its clauses (or their owners), objects of the
        speaker's own first-person clauses; bills also as passive subjects ('this budget should be
        rejected')."""
        found: list[tuple[str, Token]] = []
        for tok in content:
            role = tok.dep_
            holder = tok
            if role == "poss" and tok.head.dep_ in SUBJECT_DEPS:
                holder = tok.head
            elif role == "dobj" and any(
                c.dep_ == "nsubj" and c.lower_ in FIRST_PERSON for c in tok.head.children
            ):
                pass  # '"We can no longer trust this council," she said': the speaker judges the object
            elif role not in SUBJECT_DEPS and role != "nsubjpass":
                continue
            if tok.lower_ in FIRST_PERSON or tok.lower_ in ("you", "it", "they", "this", "that"):
                continue
            if tok.lower_ in ("he", "she") and len(graph.refs.get(tok.i, ())) != 1:
                continue  # a third person the statement speaks of, when coreference names one
            if holder.head.pos_ not in ("VERB", "AUX"):
                continue
            keys = graph.keys_at(tok.i) or tuple(self.args.entities(graph, tok, "target"))
            self.args.via_pronoun.clear()
            for k in keys:
                t = graph.type_of(k)
                if t not in TARGET_TYPES or k in speakers:
                    continue
                if role == "nsubjpass" and t != "Bill":
                    continue
                found.append((k, tok))
        return found

    def _first_person(self, graph: ArticleGraph, content: Span) -> dict[str, tuple[str, int]]:
        """'"We oppose this budget," Klein said': a stance verb with I/we as subject inside the statement."""
        out: dict[str, tuple[str, int]] = {}
        for verb in content:
            lemma = verb.lemma_.lower()
            if verb.pos_ not in ("VERB", "AUX") or any(c.dep_ == "neg" for c in verb.children):
                continue
            if not any(c.dep_ == "nsubj" and c.lower_ in FIRST_PERSON for c in verb.children):
                continue
            # (type, object): "we oppose this budget", and "I object to this proposal", "we voted against it"
            objects = [(self.verbs.get(lemma), o) for o in verb.children if o.dep_ == "dobj"]
            for p in verb.children:
                if p.dep_ != "prep":
                    continue
                type_ = self.phrasal.get(f"{lemma} {p.lower_}") or (
                    self.verbs.get(lemma) if p.lower_ in self.prep_targets.get(lemma, []) else None
                )
                objects += [(type_, o) for o in p.children if o.dep_ == "pobj"]
            for type_, obj in objects:
                if type_ is None:
                    continue
                for k in self.args.entities(graph, obj, "target"):
                    if graph.type_of(k) in TARGET_TYPES:
                        out[k] = (type_, verb.i)
            self.args.via_pronoun.clear()
        return out


@Language.factory("kg_statements", default_config={"lexicon_dir": None})
def make_statements(nlp: Language, name: str, lexicon_dir: str | None) -> StatementStance:
    return StatementStance(load_lexicons(lexicon_dir))
