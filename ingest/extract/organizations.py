"""Organisations: a lexicon of well-known US bodies, acronyms introduced as "Long Name (ABC)", NER ORGs.

Lexicon names win over the model's label ("Border Patrol" tagged PERSON is still the agency), and every
acronym is unified with its full name so that ICE and Immigration and Customs Enforcement are one node.
"""

from __future__ import annotations

import re
from collections import Counter

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ingest.extract.gazetteer import foreign_country, foreign_places, load_gazetteer
from ingest.extract.lexicons import Lexicons, load_lexicons
from ingest.extract.mentions import ArticleGraph, get_graph

LOCAL_UNITS = ("County", "City", "Parish", "Borough", "Township")


def strip_span(span: Span) -> Span:
    """Drop a leading determiner and a trailing possessive or punctuation from a name span."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (
        doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct or doc[start].is_space
    ):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return doc[start:end]


def clean_text(span: Span) -> str:
    return " ".join(span.text.split())


BALLOT_WORDS = {"Prop", "Prop.", "Proposition", "Measure", "Question", "Issue", "Amendment"}
BALLOT_CODE = re.compile(r"^\d{1,3}[A-Z]{0,2}$")  # "33", "2K"


class OrganizationRecognizer:
    def __init__(self, nlp: Language, lexicons: Lexicons) -> None:
        lex = lexicons.organizations
        self.stopwords = set(lex["acronym_stopwords"])
        self.branch_units = set(lex.get("branch_units", []))
        self.by_id: dict[str, dict] = {}
        self.acronyms = PhraseMatcher(nlp.vocab, attr="ORTH")
        # names may be broken by a line break ("Dr.\nPhil"), so spaces between their words are optional
        self.names = Matcher(nlp.vocab)
        for n, org in enumerate(lex["organizations"]):
            oid = str(n)
            self.by_id[oid] = org
            if org["acronyms"]:
                self.acronyms.add(oid, [nlp.make_doc(a) for a in org["acronyms"]])
            patterns = []
            for name in org["names"]:
                pattern: list[dict] = []
                for n_tok, tok in enumerate(nlp.make_doc(name)):
                    if n_tok:
                        pattern.append({"IS_SPACE": True, "OP": "?"})
                    pattern.append({"LOWER": tok.lower_})
                patterns.append(pattern)
            if patterns:
                self.names.add(oid, patterns)
        # other countries' parties: exact capitals ('Labour', 'Greens'), kept only in their countries' news
        self.national = PhraseMatcher(nlp.vocab, attr="ORTH")  # exact words: a phrase matcher is cheapest
        for n, org in enumerate(lex.get("national_parties", [])):
            oid = f"national-{n}"
            self.by_id[oid] = org
            self.national.add(oid, [nlp.make_doc(name) for name in org["names"] + org["acronyms"]])
        self.countries: dict[str, str] = lexicons.places.get("countries", {})
        gazetteer = load_gazetteer()
        self.states = set(gazetteer.states)
        self.us_names = (
            set(gazetteer.states)
            | set(gazetteer.cities)
            | set(gazetteer.counties)
            | set(lexicons.places.get("national", []))
        )

    def __call__(self, doc: Doc) -> Doc:
        graph = get_graph(doc)
        spans = []
        for match_id, start, end in list(self.acronyms(doc)) + list(self.names(doc)):
            span = Span(doc, start, end, label=match_id)
            spans.append(span)
        country, places = self._country(doc)
        spans.extend(self._national_parties(doc, country))
        spans.extend(self._government(doc, graph, country, places))
        spans = [self._local_branch(doc, graph, span) for span in spans]
        introduced = self._introductions(doc, graph)
        spans.extend(introduced)
        spans.extend(self._ballot_campaigns(doc, graph))
        spans.extend(self._branches(doc, graph))
        for span in filter_spans(spans):
            if graph.skip(span.start):
                continue
            if span.label_ in self.by_id:
                org = self.by_id[span.label_]
                key = graph.add_entity(
                    "Organization", org["name"], alias=clean_text(span), properties={"kind": org["kind"]}
                )
            else:
                key = span.label_
                graph.entities[key].aliases.add(clean_text(span))
            graph.add_mention(span.start, span.end, key)
            graph.claimed.update(range(span.start, span.end))
        return doc

    def _country(self, doc: Doc) -> tuple[str | None, Counter[str]]:
        """The country outside the US an article is set in, from the model's place names (no place is
        resolved yet), and those names with their counts."""
        places = Counter(e.text for e in doc.ents if e.label_ in ("GPE", "LOC"))
        # a US story that names Mexico once is still a US story: named countries vote with the places
        return foreign_country(places, self.us_names, self.countries), places

    def _government(
        self, doc: Doc, graph: ArticleGraph, country: str | None, places: Counter[str]
    ) -> list[Span]:
        """'The government', 'this Government' in news from another country is its government: of the
        region the article names most ('Saskatchewan', 'Scotland') or else of the country. In US news
        the word names no one body, so it stays out."""
        if country is None:
            return []
        spans = []
        key = None
        for tok in doc:
            if tok.lower_ != "government" or tok.pos_ not in ("NOUN", "PROPN") or graph.skip(tok.i):
                continue
            lefts = list(tok.lefts)
            det = [c for c in lefts if c.dep_ in ("det", "poss") and c.lower_ in ("the", "this", "our")]
            named = [c for c in lefts if c not in det]
            if not det and not tok.text[0].isupper():
                continue  # "government" alone is the idea; Britain's "Government" is the body
            if any(not doc[c.left_edge.i].text[:1].isupper() for c in named):
                continue  # "the state government", "the previous Government": another one
            if tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "of":
                continue
            if key is None:
                foreign = foreign_places()
                regions = [p for p, _ in places.most_common() if foreign.get(p, ("", 0)) == (country, 2)]
                seat = regions[0] if regions and regions[0] != "England" else country
                key = graph.add_entity(
                    "Organization", f"Government of {seat}", properties={"kind": "government"}
                )
            start = min([tok.i] + [c.left_edge.i for c in lefts])
            spans.append(Span(doc, start, tok.i + 1, label=key))
        return spans

    def _national_parties(self, doc: Doc, country: str | None) -> list[Span]:
        """'Labour', 'the Tories', 'the NDP' in news from a country whose parties these are."""
        matches = self.national(doc)
        if not matches:
            return []
        spans = []
        for match_id, start, end in matches:
            party = self.by_id[doc.vocab.strings[match_id]]
            if country in party["countries"] or doc[start:end].text in party["anywhere"]:
                spans.append(Span(doc, start, end, label=match_id))
        return spans

    def _local_branch(self, doc: Doc, graph: ArticleGraph, span: Span) -> Span:
        """'The Pierce County Democrats' is the county party, its own organisation, not the national one;
        so is 'the California Republican Party', the state's."""
        org = self.by_id.get(span.label_)
        if org is None or org.get("kind") != "party" or span.start < 2:
            return span
        for n in (3, 2, 1):  # "the New Hampshire Republican Party": the state party, its own organisation
            state = doc[max(0, span.start - n) : span.start]
            if len(state) == n and state.text in self.states and span.text.endswith(" Party"):
                local = doc[state.start : span.end]
                key = graph.add_entity("Organization", clean_text(local), properties={"kind": "party"})
                return Span(doc, local.start, local.end, label=key)
        if doc[span.start - 1].text not in LOCAL_UNITS:
            return span
        start = span.start - 1
        while (
            start > 0
            and doc[start - 1].text[:1].isupper()
            and doc[start - 1].is_alpha
            and doc[start - 1].lower_ != "the"
        ):
            start -= 1
        if start == span.start - 1:
            return span
        local = doc[start : span.end]
        key = graph.add_entity("Organization", clean_text(local), properties={"kind": "party"})
        return Span(doc, local.start, local.end, label=key)

    def _branches(self, doc: Doc, graph: ArticleGraph) -> list[Span]:
        """'SEIU Local 105', 'the Fraternal Order of Police Lodge 3': a numbered branch is the body that
        acts in the story, so its name runs back over the capitalised words (and 'of') before the unit."""
        spans: list[Span] = []
        for tok in doc[1:-1]:
            if tok.text not in self.branch_units or not doc[tok.i + 1].like_num or graph.skip(tok.i):
                continue
            start = tok.i
            while start > 0 and not doc[start].is_sent_start:
                prev = doc[start - 1]
                capitalised = prev.text[:1].isupper() and prev.is_alpha and prev.lower_ != "the"
                joins = prev.lower_ in ("of", "and", "&") and start >= 2 and doc[start - 2].text[:1].isupper()
                if not (capitalised or joins):
                    break
                start -= 1
            while start < tok.i and (doc[start].pos_ != "PROPN" or doc[start].lower_ in ("of", "and", "&")):
                start += 1  # "Members of SEIU Local 105": the people, not part of the name
            if start == tok.i:
                continue
            span = doc[start : tok.i + 2]
            key = graph.add_entity("Organization", clean_text(span), properties={"kind": "union"})
            spans.append(Span(doc, span.start, span.end, label=key))
        return spans

    @staticmethod
    def _ballot_campaigns(doc: Doc, graph: ArticleGraph) -> list[Span]:
        """'The Yes on 33 campaign', 'No on Prop. 1': a ballot measure's campaign, named for its side."""
        spans = []
        for tok in doc[:-2]:
            if tok.text not in ("Yes", "No") or doc[tok.i + 1].text != "on":
                continue
            end = tok.i + 2
            if doc[end].text in BALLOT_WORDS and end + 1 < len(doc):
                end += 1
            code = doc[end]
            if not (code.like_num or BALLOT_CODE.match(code.text)):
                continue
            name = clean_text(doc[tok.i : end + 1])
            key = graph.add_entity("Organization", name, properties={"kind": "campaign"})
            if end + 1 < len(doc) and doc[end + 1].lower_ in ("campaign", "committee"):
                graph.entities[key].aliases.add(clean_text(doc[tok.i : end + 2]))
            spans.append(Span(doc, tok.i, end + 1, label=key))
        return spans

    def _introductions(self, doc: Doc, graph: ArticleGraph) -> list[Span]:
        """'Long Name (ABC)' defines ABC for the whole article; returns spans labelled with entity keys."""
        defined: dict[str, str] = {}
        spans: list[Span] = []
        for tok in doc[2:-1]:
            if not (doc[tok.i - 1].text == "(" and doc[tok.i + 1].text == ")"):
                continue
            acro = tok.text
            if not (acro.isupper() and acro.isalpha() and 2 <= len(acro) <= 8):
                continue
            words: list[int] = []
            i = tok.i - 2
            while i >= 0 and len([w for w in words if doc[w].lower_ not in self.stopwords]) < len(acro):
                t = doc[i]
                if t.lower_ in self.stopwords or t.text[:1].isupper():
                    words.append(i)
                    i -= 1
                else:
                    break
            while words and doc[words[-1]].lower_ in self.stopwords:
                words.pop()
            content = [doc[w] for w in sorted(words) if doc[w].lower_ not in self.stopwords]
            if not content or "".join(t.text[0] for t in content).upper() != acro:
                continue
            long_span = doc[min(words) : max(words) + 1]
            known = [
                oid
                for oid, org in self.by_id.items()
                if long_span.text.lower() in {n.lower() for n in org["names"]} or acro in org["acronyms"]
            ]
            if known:
                org = self.by_id[known[0]]
                key = graph.add_entity(
                    "Organization", org["name"], alias=acro, properties={"kind": org["kind"]}
                )
            else:
                key = graph.add_entity("Organization", clean_text(long_span), alias=acro)
            defined[acro] = key
            spans.append(Span(doc, long_span.start, long_span.end, label=key))
        if defined:
            for tok in doc:
                if tok.text in defined:
                    spans.append(Span(doc, tok.i, tok.i + 1, label=defined[tok.text]))
        return spans


@Language.factory("kg_organizations", default_config={"lexicon_dir": None})
def make_organizations(nlp: Language, name: str, lexicon_dir: str | None) -> OrganizationRecognizer:
    return OrganizationRecognizer(nlp, load_lexicons(lexicon_dir))
