"""Offices: a title plus its jurisdiction, and who holds it (HOLDS_OFFICE with current/former/acting).

"Philadelphia District Attorney Larry Krasner" -> District Attorney of Philadelphia; "Acting ICE Director
Todd Lyons" -> Director of U.S. Immigration and Customs Enforcement (acting); "Trump's border czar, Tom
Homan", "Councilwomen Kendra Brooks and Rue Landau", "Mayor Eric Adams of New York City", "John
Catanzara, president of the city's police union". A missing jurisdiction comes from the article's
dominant place (a city, or the state of that city through the gazetteer). Titles seen without a name
("the mayor", "Chicago mayor") are kept as references for `coref`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token

from ingest.extract.arguments import dashed_people
from ingest.extract.dateline import find_dateline
from ingest.extract.entities import NAME_TITLES
from ingest.extract.gazetteer import foreign_country, load_gazetteer
from ingest.extract.lexicons import Lexicons, load_lexicons
from ingest.extract.mentions import ArticleGraph, Mention, OfficeRef, get_graph
from ingest.extract.organizations import clean_text
from ingest.extract.titles import TitleSpan, list_gap

# what a body does, named by the body as a modifier ('school board approval'): the body itself
BODY_ACTS = {"approval", "vote", "meeting", "decision", "majority", "action"}
INDEFINITE = {"a", "an", "one", "another", "some", "any", "two", "three", "several", "many", "other"}
PLACE_SCHEMES = ("of_place", "council", "place_prefix", "state_body")  # titles whose jurisdiction is a place
# bodies whose chair, members and officers a bare title may refer to
GOVERNING_BODIES = {"Board", "Council", "Commission", "Committee", "Authority", "Trustees", "Caucus"}
# officers a city employs, named by the dateline's city when nothing else owns the title
CITY_OFFICERS = {"Chief Financial Officer", "Administrator", "General Manager", "Chief Executive Officer"}
CONFIDENCE = {"prenominal": 0.9, "apposition": 0.85, "anaphor": 0.7}


@dataclass
class _Jurisdiction:
    place: str | None = None
    org: str | None = None  # entity key
    nationality: str | None = None
    possessor: str | None = None  # entity key ("Trump's border czar")
    status: str = "current"
    start: int = 0
    words: str | None = None  # capitalised words before the title that name no entity ("Foreign Affairs")


class PlaceContext:
    """The article's dominant city and state, from place mentions and the gazetteer."""

    def __init__(self, graph: ArticleGraph, places: dict[str, Any]) -> None:
        counts = graph.place_counts()
        gazetteer = load_gazetteer()
        states = {**gazetteer.states, **places.get("states", {})}
        cities = {**gazetteer.cities, **places.get("cities", {})}
        aliases = places.get("city_aliases", {})
        national = set(places["national"]) | gazetteer.regions
        order = {graph.entities[m.key].name: n for n, m in reversed(list(enumerate(graph.mentions)))}
        ranked = sorted(counts, key=lambda p: (-counts[p], order.get(p, 0)))
        self.city = next(
            (
                aliases.get(p, p.removesuffix(" city"))  # "Calgary city" is Calgary
                for p in ranked
                if p not in states and p not in national and not p.endswith("County")
            ),
            None,
        )
        city_state = cities.get(self.city or "")
        state_counts = Counter({p: c for p, c in counts.items() if p in states})
        self.state = city_state or (state_counts.most_common(1)[0][0] if state_counts else None)
        self.county = next((p for p in ranked if p.endswith("County")), None)
        self.states = states
        self.cities = cities
        self.countries: dict[str, str] = places.get("countries", {})
        by_city: dict[str, str] = places.get("countries_by_city", {})
        self.country = next((self.countries[p] for p in ranked if p in self.countries), None)
        if self.country is None:
            us_names = set(states) | set(cities) | national | set(gazetteer.counties)
            self.country = foreign_country(counts, us_names)
        dateline = self._dateline(
            graph.text,
            {  # "BIRMINGHAM, AL -": press releases put the postal code where the wires put "Ala."
                **{code: name for name, code in gazetteer.states.items()},
                **gazetteer.ap_abbreviations,
                **places.get("ap_state_abbreviations", {}),
            },
        )
        self.dateline_city = dateline[0] if dateline is not None else None
        self.dateline_state = dateline[1] if dateline is not None else None
        if dateline is not None:  # the wire dateline says where the story is, whatever else it names
            city, state = dateline
            self.city = city
            self.state = state or cities.get(city) or self.state
            self.country = by_city.get(city, self.country)

    @staticmethod
    def _dateline(text: str, abbreviations: dict[str, str]) -> tuple[str, str | None] | None:
        found = find_dateline(text)
        if found is None:
            return None
        city, state = found
        # "LAFAYETTE, La (KLFY)": the AP abbreviation without its full stop
        return city, abbreviations.get(state or "", abbreviations.get(f"{state}.", state))

    def state_of(self, place: str | None) -> str | None:
        if place in self.states:
            return place
        return self.cities.get(place or "")


def _rank_word(tok: Token) -> bool:
    """'Sgt.', 'Dr', 'Lt': a rank or honorific (nameparser's title words), or its full stop."""
    return tok.text == "." or tok.lower_.rstrip(".") in NAME_TITLES


