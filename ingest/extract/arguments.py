"""Who does and who undergoes: resolving a verb's or noun's arguments to article entities.

Shared by the stance and action rules. A token points at entities directly (a mention, or a pronoun or
title resolved by `coref`), through a relative pronoun ("Lyons, who accused ..."), through a
possessive ("Krasner's rhetoric" -> Krasner; for actors only speech nouns: "His remarks came ..."),
through a member noun ("ICE agents" -> ICE), through a group with examples ("some, like Hegseth"), and
spreads over coordination ("Brooks and Landau").
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Collection

from spacy.tokens import Token

from ingest.extract.lexicons import Lexicons
from ingest.extract.mentions import ArticleGraph

RELATIVE = {"who", "that", "which", "whom"}
DISTRIBUTIVE = {"each", "all", "both"}  # "each of whom", never "none of whom"
ACTOR_TYPES = ("Person", "Organization")
MAX_DEPTH = 4
DASHES = ("—", "–", "--")
FINITE = ("VBD", "VBZ", "VBP")
BODY_HEADS = ("Council", "Board", "Commission")
# members a story names by their body's kind, and the last word of that body's name
LEGISLATURES = ("Legislature", "Assembly", "Congress")  # "General Assembly", "U.S. Congress"
MEMBER_BODIES = {
    "councilors": ("Council",), "councillors": ("Council",), "councilmembers": ("Council",),
    "aldermen": ("Council",), "commissioners": ("Commission", "Commissioners"),
    "trustees": ("Board", "Trustees"), "supervisors": ("Supervisors",),
    "lawmakers": LEGISLATURES, "legislators": LEGISLATURES,
}  # fmt: skip
OWNER_WINDOW = 3  # sentences back in which "the remarks" finds whose remarks they were


class ArgumentResolver:
    def __init__(self, lexicons: Lexicons) -> None:
        people = lexicons.people
        self.speech_nouns = set(people["speech_nouns"])
        self.group_subjects = set(people["group_subjects"])
        self.group_preps = set(people["group_preps"])
        self.member_nouns = set(lexicons.organizations["member_nouns"])
        self.speech_verbs = set(people["speech_verbs"])
        self.publish_verbs = set(people.get("publish_verbs", []))
        self.owned_nouns = set(lexicons.stance.get("owned_nouns", []))
        self.intent_nouns = set(lexicons.stance.get("intent_nouns", []))
        self.via_pronoun: set[str] = set()

    def via_preps(
        self, graph: ArticleGraph, tok: Token, preps: Collection[str], role: str, depth: int = 0
    ) -> list[str]:
        """Entities the objects of tok's prepositions in `preps` stand for ('a letter from the union',
        'critics including Cole', 'the decision by the board')."""
        return [
            k
            for p in tok.children
            if p.dep_ == "prep" and p.lower_ in preps
            for o in p.children
            if o.dep_ == "pobj"
            for k in self.entities(graph, o, role, depth)
        ]

    def entities(self, graph: ArticleGraph, tok: Token, role: str, depth: int = 0) -> list[str]:
        """Entity keys `tok` stands for; role is "agent" or "target"."""
        keys = self._one(graph, tok, role, depth)
        for conj in tok.conjuncts:
            if conj.i > tok.i:
                for k in self._one(graph, conj, role, depth):
                    if k not in keys:
                        keys.append(k)
        if keys and tok.dep_ in ("nsubj", "nsubjpass"):
            # "State Sen. Doug Mastriano and Senate committee chair Jarrett Coleman dismissed": the parser
            # hangs the first of two titled names inside the second's title; "and" still joins them
            for t in tok.lefts:
                for x in t.subtree:
                    if x.i < tok.i and any(c.dep_ == "cc" and c.lower_ == "and" for c in x.children):
                        for k in graph.keys_at(x.i):
                            if graph.type_of(k) == "Person" and k not in keys:
                                keys.append(k)
        return keys

    def _one(self, graph: ArticleGraph, tok: Token, role: str, depth: int) -> list[str]:
        if (
            role == "agent"
            and depth < MAX_DEPTH
            and tok.dep_ == "nsubj"
            and tok.head.lemma_ == "be"
            and not any(
                graph.type_of(k) == "Person" for k in graph.keys_at(tok.i)
            )  # a named person is who they are
        ):
            # "The only Republicans to back the plan were Cole and Fox", "Those who voted against it were
            # Ruiz and Bell": the clause on the subject is done by whoever the copula names
            attr = next((c for c in tok.head.children if c.dep_ == "attr" and c.i > tok.i), None)
            if attr is not None:
                named = [
                    k for k in self.entities(graph, attr, role, depth + 1) if graph.type_of(k) in ACTOR_TYPES
                ]
                if named:
                    return named
        keys = list(graph.keys_at(tok.i))
        if keys and all(graph.type_of(k) == "Office" for k in keys) and depth < MAX_DEPTH:
            # "Council members Sharon Lutz and Bill Kemper voted": the title heads, the names are appositions
            named = [
                k
                for c in tok.children
                if c.dep_ == "appos" and c.i > tok.i
                for k in self.entities(graph, c, role, depth + 1)
                if graph.type_of(k) in ACTOR_TYPES
            ]
            if named:
                return named
        if keys:
            if tok.i in graph.refs and tok.pos_ == "PRON":
                self.via_pronoun.update(keys)
            return keys
        if depth >= MAX_DEPTH:
            return []
        lower = tok.lower_
        if lower in RELATIVE and tok.head.dep_ in ("relcl", "acl"):
            antecedent = tok.head.head
            of = antecedent.head if antecedent.dep_ == "pobj" else None
            one = of.head if of is not None and of.lower_ == "of" else None
            if one is not None and one.lower_ == "one" and one.dep_ == "appos":
                antecedent = one.head  # "Whitfield, one of six Republicans who signed on": Whitfield did
            members = dashed_people(graph, tok.head) if antecedent.tag_ == "NNS" else []
            return members or self.entities(graph, antecedent, role, depth + 1)
        if lower in DISTRIBUTIVE:
            # "A, B and C, each of whom signed off on the resolution": every one of the list; the parser
            # makes "each" the clause's subject or an apposition the clause hangs on
            listed = self._distributed(tok)
            if listed is not None:
                keys = []
                for t in (listed, *listed.conjuncts):
                    keys += [k for k in self._one(graph, t, role, depth + 1) if k not in keys]
                return keys
        if tok.pos_ not in ("NOUN", "PROPN", "PRON", "DET", "NUM"):
            return []
        children = list(tok.children)
        if tok.ent_type_ in ("DATE", "TIME"):  # "backed Whitmer Thursday": the parser heads it on the day
            return [k for c in children if c.dep_ == "compound" and c.i < tok.i for k in graph.keys_at(c.i)]
        if tok.pos_ == "NOUN":  # "the state's largest teachers union, Education Minnesota, condemned it"
            named = [
                k
                for c in children
                if c.dep_ == "appos" and c.i > tok.i and c.pos_ == "PROPN"
                for k in self.entities(graph, c, role, depth + 1)  # "members Barr and Evans": both
                if graph.type_of(k) in ACTOR_TYPES
            ]
            if named:
                return named
        if lower in self.member_nouns:
            for c in children:
                if c.dep_ in ("compound", "nmod", "amod", "poss") and c.i < tok.i:
                    orgs = [k for k in graph.keys_at(c.i) if graph.type_of(k) == "Organization"]
                    if orgs:
                        return orgs
            # "members of the Trial Court Rules Committee asked her": the body acts; "the men and women
            # of the department" too, the "of" hung on the last of them
            orgs = [
                k
                for t in (tok, *tok.conjuncts)
                for k in self.via_preps(graph, t, ("of",), role, depth + 1)
                if graph.type_of(k) == "Organization"
            ]
            if orgs:
                return orgs
        if role == "agent" and tok.tag_ in ("NNS", "NNPS"):
            body = self._body(graph, tok)
            if body is not None:
                return [body]
        # "critics like Cole", and any plural noun with its examples: "unions including the Teamsters",
        # "Democrats such as Cole and Diaz"
        grouped = tok.subtree if lower in self.group_subjects else (tok.children if tok.tag_ == "NNS" else ())
        for t in grouped:
            such_as = t.lower_ == "as" and t.i > 0 and t.doc[t.i - 1].lower_ == "such"
            if t.dep_ == "prep" and (t.lower_ in self.group_preps or such_as):
                found = [
                    k
                    for p in t.children
                    if p.dep_ == "pobj"
                    for k in self.entities(graph, p, role, depth + 1)
                ]
                if found:
                    return found
        poss = next((c for c in children if c.dep_ == "poss"), None)
        if poss is not None and (
            role == "target" or lower in self.speech_nouns or tok.lemma_ in self.speech_nouns
        ):
            return self.entities(graph, poss, role, depth + 1)
        speech = lower in self.speech_nouns or tok.lemma_ in self.speech_nouns
        if role == "agent" and poss is None and speech:
            # "the group paid for an ad that attacks Lee": what it publishes speaks for it
            verb = tok.head.head if tok.dep_ == "pobj" and tok.head.dep_ == "prep" else tok.head
            if tok.dep_ in ("dobj", "pobj") and verb.lemma_.lower() in self.publish_verbs:
                return self.subject(graph, verb, role, depth + 1)
            makers = self._makers(graph, tok, role, depth)
            if makers:
                return makers
        if role == "target":  # "Trump policies" is about Trump, as "Trump's policies" is
            for c in children:
                if c.dep_ == "compound" and c.i < tok.i:
                    actors = [k for k in graph.keys_at(c.i) if graph.type_of(k) in ACTOR_TYPES]
                    if actors:
                        return actors
            if tok.lower_ in self.owned_nouns or tok.lemma_.lower() in self.owned_nouns:
                # "applaud the actions of Attorney General Barr", "the decision by the board"
                actors = [
                    k
                    for k in self.via_preps(graph, tok, ("of", "by"), role, depth + 1)
                    if graph.type_of(k) in ACTOR_TYPES
                ]
                if actors:
                    return actors
            owner = self._owner(graph, tok)
            if owner is not None:
                return [owner]
        return []

    def _makers(self, graph: ArticleGraph, tok: Token, role: str, depth: int) -> list[str]:
        """Who made what a statement noun names: 'the RGA ad', 'the ad the party released', 'a letter from
        the union', 'the ad paid for by the party'."""
        for c in tok.children:
            if c.dep_ == "compound" and c.i < tok.i:
                actors = [k for k in graph.keys_at(c.i) if graph.type_of(k) in ACTOR_TYPES]
                if actors:
                    return actors
            elif c.dep_ == "prep" and c.lower_ in ("from", "by"):
                found = self.via_preps(graph, tok, (c.lower_,), role, depth + 1)
                if found:
                    return found
            elif c.dep_ in ("relcl", "acl") and c.lemma_.lower() in self.publish_verbs:
                agents = [a for g in c.children if g.dep_ == "agent" for a in g.children if a.dep_ == "pobj"]
                agents += [g for g in c.children if g.dep_ == "nsubj" and g.lower_ not in RELATIVE]
                found = [k for a in agents for k in self.entities(graph, a, role, depth + 1)]
                if found:
                    return found
        return []

    @staticmethod
    def _body(graph: ArticleGraph, tok: Token) -> str | None:
        """'Council members approved the budget', 'the commissioners voted': members nobody names act as
        their body, when the article names exactly one body of that kind."""
        lower = tok.lower_
        heads = MEMBER_BODIES.get(lower)
        if heads is None and lower == "members":
            heads = next(
                ((c.text,) for c in tok.children if c.dep_ == "compound" and c.text in BODY_HEADS), None
            )
        if heads is None:
            return None
        bodies = {
            k
            for k, e in graph.entities.items()
            if e.type == "Organization" and e.mentions > 0 and e.name.split()[-1] in heads
        }
        return bodies.pop() if len(bodies) == 1 else None

    @staticmethod
    def _distributed(tok: Token) -> Token | None:
        """The list that 'each of whom' (tok is 'each') stands for, or None."""
        if not any(p.lower_ == "of" and any(o.lower_ in RELATIVE for o in p.children) for p in tok.children):
            return None
        if tok.dep_ == "appos":
            return tok.head
        return tok.head.head if tok.head.dep_ in ("relcl", "acl") else None

    def _owner(self, graph: ArticleGraph, tok: Token) -> str | None:
        """'Krasner's comments drew criticism. Shapiro described the remarks as "unacceptable"': a definite
        statement noun ('the remarks', 'the language', 'those threats') with no owner of its own belongs
        to whoever last owned or made a statement within OWNER_WINDOW sentences. An act ('the veto', 'the
        decision') belongs only to an owner named with the same noun ("Nixon's vetoes ... the vetoes")."""
        lemma = tok.lemma_.lower()
        if tok.pos_ != "NOUN" or (tok.lower_ not in self.owned_nouns and lemma not in self.owned_nouns):
            return None
        det = next((c for c in tok.children if c.dep_ == "det"), None)
        if det is None or det.lower_ not in ("the", "this", "these", "those"):
            return None
        speech = tok.lower_ in self.speech_nouns or lemma in self.speech_nouns
        sent = graph.sent_index[tok.i]
        best: str | None = None
        for i, key, noun in self._statement_owners(graph):
            if i >= tok.i:
                break
            if sent - graph.sent_index[i] <= OWNER_WINDOW and (speech or noun == lemma):
                best = key
        if best is not None:  # "the remarks" resolved carries the owner on to "the threats" later
            insort(graph.statement_owners or [], (tok.i, best, lemma))
        return best

    def _statement_owners(self, graph: ArticleGraph) -> list[tuple[int, str, str]]:
        """(token, entity, noun lemma) for every owner of an owned noun ('Krasner's remarks') and every
        quote's speaker (noun ''), in text order; computed once per article."""
        if graph.statement_owners is not None:
            return graph.statement_owners
        owners: list[tuple[int, str, str]] = []
        for t in graph.doc:
            head = t.head
            if t.dep_ == "poss" and (
                head.lower_ in self.owned_nouns or head.lemma_.lower() in self.owned_nouns
            ):
                owners += [
                    (t.i, k, head.lemma_.lower())
                    for k in graph.keys_at(t.i)
                    if graph.type_of(k) in ACTOR_TYPES
                ]
        for q in graph.quotes:
            owners += [(q.sent_start, k, "") for k in q.speakers]
        graph.statement_owners = sorted(owners)
        return graph.statement_owners

    def subject(self, graph: ArticleGraph, verb: Token, role: str = "agent", depth: int = 0) -> list[str]:
        """The doer of `verb`: its subject (or the 'by' agent of a passive), else its governing verb's."""
        for c in verb.children:
            if c.dep_ == "agent":
                return [k for p in c.children if p.dep_ == "pobj" for k in self.entities(graph, p, role)]
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
        # "The third candidate, businessman Craig Hollis, accused both Park and Moreno": the parser gives
        # the verb two subjects; the one that names somebody is the actor. "Pelosi (D., Calif.) and DCCC
        # chairwoman Cheri Bustos endorsed Cuellar": when both name somebody, both act
        named = [k for c in subjects for k in self.entities(graph, c, role)]
        if subjects:
            return list(dict.fromkeys(named))
        if verb.dep_ in ("acl", "relcl") and verb.head.lower_ in DISTRIBUTIVE:
            return self.entities(graph, verb.head, role, depth + 1)  # "..., each of whom signed"
        examples = self._examples_left(graph, verb, role)
        if examples:
            return examples
        fronted = self._fronted_subject(graph, verb, role)
        if fronted:
            return fronted
        if depth < MAX_DEPTH and not subjects:
            first = self._first_of_series(verb)
            if first is not None:
                return self.subject(graph, first, role, depth + 1)
        if depth < MAX_DEPTH:
            speaker = self._reporting_verb(verb)
            if speaker is not None:
                return self.subject(graph, speaker, role, depth + 1)
            if (
                verb.dep_ in ("relcl", "acl")
                and verb.head.pos_ in ("NOUN", "PROPN")
                and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
            ):  # "the only Republicans to back the plan were Cole and Fox": the noun does it
                actors = [
                    k
                    for k in self.entities(graph, verb.head, role, depth + 1)
                    if graph.type_of(k) in ACTOR_TYPES
                ]
                if actors:
                    return actors
            if verb.dep_ == "conj" and verb.tag_ in FINITE and verb.head.tag_ == "VB":
                # "pointed to efforts as ways to trim emissions and urged McConnell to ...": the parser hangs
                # a finite verb on an infinitive; it is coordinated with the finite verb above that
                finite = next((a for a in verb.head.ancestors if a.tag_ in FINITE), None)
                if finite is not None:
                    return self.subject(graph, finite, role, depth + 1)
            # "he will not be able to support it": 'able' is the complement of the subject's 'be'
            if verb.dep_ in ("xcomp", "advcl", "conj", "acomp") and verb.head.i != verb.i:
                return self.subject(graph, verb.head, role, depth + 1)
            if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and verb.head.head.pos_ in ("VERB", "AUX"):
                governing = verb.head.head
                if verb.head.lower_ in ("for", "of") and depth == 0:
                    # "criticized the union for running ads", "accused Ortiz of stoking division": the
                    # one criticised or accused does it (only the verb itself, not one coordinated with it)
                    done_by = [
                        k
                        for c in governing.children
                        if c.dep_ == "dobj"
                        for k in self.entities(graph, c, role, depth + 1)
                    ]
                    if done_by:
                        return done_by
                return self.subject(graph, governing, role, depth + 1)
            noun = verb.head
            if (
                verb.dep_ == "acl"
                and noun.lemma_.lower() in self.intent_nouns
                and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
            ):  # "his decision to veto the bill": the decision's owner vetoes
                poss = next((c for c in noun.children if c.dep_ == "poss"), None)
                if poss is not None:
                    return self.entities(graph, poss, role, depth + 1)
                if noun.dep_ in ("dobj", "nsubj") and noun.head.pos_ in ("VERB", "AUX"):
                    return self.subject(graph, noun.head, role, depth + 1)
            if (
                verb.dep_ == "acl"
                and verb.tag_ == "VBG"
                and (noun.lower_ in self.speech_nouns or noun.lemma_ in self.speech_nouns)
                and noun.head.pos_ in ("VERB", "AUX")
            ):  # "issued a statement defending her": the statement's author defends
                return self.subject(graph, noun.head, role, depth + 1)
        return []

    def _fronted_subject(self, graph: ArticleGraph, verb: Token, role: str) -> list[str]:
        """'In an interview with WKRV-TV, former Gov. Helen Marsh heaped praise on ...': after an opening
        phrase the parser may hang the subject on that phrase's last noun as an apposition; a name that
        ends right before a verb with no subject of its own is the verb's subject."""
        if verb.i == 0 or any(c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl") for c in verb.children):
            return []
        before = verb.doc[verb.i - 1]
        if before.dep_ != "appos" or before.head.i >= before.i or before.head.dep_ != "pobj":
            return []
        if not any(c.dep_ == "prep" and c.i < verb.i for c in verb.children):
            return []
        return [k for k in self.entities(graph, before, role) if graph.type_of(k) in ACTOR_TYPES]

    def _first_of_series(self, verb: Token) -> Token | None:
        """'McLaughlin called the language "vile," accused Krasner of ...': in a series of verbs without
        'and', the parser makes the first a clausal complement of the next, which is left without a
        subject; the first verb's subject is the series' subject. Not for speech verbs, whose preceding
        clause is what was said ('"It failed," Ortiz said')."""
        if verb.lemma_.lower() in self.speech_verbs:
            return None
        for c in verb.children:
            if c.dep_ == "ccomp" and c.i < verb.i and c.pos_ in ("VERB", "AUX"):
                gap = verb.doc[max(t.i for t in c.subtree) + 1 : verb.i]
                if all(t.is_punct or t.is_space for t in gap) and any(t.text == "," for t in gap):
                    return c
        return None

    def _reporting_verb(self, verb: Token) -> Token | None:
        """'DeLuca said Salinas had "lost ..." and called on Cole': after the quote, the second verb is
        the speaker's, not the reported subject's (the parser joins it to the reported clause)."""
        head = verb.head
        if verb.dep_ != "conj" or head.dep_ != "ccomp" or head.head.lemma_ not in self.speech_verbs:
            return None
        between = verb.doc[head.i : verb.i]
        return head.head if any(t.text == '"' for t in between) else None

    def _examples_left(self, graph: ArticleGraph, verb: Token, role: str) -> list[str]:
        """'While some, like Hegseth, have praised ...' when the parser did not make 'some' the subject."""
        for left in verb.lefts:
            for t in left.subtree:
                if t.dep_ == "prep" and t.lower_ in self.group_preps and t.i < verb.i:
                    before = t.doc[max(0, t.i - 3) : t.i]
                    if any(b.lower_ in self.group_subjects for b in before):
                        return [
                            k for p in t.children if p.dep_ == "pobj" for k in self.entities(graph, p, role)
                        ]
        return []

    @classmethod
    def is_passive(cls, verb: Token) -> bool:
        if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or (
            verb.dep_ == "acl" and (verb.tag_ == "VBN" or any(c.dep_ == "agent" for c in verb.children))
        ):
            return True
        # "introduced by A and co-sponsored by B": a participle coordinated with a passive one
        return (
            verb.dep_ == "conj"
            and verb.tag_ == "VBN"
            and any(c.dep_ == "agent" for c in verb.children)
            and verb.head.i != verb.i
            and cls.is_passive(verb.head)
        )

    def patient(self, graph: ArticleGraph, verb: Token, role: str = "target") -> list[str]:
        """The undergoer of a passive verb: its passive subject, or the noun a participle modifies."""
        for c in verb.children:
            if c.dep_ == "nsubjpass":
                return self.entities(graph, c, role)
        if verb.dep_ == "acl":
            return self.entities(graph, verb.head, role)
        if verb.dep_ == "conj" and self.is_passive(verb):
            return self.patient(graph, verb.head, role)
        return []

    @staticmethod
    def governing_verb(tok: Token) -> Token | None:
        """The nearest verb above tok (through nouns and prepositions)."""
        cur = tok
        for _ in range(8):
            if cur.head.i == cur.i:
                return cur if cur.pos_ in ("VERB", "AUX") else None
            cur = cur.head
            if cur.pos_ in ("VERB", "AUX"):
                return cur
        return None

    def actors(self, graph: ArticleGraph, keys: list[str]) -> list[str]:
        return [k for k in keys if graph.type_of(k) in ACTOR_TYPES]


def dashed_people(graph: ArticleGraph, clause: Token) -> list[str]:
    """'Four members who endorsed Lee — Dan Ruiz, Ana Cole and Sam Young — are running': the people
    between the dashes after a relative clause are the members it describes. Read from the text, because
    the parser hangs the list on the clause's object or makes it a second subject."""
    doc = clause.doc
    sent_end = clause.sent.end
    opening = next((i for i in range(clause.i + 1, sent_end) if doc[i].text in DASHES), None)
    if opening is None or opening > clause.right_edge.i + 1:
        return []
    closing = next((i for i in range(opening + 1, sent_end) if doc[i].text in DASHES), sent_end)
    words = doc[opening + 1 : closing]
    if not all(t.pos_ == "PROPN" or t.text == "," or t.lower_ == "and" for t in words):
        return []  # a list of names and nothing else
    keys = list(dict.fromkeys(k for t in words for k in graph.keys_at(t.i)))
    # people and nothing else (a name the model missed is no reason to drop the rest)
    if len(keys) >= 2 and all(graph.type_of(k) == "Person" for k in keys):
        return keys
    return []
