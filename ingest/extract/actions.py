"""Non-stance relations: SPONSORED (Person -> Bill), FUNDED (actor -> actor), INVOLVED_IN (-> Event).

SPONSORED: "bills pushed by Councilwomen Kendra Brooks and Rue Landau", "Newsom signed the bill",
"the mayor's executive order", and an executive acting on an executive order as its owner ("Mayor
Brandon Johnson has moved to clarify a recent executive order").
FUNDED: "backed financially by businessman George Soros", "Soros funded Krasner's campaign".
INVOLVED_IN: "His 2022 impeachment attempt", "an impeachment attempt against Krasner", "His remarks came
during a rally", "Krasner attended the rally".
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token

from ingest.extract.arguments import ArgumentResolver
from ingest.extract.lexicons import Lexicons, load_lexicons
from ingest.extract.mentions import ArticleGraph, get_graph
from ingest.extract.quotes import in_quote

NOT_AUTHORED = ("contract", "closure plan")
CONFIDENCE = {"sponsor": 0.85, "owner": 0.7, "possessive": 0.75, "funded": 0.85, "involved": 0.7}
WEAK_STANCE_RULES = {"statement.about", "pairs.model"}  # stances read from valence or the model


class ActionExtractor:
    def __init__(self, lexicons: Lexicons) -> None:
        bills = lexicons.bills
        self.sponsor_verbs = set(bills["sponsor_verbs"])
        self.owner_verbs = set(bills["executive_owner_verbs"])
        funding = lexicons.funding
        self.funding_verbs = set(funding["verbs"])
        self.backing_verbs = set(funding["backing_verbs"])
        self.financial = set(funding["financial_adverbs"])
        self.transfer: dict[str, list[str]] = funding.get("transfer_verbs", {})
        self.amount_nouns = set(funding.get("amount_nouns", []))
        events = lexicons.events
        self.participation = set(events["participation_verbs"])
        self.candidate_nouns = set(events.get("candidate_nouns", []))
        self.participation_preps = set(events["participation_preps"])
        self.standing_verbs = set(events.get("standing_verbs", []))
        self.race_nouns = set(events.get("race_nouns", []))
        self.subject_preps = set(events["subject_preps"])
        self.dismissal_verbs = set(events.get("dismissal_verbs", []))
        self.executive_titles = {
            e["title"] for e in lexicons.offices["titles"].values() if e.get("executive")
        }
        self.args = ArgumentResolver(lexicons)

    def __call__(self, doc: Doc) -> Doc:
        graph = get_graph(doc)
        for tok in doc:
            if graph.skip(tok.i) or in_quote(graph, tok):
                continue
            if tok.pos_ in ("VERB", "AUX"):
                self._sponsor(graph, tok)
                self._funding(graph, tok)
                self._participation(graph, tok)
                if tok.lemma_.lower() in self.dismissal_verbs:
                    self._dismissal(graph, tok)
            keys = graph.keys_at(tok.i)
            m = graph.token_mention.get(tok.i)
            is_head = m is not None and tok.i == m.end - 1
            if is_head and keys and graph.type_of(keys[0]) == "Event":
                self._event_roles(graph, tok, keys[0])
            if tok.lower_ == "involved":
                self._involved(graph, tok)
            if tok.lemma_.lower() in self.candidate_nouns or self._in_race(graph, tok):
                self._candidate(graph, tok)
            if is_head and keys and graph.type_of(keys[0]) == "Bill":
                self._bill_owner(graph, tok, keys[0])
        self._drop_attacks_on_own_bills(graph)
        return doc

    @staticmethod
    def _drop_attacks_on_own_bills(graph: ArticleGraph) -> None:
        """Nobody is read as attacking the bill they sponsored from what they said about it or from the
        pair model (a neutral 'said the proposal failed to ...' about one's own proposal is a report of
        its fate); an explicit verb ('Ortiz voted against his own bill') stands."""
        sponsored = {(r.source, r.target) for r in graph.relations if r.type == "SPONSORED"}
        graph.relations = [
            r
            for r in graph.relations
            if not (
                r.type == "CRITICIZED" and r.rule in WEAK_STANCE_RULES and (r.source, r.target) in sponsored
            )
        ]

    def _bills(self, graph: ArticleGraph, keys: list[str]) -> list[str]:
        return [k for k in keys if graph.type_of(k) == "Bill"]

    def _people(self, graph: ArticleGraph, keys: list[str]) -> list[str]:
        return [k for k in keys if graph.type_of(k) in ("Person", "Organization")]

    def _sponsor(self, graph: ArticleGraph, verb: Token) -> None:
        lemma = verb.lemma_.lower()
        args = self.args
        if lemma in self.sponsor_verbs:
            if any(c.dep_ == "neg" for c in verb.children):
                return  # "Klein never presented her own budget"
            if args.is_passive(verb):
                bills = self._bills(graph, args.patient(graph, verb))
                agents = args.subject(graph, verb) if any(c.dep_ == "agent" for c in verb.children) else []
            else:
                agents = args.subject(graph, verb)
                bills = self._bills(
                    graph,
                    [k for c in verb.children if c.dep_ == "dobj" for k in args.entities(graph, c, "target")],
                )
                if not bills and verb.dep_ == "relcl":  # "a bill he introduced with Rep. Sam Achebe"
                    bills = self._bills(graph, args.entities(graph, verb.head, "target"))
            agents = agents + [  # "introduced with Rep. Sam Achebe": a co-author
                k
                for p in verb.children
                if p.dep_ == "prep" and p.lower_ == "with"
                for o in p.children
                if o.dep_ == "pobj"
                for k in args.entities(graph, o, "agent")
                if graph.type_of(k) == "Person" and k not in agents
            ]
            for a in self._people(graph, agents):
                for b in bills:
                    graph.add_relation(
                        "SPONSORED", a, b, verb, confidence=CONFIDENCE["sponsor"], rule="action.sponsor"
                    )
        elif lemma in self.owner_verbs and not args.is_passive(verb):
            bills = [
                b
                for c in verb.children
                if c.dep_ == "dobj"
                for b in self._bills(graph, list(graph.keys_at(c.i)))
                if graph.entities[b].properties.get("kind") == "executive order"
            ]
            if not bills:
                return
            for a in args.subject(graph, verb):
                if self._executive(graph, a):
                    for b in bills:
                        graph.add_relation(
                            "SPONSORED", a, b, verb, confidence=CONFIDENCE["owner"], rule="action.owner"
                        )

    def _executive(self, graph: ArticleGraph, person: str) -> bool:
        return any(
            person in people and graph.entities[office].properties.get("title") in self.executive_titles
            for office, people in graph.holders.items()
        )

    def _bill_owner(self, graph: ArticleGraph, tok: Token, bill: str) -> None:
        poss = next((c for c in tok.children if c.dep_ == "poss"), None)
        if poss is None or graph.entities[bill].properties.get("kind") in NOT_AUTHORED:
            return  # "Hodge's contract", "Lark's contract extension": whom it is about, not who wrote it
        owners = self.args.entities(graph, poss, "agent")
        for a in [k for k in owners if graph.type_of(k) == "Person"]:  # "the Senate's plan": no sponsor
            graph.add_relation(
                "SPONSORED", a, bill, tok, confidence=CONFIDENCE["possessive"], rule="action.bill_owner"
            )

    def _funding(self, graph: ArticleGraph, verb: Token) -> None:
        lemma = verb.lemma_.lower()
        if self._transfer(graph, verb, lemma):
            return
        financial = any(c.lower_ in self.financial for c in verb.children)
        if lemma not in self.funding_verbs and not (lemma in self.backing_verbs and financial):
            return
        args = self.args
        if args.is_passive(verb):
            if not any(c.dep_ == "agent" for c in verb.children):
                return
            funders, funded = args.subject(graph, verb), args.patient(graph, verb)
        else:
            funders = args.subject(graph, verb)
            funded = [
                k
                for c in verb.children
                if c.dep_ in ("dobj", "dative")
                for k in args.entities(graph, c, "target")
            ]
        for a in self._people(graph, funders):
            for t in self._people(graph, funded):
                graph.add_relation(
                    "FUNDED", a, t, verb, confidence=CONFIDENCE["funded"], rule="action.funded"
                )

    def _transfer(self, graph: ArticleGraph, verb: Token, lemma: str) -> bool:
        """'The association has given $250,000 to the committee', 'Hurst poured $2 million into Lund's
        campaign': money moved to a recipient (a campaign's possessor is the recipient). Only with an
        amount as the object; 'gave a speech to the union' is no funding."""
        preps = self.transfer.get(lemma)
        if not preps or self.args.is_passive(verb):
            return False
        if not any(c.dep_ == "dobj" and self._amount(c) for c in verb.children):
            return False
        args = self.args
        recipients = [
            k
            for p in verb.children
            if p.dep_ in ("prep", "dative") and p.lower_ in preps
            for o in p.children
            if o.dep_ == "pobj"
            for k in args.entities(graph, o, "target")
        ]
        if not recipients:
            recipients = self._named_after(graph, verb)
        for a in self._people(graph, args.subject(graph, verb)):
            for t in self._people(graph, recipients):
                if a != t:
                    graph.add_relation(
                        "FUNDED", a, t, verb, confidence=CONFIDENCE["funded"], rule="action.transfer"
                    )
        return True

    @staticmethod
    def _named_after(graph: ArticleGraph, verb: Token) -> list[str]:
        """'has given $250,000 to the committee fighting it, Denver Taxpayers for Accountability.': a
        recipient described by a common noun and named right after the clause, closing the sentence (the
        parser hangs such an apposition elsewhere)."""
        doc = verb.doc
        end = max(t.i for t in verb.subtree)
        if end + 2 >= len(doc) or doc[end + 1].text != ",":
            return []
        m = graph.token_mention.get(end + 2)
        if m is None or m.start != end + 2:
            return []
        sent_end = doc[end].sent.end
        if m.end != sent_end and not (m.end < sent_end and doc[m.end].text in (".", ";")):
            return []
        return [m.key]

    def _amount(self, tok: Token) -> bool:
        return tok.ent_type_ == "MONEY" or any(
            t.text == "$" or t.lower_ in self.amount_nouns for t in tok.subtree
        )

    def _participation(self, graph: ArticleGraph, verb: Token) -> None:
        events: list[str] = []
        lemma = verb.lemma_.lower()
        # "called the vote short-sighted" judges the vote; "called a vote" holds one
        judged = any(c.dep_ in ("oprd", "xcomp", "ccomp") for c in verb.children)
        for c in verb.children:
            if c.dep_ == "dobj" and lemma in self.participation and not judged:
                events += [k for k in graph.keys_at(c.i) if graph.type_of(k) == "Event"]
        events += graph.prep_objects(
            verb, None if lemma in self.participation else self.participation_preps, "Event"
        )
        if not events and self._stands(verb):
            events = self._the_election(graph)
        if not events:
            return
        for a in self._people(graph, self.args.subject(graph, verb)):
            for e in events:
                graph.add_relation(
                    "INVOLVED_IN", a, e, verb, confidence=CONFIDENCE["involved"], rule="action.participation"
                )

    def _involved(self, graph: ArticleGraph, tok: Token) -> None:
        """'the officers involved in the shooting death of Sterling, Blane Salamoni and Howie Lake II',
        'Salamoni was involved in the shooting': the words of the relation itself."""
        events = graph.prep_objects(tok, ("in",), "Event")
        if not events or any(c.dep_ == "neg" for c in tok.children):
            return
        if tok.dep_ in ("acl", "amod"):
            head = tok.head
            people = list(graph.keys_at(head.i))
            for c in head.children:
                if c.dep_ == "appos":
                    people += [k for t in (c, *c.conjuncts) for k in graph.keys_at(t.i)]
        else:  # "Salamoni and Lake were involved in": the passive's subjects
            people = [
                k
                for c in tok.children
                if c.dep_ in ("nsubj", "nsubjpass")
                for t in (c, *c.conjuncts)
                for k in graph.keys_at(t.i)
            ]
        for a in self._people(graph, people):
            for e in events:
                graph.add_relation(
                    "INVOLVED_IN", a, e, tok, confidence=CONFIDENCE["involved"], rule="action.involved"
                )

    def _dismissal(self, graph: ArticleGraph, verb: Token) -> None:
        """'Guillory terminated Glover', 'questioned him about firing the former police chief': a
        firing is an event (the story's one firing, or a new 'firing of <name>') that the one fired and
        whoever fired them took part in. Not 'fired shots', 'fired up the crowd', 'fired back'."""
        if any(c.dep_ in ("prt", "neg") for c in verb.children):
            return
        fired = [
            k
            for c in verb.children
            if c.dep_ == "dobj"
            for k in graph.keys_at(c.i)
            if graph.type_of(k) == "Person"
        ]
        if len(fired) != 1:
            return
        firings = [
            k
            for k, rec in graph.entities.items()
            if rec.type == "Event" and rec.properties.get("kind") == "dismissal"
        ]
        if len(firings) > 1:
            return
        if firings:
            event = firings[0]
        else:
            name = f"firing of {graph.entities[fired[0]].name}"
            event = graph.add_entity("Event", name, properties={"kind": "dismissal", "core": name.lower()})
        if verb.lower_ == "firing":  # "about firing the former police chief": the text's own word
            graph.entities[event].aliases.add("firing")
        actors = [k for k in self.args.subject(graph, verb) if graph.type_of(k) in ("Person", "Organization")]
        for k in dict.fromkeys([*fired, *actors]):
            graph.add_relation(
                "INVOLVED_IN", k, event, verb, confidence=CONFIDENCE["involved"], rule="action.dismissal"
            )

    def _candidate(self, graph: ArticleGraph, noun: Token) -> None:
        """'Booker is a candidate in the Kentucky Senate race', 'Simon, the Republican nominee for
        governor in the race': who stands in an election takes part in it."""
        events = graph.prep_objects(noun, ("in", "for"), "Event") or self._the_election(graph)
        if not events:
            return
        if noun.dep_ == "attr" and noun.head.lemma_ == "be":
            people = self.args.subject(graph, noun.head)
        elif noun.dep_ == "nsubj" and noun.head.lemma_ == "be":
            # "The other Democrat in the race is Abdul El-Sayed": who the noun is said to be
            people = [k for c in noun.head.children if c.dep_ == "attr" for k in graph.keys_at(c.i)]
        elif noun.dep_ == "pobj" and noun.head.lower_ == "as" and noun.head.head.pos_ == "VERB":
            # "Denish is seen as the frontrunner": who is seen so, the passive's subject
            people = [
                k
                for c in noun.head.head.children
                if c.dep_ in ("nsubj", "nsubjpass")
                for k in self.args.entities(graph, c, "agent")
            ]
        elif noun.dep_ == "appos":
            people = list(graph.keys_at(noun.head.i))
        else:
            people = [k for c in noun.children if c.dep_ == "appos" for k in graph.keys_at(c.i)]
            # "Libertarian candidate John Monds": the name the noun is a title of
            people += [k for k in graph.keys_at(noun.head.i) if noun.dep_ == "compound"]
        for a in self._people(graph, people):
            for e in events:
                graph.add_relation(
                    "INVOLVED_IN", a, e, noun, confidence=CONFIDENCE["involved"], rule="action.candidate"
                )

    @staticmethod
    def _in_race(graph: ArticleGraph, noun: Token) -> bool:
        """'the other visible Democrat in the race': a noun for somebody, said to be in an election."""
        if noun.pos_ not in ("NOUN", "PROPN") or graph.keys_at(noun.i):
            return False
        objects = [o for p in noun.children if p.dep_ == "prep" and p.lower_ == "in" for o in p.children]
        return any(
            graph.type_of(k) == "Event" and graph.entities[k].properties.get("kind") == "election"
            for o in objects
            if o.dep_ == "pobj"
            for k in graph.keys_at(o.i)
        ) or any(  # "in the race": the story's one election (`_candidate` asks for exactly one)
            o.dep_ == "pobj" and o.lemma_.lower() in ("race", "contest", "primary", "election")
            for o in objects
        )

    def _stands(self, verb: Token) -> bool:
        """'Anderson, who is running against Mendenhall', 'Cuomo entered the race in March': standing in
        an election the verb does not name (the story's one election is meant). Not 'decided not to
        run', not 'the ads are running statewide' (a person must stand: the caller keeps people only)."""
        lemma = verb.lemma_.lower()
        if any(c.dep_ == "neg" for t in (verb, *verb.ancestors) for c in t.children):
            return False
        objects = [
            o
            for c in verb.children
            for o in ([c] if c.dep_ == "dobj" else [g for g in c.children if g.dep_ == "pobj"])
        ]
        if any(o.lemma_.lower() in self.race_nouns for o in objects):
            return lemma in self.standing_verbs
        # "is running against Mendenhall", "running for re-election": a run with nothing run
        return (
            lemma == "run"
            and not any(c.dep_ == "dobj" for c in verb.children)
            and any(c.dep_ == "prep" and c.lower_ in ("for", "against") for c in verb.children)
        )

    @staticmethod
    def _the_election(graph: ArticleGraph) -> list[str]:
        """The election a story is about, when it names exactly one: a candidate with no race of their
        own named stands in it."""
        elections = [
            k
            for k, rec in graph.entities.items()
            if rec.type == "Event" and rec.properties.get("kind") == "election"
        ]
        return elections if len(elections) == 1 else []

    def _event_roles(self, graph: ArticleGraph, tok: Token, event: str) -> None:
        involved: list[str] = []
        for c in tok.children:
            if c.dep_ == "poss":
                involved += self.args.entities(graph, c, "target")
            if c.dep_ == "prep" and c.lower_ in self.subject_preps:
                objects = [o for o in c.children if o.dep_ == "pobj"]
                # "the firing of now-former superintendent Scott Baker": the name hangs on the title
                objects += [n for o in objects for n in o.children if n.dep_ in ("compound", "appos")]
                # "a vote of no confidence in Chief McManus": whom the confidence is in
                objects += [
                    oo
                    for o in objects
                    if o.lemma_.lower() == "confidence"
                    for p in o.children
                    if p.dep_ == "prep" and p.lower_ in ("in", "on")
                    for oo in p.children
                    if oo.dep_ == "pobj"
                ]
                involved += [k for o in objects for k in graph.keys_at(o.i) if graph.type_of(k) == "Person"]
        for k in involved:
            if graph.type_of(k) in ("Person", "Organization"):
                graph.add_relation(
                    "INVOLVED_IN", k, event, tok, confidence=CONFIDENCE["involved"], rule="action.event_role"
                )


@Language.factory("kg_actions", default_config={"lexicon_dir": None})
def make_actions(nlp: Language, name: str, lexicon_dir: str | None) -> ActionExtractor:
    return ActionExtractor(load_lexicons(lexicon_dir))
