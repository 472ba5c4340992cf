"""Stance shared through an elided verb: 'Ptacek voted against the plan, as did Pearson', 'Tully
opposed the budget, as did Grant and Ruiz', 'so did the union'.

English leaves the verb out when a second party did the same thing ("as did X", "so did X", "as have
X"). Whatever stance the sentence gave the nearest actor named before the "as"/"so" is then also the
stance of those named after "did". The rules before this one read the first half; this one copies its
stances, so it runs after every stance rule and before the pair model.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token

from ingest.extract.mentions import ArticleGraph, get_graph
from ingest.extract.quotes import in_quote

STANCE = ("CRITICIZED", "ENDORSED", "RESPONDED_TO")
ACTORS = ("Person", "Organization")
ELIDED = {"do", "have"}  # "as did X", "as have X"
CONFIDENCE = 0.6


class SharedStance:
    def __call__(self, doc: Doc) -> Doc:
        graph = get_graph(doc)
        for tok in doc:
            if tok.lemma_.lower() not in ELIDED or tok.dep_ not in ("advcl", "conj", "ccomp"):
                continue
            if graph.skip(tok.i) or in_quote(graph, tok):
                continue
            if not self._opens_ellipsis(doc, tok):
                continue
            joiners = self._actors(graph, [c for c in tok.children if c.dep_ == "nsubj"])
            if not joiners:
                continue
            self._copy(graph, tok, joiners)
        return doc

    @staticmethod
    def _opens_ellipsis(doc: Doc, did: Token) -> bool:
        """'as did X' / 'so did X': the verb right after 'as' or 'so', with nothing of its own after it
        but its subject."""
        if did.i == 0 or doc[did.i - 1].lower_ not in ("as", "so"):
            return False
        return not any(c.dep_ in ("dobj", "xcomp", "ccomp", "prep", "acomp") for c in did.children)

    @staticmethod
    def _actors(graph: ArticleGraph, subjects: list[Token]) -> list[str]:
        out: list[str] = []
        for s in subjects:
            for t in (s, *s.conjuncts):
                for k in graph.keys_at(t.i):
                    if graph.type_of(k) in ACTORS and k not in out:
                        out.append(k)
        return out

    @staticmethod
    def _copy(graph: ArticleGraph, did: Token, joiners: list[str]) -> None:
        """The stances of the sentence's nearest actor before 'as', now also the joiners'."""
        sent = graph.sents[graph.sent_index[did.i]]
        stances = [r for r in graph.relations if r.sent_start == sent.start and r.type in STANCE]
        sources = {r.source for r in stances}
        first = next(
            (
                k
                for i in range(did.i - 2, sent.start - 1, -1)
                for k in graph.keys_at(i)
                if k in sources and k not in joiners
            ),
            None,
        )
        for r in stances:
            if r.source != first:
                continue
            for j in joiners:
                graph.add_relation(
                    r.type, j, r.target, did, confidence=min(r.confidence, CONFIDENCE), rule="stance.ellipsis"
                )


@Language.factory("kg_ellipsis")
def make_ellipsis(nlp: Language, name: str) -> SharedStance:
    return SharedStance()