DISTRICT_ENDINGS = (
    "School District", "Public Schools", "City Schools", "County Schools", " ISD", "School System",
)  # fmt: skip
RANKS = {"Officer", "Judge", "Justice", "Detective", "Deputy", "Trooper", "Agent"}
AS_FILLERS = {"the", "a", "its", "new", "next", "permanent"}  # "X as the new ICE director"
SALUTATIONS = {"dear", "hello", "thanks", "congratulations", "sincerely"}


class OfficeRecognizer:
    def __init__(self, lexicons: Lexicons) -> None:
        self.lex = lexicons
        self.status = lexicons.offices["status_modifiers"]
        self.definite_heads = set(lexicons.offices.get("definite_org_heads", []))
        self.generic = set(lexicons.offices.get("generic_titles", []))
        self.party_words = set(lexicons.offices.get("party_words", []))
        self.local_bodies: dict[str, str] = lexicons.offices.get("local_bodies", {})
        self.postnominals: dict[str, str] = lexicons.offices.get("postnominals", {})
        # per-title scratch state, reset by _office
        self._noun_jurisdiction: str | None = None
        self._post_place: str | None = None
        self._prep = "of"
        self._bare: set[str] = set()  # per article: council names it writes without 'the'
        self.state_cues = [c.lower() for c in lexicons.offices.get("state_legislature_cues", [])]
        self.federal_cues = [c.lower() for c in lexicons.offices.get("federal_cues", [])]
        self.federal_modifiers = set(lexicons.offices.get("federal_modifiers", []))
        self.capitals = set(lexicons.places.get("state_capitals", []))
        gazetteer = load_gazetteer()
        states = {**gazetteer.states, **lexicons.places.get("states", {})}
        abbreviations = {**gazetteer.ap_abbreviations, **lexicons.places.get("ap_state_abbreviations", {})}
        tags = "|".join(re.escape(s) for s in sorted({*states, *abbreviations}, key=len, reverse=True))
        # "(R-Ohio)", "(D-N.Y.)": the party-and-state tag of a member of Congress
        self.congress_tag = re.compile(rf"\([RDI]-(?:{tags})\)") if tags else None
        # "Senator Elena Ruiz, Democrat of New Mexico": the newspaper form of the same tag
        state_names = "|".join(re.escape(s) for s in sorted(states, key=len, reverse=True))
        self.congress_phrase = (
            re.compile(rf"\b(?:Democrat|Republican|independent|Independent) of (?:{state_names})\b")
            if state_names
            else None
        )
        self.federal_datelines = set(lexicons.offices.get("federal_datelines", []))

    def state_legislature(self, text: str, context: PlaceContext) -> bool:
        """Is this a story about a state legislature, where 'Sen.' and 'Rep.' are state lawmakers?

        Only with a state to name them by, a cue ('state Sen.', 'the Legislature', 'statehouse', a
        state-capital dateline) and no sign of Congress ('Capitol Hill', 'U.S. Senate', '(R-Ohio)').
        """
        if context.state is None:
            return False
        low = text.lower()

        def has(cue: str) -> bool:
            return re.search(rf"(?<![\w.]){re.escape(cue)}(?!\w)", low) is not None

        if any(has(c) for c in self.federal_cues):
            return False
        if self.congress_tag is not None and self.congress_tag.search(text):
            return False
        if self.congress_phrase is not None and self.congress_phrase.search(text):
            return False
        if context.dateline_city in self.federal_datelines and context.dateline_state is None:
            return False  # "WASHINGTON -": a story from the capital, where 'Sen.' sits in Congress
        return context.dateline_city in self.capitals or any(has(c) for c in self.state_cues)

    def _of(self, org: str) -> str:
        """'Ohio Education Association' -> 'the Ohio Education Association' (after 'of'); so is a body
        named 'X Union of Police' or 'X Board of Education'."""
        words = org.split(" of ", 1)[0].split()
        if org in self._bare:
            return org
        if words and words[0].lower() != "the" and words[-1].lower() in self.definite_heads:
            return f"the {org}"
        return org

    @staticmethod
    def _bare_councils(text: str) -> set[str]:
        """British usage names a council without 'the' ('leader of Castle Point Council', 'a member of
        Kent County Council'): a council the article writes so after a preposition, and never after
        'the', keeps its bare name in an office ('Leader of Castle Point Council')."""
        name = r"((?:[A-Z][\w'-]+ )+Council)\b"
        bare = set(re.findall(rf"\b(?:of|on|at|to|by|from|for) {name}", text))
        definite = set(re.findall(rf"\b[Tt]he {name}", text))
        return {b for b in bare if not any(d.endswith(b) for d in definite)}

    def __call__(self, doc: Doc) -> Doc:
        graph = get_graph(doc)
        context = PlaceContext(graph, self.lex.places)
        state = self.state_legislature(graph.text, context)
        self._bare = self._bare_councils(graph.text)
        for title in getattr(graph, "titles", []):
            if graph.skip(title.start):
                continue
            variant = title.entry.get("state_variant")
            if (
                state
                and variant
                and not (title.start and doc[title.start - 1].lower_ in self.federal_modifiers)
            ):
                title = TitleSpan(title.start, title.end, title.key, {**title.entry, **variant})
            self._office(doc, graph, context, title)
        self._local_bodies(doc, graph, context)
        self._postnominals(doc, graph)
        return doc

    def _postnominals(self, doc: Doc, graph: ArticleGraph) -> None:
        """'Andrew RT Davies MS', 'James Morris MP': letters right after a name give its office."""
        for m in list(graph.mentions):
            i = m.end
            if m.type != "Person" or i >= len(doc) or graph.skip(i):
                continue
            title = self.postnominals.get(doc[i].text)
            if title is None:
                continue
            nxt = graph.token_mention.get(i + 1)
            if nxt is not None and nxt.type == "Person":
                continue  # "Rowley Regis MP James Morris": the title comes before its holder
            if m.start and doc[m.start - 1].lower_ in ("the", "a"):
                continue  # "The Dublin Fingal TD": a constituency before the title, no name
            held = graph.token_mention.get(i)
            if held is not None and held.type != "Office":
                continue
            if held is not None:
                key = held.key
            else:
                key = graph.add_entity(
                    "Office", title, alias=doc[i].text, properties={"title": title, "jurisdiction": None}
                )
                graph.add_mention(i, i + 1, key)
            graph.hold_office(
                m.key,
                key,
                i,
                confidence=CONFIDENCE["apposition"],
                rule="office.postnominal",
                status="current",
            )

    def _local_bodies(self, doc: Doc, graph: ArticleGraph, context: PlaceContext) -> None:
        """'the city council', 'the council' in a story about one city: that city's council, unless the
        article names one (then coreference binds the description to it). Not 'the board': too many
        bodies are boards."""
        named = [
            {w.lower() for w in rec.name.split()}
            for rec in graph.entities.values()
            if rec.type == "Organization"
        ]
        district = self._district(graph)
        # in a story about schools, "the board" is the school board
        schools = district is not None or any(
            t.lower_ == "superintendent" or (t.lower_ == "board" and doc[t.i - 1].lower_ == "school")
            for t in doc[1:]
        )
        for tok in doc:
            body = self.local_bodies.get(tok.lower_)
            if tok.i and doc[tok.i - 1].lower_ == "school":  # "the school board", not "the board"
                body = self.local_bodies.get(f"school {tok.lower_}", body)
            elif tok.lower_ == "board" and schools and tok.i and doc[tok.i - 1].lower_ == "the":
                body = self.local_bodies.get("school board")
            if body is None or tok.i in graph.token_mention or tok.i in graph.claimed or graph.skip(tok.i):
                continue
            if (tok.dep_ == "compound" and tok.head.lemma_.lower() not in BODY_ACTS) or any(
                self._names_body(body, words) for words in named
            ):
                continue  # "council members", or a council the article names itself
            start = tok.i - 1 if tok.i and doc[tok.i - 1].lower_ in ("city", "school", "common") else tok.i
            # "the Baltimore City school board": the place in front is the body's
            place = graph.token_mention.get(start - 1) if start else None
            own_place = None
            if place is not None and place.type == "Place":
                own_place = graph.entities[place.key].name
                start = place.start
            det = doc[start - 1].lower_ if start else ""
            if (
                det not in ("the", "this", "a")
                and not doc[start].text[:1].isupper()
                and tok.dep_ != "compound"
                # "passed by council", "council's decision": Commonwealth news drops the article
                and not (tok.lower_ == "council" and tok.dep_ in ("pobj", "poss", "nsubj", "dobj"))
            ):
                continue  # "won school board approval" names the board with no article
            # a school board is its district's ("the Stillwater School District ... school board approval")
            owner = own_place or (district if body == "School Board" and district else context.city)
            if not owner:
                continue
            name = f"{owner} {body}"
            key = graph.add_entity(
                "Organization",
                name,
                alias=clean_text(doc[start : tok.i + 1]),
                properties={"kind": "government"},
            )
            graph.add_mention(start, tok.i + 1, key)

    @staticmethod
    def _district(graph: ArticleGraph) -> str | None:
        """The place of the one school district the story names ('Stillwater School District')."""
        places = {
            m.group(1)
            for rec in graph.entities.values()
            if rec.type == "Organization"
            and (
                m := re.match(
                    r"^(.+?) (?:Unified |Independent |Area |Community )?(?:School District|Public Schools)$",
                    rec.name,
                )
            )
        }
        return places.pop() if len(places) == 1 else None

    @staticmethod
    def _names_body(body: str, words: set[str]) -> bool:
        """Whether an organisation's name (its lowercased words) is a body of this kind: any council
        for "City Council"; a school board or a board of education for "School Board"."""
        head = body.split()[-1].lower()
        if head != "board":
            return head in words
        return "board" in words and bool(words & {"school", "education", "trustees", "isd", "district"})

    def _left(self, doc: Doc, graph: ArticleGraph, title: TitleSpan) -> _Jurisdiction:
        jur = _Jurisdiction(start=title.start)
        i = title.start - 1
        sent_start = graph.sents[graph.sent_index[title.start]].start
        while i >= sent_start:
            tok = doc[i]
            mention = graph.token_mention.get(i)
            if tok.lower_ in self.status:
                jur.status = self.status[tok.lower_]
            elif tok.tag_ == "POS" and i - 1 in graph.token_mention:
                jur.possessor = graph.token_mention[i - 1].key
                if graph.token_mention[i - 1].type == "Place":  # "Alberta's justice minister"
                    jur.place = jur.place or graph.entities[jur.possessor].name
                i = graph.token_mention[i - 1].start
                jur.start = i
                i -= 1
                continue
            elif mention is not None and mention.type == "Organization":
                jur.org = jur.org or mention.key
                i = mention.start
            elif mention is not None and mention.type == "Place":
                jur.place = jur.place or graph.entities[mention.key].name
                i = mention.start
            elif tok.text in self.party_words:
                pass  # "a Republican state senator": a party is no jurisdiction
            elif tok.ent_type_ == "NORP" and tok.text[:1].isupper():
                jur.nationality = tok.text
            elif tok.lower_ in ("u.s.", "us", "federal") and tok.text[:1].isupper():
                pass
            elif mention is None and self._modifier(tok, title):
                jur.words = f"{tok.text} {jur.words}" if jur.words else tok.text
            elif (
                mention is not None
                and mention.type == "Person"
                and self._misread_modifier(graph, mention, title)
            ):
                # "Dudley North MP Ian Austin", "Austin mayor Steve Adler": no person stands before a
                # title that a name follows; the words name the seat or the place
                words = clean_text(doc[mention.start : mention.end])
                jur.words = f"{words} {jur.words}" if jur.words else words
                graph.entities[mention.key].mentions -= 1
                for j in range(mention.start, mention.end):
                    graph.token_mention.pop(j, None)
                i = mention.start
            else:
                break
            jur.start = i
            i -= 1
        if jur.words and not jur.place and title.entry.get("scheme") in PLACE_SCHEMES:
            gazetteer = load_gazetteer()
            if (
                jur.words in gazetteer.cities
                or jur.words in gazetteer.counties
                or jur.words in gazetteer.states
            ):
                jur.place, jur.words = jur.words, None  # "Austin mayor Steve Adler"
        return jur

    @staticmethod
    def _misread_modifier(graph: ArticleGraph, mention: Any, title: TitleSpan) -> bool:
        doc = graph.doc
        if mention.end != title.start or title.end >= len(doc):
            return False
        after = graph.token_mention.get(title.end)
        return after is not None and after.type == "Person" and after.start == title.end

    @staticmethod
    def _modifier(tok: Token, title: TitleSpan) -> bool:
        """A capitalised word that is part of the title's noun phrase: 'Foreign Affairs Chair', 'School
        Board member', 'Dudley North MP' (but not a sentence's first word that only happens to be
        capitalised, and not a word of another phrase)."""
        if not tok.text[:1].isupper() or not tok.is_alpha or tok.pos_ not in ("PROPN", "NOUN"):
            return False
        if tok.lower_ in SALUTATIONS:  # "Dear Secretary Kelly" is a letter's greeting
            return False
        if tok.dep_ not in ("compound", "amod", "nmod", "nsubj", "poss") and tok.head.i < title.start:
            return False
        return title.start - 4 <= tok.i < title.start and tok.head.i >= tok.i

    @staticmethod
    def _after_name(doc: Doc, graph: ArticleGraph, det: int) -> bool:
        """'Jack Martins, a Republican state senator': an indefinite title in apposition to a name."""
        if doc[det].lower_ not in ("a", "an") or det < 2 or doc[det - 1].text != ",":
            return False
        m = graph.token_mention.get(det - 2)
        return m is not None and m.type == "Person"

    def _holders(
        self, doc: Doc, graph: ArticleGraph, title: TitleSpan, jur: _Jurisdiction
    ) -> tuple[list[str], str, int]:
        """Person keys holding the title, the construction that says so, and where the name ends."""
        people: list[str] = []
        i = title.end
        if i < len(doc) and doc[i].text == "," and title.entry.get("scheme") in ("org_suffix",):
            i += 1
        # "superintendent Dr. Jesse Welsh": an honorific (and its full stop) between the title and the name
        if i < len(doc) and doc[i].text != "." and _rank_word(doc[i]) and i not in graph.token_mention:
            k = i + 1 if i + 1 < len(doc) and doc[i + 1].text == "." else i
            has_name = k + 1 < len(doc) and graph.token_mention.get(k + 1) is not None
            if has_name and not doc[k + 1].is_sent_start:
                i = k + 1
        m = graph.token_mention.get(i)
        end = i
        while m is not None and m.type == "Person" and m.start == i:
            people.append(m.key)
            end = m.end
            gap = list_gap(doc, end) if title.entry.get("plural") else 0
            if gap:
                i = end + gap
                m = graph.token_mention.get(i)
                continue
            break
        if people:
            return people, "prenominal", end
        listed = self._listed_after(doc, graph, title)
        if listed:
            return listed, "apposition", title.end
        shared = self._shared_title(doc, graph, i)
        # "the mayor and council member Ann Ray" are two people; "City Councilor and mayoral candidate
        # Michelle Wu" one
        determined = jur.start > 0 and doc[jur.start - 1].lower_ in ("the", "a", "an", "this", "that")
        if shared is not None and not determined:
            return [shared.key], "prenominal", shared.end
        key = self._named_after(doc, graph, jur, i)
        if key is not None:
            return [key], "apposition", title.end
        # apposition: "<Person>, <title>" / "<Person>, the <title>" / "<Person>, Trump's border czar"
        j = jur.start - 1
        if j >= 0 and doc[j].lower_ in ("the", "a"):
            j -= 1
        if j >= 1 and doc[j].text == ",":
            m = graph.token_mention.get(j - 1)
            if m is not None and m.type == "Person":
                return [m.key], "apposition", title.end
        # "the appointment of Ron Vitiello as the new ICE director": the name right before "as" holds it
        j = jur.start - 1
        while j >= 0 and (doc[j].lower_ in AS_FILLERS or doc[j].lower_ in self.status):
            j -= 1
        if j >= 1 and doc[j].lower_ == "as":
            m = graph.token_mention.get(j - 1)
            if m is not None and m.type == "Person" and m.end == j:
                return [m.key], "apposition", title.end
        before = self._named_before(doc, graph, title, jur)
        if before is not None:
            return [before], "anaphor", title.end
        return [], "", title.end

    @staticmethod
    def _named_before(doc: Doc, graph: ArticleGraph, title: TitleSpan, jur: _Jurisdiction) -> str | None:
        """'Jay Inslee signed the budget on Monday. Later the governor said ...': a definite title that is
        the subject of its clause names again the last person named before it, in the sentence before,
        when nobody holds an office of that title yet and that person holds none."""
        head = doc[title.end - 1]
        if title.entry.get("plural") or jur.start == 0 or doc[jur.start - 1].lower_ != "the":
            return None
        if head.dep_ not in ("nsubj", "nsubjpass") or jur.org or jur.place or jur.possessor:
            return None  # "the Seattle mayor", "the union's president": a title said of somebody else
        sent = graph.sent_index[title.start]
        if sent in graph.title_sents or head.i + 1 < len(doc) and doc[head.i + 1].lower_ == "of":
            return None
        people = [m for m in graph.mentions if m.type == "Person" and m.end <= jur.start]
        if not people:
            return None
        last = max(people, key=lambda m: m.start)
        if graph.sent_index[last.start] != sent - 1:
            return None  # in its own sentence the name before is a speaker or another party more often
        ranked = any(
            m.key == last.key and m.start and (_rank_word(doc[m.start - 1]) or doc[m.start - 1].text in RANKS)
            for m in people
        )
        if ranked:
            return None  # "Officer Terrence Stangel ... the chief": a rank of his own, not the title's
        holders = {p for held in graph.holders.values() for p in held}
        titles = {str(graph.entities[k].properties.get("title")) for k in graph.holders}
        if last.key in holders or title.entry["title"] in titles:
            return None
        return last.key

    @staticmethod
    def _listed_after(doc: Doc, graph: ArticleGraph, title: TitleSpan) -> list[str]:
        """'Three council members — Dan Dugan, Ana Valdemoros and Sarah Young — voted', 'Four members
        who endorsed her — ...': the names the parser hangs on a plural title as its apposition."""
        head = doc[title.end - 1]
        if head.tag_ not in ("NNS", "NNPS"):
            return []
        people: list[str] = []
        for c in head.children:
            if c.dep_ != "appos" or c.i < title.end:
                continue
            for tok in (c, *c.conjuncts):
                m = graph.token_mention.get(tok.i)
                if m is not None and m.type == "Person" and m.key not in people:
                    people.append(m.key)
        if not people:  # "members who endorsed her — ...": the parser hangs the list on 'her'
            clause = next((c for c in head.children if c.dep_ == "relcl"), None)
            if clause is not None:
                people = dashed_people(graph, clause)
        return people

    @staticmethod
    def _shared_title(doc: Doc, graph: ArticleGraph, i: int) -> Mention | None:
        """'City Councilor and mayoral candidate Michelle Wu': two titles joined before one name both
        hold it; the second is a short noun phrase ending in its noun right before the name."""
        if i >= len(doc) or doc[i].lower_ != "and":
            return None
        for j in range(i + 2, min(i + 6, len(doc))):
            m = graph.token_mention.get(j)
            if m is None:
                continue
            words = doc[i + 1 : j]
            if m.type != "Person" or m.start != j or doc[j - 1].pos_ not in ("NOUN", "PROPN"):
                return None
            if any(t.is_punct or t.pos_ in ("VERB", "AUX", "DET", "PRON", "ADP") for t in words):
                return None
            return m
        return None

    @staticmethod
    def _named_after(doc: Doc, graph: ArticleGraph, jur: _Jurisdiction, i: int) -> str | None:
        """'The Leader of the Opposition, Richard Stanton, said': the name in apposition after the title
        (i is where the title and its 'of' phrase end). Mid-sentence too when the title opens a clause
        ('In response, the president of the union, Sgt. C. Bryan Taylor, issued'), past a rank or
        honorific before the name, when a comma closes the name."""
        if not (i < len(doc) and doc[i].text == "," and jur.start and doc[jur.start - 1].lower_ == "the"):
            return None
        opener = doc[jur.start - 1].is_sent_start
        k = i + 1
        while not opener and k < min(i + 4, len(doc)) and _rank_word(doc[k]):
            k += 1
        m = graph.token_mention.get(k)
        if m is None or m.type != "Person" or m.start != k:
            return None
        closed = m.end < len(doc) and doc[m.end].text == ","
        if opener or (closed and jur.start >= 2 and doc[jur.start - 2].text == ","):
            return m.key
        return None

    def _post_jurisdiction(self, doc: Doc, graph: ArticleGraph, i: int, jur: _Jurisdiction) -> None:
        """'of New York City', 'of the city's police union' after the name or title."""
        # "communications director for the Republican Party": 'for' an organisation, as 'of'
        org_for = i < len(doc) and doc[i].lower_ == "for" and self._prep == "of"
        if i >= len(doc) or (doc[i].lower_ != self._prep and not org_for):
            return
        j = i + 1
        while j < len(doc) and doc[j].lower_ in ("the", "a"):
            j += 1
        m = graph.token_mention.get(j)
        if org_for and (m is None or m.type != "Organization"):
            return
        pobj = next((c for c in doc[i].children if c.dep_ == "pobj"), None)
        if m is not None and m.type == "Place" and pobj is not None and pobj.i >= m.end:
            m = None  # "of the Springfield school board": the place only modifies the body
        if m is not None and m.type == "Place" and not jur.place:
            jur.place = graph.entities[m.key].name
        elif m is not None and m.type == "Organization" and not jur.org:
            jur.org = m.key
        elif not jur.org and not jur.place:
            head = doc[i].head if doc[i].head.i != i else doc[i]
            pobj = next((c for c in doc[i].children if c.dep_ == "pobj"), None)
            if pobj is not None and pobj.pos_ in ("NOUN", "PROPN") and head.i <= i:
                words = [t for t in pobj.subtree if t.i >= j and t.dep_ not in ("relcl", "acl")]
                text = clean_text(doc[words[0].i : pobj.i + 1]) if words else ""
                if text:
                    jur.nationality = None
                    jur.org = None
                    jur.place = None
                    text = text.replace("the city's", "").strip()
                    # "of Detroit's health department": the Detroit Health Department
                    text = re.sub(r"^([A-Z][\w.-]*(?: [A-Z][\w.-]*)*)['’]s ", r"\1 ", text)
                    parts = text.split()
                    if len(parts) > 1 and parts[-1].lower() in self.definite_heads:
                        text = " ".join(w if w.isupper() else w[:1].upper() + w[1:] for w in parts)
                    self._noun_jurisdiction = text

    def _name(
        self,
        graph: ArticleGraph,
        context: PlaceContext,
        title: TitleSpan,
        jur: _Jurisdiction,
        noun_jur: str | None,
    ) -> tuple[str, str, str | None]:
        """(canonical office name, canonical title, jurisdiction)."""
        entry = title.entry
        t = entry["title"]
        scheme = entry["scheme"]
        org_name = graph.entities[jur.org].name if jur.org else None
        level = entry.get("place_level", "city")
        if scheme == "fixed":
            return t, t, None
        if scheme == "for_place":  # "the Labour MP for Bristol East", "Dudley North MP"
            seat = self._post_place or jur.words
            return (f"{t} for {seat}", t, seat) if seat else (t, t, None)
        if scheme == "state_body":  # "Assembly Speaker" -> "Speaker of the Wisconsin State Assembly"
            state = context.state_of(jur.place) if jur.place else context.state
            body = entry["body"]
            return (f"{t} of the {state} {body}", t, state) if state else (f"{body} {t}", t, None)
        if level == "country" and org_name and not (jur.nationality or jur.place):
            return f"{t} of {self._of(org_name)}", t, org_name  # "the university's chancellor"
        if level == "country":  # "Prime Minister" -> of the dateline's or the article's country
            country: str | None = self.lex.places.get("countries", {}).get(jur.nationality or jur.place or "")
            country = country or context.country
            return (f"{t} of {country}", t, country) if country else (t, t, None)
        if scheme == "of_place":
            if jur.place:
                place: str | None = (
                    (context.state_of(jur.place) or jur.place) if level == "state" else jur.place
                )
            elif level == "state":  # a minister with no province in sight is the country's
                place = context.state or (context.country if entry.get("requires_country") else None)
            elif level == "county":
                place = context.county or context.city
            else:  # no city among the places: the city whose council the story names
                place = context.city or self._council_town(graph, context)
            if org_name and not jur.place:
                return f"{t} of {self._of(org_name)}", t, org_name
            if place:
                return f"{t} of {place}", t, place
            return entry.get("default", t), t, None
        if scheme == "place_prefix":
            state = context.state_of(jur.place) if jur.place else context.state
            return (f"{state} {t}", t, state) if state else (t, t, None)
        if scheme == "council":
            city = jur.place or self._council_city(graph) or context.city
            return (
                (f"Member of the {city} City Council", "Member of the City Council", city)
                if city
                else ("City Council Member", "Member of the City Council", None)
            )
        if scheme == "org_suffix":
            owner = org_name or entry.get("default_org")
            return (f"{owner} {t}", t, owner) if owner else (t, t, None)
        # of_org
        if org_name:
            return f"{t} of {self._of(org_name)}", t, org_name
        if jur.place:
            return f"{t} of {jur.place}", t, jur.place
        if noun_jur:
            return f"{t} of {self._of(noun_jur)}", t, noun_jur
        if jur.words:  # "Foreign Affairs Chair", "Dudley North MP": the body, named by its words
            return f"{t} of {self._of(jur.words)}", t, jur.words
        if entry.get("body"):  # "school board member": the city's school board
            body = f"{context.city} {entry['body']}" if context.city else entry["body"]
            return f"{t} of the {body}", t, body
        if jur.nationality:
            return f"{jur.nationality} {t}", t, jur.nationality
        return entry.get("default", t), t, None

    @staticmethod
    def _same_title_before(
        graph: ArticleGraph, title: TitleSpan, canonical_title: str
    ) -> tuple[str, str | None] | None:
        """(name, jurisdiction) of the one office of the same title named earlier in the title's own
        sentence: the bare title repeats it."""
        sent = graph.sent_index[title.start]
        found = {
            m.key
            for m in graph.mentions
            if m.type == "Office"
            and m.start < title.start
            and graph.sent_index[m.start] == sent
            and graph.entities[m.key].properties.get("title") == canonical_title
            and graph.entities[m.key].properties.get("jurisdiction")
        }
        if len(found) != 1:
            return None
        rec = graph.entities[found.pop()]
        return rec.name, str(rec.properties["jurisdiction"])

    @staticmethod
    def _school_district(graph: ArticleGraph) -> str | None:
        """The one school district the story names as an organisation ('Paradise Valley Unified School
        District', 'New Bedford Public Schools'), or None."""
        found = set()
        for rec in graph.entities.values():
            if rec.type != "Organization" or rec.mentions == 0:
                continue
            name = rec.name.removesuffix(" Board")  # "the Paradise Valley Unified School District board"
            if name.endswith(DISTRICT_ENDINGS):
                found.add(name)
        return found.pop() if len(found) == 1 else None

    @staticmethod
    def _main_body(graph: ArticleGraph) -> str | None:
        """The governing body the article is about: the one board, council or commission named more
        often than any other organisation, at least twice ("Outgoing chairwoman Dawn Shelley" in a
        story about the Spotsylvania County School Board)."""
        counts = sorted(
            (
                (rec.mentions, rec.name)
                for rec in graph.entities.values()
                if rec.type == "Organization" and set(rec.name.split()) & GOVERNING_BODIES
            ),
            reverse=True,
        )
        if not counts or counts[0][0] < 2 or (len(counts) > 1 and counts[1][0] == counts[0][0]):
            return None
        return counts[0][1]

    @staticmethod
    def _owner(doc: Doc, graph: ArticleGraph, title: TitleSpan, jur: _Jurisdiction) -> str | None:
        """The organisation a title without one belongs to.

        With a modifier ('Board chair', 'port commissioner'): the one organisation in the article whose
        name has that word. Without: the one organisation named in this or the previous sentence
        ('... the Federal Emergency Management Agency ... Administrator Karen Whitlock told').
        """
        words = [t.lower_ for t in doc[jur.start : title.start] if t.is_alpha and not t.is_stop]
        orgs = {m.key: m for m in graph.mentions if m.type == "Organization"}
        if words:
            found = {
                k
                for k in orgs
                if all(w in {x.lower() for x in graph.entities[k].name.split()} for w in words)
            }
        else:
            sent = graph.sent_index[title.start]
            found = {
                m.key
                for m in graph.mentions
                if m.type == "Organization"
                and sent - 1 <= graph.sent_index[m.start] <= sent
                and m.start < title.start
                and graph.entities[m.key].properties.get("kind") not in ("party", "media")
            }
        return graph.entities[found.pop()].name if len(found) == 1 else None

    @staticmethod
    def _council_city(graph: ArticleGraph) -> str | None:
        for rec in graph.entities.values():
            if rec.type == "Organization" and rec.name.endswith(" City Council"):
                return rec.name[: -len(" City Council")]
        return None

    @classmethod
    def _council_town(cls, graph: ArticleGraph, context: PlaceContext) -> str | None:
        """'Salt Lake City Council' -> Salt Lake City (a city the gazetteer knows), 'Leeds City Council'
        -> Leeds."""
        council = cls._council_city(graph)
        if council is None:
            return None
        return f"{council} City" if f"{council} City" in context.cities else council

    def _office(self, doc: Doc, graph: ArticleGraph, context: PlaceContext, title: TitleSpan) -> None:
        jur = self._left(doc, graph, title)
        if (
            jur.start
            and doc[jur.start - 1].lower_ in INDEFINITE
            and not self._after_name(doc, graph, jur.start - 1)
            and not self._listed_after(doc, graph, title)  # "three council members — A, B and C —"
        ):
            return  # "one GOP representative said": somebody unnamed, not an office holder to find
        people, construction, name_end = self._holders(doc, graph, title, jur)
        self._noun_jurisdiction = None
        self._post_place = None
        self._prep = "of"
        after = name_end if construction == "prenominal" else title.end
        if title.entry["scheme"] == "for_place":
            self._prep = "for"
            jur.org = jur.place = jur.nationality = None  # "the Labour MP": the party is no seat
            self._post_jurisdiction(doc, graph, after, jur)
            seat = jur.place or (graph.entities[jur.org].name if jur.org else None) or self._noun_jurisdiction
            self._post_place = seat
            jur.org = jur.place = None
            self._noun_jurisdiction = seat
        else:
            self._post_jurisdiction(doc, graph, after, jur)
        if not people and after < len(doc) and doc[after].lower_ == self._prep:
            edge = doc[after].right_edge.i
            while edge > after and doc[edge].is_punct:  # the parser may hang the comma on the phrase
                edge -= 1
            key = self._named_after(doc, graph, jur, edge + 1)
            if key is not None:  # "the president of the police union, Bryan Taylor,"
                people, construction = [key], "apposition"
        has_jurisdiction = bool(
            jur.place or jur.org or self._noun_jurisdiction or jur.words or title.entry.get("body")
        )
        if not people and not has_jurisdiction:
            i = title.start - 1
            while i > 0 and doc[i].lower_ in self.status:  # "the former governor"
                i -= 1
            det = doc[i].lower_ if i >= 0 else ""
            if det in ("the", "this", "that") or title.entry["scheme"] == "fixed":
                start = i + 1 if i < title.start - 1 else title.start
                graph.office_refs.append(
                    OfficeRef(start, title.end, title.entry["title"], None, status=jur.status)
                )
            return
        if (jur.words or title.entry.get("body")) and not (jur.org or jur.place or self._noun_jurisdiction):
            # "Union president Mara Quist", "Board chair Denise Harper": an organisation the article
            # names with that word comes first; the words alone name the body only when none does
            owner = self._owner(doc, graph, title, jur)
            if owner is not None:
                self._noun_jurisdiction, jur.words = owner, None
        name, canonical_title, jurisdiction = self._name(graph, context, title, jur, self._noun_jurisdiction)
        if canonical_title in self.generic and jurisdiction and jurisdiction.islower() and not people:
            return  # "the head of state", "a director of operations": no body of anyone's
        if jurisdiction is None and canonical_title == "Superintendent":
            district = self._school_district(graph)
            if district is not None:  # "superintendent Dr. Jesse Welsh" in a story about one district
                name, jurisdiction = f"{canonical_title} of {self._of(district)}", district
        if title.entry.get("repeats_only"):
            same = self._same_title_before(graph, title, canonical_title) if people else None
            if same is None:
                return
            name, jurisdiction = same
        if jur.place and jur.start >= 2 and doc[jur.start - 1].lower_ == "of" and doc[jur.start - 2].is_title:
            return  # "Professional Fire Fighters of Arizona president X": the place ends a longer name
        modifier = doc[title.start - 1] if title.start and jur.start == title.start else None
        if (
            name == title.entry.get("default")
            and modifier is not None
            and modifier.is_alpha
            and modifier.i not in graph.token_mention
            # a lower-case word the tagger calls a proper noun ("teachers union president") is a noun
            and (
                modifier.pos_ == "NOUN"
                or (modifier.pos_ == "PROPN" and modifier.is_lower)
                or (modifier.is_sent_start and modifier.pos_ == "PROPN")
            )
        ):
            # "board president X" is no head of state: the one organisation named with that word, or none
            owners = {
                rec.name
                for rec in graph.entities.values()
                if rec.type == "Organization" and modifier.lower_ in rec.name.lower().split()
            }
            if len(owners) != 1:
                return
            org = owners.pop()
            if org.startswith("State of ") and context.state_of(org[9:]):
                org = org[9:]  # "state Attorney General X" in a story naming "the State of New Jersey"
            name, jurisdiction = f"{canonical_title} of {self._of(org)}", org
        if title.entry.get("requires_country") and (
            jurisdiction is None
            or (jur.start and doc[jur.start - 1].pos_ == "PROPN" and doc[jur.start - 1].text[:1].isupper())
        ):
            return  # "Chancellor Ruiz" with no country in sight, "Stanford University Chancellor Ruiz"
        if jurisdiction is None and canonical_title in self.generic and "default" not in title.entry:
            owner = self._owner(doc, graph, title, jur) or self._main_body(graph)
            if owner is None and context.city and canonical_title in CITY_OFFICERS:
                owner = context.city  # "FLINT, Mich. — Chief Financial Officer Hughey Newsome"
            same = self._same_title_before(graph, title, canonical_title) if owner is None else None
            if same is not None:  # "School board members voted 4-3, with members A, B and C voting nay"
                name, jurisdiction = same
            elif owner is None:
                return  # "Board chair Denise Harper" with no board in sight: a bare "Chair" is no office
            else:
                name, jurisdiction = f"{canonical_title} of {self._of(owner)}", owner
        surface = clean_text(doc[jur.start : title.end])
        bare = "".join(
            t.text_with_ws for t in doc[jur.start : title.end] if t.lower_ not in self.status
        ).strip()
        key = graph.add_entity(
            "Office", name, alias=surface, properties={"title": canonical_title, "jurisdiction": jurisdiction}
        )
        title_text = clean_text(doc[title.start : title.end])
        for alias in (bare, title_text if " " in title_text or title.entry["scheme"] == "fixed" else ""):
            if alias and alias != name:
                graph.entities[key].aliases.add(alias)
        graph.add_mention(jur.start, title.end, key)
        if not people:
            graph.office_refs.append(OfficeRef(title.start, title.end, title.entry["title"], key))
            return
        for person in people:
            if title.entry.get("gender") and not graph.entities[person].gender:
                graph.entities[person].gender = title.entry["gender"]
            graph.hold_office(
                person,
                key,
                title.start,
                confidence=CONFIDENCE[construction],
                rule=f"office.{construction}",
                status=jur.status,
            )


@Language.factory("kg_offices", default_config={"lexicon_dir": None})
def make_offices(nlp: Language, name: str, lexicon_dir: str | None) -> OfficeRecognizer:
    return OfficeRecognizer(load_lexicons(lexicon_dir))
