"""People, places and the remaining organisations, decided at the level of the whole article.

The small model's labels wobble from sentence to sentence ("Krasner" is PERSON in one, ORG in the
next), so a string tagged PERSON anywhere in the article (or the surname of a full PERSON name) is a
person everywhere in it. Names lose their titles and possessives; a bare surname points to the full name
mentioned most recently (two Johnsons with different first names stay two people).
"""

from __future__ import annotations

from dataclasses import dataclass

from nameparser.config import CONSTANTS
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ingest.extract.dateline import find_dateline
from ingest.extract.gazetteer import big_cities
from ingest.extract.lexicons import Lexicons, load_lexicons
from ingest.extract.mentions import ArticleGraph, get_graph
from ingest.extract.organizations import clean_text, strip_span
from ingest.extract.titles import TitleFinder, list_gap, name_after

PLACE_LABELS = ("GPE", "LOC")
# Reference data from `nameparser` (LGPL, 2 MB): 800 title words and 110 surname particles
NAME_TITLES = frozenset(CONSTANTS.titles)
PARTICLES = frozenset(CONSTANTS.prefixes)
WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


@dataclass
class _PersonCandidate:
    start: int
    end: int
    tokens: tuple[str, ...]
    gender: str | None = None


LAW_HEADS = {"Act", "Ordinance", "Resolution"}
CORPORATE_UNITS = {"City", "County", "Town", "Village", "Borough", "Township", "State", "Commonwealth"}
NUMBERED_UNITS = {"Local", "Council", "Lodge"}  # union branches named by their number
LOWERED_HEADS = {"board", "council", "commission"}  # heads news lowers after a body's proper name


