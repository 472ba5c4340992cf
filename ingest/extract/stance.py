"""Stance: CRITICIZED, ENDORSED, RESPONDED_TO, from verbs, nouns and set phrases.

Verbs: "Warren slammed the Federal Reserve", passives ("Krasner was criticized by ..."), labels
("Krasner called ICE agents 'wannabe Nazis'"), phrasal verbs ("lashed out at"), "called for protests
against ICE". Nouns: the possessor or a from/by phrase is the actor, of/against/about/over the target
("Mayor Johnson's criticism of Trump", "condemnation from Lyons"); a light verb supplies the missing
side: its subject is the actor ("launched strong criticism against ICE", "voiced his concerns about") or
the target ("His remarks were met with condemnation from", "drew criticism from"). "in support of X"
takes the actor of its clause. A reaction with no object of its own right after such a reaction
("State Senator Jarrett Coleman warned that ...") inherits its target, with low confidence.
Each relation gets a quote when its actor is quoted in the same or the next sentence.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token

from ingest.extract.arguments import ArgumentResolver
from ingest.extract.lexicons import Lexicons, load_lexicons
from ingest.extract.mentions import ArticleGraph, get_graph
from ingest.extract.quotes import TRIM, in_quote
from ingest.extract.valence import valence

TARGET_TYPES = ("Person", "Organization", "Office", "Bill", "Event")
RESPONSE_TARGETS = ("Person", "Organization", "Office")
INHERIT_WINDOW = 2
HYPOTHETICAL = {"could", "might", "may"}
# verbs whose complement did not happen: "refused to approve the contract", "declined to endorse him"
NEGATIVE_IMPLICATIVES = {"refuse", "decline", "fail", "neglect"}
PARTICLES = ("down", "up", "out", "off", "back")
REFUSABLE = {"support", "back", "endorse"}  # verbs whose announced refusal is opposition
FOR_HOLDERS = {"advocate", "advocates", "champion", "champions"}  # "an advocate for the bill"
FAVOR_WORDS = {"favor", "favour", "support"}
PARTITIVES = {"one", "two", "three", "four", "five", "several", "some", "all", "both", "many", "each", "most"}
# "laid the blame at the door of the government", "at his feet": the place stands for its owner
STANDS_FOR_OWNER = {"door", "doorstep", "feet"}
ADVERB_PARTICLES = {"back", "out"}  # adverbs right after a verb that act as its particle


def has_complement(verb: Token) -> bool:
    """Whether a verb says more than itself: an object, a preposition, a particle or a clause."""
    return any(
        c.dep_ in ("dobj", "prep", "prt", "xcomp", "ccomp", "advcl", "dative", "attr", "acomp")
        for c in verb.children
    )


def negated(verb: Token) -> bool:
    """Whether the text says the act did not happen: 'did not back', 'never backed', 'without vetoing any
    of the measures', 'refused to approve', 'did not want to endorse'."""
    if any(c.dep_ == "neg" for c in _modal_frame(verb).children):
        return True
    if verb.dep_ == "pcomp" and verb.head.lower_ == "without":
        return True
    head = verb.head
    return verb.dep_ == "xcomp" and (
        head.lemma_.lower() in NEGATIVE_IMPLICATIVES or any(c.dep_ == "neg" for c in head.children)
    )


def _modal_frame(verb: Token) -> Token:
    """The word that carries a verb's negation and modal: 'be' in 'will not be able to support', else
    the verb itself."""
    able = verb.head
    if verb.dep_ == "xcomp" and able.lower_ == "able" and able.dep_ == "acomp":
        return able.head
    return verb


