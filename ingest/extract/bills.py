"""Bills: bills, legislative packages, ordinances, executive orders, measures.

A bill is named when a quoted name follows a naming cue ('a legislative package known as "ICE OUT"'),
stands next to the bill noun ('The legislative package "ICE OUT"'), or is a proper name ending in Act, Bill,
Ordinance or Resolution.
An unnamed mention with nothing distinctive of its own ("several bills pushed by ...", "the proposals",
"the order") refers to the article's only named bill, else to the latest bill of the same kind; one that
says something of its own ("a recent executive order that called for ...") is a bill in its own right.
A plain noun ("the contract", "the plan") is a measure only when somebody named takes a decision on it
("voted to reject the contract", "vetoed the budget amendments").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Token

from ingest.extract.lexicons import Lexicons, load_lexicons
from ingest.extract.mentions import ArticleGraph, get_graph
from ingest.extract.organizations import clean_text
from ingest.extract.quotes import TRIM, find_quote_spans

MAX_NAME_TOKENS = 8
# words that open a noun phrase but are no part of a bill's name ("his preliminary budget proposal")
LEADING_WORDS = {
    "a",
    "any",
    "an",
    "the",
    "this",
    "that",
    "several",
    "some",
    "more",
    "fewer",
    "two",
    "his",
    "her",
    "their",
    "its",
    "our",
}
GENERIC_OWNERS = {"city", "county", "state", "district", "town", "village", "borough"}
# kinds the one named bill does not stand for: "the city's budget" is not the Jail Expansion Ordinance
SEPARATE_KINDS = {"budget", "contract", "budget cuts", "closure plan"}
# nor is a plain "order" or "ban" somebody rejects: a judge's order, a ban of its own
DEBATED_APART = SEPARATE_KINDS | {"executive order", "ban"}
# bodies and officials an article names by their common noun ("the board voted to reject the contract")
ACTOR_NOUNS = {
    "board", "council", "commission", "legislature", "senate", "house", "assembly", "committee", "mayor",
    "governor", "president", "union", "court", "judge", "chamber", "lawmakers", "legislators", "voters",
}  # fmt: skip
DECIDING = {"veto", "passage", "approval", "repeal", "rejection", "adoption", "ratification"}
BALLOT_CODE = re.compile(r"^\d{1,3}[A-Z]{0,2}\.?$")  # "3B." at a sentence end is one token
# an unquoted name after a naming cue: capitalised words, with the small words titles keep in lower case
# ("a plan called Building Opportunities to Learn and Discover")
_CAP = r"[A-Z][\w'’-]*"
PLAIN_NAME = re.compile(rf"\s+({_CAP}(?:\s+(?:{_CAP}|to|and|of|for|the|on|in|a))*)")
NAME_SMALL_WORDS = {"to", "and", "of", "for", "the", "on", "in", "a"}
# a short form right after the name: "Building Opportunities to Learn and Discover — BOLD, for short"
ACRONYM_AFTER = re.compile(r"\s*(?:[—–(]|-|,)\s*([A-Z]{2,8})\b")


def _tally(doc: Doc, i: int) -> bool:
    """Whether the number at i opens a vote count ('approved the Harbor Ordinance 3-2'), no bill number."""
    return i + 2 < len(doc) and doc[i + 1].text in ("-", "–") and doc[i + 2].like_num


@dataclass
class _BillMention:
    head: int
    start: int
    end: int
    kind: str
    name: str | None  # a proper name, when it has one
    distinctive: bool
    definite: bool
    full: str  # the whole noun phrase, up to the first comma
    chamber: str | None = None  # 'senate' in "the Senate plan"
    np_start: int = -1  # first token of the whole noun phrase, determiner included
    owner: str | None = None  # who owns a weak noun: 'Hochul' in "Hochul's plan"
    name_chars: tuple[int, int] | None = None  # where an unquoted given name stands in the text
    debated: bool = False  # a weak noun a decision is taken on: 'rejected the contract'


class BillRecognizer:
    def __init__(self, lexicons: Lexicons) -> None:
        lex = lexicons.bills
        self.nouns: dict[str, str] = lex["nouns"]
        self.weak = set(lex["weak_nouns"])
        self.modifiers = set(lex["legislative_modifiers"])
        self.neutral = set(lex["neutral_modifiers"])
        self.second_words = {n.split()[-1] for n in self.nouns if " " in n}
        self.cues = [c.split() for c in lex["naming_cues"]]
        self.sponsor_verbs = set(lex["sponsor_verbs"])
        self.chambers = set(lex.get("chamber_modifiers", []))
        self.numbered = set(lex.get("numbered_heads", ["Bill"]))
        self.policy_heads = set(lex.get("policy_name_heads", []))
        self.any_kind = set(lex.get("definite_any_kind", []))
        self.ballot_heads = set(lex.get("ballot_heads", []))
        self.compound_kinds = set(lex.get("compound_kinds", []))
        stance = lexicons.stance
        # verbs whose object is a measure decided on: "rejected the plan", "signed off on the contract"
        # (a stance verb alone, "criticized the plan", is weaker evidence: on the team's written set it
        # made measures of plans the articles never treat as one)
        self.decision_verbs = set(stance["bill_only_verbs"]) | {p.split()[0] for p in stance["phrasal_verbs"]}
        self.kind_words = {w for n in self.nouns for w in n.split()} | {
            w for k in self.nouns.values() for w in k.split()
        }

    def __call__(self, doc: Doc) -> Doc:
        graph = get_graph(doc)
        mentions = [m for tok in doc if (m := self._mention(doc, graph, tok)) is not None]
        named = {m.name for m in mentions if m.name}
        policies: set[str] = set()
        for tok in doc:  # proper names ending in Act or Bill: "the Laken Riley Act", "the Planning Bill"
            held = graph.token_mention.get(tok.i)
            nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            first_name = tok.text == "Bill" and nxt is not None and nxt.text[:1].isupper() and nxt.is_alpha
            numbered = (  # "Senate File 3", "House Resolution 12"
                tok.text in self.numbered
                and tok.text != "Bill"
                and nxt is not None
                and nxt.like_num
                and tok.i > 0
                and doc[tok.i - 1].lower_ in self.chambers
            )
            if (
                tok.text in self.ballot_heads
                and nxt is not None
                and BALLOT_CODE.match(nxt.text)
                and (held is None or held.type == "Organization")
            ):  # "Measure 2K", "Proposition 12": a ballot measure is named by its code alone
                end = tok.i + 2
                if end < len(doc) and not nxt.whitespace_ and doc[end].is_upper and len(doc[end]) <= 2:
                    end += 1  # "2K" comes out of the tokenizer as "2" + "K"
                name = clean_text(doc[tok.i : end]).rstrip(".")
                mentions.append(_BillMention(tok.i, tok.i, end, "ballot measure", name, True, True, name))
                named.add(name)
                continue
            # "the Priority Enforcement Program", "the Leeds Site Allocations Plan": a policy's proper
            # name, unless the word goes on into another name ("Plan Commission")
            policy = (
                tok.text in self.policy_heads
                and not (nxt is not None and nxt.text[:1].isupper() and nxt.is_alpha)
                and not (tok.i > 0 and doc[tok.i - 1].is_sent_start)
            )
            if (
                (tok.text in ("Act", "Bill", "Ordinance", "Resolution") or numbered or policy)
                and not first_name
                and (held is None or held.type == "Organization")
            ):
                start = tok.i
                while start > 0 and not doc[start - 1].is_sent_start:
                    prev = doc[start - 1]
                    capitalised = prev.text[:1].isupper() and prev.is_alpha and prev.lower_ != "the"
                    # "Planning and Infrastructure Bill": a connector between capitalised words
                    joins = (
                        prev.lower_ in ("and", "of", "for", "&")
                        and start - 2 >= 0
                        and doc[start - 2].text[:1].isupper()
                        and doc[start - 2].is_alpha
                        and doc[start - 2].lower_ != "the"
                    )
                    if not (capitalised or joins):
                        break
                    start -= 1
                end = tok.i + 1
                if tok.text in self.numbered and nxt is not None and nxt.like_num and not _tally(doc, nxt.i):
                    end += 1  # "Assembly Bill 214", "House Bill 5"
                if start < tok.i:
                    name = clean_text(doc[start:end])
                    kind = tok.text.lower() if policy else "bill"
                    mentions.append(_BillMention(tok.i, start, end, kind, name, True, True, name))
                    named.add(name)
                    if policy:
                        policies.add(name)
        # a title-case headline makes names of plain words ("Revolt Over Planning Bill"): a bill the
        # headline calls by words the body does not use is the body's, under the body's name
        body = " ".join(s.text for n, s in enumerate(graph.sents) if n not in graph.title_sents)
        mentions = [
            m
            for m in mentions
            if graph.sent_index[m.head] not in graph.title_sents or (m.name or m.full) in body
        ]
        # a policy's name ('the Site Allocations Plan') is not the bill that 'the amendment' or 'the
        # measure' of the story falls back to when it names one bill
        named = {m.name for m in mentions if m.name and m.name not in policies}
        keys_by_name: dict[str, str] = {}
        for m in mentions:
            if m.name:
                keys_by_name[m.name] = graph.add_entity(
                    "Bill", m.name, alias=m.full, properties={"kind": m.kind}
                )
                if m.name_chars is not None:
                    self._claim_name(graph, keys_by_name[m.name], m.name_chars)
        recent: list[tuple[str, str]] = []  # (kind, key) in text order
        decided_only: set[str] = set()  # measures known only from a decision on them
        by_owner: dict[str, str] = {}  # owner -> the bill of their first "X's plan"
        inner: set[str] = set()  # bills first said inside another's words
        named_at = {m.start: keys_by_name[m.name] for m in mentions if m.name}
        named_end = {m.end: keys_by_name[m.name] for m in mentions if m.name}
        ordered = sorted(mentions, key=lambda m: m.start)
        for n, m in enumerate(ordered):
            if graph.skip(m.head):
                continue
            appositive = self._appositive(doc, m, named_at) or self._described(doc, m, named_end)
            if m.name:
                key = keys_by_name[m.name]
            elif appositive is not None:
                key = appositive
            elif m.owner is not None and m.owner in by_owner:
                key = by_owner[m.owner]  # "Cullerton's plan" ... "Cullerton's effort": one bill
            elif (chamber := self._chamber_bill(graph, m, recent)) is not None:
                key = chamber
            elif (renamed := self._renamed_next(doc, graph, m, ordered[n + 1 :], named_at)) is not None:
                key = renamed
            elif m.debated:  # "rejected the contract": a contract said before, the one named bill, or new
                same = [key for k, key in recent if k == m.kind]
                if same and not m.distinctive:
                    key = same[-1]
                elif not m.distinctive and len(named) == 1 and m.kind not in DEBATED_APART:
                    key = keys_by_name[next(iter(named))]
                else:
                    key = self._new_bill(doc, graph, m)
                    decided_only.add(key)
            elif not m.distinctive and len(named) == 1 and m.kind not in SEPARATE_KINDS:
                key = keys_by_name[next(iter(named))]
            elif not m.distinctive and m.definite and any(k == m.kind for k, _ in recent):
                key = next(key for k, key in reversed(recent) if k == m.kind)
            elif (
                latest := self._latest_any_kind(
                    doc, m, [r for r in recent if r[1] not in decided_only and r[1] not in inner]
                )
            ) is not None:  # "the proposal" is never a motion known only from its vote, nor "the
                # school budget" of "a cut to the school budget": the words name the outer one
                key = latest
            elif m.distinctive or (
                m.definite and (not named or m.kind in SEPARATE_KINDS) and self._first_definite(m, recent)
            ):
                key = self._new_bill(doc, graph, m)
            else:
                continue
            recent.append((m.kind, key))
            if any(doc[o.head].is_ancestor(doc[m.head]) for o in ordered[:n]):
                inner.add(key)
            if m.owner is not None:
                by_owner.setdefault(m.owner, key)
            # the words the text calls it by, without what follows the noun ("the proposed resolution",
            # "a spending plan"): searchable surfaces of the bill, as a name's variants are a person's
            core = clean_text(doc[m.np_start if m.np_start >= 0 else m.start : m.head + 1])
            if core and core != graph.entities[key].name and len(core.split()) <= MAX_NAME_TOKENS:
                graph.entities[key].aliases.add(core)
            # and the noun with what follows it, without whose it is: "(his niece's) proposal to raise
            # the county's hotel tax"
            head_text = doc[m.head].text
            if m.full.count(head_text) == 1 and not m.full.endswith(head_text):
                tail = m.full[m.full.index(head_text) :]
                if 3 <= len(tail.split()) <= MAX_NAME_TOKENS + 2:
                    graph.entities[key].aliases.add(tail)
            for i in range(m.start, m.end):  # a law the model called an organisation
                stale = graph.token_mention.get(i)
                if stale is not None and stale.type == "Organization" and m.name:
                    graph.entities[stale.key].mentions -= 1
                    for j in range(stale.start, stale.end):
                        graph.token_mention.pop(j, None)
            if not any(i in graph.token_mention for i in range(m.start, m.end)):
                graph.add_mention(m.start, m.end, key)
            else:
                graph.refs[m.head] = (key,)
        return doc

    def kind(self, doc: Doc, tok: Token) -> tuple[str, int] | None:
        """(kind, start of the bill noun) when tok heads a bill noun ('executive order', 'bills')."""
        if tok.pos_ not in ("NOUN", "PROPN"):
            return None
        lower = tok.lower_
        if (
            lower not in self.second_words
            and lower not in self.nouns
            and tok.lemma_.lower() not in self.nouns
        ):
            return None
        prev = doc[tok.i - 1] if tok.i else None
        if prev is not None and f"{prev.lower_} {tok.lower_}" in self.nouns:
            return self.nouns[f"{prev.lower_} {tok.lower_}"], prev.i
        lemma = tok.lemma_.lower()
        if lemma in self.nouns:
            return self.nouns[lemma], tok.i
        if tok.lower_ in self.nouns:
            return self.nouns[tok.lower_], tok.i
        return None

    def _mention(self, doc: Doc, graph: ArticleGraph, tok: Token) -> _BillMention | None:
        found = self.kind(doc, tok)
        if found is None or tok.i in graph.token_mention:
            return None
        kind, noun_start = found
        if tok.dep_ == "compound":  # "bill" in "bill sponsors"
            return None
        mods = [c for c in tok.lefts if c.dep_ in ("amod", "compound", "nmod") and c.i < noun_start]
        posts = [c for c in tok.rights if c.dep_ in ("relcl", "acl", "prep")]
        legislative = (
            any(c.lower_ in self.modifiers for c in mods)
            or noun_start < tok.i
            or any(c.lower_ in self.chambers for c in tok.lefts)
        )
        weak = tok.lemma_.lower() in self.weak and noun_start == tok.i
        name, name_chars = self.given_name(doc, tok)
        back_reference = (  # "the measure" after a bill: kept, and only ever resolved to an earlier bill
            tok.lemma_.lower() in self.any_kind
            and any(c.dep_ == "det" and c.lower_ in ("the", "this") for c in tok.lefts)
            and not any(c.dep_ in ("relcl", "acl", "prep", "compound", "amod") for c in tok.children)
        )
        # "Hochul's plan", "the Coalition's plan": a plan somebody named put forward
        owner = next(
            (
                k
                for c in tok.children
                if c.dep_ == "poss"
                for k in graph.keys_at(c.i)
                if graph.type_of(k) in ("Person", "Organization")
            ),
            None,
        )
        owned = owner is not None
        compound = kind in self.compound_kinds and any(  # "the soda tax", "the library cuts"
            c.dep_ == "compound" and c.pos_ == "NOUN" and c.i < noun_start for c in tok.children
        )
        # a weak noun is a bill when something says so, or when a decision is taken on it
        debated = weak and not name and not back_reference and self._debated(tok)
        if weak and not legislative and not name and not self._sponsored(tok) and not back_reference:
            if not owned and not compound and not debated:
                return None
        the = any(c.dep_ == "det" and c.lower_ in ("the", "this") for c in tok.lefts)
        distinctive = any(
            c.lower_ not in self.modifiers | self.neutral and c.pos_ not in ("DET", "NUM") for c in mods
        ) or any(
            not (c.dep_ == "acl" and c.lemma_ in self.sponsor_verbs)
            and not (c.dep_ == "prep" and c.lower_ == "of")
            and not (c.dep_ == "relcl" and the)  # "the budget they approved" is the budget
            for c in posts
        )
        distinctive = distinctive or owned or compound
        start = min([noun_start] + [t.i for c in mods for t in c.subtree])
        det = [c for c in tok.lefts if c.dep_ in ("det", "poss", "nummod", "amod", "quantmod")]
        definite = any(c.lower_ in ("the", "this", "that", "these", "those") or c.dep_ == "poss" for c in det)
        np_start = min([start] + [self._possessor_start(graph, c) for c in det])
        if name_chars is not None and name_chars[1] <= tok.idx:  # the quote in front is the name's
            window = doc[max(0, np_start - MAX_NAME_TOKENS - 2) : tok.i]
            quoted = [t.i for t in window if t.idx >= name_chars[0]]
            start = np_start = min([np_start, *quoted])
        np_end = tok.i + 1
        coordinated = {t.i for c in tok.children if c.dep_ in ("cc", "conj") for t in c.subtree}
        for t in tok.subtree:
            if t.i > tok.i and (t.text == "," or t.i in coordinated):
                break  # "the soda tax and the property tax hike" are two
            np_end = max(np_end, t.i + 1)
        full = clean_text(doc[np_start:np_end])
        chamber = next(
            (
                c.lower_
                for c in tok.lefts
                if c.dep_ in ("compound", "amod", "nmod", "poss") and c.lower_ in self.chambers
            ),
            None,
        )
        owns_only = owned and weak and not name and not compound and not mods and not posts
        return _BillMention(
            tok.i,
            start,
            tok.i + 1,
            kind,
            name,
            distinctive,
            definite,
            full,
            chamber,
            np_start,
            owner if owns_only else None,
            name_chars,
            debated,
        )

    @staticmethod
    def _possessor_start(graph: ArticleGraph, tok: Token) -> int:
        """Where a word before the bill noun starts: an organisation's whole name for its possessive
        ("El Paso Electric's proposed rate hike"; a person's stays the surname the text uses)."""
        held = graph.token_mention.get(tok.i)
        if tok.dep_ == "poss" and held is not None and held.type == "Organization":
            return held.start
        return tok.i

    def _new_bill(self, doc: Doc, graph: ArticleGraph, m: _BillMention) -> str:
        name = self._unnamed_name(doc, graph, m)
        return graph.add_entity("Bill", name, alias=m.full, properties={"kind": m.kind})

    def _unnamed_name(self, doc: Doc, graph: ArticleGraph, m: _BillMention) -> str:
        """A readable name for a bill the text describes without naming it.

        The noun phrase up to its head, without articles, possessive pronouns and neutral words
        ("recent", "proposed"); a clause or phrase after the head is left to the alias. When that leaves
        only the bare kind ("executive order", "budget"), the article's main place goes in front
        ("Chicago executive order"), so two cities' budgets never become one node."""
        end = m.head + 1
        while (
            end < len(doc)
            and (doc[end].like_num or BALLOT_CODE.match(doc[end].text))
            and not _tally(doc, end)
        ):
            end += 1  # "Assembly Bill 214": the number is part of the name
        kept = [
            t
            for t in doc[m.np_start if m.np_start >= 0 else m.start : end]
            if t.lower_ not in LEADING_WORDS
            and t.lower_ not in self.neutral
            and not t.is_punct
            and not self._generic_owner(t)
        ][:MAX_NAME_TOKENS]
        core = [t.text for t in kept]
        generic = all(w.lower() in self.kind_words for w in core)
        if core and not generic:  # "Cullerton's plan": a clitic keeps to its word
            return re.sub(r" (['’]s)\b", r"\1", " ".join(core))
        place = self._main_place(graph)
        if core and place:
            return " ".join([place, *core])
        words = [w for w in m.full.split() if w.lower() not in LEADING_WORDS]
        return " ".join(words[:MAX_NAME_TOKENS])

    @staticmethod
    def _generic_owner(t: Token) -> bool:
        """'the city's budget': the city is the story's place, which the name gets in its own words."""
        doc = t.doc
        if t.lower_ in GENERIC_OWNERS:
            return t.i + 1 < len(doc) and doc[t.i + 1].lower_ in ("'s", "’s")
        return t.lower_ in ("'s", "’s") and t.i > 0 and doc[t.i - 1].lower_ in GENERIC_OWNERS

    @staticmethod
    def _main_place(graph: ArticleGraph) -> str | None:
        counts = graph.place_counts()
        if not counts:
            return None
        place: str = counts.most_common(1)[0][0]
        # a wire dateline shouts the city: "PHILADELPHIA budget" is the Philadelphia budget
        return " ".join(w.capitalize() for w in place.split()) if place.isupper() else place

    @staticmethod
    def _appositive(doc: Doc, m: _BillMention, named_at: dict[int, str]) -> str | None:
        """'the Senate's spending plan, Senate File 3,' and 'The measure, Assembly Bill 214,': one bill.

        Read from the text (a comma, then a named bill) because the parser often hangs the name elsewhere.
        """
        if m.name or m.head + 2 >= len(doc) or doc[m.head + 1].text != ",":
            return None
        return named_at.get(m.head + 2)

    @staticmethod
    def _described(doc: Doc, m: _BillMention, named_end: dict[int, str]) -> str | None:
        """'the Disaster Claims Act, a bill he introduced in May': the description after the name."""
        if m.name or m.np_start < 2 or doc[m.np_start - 1].text != ",":
            return None
        return named_end.get(m.np_start - 1)

    def _chamber_bill(
        self, graph: ArticleGraph, m: _BillMention, recent: list[tuple[str, str]]
    ) -> str | None:
        """'the Senate plan', 'the Senate bill': the latest bill whose name or description has the chamber."""
        if m.name or m.chamber is None or not m.definite:
            return None
        for _, key in reversed(recent):
            rec = graph.entities[key]
            words = {
                w.lower().strip(".,'") for n in (rec.name, *rec.aliases) for w in n.replace("'s", "").split()
            }
            if m.chamber in words:
                return key
        return None

    def _renamed_next(
        self,
        doc: Doc,
        graph: ArticleGraph,
        m: _BillMention,
        later: list[_BillMention],
        named_at: dict[int, str],
    ) -> str | None:
        """'vetoed a bill that would have ... . The measure, Assembly Bill 214, was ...': the described bill
        is the named one when the next sentence opens on a definite bill noun in apposition with a name."""
        if m.name or m.definite or not m.distinctive:
            return None
        sent = graph.sent_index[m.head]
        nxt = next((o for o in later if graph.sent_index[o.head] > sent), None)
        if nxt is None or nxt.name or not nxt.definite or nxt.distinctive:
            return None
        opening = graph.sents[sent + 1]
        if graph.sent_index[nxt.head] != sent + 1 or nxt.start - opening.start > 1:
            return None
        return self._appositive(doc, nxt, named_at)

    def _latest_any_kind(self, doc: Doc, m: _BillMention, recent: list[tuple[str, str]]) -> str | None:
        """'the measure' after 'the Rural Connectivity Act': the latest bill, whatever its noun.

        Executive orders only ever refer to executive orders, and the reverse.
        """
        if m.distinctive or not m.definite or doc[m.head].lemma_.lower() not in self.any_kind:
            return None
        for kind, key in reversed(recent):
            if (kind == "executive order") == (m.kind == "executive order"):
                return key
        return None

    def given_name(self, doc: Doc, tok: Token) -> tuple[str | None, tuple[int, int] | None]:
        """The name a bill noun is given: 'known as "ICE OUT,"' or '"ICE OUT"' right after the noun, or
        after a naming cue an unquoted run of capitalised words ('The plan, called Building Opportunities
        to Learn and Discover'), which comes with where it stands in the text."""
        spans = find_quote_spans(doc)
        text = get_graph(doc).text
        after = tok.idx + len(tok.text)
        rest = text[after : after + 40]
        cued = False
        for cue in self.cues:
            phrase = " ".join(cue)
            lead = len(rest) - len(rest.lstrip(" ,"))
            if rest[lead:].lower().startswith(phrase + " "):
                after += lead + len(phrase)
                cued = True
                break
        for s in spans:
            if s.start_char <= after:
                continue
            if s.start_char > after + 60:
                break
            if not text[after : s.start_char - 1].strip() and len(s.text) < 60:
                name = s.text.strip(TRIM)
                return (name, None) if name and len(name.split()) <= 8 else (None, None)
        if not cued:  # the name in front of the noun: 'a "Sense of the Council" resolution'
            for s in spans:
                gap = text[s.end_char : tok.idx]
                if s.end_char <= tok.idx and len(gap) <= 3 and not gap.strip(" \"'“”‘’"):
                    name = s.text.strip(TRIM)
                    if name[:1].isupper() and 1 < len(name.split()) <= MAX_NAME_TOKENS:
                        return name, (s.start_char, s.end_char)
        plain = PLAIN_NAME.match(text, after) if cued else None
        if plain is None:
            return None, None
        words = plain.group(1).split()
        while words and words[-1] in NAME_SMALL_WORDS:
            words.pop()
        capitalised = [w for w in words if w not in NAME_SMALL_WORDS]
        if len(capitalised) < 2 or len(words) > MAX_NAME_TOKENS:
            return None, None
        name = " ".join(words)
        start = plain.start(1)
        return name, (start, text.index(words[-1], start) + len(words[-1]))

    def _claim_name(self, graph: ArticleGraph, key: str, chars: tuple[int, int]) -> None:
        """A bill's unquoted name is the bill's: people, places and organisations still found inside it go,
        and a short form right after it whose letters are the name's initials ('— BOLD') becomes the
        bill's alias, with its mentions (the model takes it for a person or an organisation)."""
        start, end = chars
        for m in [m for m in graph.mentions if m.type in ("Person", "Organization", "Place")]:
            span = graph.doc[m.start : m.end]
            if start <= span.start_char and span.end_char <= end:
                graph.drop_mention(m)
        short = ACRONYM_AFTER.match(graph.text, end)
        name = graph.text[start:end]
        initials = "".join(w[0] for w in name.split() if w not in NAME_SMALL_WORDS)
        if short is None or short.group(1) != initials.upper():
            return
        graph.entities[key].aliases.add(short.group(1))
        for other, rec in list(graph.entities.items()):
            if rec.type in ("Person", "Organization") and rec.name == short.group(1):
                graph.merge_entity(other, key)

    def _first_definite(self, m: _BillMention, recent: list[tuple[str, str]]) -> bool:
        """'The ordinance, sponsored by ...' with no bill before it: the article's bill, named by its noun.

        Only for a strong bill noun ('ordinance', 'bill', 'legislation'), never 'the order' or 'the measure'
        alone, and only when no bill of that kind came earlier.
        """
        return m.kind not in self.weak and not any(k == m.kind for k, _ in recent)

    def _debated(self, tok: Token) -> bool:
        """Whether a decision is taken on what tok names: the object of a decision verb ('rejected the
        plan', 'voted against the contract', 'signed off on the deal') whose decider is named, its passive
        subject ('the plan was approved'), or what a veto or an approval is of."""
        if tok.dep_ in ("dobj", "nsubjpass"):
            verb = tok.head
        elif tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lemma_.lower() in DECIDING:
            return True  # "the mayor's veto of the budget amendments"
        elif tok.dep_ == "pobj" and tok.head.dep_ in ("prep", "prt"):
            verb = tok.head.head
            if verb.dep_ == "prt":
                verb = verb.head
        else:
            return False
        if verb.pos_ not in ("VERB", "AUX") or verb.lemma_.lower() not in self.decision_verbs:
            return False
        return tok.dep_ == "nsubjpass" or self._named_actor(verb)

    @staticmethod
    def _named_actor(verb: Token) -> bool:
        """Whether the one who decides is somebody named ('the board voted to reject', 'Lee rejected',
        'he rejected'), not an unnamed crowd ('members who favor his plan')."""
        for _ in range(4):  # "voted to reject", "agreed to sign off on": the subject of the verb above
            subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            if subj is not None:
                if subj.pos_ == "PRON":
                    return subj.lower_ in ("he", "she", "it", "they", "we")
                return (
                    subj.pos_ == "PROPN"
                    or subj.ent_type_ != ""
                    or any(c.pos_ == "PROPN" for c in subj.children if c.dep_ in ("compound", "poss"))
                    or subj.lower_ in ACTOR_NOUNS
                )
            if verb.dep_ not in ("xcomp", "conj", "advcl") or verb.head.i == verb.i:
                return False
            verb = verb.head
        return False

    def _sponsored(self, tok: Token) -> bool:
        head = tok.head
        return head.lemma_ in self.sponsor_verbs or any(
            c.dep_ == "acl" and c.lemma_ in self.sponsor_verbs for c in tok.children
        )


class BillNames:
    """Runs first: the unquoted names bills are given ('a plan called Building Opportunities to Learn and
    Discover') are claimed before people, places and organisations are looked for, so that no word of
    such a name becomes one of them."""

    def __init__(self, bills: BillRecognizer) -> None:
        self.bills = bills

    def __call__(self, doc: Doc) -> Doc:
        graph = get_graph(doc)
        for tok in doc:
            if self.bills.kind(doc, tok) is None:
                continue
            _, chars = self.bills.given_name(doc, tok)
            span = doc.char_span(*chars, alignment_mode="expand") if chars else None
            if span is not None:
                graph.claimed.update(range(span.start, span.end))
        return doc


@Language.factory("kg_bill_names", default_config={"lexicon_dir": None})
def make_bill_names(nlp: Language, name: str, lexicon_dir: str | None) -> BillNames:
    return BillNames(BillRecognizer(load_lexicons(lexicon_dir)))


@Language.factory("kg_bills", default_config={"lexicon_dir": None})
def make_bills(nlp: Language, name: str, lexicon_dir: str | None) -> BillRecognizer:
    return BillRecognizer(load_lexicons(lexicon_dir))