class EntityRecognizer:
    def __init__(self, nlp: Language, lexicons: Lexicons) -> None:
        self.lex = lexicons
        self.titles = TitleFinder(nlp, lexicons)
        offices = lexicons.offices
        self.title_words = {w for key in offices["titles"] for w in key.split()}
        self.postnominals = set(offices.get("postnominals", {}))
        self.prefix_words = set(offices["status_modifiers"]) | set(offices["honorifics"]) | {"the", "a", "an"}
        self.honorifics = offices["honorifics"]
        people = lexicons.people
        self.female = set(people["female_first_names"])
        self.male = set(people["male_first_names"])
        self.person_orgs = set(lexicons.organizations["person_orgs"])
        self.org_heads = set(lexicons.organizations.get("name_heads", []))
        self.descriptors = set(people["descriptor_nouns"])
        self.speech_verbs = set(people["speech_verbs"])
        desc = lexicons.organizations.get("descriptions", {})
        self.org_words = {w.lower() for h in self.org_heads for w in h.split()} | {
            w for entry in desc.values() for phrase in entry.get("words", []) for w in phrase.split()
        }
        self.party_words = {w.lower() for w in offices.get("party_words", [])}

    def __call__(self, doc: Doc) -> Doc:
        graph = get_graph(doc)
        titles = self.titles(doc)
        graph.titles = titles  # type: ignore[attr-defined]
        title_tokens = {i for t in titles for i in range(t.start, t.end)}
        candidates = self._person_candidates(doc, graph, titles, title_tokens)
        dateline = find_dateline(graph.text)
        if dateline is not None:  # "TAYLOR, Mich. - The Taylor School Board": the city is no person
            candidates = [
                c for c in candidates if not (len(c.tokens) == 1 and c.tokens[0].title() == dateline[0])
            ]
        # "Brisbane's Lord Mayor": a big city's name alone, never with a first name, is the city
        surnames = {c.tokens[-1] for c in candidates if len(c.tokens) > 1}
        titled = {
            t.text for t in doc[1:] if t.i - 1 in title_tokens or doc[t.i - 1].lower_ in self.prefix_words
        }
        cities = {
            c.tokens[0]
            for c in candidates
            if len(c.tokens) == 1
            and c.tokens[0] in big_cities()
            and c.tokens[0] not in surnames
            and c.tokens[0] not in titled  # "Sen. Warren", "Mr Hamilton": a person
        }
        candidates = [c for c in candidates if not (len(c.tokens) == 1 and c.tokens[0] in cities)]
        graph.claimed.update(title_tokens)
        self._add_people(doc, graph, candidates)
        self._add_places(doc, graph, cities)
        self._add_ner_organizations(doc, graph)
        self._add_headed_organizations(doc, graph)
        return doc

    # people -----------------------------------------------------------------------------------
    def _normalise(
        self,
        doc: Doc,
        start: int,
        end: int,
        graph: ArticleGraph,
        title_tokens: set[int],
        gender: str | None = None,
    ) -> _PersonCandidate | None:
        while start < end and (
            start in title_tokens
            or doc[start].lower_ in self.prefix_words
            or doc[start].is_punct
            or doc[start].is_space
        ):
            gender = gender or self.honorifics.get(doc[start].lower_)
            start += 1
        while end - start > 1 and doc[end - 1].text in self.postnominals:
            end -= 1  # "Andrew RT Davies MS": the letters after the name are an office (offices.py)
        while end > start and (
            doc[end - 1].tag_ == "POS"
            or doc[end - 1].lower_ in WEEKDAYS  # "called on Mayor Adams Tuesday": NER takes the day
            or doc[end - 1].is_punct
            or doc[end - 1].is_space
            or doc[end - 1].lower_ == "'s"
        ):
            end -= 1
        if end <= start or any(i in graph.claimed for i in range(start, end)):
            return None
        # "Financial Officer Ann Lee": NER swallowed the rest of a title; name parsing's title words go
        while end - start > 2 and doc[start].lower_ in NAME_TITLES and doc[start].text[:1].isupper():
            start += 1
        tokens = tuple(t.text for t in doc[start:end])
        # "Marquez-Holt" comes out of the tokenizer as three tokens; the hyphen inside a name is part of it
        joined = [t for n, t in enumerate(tokens) if not (t == "-" and 0 < n < len(tokens) - 1)]
        # "Bill de Blasio", "Aodhán Ó Riordáin": a lower-case particle inside a name is part of it
        inner = [t for n, t in enumerate(joined) if not (0 < n < len(joined) - 1 and t.lower() in PARTICLES)]
        if not all(t[:1].isupper() for t in inner) or any(c.isdigit() for t in tokens for c in t):
            return None
        first = tokens[0].lower()
        if len(tokens) > 1 and not gender:
            gender = "f" if first in self.female else "m" if first in self.male else None
        return _PersonCandidate(start, end, tokens, gender)

    def _person_candidates(
        self, doc: Doc, graph: ArticleGraph, titles: list, title_tokens: set[int]
    ) -> list[_PersonCandidate]:
        found: list[_PersonCandidate] = []
        # a title-case headline makes names of anything ("Endorsements Split Tacoma's Establishment"): a
        # name the model finds there is kept when the body names the same person
        body_names = {
            t.text
            for e in doc.ents
            if e.label_ == "PERSON" and graph.sent_index[e.start] not in graph.title_sents
            for t in e
        }
        for ent in doc.ents:
            if ent.label_ == "PERSON" and not graph.skip(ent.start):
                n = graph.sent_index[ent.start]
                if n in graph.headlines and len(ent) == 1:
                    continue
                if n in graph.title_sents and ent[-1].text not in body_names:
                    continue
                cand = self._normalise(doc, ent.start, ent.end, graph, title_tokens)
                if cand:
                    found.append(cand)
        for title in titles:
            if graph.skip(title.start):
                continue
            i = title.end
            if i < len(doc) and doc[i].text == ",":
                i += 1
            span = name_after(doc, i)
            if span and span[1] - span[0] == 1 and graph.sent_index[title.start] in graph.headlines:
                continue  # "Chicago Mayor Seeks to Clarify Order": title case, not a name
            while span:
                cand = self._normalise(doc, span[0], span[1], graph, title_tokens, title.entry.get("gender"))
                if cand:
                    found.append(cand)
                nxt = span[1]
                # "Councilwomen Eva Worthing, Kate Fields and Monica Galloway": a list after a plural title
                gap = list_gap(doc, nxt) if title.entry.get("plural") else 0
                if not gap:
                    break
                span = name_after(doc, nxt + gap)
        for tok in doc[:-1]:  # "businessman George Soros", "former city official Bilal"
            if tok.lower_ in self.descriptors and tok.i not in title_tokens and not graph.skip(tok.i):
                span = name_after(doc, tok.i + 1)
                if span and graph.sent_index[tok.i] not in graph.headlines:
                    cand = self._normalise(doc, span[0], span[1], graph, title_tokens)
                    if cand:
                        found.append(cand)
        # keep the longest candidate per position
        found.sort(key=lambda c: (c.start, -(c.end - c.start)))
        out: list[_PersonCandidate] = []
        for c in found:
            if out and c.start < out[-1].end:
                if c.gender and not out[-1].gender:
                    out[-1].gender = c.gender
                continue
            out.append(c)
        return out

    def _add_people(self, doc: Doc, graph: ArticleGraph, candidates: list[_PersonCandidate]) -> None:
        singles = {c.tokens[-1] for c in candidates} | {c.tokens[0] for c in candidates if len(c.tokens) == 1}
        fulls = {c.tokens for c in candidates if len(c.tokens) > 1}
        taken = {i for c in candidates for i in range(c.start, c.end)}
        # "<Person> administration" is an organisation, not the person
        for tok in doc[:-1]:
            nxt = doc[tok.i + 1]
            named = tok.text in singles or (tok.ent_type_ in ("PERSON", "ORG") and tok.pos_ == "PROPN")
            after = doc[tok.i + 2] if tok.i + 2 < len(doc) else None
            if (
                named
                and nxt.lower_ in self.person_orgs
                and not graph.skip(tok.i)
                and tok.i not in graph.claimed
                # "the Democratic Senatorial Campaign Committee": a word inside a longer name
                and not (after is not None and after.pos_ == "PROPN" and after.text[:1].isupper())
            ):
                key = graph.add_entity(
                    "Organization",
                    f"{tok.text} {nxt.lower_}",
                    properties={"kind": "executive" if nxt.lower_ != "campaign" else "campaign"},
                )
                graph.add_mention(tok.i, tok.i + 2, key)
                graph.claimed.update((tok.i, tok.i + 1))
        candidates = [c for c in candidates if not any(i in graph.claimed for i in range(c.start, c.end))]
        # the article-level view: known names wherever the model labelled them otherwise
        words = [t.text for t in doc]
        firsts = {full[0] for full in fulls} | singles
        for tok in doc:
            i = tok.i
            if words[i] not in firsts or i in taken or i in graph.claimed or graph.skip(i):
                continue
            for full in fulls:
                if tuple(words[i : i + len(full)]) == full and not any(
                    j in taken or j in graph.claimed for j in range(i, i + len(full))
                ):
                    candidates.append(_PersonCandidate(i, i + len(full), full))
                    taken.update(range(i, i + len(full)))
                    break
            else:
                if tok.text in singles and tok.pos_ in ("PROPN", "NOUN"):
                    candidates.append(_PersonCandidate(i, i + 1, (tok.text,)))
                    taken.add(i)
        candidates.sort(key=lambda c: c.start)
        full_positions = [c for c in candidates if len(c.tokens) > 1]
        for cand in candidates:
            tokens = cand.tokens
            if len(tokens) == 1:
                same = [f for f in full_positions if f.tokens[-1] == tokens[0]]
                before = [f for f in same if f.start < cand.start]
                chosen = before[-1] if before else (same[0] if same else None)
                if chosen is not None:
                    tokens = chosen.tokens
            name = " ".join(tokens).replace(" - ", "-")
            gender = cand.gender
            if gender is None:
                first = tokens[0].lower()
                gender = "f" if first in self.female else "m" if first in self.male else None
            key = graph.add_entity(
                "Person", name, alias=clean_text(doc[cand.start : cand.end]), gender=gender
            )
            graph.add_mention(cand.start, cand.end, key)

    # places and other organisations -------------------------------------------------------------
    def _add_places(self, doc: Doc, graph: ArticleGraph, cities: set[str]) -> None:
        for ent in doc.ents:
            if graph.skip(ent.start):
                continue
            if ent.label_ not in PLACE_LABELS and not (ent.label_ == "PERSON" and ent.text in cities):
                continue
            if any(i in graph.claimed or i in graph.token_mention for i in range(ent.start, ent.end)):
                continue
            span = strip_span(ent)
            if not len(span):
                continue
            corporate = len(span) > 2 and span[0].text in CORPORATE_UNITS and span[1].lower_ == "of"
            if corporate or any(t.text in self.org_heads for t in span[1:]):
                # "the Las Vegas Metro Chamber of Commerce" tagged GPE: a place name inside a body's name;
                # "the City of Mobile" is the formal name of the city's government, which acts and is sued
                key = graph.add_entity("Organization", clean_text(span))
                graph.add_mention(span.start, span.end, key)
                graph.claimed.update(range(span.start, span.end))
                continue
            key = graph.add_entity("Place", clean_text(span))
            graph.add_mention(span.start, span.end, key)

    def _add_ner_organizations(self, doc: Doc, graph: ArticleGraph) -> None:
        body_texts = {e.text for e in doc.ents if graph.sent_index[e.start] not in graph.headlines}
        for ent in doc.ents:
            if ent.label_ != "ORG" or graph.skip(ent.start):
                continue
            if any(i in graph.claimed or i in graph.token_mention for i in range(ent.start, ent.end)):
                continue
            if graph.sent_index[ent.start] in graph.headlines and ent.text not in body_texts:
                continue
            span: Span = strip_span(ent)
            if not len(span) or not span.text[:1].isupper():
                continue
            if self._speaks_like_a_person(doc, ent, span) or self._titled_like_a_person(doc, graph, span):
                start = span.start
                while (  # "Ashiah Parker" where the model tagged only "Parker"
                    start > 0
                    and start - span.start > -2
                    and doc[start - 1].pos_ == "PROPN"
                    and doc[start - 1].is_alpha
                    and doc[start - 1].text[:1].isupper()
                    and not doc[start - 1].is_upper
                    and doc[start - 1].i not in graph.token_mention
                ):
                    start -= 1
                cand = self._normalise(doc, start, span.end, graph, set())
                if cand is not None:
                    key = graph.add_entity("Person", " ".join(cand.tokens), gender=cand.gender)
                    graph.add_mention(cand.start, cand.end, key)
                    continue
            if len(span) > 1 and span[-1].text in LAW_HEADS:
                continue  # "the Rezoning Ordinance" tagged ORG: a law, which bills.py names
            nxt = doc[span.end] if span.end < len(doc) else None
            if (
                nxt is not None
                and (nxt.text in LOWERED_HEADS or nxt.text in self.org_heads)
                and span[-1].text not in self.org_heads
                and nxt.i not in graph.token_mention
                and nxt.i not in graph.claimed
            ):  # "Brookings Harbor School board": the model stops before the head
                words = clean_text(span) + " " + nxt.text.title()
                key = graph.add_entity("Organization", words)
                graph.add_mention(span.start, span.end + 1, key)
                continue
            if span[-1].text in NUMBERED_UNITS and span.end < len(doc) and doc[span.end].like_num:
                # "Tacoma Firefighters Local 31", "District Council 37": the number names it
                span = doc[span.start : span.end + 1]
            key = graph.add_entity("Organization", clean_text(span))
            graph.add_mention(span.start, span.end, key)

    def _add_headed_organizations(self, doc: Doc, graph: ArticleGraph) -> None:
        """'the San Antonio Police Officers Association', 'Ohio Board of Education': a run of capitalised
        words ending in an organisation head noun ('name_heads'), with 'of ...' after the head, is an
        organisation even when the small model tags none of it. A head alone ('the Council') is not."""

        def free(i: int) -> bool:
            return i not in graph.claimed and i not in graph.token_mention and not graph.skip(i)

        def cap(t: Token) -> bool:
            return t.text[:1].isupper() and t.is_alpha and t.lower_ not in ("the", "a", "an")

        n = len(doc)
        i = 0
        while i < n:
            tok = doc[i]
            # "the Brookings Harbor School board": news often lowers a body's head after its name
            lowered = tok.text in LOWERED_HEADS and i > 0 and cap(doc[i - 1]) and doc[i - 1].pos_ == "PROPN"
            if (
                (tok.text not in self.org_heads and not lowered)
                or not free(i)
                or graph.sent_index[i] in graph.headlines
            ):
                i += 1
                continue
            start = i
            while start > 0 and free(start - 1) and not doc[start].is_sent_start and cap(doc[start - 1]):
                start -= 1
            end = i + 1
            # "Board of Education", "Association of Counties": the of-phrase completes the name
            if end + 1 < n and doc[end].lower_ == "of" and cap(doc[end + 1]) and free(end + 1):
                end += 1
                while end < n and free(end) and cap(doc[end]):
                    end += 1
            if end - start < 2 or (
                end < n and (doc[end].lower_ in self.title_words or doc[end].pos_ == "PROPN")
            ):
                i = end  # a bare head, or the name is part of a title ("Finance Committee Chairman Mays")
                continue
            span = doc[start:end]
            if (
                not any(free(j) for j in range(start, end))
                or start > 0
                and doc[start - 1].text in ("'s", "’s")
            ):
                i = end
                continue
            name = clean_text(span)
            if lowered:
                name = name[: len(name) - len(tok.text)] + tok.text.title() if end == i + 1 else name
            key = graph.add_entity("Organization", name)
            graph.add_mention(span.start, span.end, key)
            i = end

    def _titled_like_a_person(self, doc: Doc, graph: ArticleGraph, span: Span) -> bool:
        """'Ashiah Parker, executive director of the No Boundaries Coalition': a two- or three-word
        capitalised name with no organisation word, followed by a person's title in apposition, is a
        person whatever the model's label."""
        if not 1 <= len(span) <= 3 or span.text.isupper():
            return False
        if span.start and doc[span.start - 1].lower_ == "the":
            return False  # "In the Senate, Majority Leader Ron Haverty": a body, then its officer
        first = span.start
        if len(span) == 1:  # the model tagged only the surname: a capitalised given name must precede
            prev = doc[first - 1] if first else None
            if (
                prev is None
                or prev.pos_ != "PROPN"
                or not prev.is_alpha
                or prev.is_upper
                or prev.i in graph.token_mention
            ):
                return False
        words = {t.lower_ for t in span}
        if words & self.org_words or words & self.party_words:
            return False
        if not all(t.text[:1].isupper() and t.is_alpha for t in span):
            return False
        i = span.end
        if i >= len(doc) or doc[i].text != ",":
            return False
        i += 1
        if i < len(doc) and doc[i].lower_ in ("the", "a", "an"):
            i += 1
        starts = {t.start for t in getattr(graph, "titles", [])}
        return i in starts

    def _speaks_like_a_person(self, doc: Doc, ent: Span, span: Span) -> bool:
        """'Visnauskas stressed that ...', "Labour's Aodhán Ó Riordáin said": the small model often calls
        an unfamiliar surname an organisation. A name with no organisation word, not in capitals, not
        after "the", that is the subject of a speech verb, is a person."""
        root = span.root
        if root.dep_ != "nsubj" or root.head.lemma_.lower() not in self.speech_verbs:
            return False
        if ent.start > 0 and doc[ent.start - 1].lower_ == "the" or span.text.isupper():
            return False
        words = {t.lower_ for t in span}
        if words & self.org_words or words & self.party_words or len(span) > 4:
            return False
        return all(t.text[:1].isupper() or t.lower_ in PARTICLES for t in span if not t.is_punct)


@Language.factory("kg_entities", default_config={"lexicon_dir": None})
def make_entities(nlp: Language, name: str, lexicon_dir: str | None) -> EntityRecognizer:
    return EntityRecognizer(nlp, load_lexicons(lexicon_dir))