class StanceExtractor:
    def __init__(self, lexicons: Lexicons) -> None:
        lex = lexicons.stance
        self.verbs: dict[str, str] = lex["verbs"]
        self.phrasal: dict[str, str] = lex["phrasal_verbs"]
        self.prep_targets: dict[str, list[str]] = lex["prepositional_targets"]
        self.label_verbs: dict[str, str] = lex["label_verbs"]
        self.positive_labels = set(lex["positive_labels"])
        self.nouns: dict[str, str] = lex["nouns"]
        self.noun_preps = set(lex["noun_target_preps"])
        self.directional: dict[str, list[str]] = lex["directional_nouns"]
        self.phrases: dict[str, str] = lex["stance_phrases"]
        self.agent_light = set(lex["agent_light_verbs"])
        self.target_light = set(lex["target_light_verbs"])
        self.quantity = set(lex["quantity_nouns"])
        self.call_for = set(lex["call_for_nouns"])
        self.bill_only = set(lex.get("bill_only_verbs", []))
        self.bill_only_nouns = set(lex.get("bill_only_nouns", []))
        self.removal = set(lex.get("removal_nouns", []))
        self.demand = set(lex.get("demand_verbs", []))
        self.reply = set(lex.get("reply_verbs", []))
        self.answer_verbs = set(lex.get("answer_verbs", []))
        self.assent_verbs = set(lex.get("assent_verbs", []))
        self.speech_verbs = set(lexicons.people["speech_verbs"])
        self.owned_verbs: dict[str, str] = lex.get("owned_stance_verbs", {})
        self.owned_nouns = set(lex.get("owned_nouns", []))
        self.evaluation = set(lex.get("evaluation_verbs", []))
        self.request = set(lex.get("request_verbs", []))
        self.sanction_verbs = set(lex.get("sanction_verbs", []))
        self.removal_verbs = set(lex.get("removal_verbs", []))
        self.relational: dict[str, str] = lex.get("relational_nouns", {})
        self.adjectives: dict[str, list] = lex.get("stance_adjectives", {})
        self.conf: dict[str, float] = lex["confidence"]
        self.financial = set(lexicons.funding["financial_adverbs"])
        self.args = ArgumentResolver(lexicons)

    def __call__(self, doc: Doc) -> Doc:
        graph = get_graph(doc)
        for tok in doc:
            if graph.skip(tok.i) or in_quote(graph, tok):
                continue
            if tok.pos_ in ("VERB", "AUX") and not self._felt(graph, tok):
                self._verb(graph, tok)
            elif tok.pos_ == "NOUN" and tok.lemma_.lower() in self.nouns:
                self._noun(graph, tok)
            elif tok.pos_ == "NOUN" and tok.lemma_.lower() in self.removal:
                self._demand(graph, tok)
            elif tok.pos_ == "NOUN" and tok.lemma_.lower() in self.relational:
                self._relational(graph, tok)
            elif (
                tok.pos_ in ("ADJ", "VERB")
                and tok.dep_ in ("acomp", "amod")
                and tok.lower_ in self.adjectives
            ):
                self._adjective(graph, tok)
        self._drop_contradicted_labels(graph)
        self._drop_subsumed_responses(graph)
        self._attach_quotes(graph)
        return doc

    @staticmethod
    def _drop_contradicted_labels(graph: ArticleGraph) -> None:
        """'Ortega endorsed Okonkwo, calling her "the only candidate ..."': a quoted label carries no
        valence of its own (it defaults to criticism), so an explicit stance of the same actor on the same
        target in the same sentence decides, and the label's opposite reading is dropped.
        """
        explicit = {
            (r.type, r.source, r.target, r.sent_start)
            for r in graph.relations
            if r.rule != "stance.label" and r.type in ("CRITICIZED", "ENDORSED")
        }
        opposite = {"CRITICIZED": "ENDORSED", "ENDORSED": "CRITICIZED"}
        graph.relations = [
            r
            for r in graph.relations
            if r.rule != "stance.label"
            or (opposite.get(r.type, ""), r.source, r.target, r.sent_start) not in explicit
        ]

    @staticmethod
    def _drop_subsumed_responses(graph: ArticleGraph) -> None:
        """'Calloway accused Delacroix of ..., pressing him to explain': the neutral reading ('pressed')
        adds nothing when the same sentence already gives the same actor a clear stance on the target."""
        clear = {
            (r.source, r.target, r.sent_start)
            for r in graph.relations
            if r.type in ("CRITICIZED", "ENDORSED")
        }
        graph.relations = [
            r
            for r in graph.relations
            if r.type != "RESPONDED_TO" or (r.source, r.target, r.sent_start) not in clear
        ]

    # emitting -----------------------------------------------------------------------------------
    def _emit(
        self,
        graph: ArticleGraph,
        type_: str,
        agents: list[str],
        targets: list[str],
        tok: Token,
        confidence: float,
        rule: str,
    ) -> bool:
        allowed = RESPONSE_TARGETS if type_ == "RESPONDED_TO" else TARGET_TYPES
        emitted = False
        for a in self.args.actors(graph, agents):
            for t in targets:
                if graph.type_of(t) not in allowed or a == t:
                    continue
                conf = confidence
                if a in self.args.via_pronoun or t in self.args.via_pronoun:
                    conf *= self.conf["pronoun_factor"]
                graph.add_relation(type_, a, t, tok, confidence=conf, rule=rule)
                emitted = True
        self.args.via_pronoun.clear()
        return emitted

    # verbs ----------------------------------------------------------------------------------------
    def _verb(self, graph: ArticleGraph, verb: Token) -> None:
        lemma = verb.lemma_.lower()
        prt = next((c.lower_ for c in verb.children if c.dep_ == "prt"), None)
        preps = [c for c in verb.children if c.dep_ == "prep"]
        # "pushed back on the governor": the parser often reads the particle as an adverb, with the
        # preposition on it
        adverb = next(
            (
                c
                for c in verb.children
                if c.dep_ == "advmod" and c.i == verb.i + 1 and c.lower_ in ADVERB_PARTICLES
            ),
            None,
        )
        if prt is None and adverb is not None:
            prt = adverb.lower_
            preps = sorted(preps + [c for c in adverb.children if c.dep_ == "prep"], key=lambda t: t.i)
        if (lemma in self.demand or lemma in self.request) and self._removal(graph, verb):
            return
        if lemma in self.demand and self._demand_from(graph, verb):
            return
        if lemma in ("pass", "clear") and self._passed_body(graph, verb):
            return
        if lemma == "call" and self._call(graph, verb, prt, preps):
            return
        if self._reply(graph, verb, lemma):
            return
        if lemma in self.evaluation and self._evaluation(graph, verb, lemma):
            return
        if lemma == "ask" and self._asked_about(graph, verb):
            return
        if lemma in self.request and self._request(graph, verb):
            return
        if self._owned(graph, verb, f"{lemma} {prt}" if prt else lemma):
            return
        if prt is None and self._prepositional(graph, verb, lemma):
            return
        if prt is not None and self._particle_prep(graph, verb, lemma, prt, preps):
            return
        type_ = self.phrasal.get(f"{lemma} {prt}") if prt else None
        type_ = type_ or self.verbs.get(lemma)
        if type_ is None and lemma in self.assent_verbs:
            self._assent(graph, verb)
            return
        if type_ is None:
            return
        if any(c.lower_ in self.financial for c in verb.children):
            return  # "backed financially by" is funding, see actions.py
        if any(c.dep_ == "mark" and c.lower_ in ("whether", "if") for c in verb.children):
            return  # "asked whether the agency would back the bill": a question, not a stance
        refusal = negated(verb) and self._refusal(verb, type_)
        if negated(verb) and not refusal:
            return  # "could not support the bill": no endorsement, and no clear criticism either
        if refusal:  # "will not support the bill", "won't back a plan": refusing a measure opposes it
            type_ = "CRITICIZED"
        if any(c.dep_ == "aux" and c.lower_ in HYPOTHETICAL for c in verb.children):
            return  # "they could potentially block school closings": a possibility, not a stance taken
        if any(
            c.dep_ == "nsubj" and any(d.dep_ == "det" and d.lower_ == "no" for d in c.children)
            for c in verb.children
        ):
            return  # "No council members support the increase": nobody named does
        args = self.args
        if args.is_passive(verb):
            agents = args.subject(graph, verb) if any(c.dep_ == "agent" for c in verb.children) else []
            targets = args.patient(graph, verb)
            if lemma in self.bill_only:  # "Lee was defeated by Ray in the primary" is an election result
                targets = [t for t in targets if graph.type_of(t) == "Bill"]
            self._emit(graph, type_, agents, targets, verb, self.conf["verb"], "stance.verb_passive")
            return
        agents = args.subject(graph, verb)
        if not agents:
            return
        objects = [c for c in verb.children if c.dep_ in ("dobj", "dative")]
        # "piled on Ruiz": the parser hangs the object on a particle it took for one
        objects += [o for c in verb.children if c.dep_ == "prt" for o in c.children if o.dep_ == "pobj"]
        # "backed Whitmer Thursday": the parser hangs the name on the day, an adverb of the verb
        objects += [
            c
            for c in verb.children
            if c.dep_ == "npadvmod"
            and c.ent_type_ in ("DATE", "TIME")
            and any(x.dep_ == "compound" for x in c.children)
        ]
        # "opposes the measure and has given $250,000 to the committee fighting it, Denver Taxpayers":
        # an object after the verb's own conjunct belongs to that conjunct (or is an apposition), not here
        conj_after = [c.i for c in verb.children if c.dep_ == "conj" and c.i > verb.i]
        if conj_after:
            objects = [o for o in objects if o.i < conj_after[0]]
        targets = [k for o in objects for k in args.entities(graph, o, "target")]
        if not targets and len(objects) == 1 and objects[0].lower_ == "it":
            targets = self._it(graph, objects[0], agents)
        allowed_preps = set(self.prep_targets.get(lemma, [])) | (
            {"at", "against", "to", "with", "by"} if prt else set()
        )
        if not targets:
            for p in preps:
                if p.lower_ in allowed_preps:
                    targets += [
                        k for c in p.children if c.dep_ == "pobj" for k in args.entities(graph, c, "target")
                    ]
        label = self._label(verb, objects)
        if lemma in self.label_verbs and label is not None and label.lower_ in self.positive_labels:
            type_ = "ENDORSED"
        if refusal:  # "will not endorse Ruiz" is no attack on Ruiz
            targets = [t for t in targets if graph.type_of(t) == "Bill"]
        if lemma in self.bill_only:
            targets = [t for t in targets if graph.type_of(t) == "Bill"]
            if not targets:  # "vetoed $276 million of spending from the budget": the bill the part is of
                targets = [
                    k
                    for o in objects
                    for t in o.subtree
                    if t.dep_ == "pobj" and t.head.lower_ in ("of", "from", "in")
                    for k in graph.keys_at(t.i)
                    if graph.type_of(k) == "Bill"
                ][:1]
        if targets:
            self._emit(graph, type_, agents, targets, verb, self.conf["verb"], "stance.verb")
            return
        has_object = bool(objects) or any(p.lower_ in allowed_preps for p in preps)
        if lemma in self.answer_verbs and not objects and not preps:
            # "Deputy mayor David Hinchliffe disagrees, saying ...": with the one quoted just before
            previous = self._previous_speakers(graph, verb, agents)
            if previous:
                self._emit(graph, type_, agents, previous, verb, self.conf["inherited"], "stance.answer")
                return
        if type_ == "CRITICIZED" and not has_object and graph.last_reaction is not None:
            sent, inherited = graph.last_reaction
            if 0 < graph.sent_index[verb.i] - sent <= INHERIT_WINDOW:
                self._emit(
                    graph, type_, agents, list(inherited), verb, self.conf["inherited"], "stance.inherited"
                )

    def _asked_about(self, graph: ArticleGraph, verb: Token) -> bool:
        """'Asked about Cole's remarks, Ruiz said ...': the answer responds to whoever made the remarks."""
        if (
            verb.tag_ != "VBN"
            or verb.dep_ != "advcl"
            or any(c.dep_.startswith("nsubj") for c in verb.children)
        ):
            return False
        owners = [
            k
            for p in verb.children
            if p.dep_ == "prep" and p.lower_ == "about"
            for o in p.children
            if o.dep_ == "pobj" and (o.lower_ in self.owned_nouns or o.lemma_.lower() in self.owned_nouns)
            for c in o.children
            if c.dep_ in ("poss", "compound")
            for k in graph.keys_at(c.i)
            if graph.type_of(k) in RESPONSE_TARGETS
        ]
        if not owners:
            return False
        agents = self.args.subject(graph, verb.head)
        self._emit(graph, "RESPONDED_TO", agents, owners, verb, self.conf["verb"], "stance.answer")
        return True

    def _passed_body(self, graph: ArticleGraph, verb: Token) -> bool:
        """'The bill passed the Senate 31-19', 'cleared the committee': the body voted for the bill."""
        if negated(verb):
            return False
        bills = [
            k
            for c in verb.children
            if c.dep_ == "nsubj"  # not "a similar bill passed the House last year": some other bill
            and not any(d.dep_ == "det" and d.lower_ in ("a", "an", "another") for d in c.children)
            for k in graph.keys_at(c.i)
            if graph.type_of(k) == "Bill"
        ]
        if not any(c.dep_ == "nsubj" for c in verb.children):  # "passed the Senate and cleared the House"
            bills = [k for k in self.args.subject(graph, verb, "target") if graph.type_of(k) == "Bill"]
        bodies = [
            k
            for c in verb.children
            if c.dep_ == "dobj"
            for k in graph.keys_at(c.i)
            if graph.type_of(k) == "Organization"
        ]
        if not bills or not bodies:
            return False
        self._emit(graph, "ENDORSED", bodies, bills, verb, self.conf["verb"], "stance.vote")
        return True

    @staticmethod
    def _refusal(verb: Token, type_: str) -> bool:
        """'will not support', 'would not back', "won't endorse": a support verb negated with the future
        or 'would' announces opposition; 'did not' or 'could not' only says what did not happen."""
        frame = _modal_frame(verb)  # "will not be able to support the budget" announces it too
        return (
            type_ == "ENDORSED"
            and verb.lemma_.lower() in REFUSABLE
            and any(c.dep_ == "neg" for c in frame.children)
            and any(c.dep_ == "aux" and c.lower_ in ("will", "would", "wo") for c in frame.children)
        )

    def _demand_from(self, graph: ArticleGraph, verb: Token) -> bool:
        """'demanded an apology from the mayor', 'sought answers from the board': a demand made of
        somebody is a response to them."""
        objects = [c for c in verb.children if c.dep_ == "dobj" and not graph.keys_at(c.i)]
        if negated(verb) or not objects:
            return False
        targets = [
            k
            for p in (*verb.children, *objects[0].children)  # the parser hangs 'from' on either
            if p.dep_ == "prep" and p.lower_ == "from"
            for o in p.children
            if o.dep_ == "pobj"
            for k in self.args.entities(graph, o, "target")
            if graph.type_of(k) in RESPONSE_TARGETS
        ]
        if not targets:
            return False
        agents = self.args.subject(graph, verb)
        self._emit(graph, "RESPONDED_TO", agents, targets, verb, self.conf["verb"], "stance.demand")
        return True

    def _assent(self, graph: ArticleGraph, verb: Token) -> None:
        """'Board member Katherine Johnson agreed.': with the one quoted just before, when the verb has
        nothing of its own (no object, no 'to' or 'that', no clause)."""
        if negated(verb) or has_complement(verb):
            return
        agents = self.args.subject(graph, verb)
        previous = self._previous_speakers(graph, verb, agents)
        if agents and previous:
            self._emit(graph, "ENDORSED", agents, previous, verb, self.conf["inherited"], "stance.answer")

    def _previous_speakers(self, graph: ArticleGraph, verb: Token, agents: list[str]) -> list[str]:
        """Who was quoted last, in this sentence before the verb or in the one before it, when that is
        one speaker other than the agents; failing a quote, who the sentence before reports saying
        something ('Ryan said she had drawn up the form ... Johnson agreed')."""
        sent = graph.sent_index[verb.i]
        said = self._quoted_before(graph, verb, agents)
        if said or sent == 0:
            return said
        root = graph.sents[sent - 1].root
        if root.lemma_ not in self.speech_verbs:
            return []
        said = [k for k in self.args.subject(graph, root) if k not in agents]
        return said if len(said) == 1 else []

    @staticmethod
    def _quoted_before(graph: ArticleGraph, verb: Token, agents: list[str]) -> list[str]:
        sent = graph.sent_index[verb.i]
        before = [
            q
            for q in graph.quotes
            if q.speakers
            and (
                graph.sent_index[q.sent_start] == sent - 1
                or (graph.sent_index[q.sent_start] == sent and q.span.end_char < verb.idx)
            )
        ]
        if not before:
            return []
        speakers = [k for k in before[-1].speakers if k not in agents]
        return speakers if len(speakers) == 1 else []

    def _reply(self, graph: ArticleGraph, verb: Token, lemma: str) -> bool:
        """'Ortiz retorted that Voss had never read the budget', 'shot back that Voss's plan would ...':
        a reply criticises the named subject of its clause (or that subject's possessor) when it is
        another person or organisation; otherwise it responds to a 'to' addressee, or gives nothing.
        A pronoun subject is too unsure to name a target. Without a clause the ordinary rules apply.
        """
        back = next((c for c in verb.children if c.dep_ in ("prt", "advmod") and c.lower_ == "back"), None)
        if (f"{lemma} back" if back is not None else lemma) not in self.reply:
            return False
        clause = next((c for c in verb.children if c.dep_ == "ccomp" and c.i > verb.i), None)
        if clause is None or negated(verb):
            return False
        args = self.args
        agents = args.actors(graph, args.subject(graph, verb))
        if not agents:
            return True
        subjects = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ != "PRON"]
        named = [
            k
            for c in subjects
            for k in args.entities(graph, c, "target")
            if graph.type_of(k) in ("Person", "Organization") and k not in agents
        ]
        args.via_pronoun.clear()
        if named:
            self._emit(graph, "CRITICIZED", agents, named, verb, self.conf["verb"], "stance.reply_clause")
            return True
        addressees = [
            k
            for c in verb.children
            if c.dep_ in ("prep", "dative") and c.lower_ == "to"
            for o in c.children
            if o.dep_ == "pobj" and o.pos_ != "PRON"
            for k in args.entities(graph, o, "target")
        ]
        if addressees:
            self._emit(graph, "RESPONDED_TO", agents, addressees, verb, self.conf["verb"], "stance.reply_to")
        return True

    def _evaluation(self, graph: ArticleGraph, verb: Token, lemma: str) -> bool:
        """'Shapiro described the remarks as "unacceptable"', 'dismissed the threats as legally hollow',
        'hailed the vote as historic': the label's valence (VADER) decides the stance, the verb's own
        only when the label has none; the object may stand for its owner ('the remarks' -> Krasner).
        Without an 'as' label or a predicate the ordinary rules apply."""
        objects = [c for c in verb.children if c.dep_ == "dobj"]
        # the "as" phrase hangs on the verb or, as often, on its object ("described [the remarks as ...]")
        label = [
            t
            for h in (verb, *objects)
            for c in h.children
            if self._is_label(verb, h, c)
            for t in c.subtree
            if t.lower_ != "as"
        ]
        if not objects or not label or negated(verb):
            return False
        pol = valence("".join(t.text_with_ws for t in label).strip())
        type_ = "CRITICIZED" if pol <= -0.2 else "ENDORSED" if pol >= 0.2 else None
        type_ = type_ or self.verbs.get(lemma) or self.owned_verbs.get(lemma)  # "dismissed X as Y"
        if type_ is None:
            return True
        args = self.args
        targets = [k for o in objects for k in args.entities(graph, o, "target")]
        self._emit(
            graph, type_, args.subject(graph, verb), targets, verb, self.conf["label"], "stance.evaluation"
        )
        return True

    def _request(self, graph: ArticleGraph, verb: Token) -> bool:
        """'asked the council to provide the officers with ...', 'urged Hale to let the chamber vote',
        'demanded the Justice Department examine the remarks': whoever is asked to act is responded to.
        Returns False when the verb asks nobody named, so the ordinary rules still run."""
        if negated(verb):
            return False
        args = self.args
        asked: list[str] = []
        objects = [c for c in verb.children if c.dep_ in ("dobj", "dative")]
        passive = [c for c in verb.children if c.dep_ == "nsubjpass"]
        if passive and any(c.dep_ == "agent" for c in verb.children):
            # "Walters had been asked by members of the committee to impose the ban"
            if any(c.dep_ == "xcomp" for c in verb.children):
                asked = [k for o in passive for k in args.entities(graph, o, "target")]
        elif objects and any(c.dep_ == "xcomp" and c.i > objects[0].i for c in verb.children):
            asked = [k for o in objects for k in args.entities(graph, o, "target")]
        elif not objects:
            for c in verb.children:
                # "demanded the Justice Department examine ...", "asked for the minister to apologise"
                for_clause = c.dep_ == "advcl" and any(
                    m.dep_ == "mark" and m.lower_ == "for" for m in c.children
                )
                if (c.dep_ == "ccomp" or for_clause) and c.i > verb.i:
                    asked += [
                        k for s in c.children if s.dep_ == "nsubj" for k in args.entities(graph, s, "target")
                    ]
                # the parser's other readings of "asked for Griffiths to apologise": "for Griffiths", then
                # an infinitive hung on the verb
                if (
                    c.dep_ == "prep"
                    and c.lower_ == "for"
                    and any(
                        t.i > c.i
                        and (
                            t.lower_ == "to"
                            or (t.dep_ in ("advcl", "xcomp") and any(a.lower_ == "to" for a in t.children))
                        )
                        for t in verb.children
                    )
                ):
                    asked += [
                        k for o in c.children if o.dep_ == "pobj" for k in args.entities(graph, o, "target")
                    ]
        asked = [k for k in asked if graph.type_of(k) in RESPONSE_TARGETS]
        agents = args.subject(graph, verb)
        # "demanded the Justice Department examine Krasner's remarks", "urged prosecutors to charge the
        # mayor": asking for somebody to be investigated or punished is a stance against them (CAMEO 11x)
        accused = [
            k
            for clause in verb.children
            # the small model sometimes parses "(demanded the auditor) investigate" as a noun object
            if clause.dep_ in ("xcomp", "ccomp", "dobj") and clause.lemma_.lower() in self.sanction_verbs
            for o in clause.children
            if o.dep_ == "dobj"
            for k in args.entities(graph, o, "target")
            if k not in asked
        ]
        if not asked and not accused:
            args.via_pronoun.clear()
            return False
        conf = self.conf["verb"]
        self._emit(graph, "CRITICIZED", agents, accused, verb, self.conf["phrase"], "stance.request_sanction")
        self._emit(graph, "RESPONDED_TO", agents, asked, verb, conf, "stance.request")
        return True

    @staticmethod
    def _is_label(verb: Token, holder: Token, child: Token) -> bool:
        """'as unacceptable' on the verb or its object, a predicate after the verb, or 'as legally
        hollow' parsed as an adverbial clause of the verb."""
        if child.dep_ == "prep" and child.lower_ == "as":
            return True
        if holder is not verb or child.i < verb.i:
            return False
        first = child.doc[min(x.i for x in child.subtree)]
        return child.dep_ in ("oprd", "acomp") or (child.dep_ == "advcl" and first.lower_ == "as")

    def _owned(self, graph: ArticleGraph, verb: Token, key: str) -> bool:
        """'Ruiz dismissed Governor Pike's statement': the stance is on the statement's owner, named by a
        possessive in the same sentence; an object without one ('dismissed the statement') gives nothing."""
        # (owned noun, the token its possessor hangs on)
        objects = [(o, o) for o in verb.children if o.dep_ == "dobj"]
        if key == "let":  # "voted to let the mayor's veto stand": the clause's subject is the object
            for c in verb.children:
                if c.dep_ in ("ccomp", "xcomp") and c.lower_ == "stand":
                    key = "let stand"
                    objects = [(o, o) for o in c.children if o.dep_ == "nsubj"]
                    # the parser often reads "veto stand" as one noun: the possessor hangs on "stand"
                    objects += [(o, c) for o in c.children if o.dep_ == "compound" and c.pos_ == "NOUN"]
        type_ = self.owned_verbs.get(key)
        if type_ is None:
            return False
        if negated(verb) or self.args.is_passive(verb):
            return key not in self.verbs  # "was rejected by the Senate" keeps its plain reading
        if verb.head.lemma_.lower() in ("fail", "refuse") and verb.dep_ == "xcomp":
            return True  # "failed to override the mayor's veto": nothing was done to the mayor
        args = self.args
        # the owner: "Pike's statement", "the Fianna Fail claims", "the claim made by the Labor Party",
        # "claims by the Labour Party", "calls from the union"
        owners: list[Token] = []
        for o, holder in objects:
            if o.lower_ not in self.owned_nouns:
                continue
            for c in holder.children:
                if c.dep_ in ("poss", "compound") and c.pos_ != "PRON":
                    owners.append(c)
                elif c.dep_ == "prep" and c.lower_ in ("by", "from"):
                    owners += [a for a in c.children if a.dep_ == "pobj"]
                elif c.dep_ == "acl":  # "made by"
                    agents = [g for g in c.children if g.dep_ == "agent"]
                    owners += [a for g in agents for a in g.children if a.dep_ == "pobj"]
        targets = [
            k for p in owners for k in graph.keys_at(p.i) if graph.type_of(k) in ("Person", "Organization")
        ]
        if targets:
            self._emit(
                graph, type_, args.subject(graph, verb), targets, verb, self.conf["verb"], "stance.owned"
            )
            return True
        # a verb with a reading of its own goes on to it: "rejected the budget" is a stance on the budget
        return key not in self.verbs

    @staticmethod
    def _it(graph: ArticleGraph, it: Token, agents: list[str]) -> list[str]:
        """'The Chamber praised the Senate plan. The union condemned it.': 'it' is the one bill or
        organisation the previous sentence (or this one, before 'it') talks about.

        A bill wins; an organisation only when it is the previous sentence's subject, its verb has no
        object or complement that 'it' could be instead, and no bill is in sight. Anything else ('it' as
        a statement, a decision, a claim) stays unresolved.
        """
        sent = graph.sent_index[it.i]
        window = [
            m
            for m in graph.mentions
            if (
                graph.sent_index[m.start] == sent - 1
                or (graph.sent_index[m.start] == sent and m.start < it.i)
            )
            and m.key not in agents
        ]
        refs = {
            k
            for i, keys in graph.refs.items()
            if graph.sent_index[i] in (sent - 1, sent) and i < it.i
            for k in keys
            if graph.type_of(k) == "Bill"
        }
        bills = {m.key for m in window if m.type == "Bill"} | refs
        if bills:
            return list(bills) if len(bills) == 1 else []
        doc = it.doc
        subjects = {
            k
            for m in window
            if m.type == "Organization" and graph.sent_index[m.start] == sent - 1
            for k in [m.key]
            if doc[m.start : m.end].root.dep_ in ("nsubj", "nsubjpass")
            and doc[m.start : m.end].root.head.dep_ == "ROOT"
            and not any(
                c.dep_ in ("dobj", "attr", "ccomp", "xcomp", "prep")
                for c in doc[m.start : m.end].root.head.children
            )
        }
        return list(subjects) if len(subjects) == 1 else []

    def _prepositional(self, graph: ArticleGraph, verb: Token, lemma: str) -> bool:
        """'voted against the ordinance', 'stood by Salinas': a verb and the preposition right after it.

        The parser often takes 'by' after an intransitive verb for a passive agent; a verb with no
        passive auxiliary is active whatever the label says, so its subject stays the actor.
        """
        prep = next(
            (  # right after the verb, scare quotes aside: 'will "hunt" down ICE agents'
                c
                for c in verb.children
                if c.dep_ in ("prep", "agent")
                and all(t.is_punct for t in verb.doc[verb.i + 1 : c.i])
                and c.i > verb.i
            ),
            None,
        )
        type_ = self.phrasal.get(f"{lemma} {prep.lower_}") if prep is not None else None
        if prep is None or type_ is None or any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children):
            return False
        args = self.args
        targets = [k for o in prep.children if o.dep_ == "pobj" for k in args.entities(graph, o, "target")]
        if (
            not targets and prep.lower_ in PARTICLES
        ):  # "hunt down ICE agents": a particle parsed as a preposition
            targets = [
                k for o in verb.children if o.dep_ == "dobj" for k in args.entities(graph, o, "target")
            ]
        if not targets:  # "Barrera and Evans voted for it": the one bill just talked about
            its = [o for o in prep.children if o.dep_ == "pobj" and o.lower_ == "it"]
            if its:
                targets = [k for k in self._it(graph, its[0], []) if graph.type_of(k) == "Bill"]
        if lemma in self.bill_only:
            targets = [t for t in targets if graph.type_of(t) == "Bill"]
        if targets:
            # every subject: "Board members Kevin Bates and Scott Barnes voted" has two, one naming nobody
            agents = [
                k
                for c in verb.children
                if c.dep_ in ("nsubj", "csubj")
                for k in args.entities(graph, c, "agent")
            ]
            if not agents:
                agents = args.subject(graph, verb)
            self._emit(graph, type_, agents, targets, verb, self.conf["verb"], "stance.verb_prep")
        return True

    def _particle_prep(
        self, graph: ArticleGraph, verb: Token, lemma: str, prt: str, preps: list[Token]
    ) -> bool:
        """'The chamber came out against the measure': a verb, its particle and a preposition, where the
        three words together carry the stance ('came out' alone carries none)."""
        for p in preps:
            type_ = self.phrasal.get(f"{lemma} {prt} {p.lower_}")
            if type_ is None:
                continue
            if negated(verb):
                return True
            objects = [o for o in p.children if o.dep_ == "pobj"]
            # "came out in favor of the act": the stance word is the object, what it is for follows
            objects += [
                g
                for o in objects
                if o.lower_ in FAVOR_WORDS
                for c in o.children
                if c.dep_ == "prep" and c.lower_ == "of"
                for g in c.children
            ]
            targets = [k for o in objects if o.dep_ == "pobj" for k in self.args.entities(graph, o, "target")]
            if targets:
                agents = self.args.subject(graph, verb)
                self._emit(graph, type_, agents, targets, verb, self.conf["verb"], "stance.verb_prep")
            return True
        return False

    def _demand(self, graph: ArticleGraph, noun: Token) -> None:
        """'called for Salinas's resignation', 'demanded the mayor's removal': the possessor is criticised."""
        poss = next((c for c in noun.children if c.dep_ == "poss"), None)
        if poss is None:  # "demanded the resignation of Chief McManus"
            poss = next(
                (o for p in noun.children if p.dep_ == "prep" and p.lower_ == "of" for o in p.children
                 if o.dep_ == "pobj"),
                None,
            )  # fmt: skip
        if poss is None:
            return
        verb = noun.head
        if noun.dep_ == "pobj" and verb.dep_ == "prep" and verb.lower_ == "for":
            verb = verb.head
        elif noun.dep_ != "dobj":
            return
        if verb.pos_ not in ("VERB", "AUX") or verb.lemma_.lower() not in self.demand:
            return
        args = self.args
        targets = args.entities(graph, poss, "target")
        agents = args.subject(graph, verb)
        if not agents and verb.dep_ == "acl" and verb.head.dep_ == "ROOT" and verb.head.pos_ == "PROPN":
            agents = args.entities(graph, verb.head, "agent")  # "Okoro, the chair, called for": no verb root
        self._emit(graph, "CRITICIZED", agents, targets, noun, self.conf["phrase"], "stance.demand")

    def _removal(self, graph: ArticleGraph, verb: Token) -> bool:
        """'called for Chief McManus to resign', 'demanded that the mayor step down', 'urged the board to
        fire Lee', 'is pushing for Ortiz to be removed': asking for someone's removal or punishment is a
        stance against them (CAMEO 11x), whoever is asked to carry it out."""
        if negated(verb):
            return False
        args = self.args
        accused: list[str] = []
        objects = [c for c in verb.children if c.dep_ in ("dobj", "dative")]
        objects += [  # "called on Chief McManus to resign"
            o
            for p in verb.children
            if p.dep_ == "prep" and p.lower_ in ("on", "upon", "for")
            for o in p.children
            if o.dep_ == "pobj"
        ]
        for clause in verb.children:
            if clause.dep_ not in ("advcl", "ccomp", "xcomp") or clause.i < verb.i:
                continue
            prt = next((c.lower_ for c in clause.children if c.dep_ in ("prt", "advmod")), None)
            lemma = clause.lemma_.lower()
            if lemma not in self.removal_verbs and f"{lemma} {prt}" not in self.removal_verbs:
                continue
            subjects = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")]
            intransitive = (
                lemma in ("resign", "quit") or prt is not None and f"{lemma} {prt}" in self.removal_verbs
            )
            if subjects and (intransitive or args.is_passive(clause)):
                accused += [k for s in subjects for k in args.entities(graph, s, "target")]
            elif (
                not subjects
                and clause.dep_ in ("xcomp", "advcl")
                and objects
                and (intransitive or args.is_passive(clause))
            ):
                accused += [k for o in objects for k in args.entities(graph, o, "target")]
        accused = [k for k in accused if graph.type_of(k) in RESPONSE_TARGETS]
        if not accused:
            args.via_pronoun.clear()
            return False
        return self._emit(
            graph,
            "CRITICIZED",
            args.subject(graph, verb),
            accused,
            verb,
            self.conf["phrase"],
            "stance.removal",
        )

    def _relational(self, graph: ArticleGraph, noun: Token) -> None:
        """'Ray is a vocal critic of Mayor Bell', 'Ray, a longtime supporter of the bill,': the noun's
        holder (the copula's subject, or the name the noun is in apposition to) takes the stance toward
        its of-object."""
        args = self.args
        targets = [
            k
            for p in noun.children
            if p.dep_ == "prep" and (p.lower_ == "of" or (p.lower_ == "for" and noun.lower_ in FOR_HOLDERS))
            for o in p.children
            # "a vocal proponent of these policies": a policy stands for nobody here
            if o.dep_ == "pobj" and (o.lemma_.lower() not in self.owned_nouns or o.i in graph.token_mention)
            for k in args.entities(graph, o, "target")
        ]
        if not targets:  # "Ruiz's critics", "a longtime Ruiz critic"
            targets = [
                k
                for c in noun.children
                if c.dep_ in ("poss", "compound") and c.i < noun.i
                for k in graph.keys_at(c.i)
                if graph.type_of(k) in TARGET_TYPES
            ]
        if not targets:
            return
        agents: list[str] = []
        holder = noun
        if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.lower_ == "one":
            holder = noun.head.head  # "Cole is one of Ruiz's fiercest critics"
        if holder.dep_ == "attr" and holder.head.lemma_.lower() in ("be", "become", "remain"):
            if any(c.dep_ == "neg" for c in holder.head.children):
                return
            agents = args.subject(graph, holder.head)
        elif holder.dep_ == "appos":
            agents = args.entities(graph, holder.head, "agent")
        if not agents:  # "Ruiz's critics, including Senator Cole"
            agents = args.via_preps(graph, noun, ("including", "like"), "agent")
        self._emit(graph, self.relational[noun.lemma_.lower()], agents, targets, noun, self.conf["noun"],
                   "stance.relational")  # fmt: skip

    def _felt(self, graph: ArticleGraph, tok: Token) -> bool:
        """'Ruiz is frustrated with the district': the parser reads a feeling adjective after a copula as
        a passive participle; it is the adjective, handled as one (and never as the verb 'frustrate')."""
        if not (tok.tag_ == "VBN" and tok.lower_ in self.adjectives):
            return False
        if not any(c.dep_ == "auxpass" for c in tok.children):
            return False
        self._adjective(graph, tok)
        return True

    def _adjective(self, graph: ArticleGraph, adj: Token) -> None:
        """'Ray has been highly critical of Mayor Bell', 'was supportive of Santelises', 'is opposed to the
        plan', 'said she was disappointed in the mayor': a stance adjective after a copula, with its
        own preposition naming the target; the copula's subject holds it."""
        type_, preps = self.adjectives[adj.lower_]
        felt = adj.dep_ != "acomp"  # the participle form (see _felt): its own children hold everything
        negated = adj.children if felt else (*adj.children, *adj.head.children)
        if any(c.dep_ == "neg" for c in negated):
            return
        args = self.args
        targets = args.via_preps(graph, adj, preps, "target")
        if felt and "by" in preps:  # 'upset by the ruling': the passive's agent is what upset them
            targets += [
                k
                for c in adj.children
                if c.dep_ == "agent"
                for o in c.children
                if o.dep_ == "pobj"
                for k in args.entities(graph, o, "target")
            ]
        if not targets:
            return
        if felt:
            holders = [
                k for c in adj.children if c.dep_ == "nsubjpass" for k in args.entities(graph, c, "agent")
            ]
        else:
            holders = args.subject(graph, adj.head)
        self._emit(graph, type_, holders, targets, adj, self.conf["verb"], "stance.adjective")

    @staticmethod
    def _label(verb: Token, objects: list[Token]) -> Token | None:
        for c in verb.children:
            if c.dep_ in ("oprd", "xcomp", "attr", "ccomp") and c.i > verb.i:
                return c
        if len(objects) >= 2:
            return objects[-1]
        if objects:  # 'called ICE agents "wannabe Nazis"' parsed as an apposition
            return next((c for c in objects[0].children if c.dep_ == "appos"), None)
        return None

    def _called_for_someone(self, graph: ArticleGraph, verb: Token, preps: list[Token]) -> list[str]:
        """Who 'called for X to <act>' asks to act: X, the subject of the infinitive, however the parser
        hangs it ('for' a preposition with X its object and the infinitive on the verb, or 'for' the
        marker of a clause whose subject is X). A removal ('called for X to resign') is read before."""
        infinitives = [
            c
            for c in verb.children
            if c.dep_ in ("xcomp", "advcl") and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
        ]
        people: list[Token] = []
        for clause in infinitives:
            if any(m.dep_ == "mark" and m.lower_ == "for" for m in clause.children):
                people += [c for c in clause.children if c.dep_ == "nsubj"]
        for p in preps:
            if p.lower_ == "for" and any(c.i > p.i for c in infinitives):
                people += [c for c in p.children if c.dep_ == "pobj"]
        return [
            k
            for t in people
            for k in self.args.entities(graph, t, "target")
            if graph.type_of(k) in RESPONSE_TARGETS
        ]

    def _call(self, graph: ArticleGraph, verb: Token, prt: str | None, preps: list[Token]) -> bool:
        """'called X "wannabe Nazis"', 'calls for protests against ICE', 'called on X to ...'."""
        args = self.args
        # "called on X to ...", "called for Rauner to end the press conferences": a call on X to act
        on = next(
            (
                p
                for p in preps
                if p.lower_ in ("on", "upon")
                and p.i == verb.i + 1
                and any(c.dep_ == "pobj" for c in p.children)
            ),
            None,
        )
        asked = (
            [k for o in on.children if o.dep_ == "pobj" for k in args.entities(graph, o, "target")]
            if on is not None
            else self._called_for_someone(graph, verb, preps)
        )
        if on is not None or asked:
            self._emit(
                graph,
                "RESPONDED_TO",
                args.subject(graph, verb),
                asked,
                verb,
                self.conf["verb"],
                "stance.call_on",
            )
            return True
        for p in preps:
            pobj = next((c for c in p.children if c.dep_ == "pobj"), None)
            if pobj is None:
                continue
            if p.lower_ == "for" and pobj.lemma_.lower() in self.call_for | {pobj.lower_}:
                if pobj.lower_ not in self.call_for and pobj.lemma_.lower() not in self.call_for:
                    continue
                targets = [
                    k
                    for q in pobj.children
                    if q.dep_ == "prep" and q.lower_ in ("against", "of", "into")
                    for o in q.children
                    if o.dep_ == "pobj"
                    for k in args.entities(graph, o, "target")
                ]
                if targets:
                    self._emit(
                        graph,
                        "CRITICIZED",
                        args.subject(graph, verb),
                        targets,
                        verb,
                        self.conf["phrase"],
                        "stance.call_for",
                    )
                return True
        if prt:
            return False
        objects = [c for c in verb.children if c.dep_ in ("dobj", "dative")]
        predicates = [c for c in verb.children if c.dep_ == "oprd" and c.i > verb.i]
        if not objects and len(predicates) == 2:  # "called Ruiz a liar" parsed as two predicates
            objects = predicates[:1]
        label = self._label(verb, objects)
        if label is not None and objects and label.i == objects[0].i:
            label = predicates[1]
        quoted = bool(objects) and self._quoted_after(graph, objects[0])
        if objects and (label is not None or quoted):
            type_ = "ENDORSED" if label is not None and label.lower_ in self.positive_labels else "CRITICIZED"
            targets = args.entities(graph, objects[0], "target")
            self._emit(
                graph, type_, args.subject(graph, verb), targets, verb, self.conf["label"], "stance.label"
            )
        return True

    @staticmethod
    def _quoted_after(graph: ArticleGraph, obj: Token) -> bool:
        end = max(t.i for t in obj.subtree)
        doc = obj.doc
        if end + 1 >= len(doc):
            return False
        nxt = doc[end + 1]
        return nxt.text in ('"', "'") or in_quote(graph, nxt)

    # nouns ----------------------------------------------------------------------------------------
    def _noun(self, graph: ArticleGraph, noun: Token) -> None:
        lemma = noun.lemma_.lower()
        type_ = self.nouns[lemma]
        if any(c.lower_ == "no" for c in noun.children) and type_ in ("CRITICIZED", "ENDORSED"):
            type_ = "CRITICIZED" if type_ == "ENDORSED" else "ENDORSED"  # "a vote of no confidence in X"
        args = self.args
        preps = [c for c in noun.children if c.dep_ == "prep"]
        target_preps = set(self.directional.get(lemma, [])) or self.noun_preps
        targets = [
            k
            for p in preps
            if p.lower_ in target_preps
            for o in self._owners(p)
            for k in (
                self._authors(graph, o) if type_ == "RESPONDED_TO" else args.entities(graph, o, "target")
            )
        ]
        if not targets and noun.dep_ == "dobj" and noun.head.lemma_.lower() in self.agent_light:
            # "filed a lawsuit against the county": the parser hangs the target on the verb ("gave his
            # backing to X": as a dative)
            targets = [
                k
                for p in noun.head.children
                if p.dep_ in ("prep", "dative") and p.i > noun.i and p.lower_ in target_preps
                for o in self._owners(p)
                for k in args.entities(graph, o, "target")
            ]
        if lemma in self.bill_only_nouns:
            targets = [t for t in targets if graph.type_of(t) == "Bill"]
        agents: list[str] = []
        poss = next((c for c in noun.children if c.dep_ == "poss"), None)
        if poss is not None:
            agents = args.entities(graph, poss, "agent")
        for p in preps:
            if p.lower_ in ("from", "by"):
                agents += [
                    k for o in p.children if o.dep_ == "pobj" for k in args.entities(graph, o, "agent")
                ]
        rule, conf = "stance.noun", self.conf["noun"]
        # "a wave of criticism" -> the phrase "a wave"
        head = noun
        if (
            head.dep_ == "pobj"
            and head.head.lower_ == "of"
            and (head.head.head.lemma_.lower() in self.quantity or head.head.head.lower_ in PARTITIVES)
        ):
            head = head.head.head  # "is leading two of the lawsuits against X": the verb is the number's
        phrase = self._phrase(noun)
        verb = None
        if phrase:
            pass  # "came to the defense of X", "spoke in support of X": the phrase says who does what
        elif head.dep_ in ("dobj", "nsubj", "nsubjpass", "attr"):
            verb = head.head
        elif head.dep_ == "pobj" and head.head.head.pos_ in ("VERB", "AUX"):
            verb = head.head.head
        reaction = False
        if verb is not None and verb.pos_ in ("VERB", "AUX"):
            vlemma = verb.lemma_.lower()
            if not agents and vlemma in self.agent_light:
                agents = args.subject(graph, verb)
            elif vlemma in self.target_light and head.dep_ not in ("nsubj", "nsubjpass"):
                if not agents:  # "drew criticism from X" with the from-phrase on the verb
                    agents = args.via_preps(graph, verb, ("from", "by"), "agent")
                if (
                    not agents
                    and targets
                    and all(graph.type_of(k) in RESPONSE_TARGETS for k in targets)
                    and any(p.lower_ == "of" for p in preps)
                ):
                    agents, targets = targets, []  # "won the endorsement of the union": of names the giver
                if not targets:
                    targets = (
                        args.patient(graph, verb)
                        if args.is_passive(verb)
                        else args.subject(graph, verb, "target")
                    )
                reaction = True
        if phrase and not agents:
            type_ = self.phrases[phrase]
            governing = args.governing_verb(noun)
            if governing is not None:
                agents = args.subject(graph, governing)
            rule, conf = "stance.phrase", self.conf["phrase"]
        if reaction and targets:
            graph.last_reaction = (graph.sent_index[noun.i], tuple(targets))
        if agents and targets:
            self._emit(graph, type_, agents, targets, noun, conf, rule)

    @staticmethod
    def _owners(prep: Token) -> list[Token]:
        """The objects of a preposition, with 'the door of X' or 'X's door' read as X."""
        found = []
        for o in prep.children:
            if o.dep_ != "pobj":
                continue
            if o.lower_ in STANDS_FOR_OWNER:
                found += [c for c in o.children if c.dep_ == "poss"]
                found += [g for c in o.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children]
            else:
                found.append(o)
        return found

    def _authors(self, graph: ArticleGraph, thing: Token) -> list[str]:
        """Whom a response to `thing` answers: the people or bodies it names, else who made it ('in response
        to a proposed resolution by the Board of Commissioners', 'in response to the mayor's budget')."""
        named = self.args.entities(graph, thing, "target")
        named = [k for k in named if graph.type_of(k) in RESPONSE_TARGETS]
        if named:
            return named
        return [
            k
            for c in thing.children
            if c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ in ("by", "from"))
            for o in ([c] if c.dep_ == "poss" else [g for g in c.children if g.dep_ == "pobj"])
            for k in self.args.entities(graph, o, "agent")
            if graph.type_of(k) in RESPONSE_TARGETS
        ]

    def _phrase(self, noun: Token) -> str | None:
        """'in support of', 'in opposition to' around this noun."""
        if noun.dep_ != "pobj" or noun.head.dep_ != "prep":
            return None
        for p in noun.children:
            if p.dep_ == "prep":
                key = f"{noun.head.lower_} {noun.lower_} {p.lower_}"
                if key in self.phrases:
                    return key
        return None

    # quotes ---------------------------------------------------------------------------------------
    @staticmethod
    def _attach_quotes(graph: ArticleGraph) -> None:
        for rel in graph.relations:
            if rel.quote is not None or rel.type not in ("CRITICIZED", "ENDORSED", "RESPONDED_TO"):
                continue
            sent = graph.sent_index[rel.sent_start]
            for q in graph.quotes:
                if rel.source in q.speakers and 0 <= graph.sent_index[q.sent_start] - sent <= 1:
                    rel.quote = q.span.text.strip(TRIM + "'\"").strip()
                    break


@Language.factory("kg_stance", default_config={"lexicon_dir": None})
def make_stance(nlp: Language, name: str, lexicon_dir: str | None) -> StanceExtractor:
    return StanceExtractor(load_lexicons(lexicon_dir))
