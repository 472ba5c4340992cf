"""Votes whose object is left implicit: 'Gallego and Waring voted "no."', 'with Hales, Moore and Jamin
voting nay', 'with Kuehl dissenting', 'Voting in favor of it were Hope, Burns and Lehr', 'who voted
against the plan', 'voted to override the mayor's veto'.

News reports a roll call by naming the voters and leaving the measure to the sentence around them. A
vote for a measure is ENDORSED, a vote against it CRITICIZED (as for "voted against the ordinance",
which `stance.py` reads when the object is named). Here the measure is the one bill the sentence talks
about, or failing that the one bill of the sentence before; when there are several, nothing is said.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token

from ingest.extract.arguments import ArgumentResolver
from ingest.extract.lexicons import Lexicons, load_lexicons
from ingest.extract.mentions import ArticleGraph, get_graph
from ingest.extract.quotes import in_quote

NO = {"no", "nay", "against"}
YES = {"yes", "aye", "yea"}
VOTE_AGAINST = {"no", "nay", "dissenting", "opposing"}  # "the dissenting votes", "the lone no vote"
FAVOR = {"favor", "favour", "support"}  # "in favor", "in support"
STANDS_FOR_MEASURE = {
    "it", "plan", "measure", "proposal", "bill", "budget", "motion", "ordinance", "resolution",
    "contract", "deal", "package", "amendment", "levy", "increase", "hike", "cuts", "agreement",
    "action", "move", "decision", "proposals", "plans", "measures", "changes", "extension", "recommendation",
}  # fmt: skip
TALLY_DASHES = {"-", "–", "—", "to"}
MANNER = {"unanimously", "overwhelmingly", "narrowly"}
CONFIDENCE = 0.6
# overriding a veto is a vote for what was vetoed; sustaining it, a vote against
VETO_VERBS = {"override": "ENDORSED", "overturn": "ENDORSED", "overrule": "ENDORSED", "sustain": "CRITICIZED"}
VETO_NOUNS = {"veto", "vetoes"}
ACTORS = ("Person", "Organization")


class VoteStance:
    def __init__(self, lexicons: Lexicons) -> None:
        self.args = ArgumentResolver(lexicons)

    def __call__(self, doc: Doc) -> Doc:
        graph = get_graph(doc)
        for tok in doc:
            lemma = tok.lemma_.lower()
            if lemma in VETO_VERBS and tok.pos_ == "VERB":
                self._veto(graph, tok, VETO_VERBS[lemma])
                continue
            if lemma == "vote" and tok.pos_ == "NOUN":
                self._vote_noun(graph, tok)
                continue
            if lemma not in ("vote", "dissent") or tok.pos_ not in ("VERB", "AUX"):
                continue
            if graph.skip(tok.i) or in_quote(graph, tok) or any(c.dep_ == "neg" for c in tok.children):
                continue
            # "The second vote was 4-1, with Kuehl dissenting": a dissent is a vote against
            type_ = "CRITICIZED" if lemma == "dissent" else self._polarity(tok)
            if type_ is None:
                continue
            voters = [k for k in self._voters(graph, tok) if graph.type_of(k) in ACTORS]
            bill = self._measure(graph, tok)
            if bill is None:
                continue
            for v in voters:
                graph.add_relation(type_, v, bill, tok, confidence=CONFIDENCE, rule="stance.vote")
        return doc

    def _veto(self, graph: ArticleGraph, verb: Token, type_: str) -> None:
        """'The council voted to override the mayor's veto of the budget': the council ENDORSED the budget
        (and CRITICIZED the mayor, which stance.py reads from the owned veto)."""
        if graph.skip(verb.i) or in_quote(graph, verb) or self.args.is_passive(verb):
            return
        if any(c.dep_ == "neg" for c in verb.children) or verb.head.lemma_.lower() in ("fail", "refuse"):
            return  # "failed to override the veto": what the voters wanted is not said here
        veto = next((c for c in verb.children if c.dep_ == "dobj" and c.lower_ in VETO_NOUNS), None)
        if veto is None:
            return
        bill = next(iter(graph.prep_objects(veto, ("of", "on"), "Bill")), None)
        if bill is None:
            owner = next((k for c in veto.children if c.dep_ == "poss" for k in graph.keys_at(c.i)), None)
            vetoed = [  # what the veto's owner was last said to have vetoed
                r.target
                for r in graph.relations
                if r.source == owner and r.type == "CRITICIZED" and graph.type_of(r.target) == "Bill"
            ]
            bill = vetoed[-1] if vetoed else self._measure(graph, verb)
        if bill is None:
            return
        for v in self.args.subject(graph, verb):
            if graph.type_of(v) in ACTORS:
                graph.add_relation(type_, v, bill, verb, confidence=CONFIDENCE, rule="stance.vote")

    def _vote_noun(self, graph: ArticleGraph, vote: Token) -> None:
        """A vote named by a noun: 'Cole and Diaz cast the dissenting votes', 'Diaz was the lone vote
        against the ordinance', 'the only no votes came from Cole and Diaz'."""
        if graph.skip(vote.i) or in_quote(graph, vote):
            return
        words = {c.lower_ for c in vote.children if c.dep_ in ("amod", "det", "compound", "nummod")}
        against = any(c.dep_ == "prep" and c.lower_ == "against" for c in vote.children)
        if against or words & VOTE_AGAINST:
            type_ = "CRITICIZED"
        elif words & YES:
            type_ = "ENDORSED"
        else:
            return
        head = vote.head
        if (vote.dep_ == "dobj" and head.lemma_ == "cast") or (vote.dep_ == "attr" and head.lemma_ == "be"):
            voters = self.args.subject(graph, head)
        elif vote.dep_ == "nsubj" and head.lemma_ in ("come", "belong"):
            # the names after the verb, not those in a clause about them ("Biss, who wrote a bill like
            # Madigan's, and Steans")
            voters = []
            for t in vote.doc[head.i + 1 : head.sent.end]:
                if any(a.dep_ in ("relcl", "acl", "advcl") and a.i > head.i for a in t.ancestors):
                    continue
                voters += [k for k in graph.keys_at(t.i) if graph.type_of(k) == "Person" and k not in voters]
        else:
            return
        bill = self._measure(graph, vote)
        if bill is None:
            return
        for v in voters:
            if graph.type_of(v) in ACTORS:
                graph.add_relation(type_, v, bill, vote, confidence=CONFIDENCE, rule="stance.vote")

    @staticmethod
    def _polarity(vote: Token) -> str | None:
        """What the vote was, when the words right after say it without naming an entity object."""
        doc = vote.doc
        i = vote.i + 1
        while i < len(doc) and (doc[i].is_punct or doc[i].is_quote) and doc[i].text not in (",", "."):
            i += 1
        # "voted 6-2 in favor of", "voted unanimously against": the tally or manner comes first
        while i < len(doc) and (
            doc[i].like_num
            or doc[i].lower_ in MANNER
            or (doc[i].text in TALLY_DASHES and i > vote.i + 1 and doc[i - 1].like_num)  # "7 to 2", "6-2"
        ):
            i += 1
        if i >= len(doc):
            return None
        word = doc[i].lower_
        if word in YES:
            return "ENDORSED"
        if word in ("no", "nay"):
            return "CRITICIZED"
        nxt = [t.lower_ for t in doc[i + 1 : i + 4]]
        if word == "in" and nxt and nxt[0] in FAVOR:
            return "ENDORSED"
        if word == "against":
            return "CRITICIZED"
        return None

    def _voters(self, graph: ArticleGraph, vote: Token) -> list[str]:
        doc = vote.doc
        args = self.args
        sent = doc[vote.i].sent
        if vote.tag_ == "VBG" and vote.i == sent.start:  # "Voting in favor of it were Hope, Burns and Lehr"
            be = next((t for t in doc[vote.i : sent.end] if t.lemma_ == "be"), None)
            if be is None:
                return []
            return self._people(graph, be.i + 1, sent.end)
        # "with Hales, Moore and Jamin voting nay": the names between 'with' and the vote
        start = next(
            (t.i for t in reversed(doc[sent.start : vote.i]) if t.lower_ == "with"),
            None,
        )
        if start is not None and vote.i - start <= 25:
            found = self._people(graph, start + 1, vote.i)
            if found:
                return found
        return args.subject(graph, vote)

    @staticmethod
    def _people(graph: ArticleGraph, start: int, end: int) -> list[str]:
        found: list[str] = []
        for i in range(start, end):
            for k in graph.keys_at(i):
                if graph.type_of(k) == "Person" and k not in found:
                    found.append(k)
        return found

    def _measure(self, graph: ArticleGraph, vote: Token) -> str | None:
        """The one bill the vote is about: an object standing for a measure, the sentence's bill, or the
        previous sentence's."""
        for p in vote.children:
            for obj in p.children if p.dep_ == "prep" else []:
                if obj.dep_ != "pobj":
                    continue
                o: Token | None = obj
                if obj.lemma_.lower() in FAVOR:  # "in favor of it": the measure is the object of 'of'
                    o = next(
                        (g for c in obj.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"),
                        None,
                    )
                if o is None:
                    continue
                keys = [k for k in graph.keys_at(o.i) if graph.type_of(k) == "Bill"]
                if keys:
                    return keys[0]
                if o.lemma_.lower() not in STANDS_FOR_MEASURE and o.lower_ not in STANDS_FOR_MEASURE:
                    return None  # "voted against the chief": not a measure
        sent = graph.sent_index[vote.i]
        for n in (sent, sent - 1):
            if n < 0:
                break
            # in the vote's own sentence only a bill named before it: what follows is often another
            # matter ("voting nay, to extend the contract ... added back to the budget")
            bills = self._bills_in(graph, n, before=vote.i if n == sent else None)
            if len(bills) == 1:
                return bills[0]
            if bills:
                return None
        return None

    @staticmethod
    def _bills_in(graph: ArticleGraph, sent: int, before: int | None = None) -> list[str]:
        end = before if before is not None else len(graph.doc)
        found: list[str] = []
        for m in graph.mentions:
            if (
                m.type == "Bill"
                and graph.sent_index[m.start] == sent
                and m.start < end
                and m.key not in found
            ):
                found.append(m.key)
        for i, keys in graph.refs.items():
            if graph.sent_index[i] == sent and i < end:
                found += [k for k in keys if graph.type_of(k) == "Bill" and k not in found]
        return found


@Language.factory("kg_votes", default_config={"lexicon_dir": None})
def make_votes(nlp: Language, name: str, lexicon_dir: str | None) -> VoteStance:
    return VoteStance(load_lexicons(lexicon_dir))
