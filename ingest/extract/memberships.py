"""Seats on a body named by apposition: 'Ann Lee, a member of the school board', 'Kirk Twigg and Rabih
Abuismail, two members of the board', 'Bo Grant, one of seven trustees on the Riverton School Board'.

"member" alone is too common a word to be a title (`offices.py` leaves it out), but in apposition to
named people with 'of' a governing body after it, it gives each of them a seat: HOLDS_OFFICE 'Member of
<body>'. It runs after coreference, so that 'the board' is already the one board the story names.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token

from ingest.extract.lexicons import Lexicons, load_lexicons
from ingest.extract.mentions import ArticleGraph, get_graph

MEMBER_NOUNS = {"member", "members", "trustee", "trustees"}
BODY_HEADS = {"Board", "Council", "Commission", "Committee", "Legislature", "Senate", "Assembly", "Caucus"}
CONFIDENCE = 0.8


class MembershipRecognizer:
    def __init__(self, lexicons: Lexicons) -> None:
        self.definite_heads = {h.lower() for h in lexicons.offices.get("definite_org_heads", [])}

    def __call__(self, doc: Doc) -> Doc:
        graph = get_graph(doc)
        for tok in doc:
            if tok.lower_ not in MEMBER_NOUNS or tok.dep_ != "appos" or graph.skip(tok.i):
                continue
            body = self._body(graph, tok)
            if body is None:
                continue
            # "a member" is the one it stands beside; "two members", the list it stands beside
            people = self._people(graph, tok, plural=tok.tag_ == "NNS")
            if not people:
                continue
            name = graph.entities[body].name
            of = f"the {name}" if name.split()[-1].lower() in self.definite_heads else name
            office = graph.add_entity(
                "Office", f"Member of {of}", properties={"title": "Member", "jurisdiction": name}
            )
            for person in people:
                graph.hold_office(
                    person, office, tok, confidence=CONFIDENCE, rule="office.membership", status="current"
                )
        return doc

    @staticmethod
    def _body(graph: ArticleGraph, member: Token) -> str | None:
        """The governing body after 'of' or 'on' ('members of the board', 'trustees on the board')."""
        for p in member.children:
            if p.dep_ != "prep" or p.lower_ not in ("of", "on"):
                continue
            for o in p.children:
                if o.dep_ != "pobj":
                    continue
                bodies = [
                    k
                    for k in graph.keys_at(o.i)
                    if graph.type_of(k) == "Organization" and graph.entities[k].name.split()[-1] in BODY_HEADS
                ]
                if len(bodies) == 1:
                    return bodies[0]
        return None

    @staticmethod
    def _people(graph: ArticleGraph, member: Token, plural: bool) -> list[str]:
        """The named people the apposition describes: the name it hangs on and that name's conjuncts for a
        plural; for a singular, the one of them right before it (the parser hangs it on a list's first)."""
        head = member.head
        listed: tuple[Token, ...] = (head, *head.conjuncts)
        if not plural:
            listed = (max((t for t in listed if t.i < member.i), key=lambda t: t.i, default=head),)
        out: list[str] = []
        for t in listed:
            for k in graph.keys_at(t.i):
                if graph.type_of(k) == "Person" and k not in out:
                    out.append(k)
        return out


@Language.factory("kg_memberships", default_config={"lexicon_dir": None})
def make_memberships(nlp: Language, name: str, lexicon_dir: str | None) -> MembershipRecognizer:
    return MembershipRecognizer(load_lexicons(lexicon_dir))
