"""Cross-article entity resolution for people: pure decisions, no database.

Within one article the extractor already folds "Krasner" into "Larry Krasner". Across articles the
writer asks this module, for each person an article mentions, which existing node (if any) is the same
human. The graph side (`graph/resolver.py`) fetches the candidates and performs the merges; everything
that decides lives here so it can be unit-tested with plain values.

The evidence, strongest first:
1. a shared full-name surface (name or alias of two or more words, case-insensitive);
2. the same surname plus compatible given names ("Donald Trump" ~ "Donald J. Trump" ~ "D. Trump");
3. for a bare surname ("Johnson"), holding the same office as exactly one full-name candidate
   ("Chicago mayor" Johnson -> Brandon Johnson, Mayor of Chicago);
4. for a bare surname with no office, being the only full-name person of that surname in the graph.

Two different people who share a surname never merge on the surname alone: a bare surname with two
or more plausible candidates stays its own node. The same rules run in both directions (a bare node
met before the full name is absorbed later by `absorbs`), which makes the outcome independent of the
order in which articles arrive, except where it cannot be (a bare, context-free "Johnson" that arrived
while only one Johnson was known stays with that one).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# Words that are titles or honorifics, not part of a person's name ("Sen. Ted Cruz", "Mayor Johnson").
HONORIFICS = frozenset(
    """mr mrs ms miss dr prof sen senator rep representative gov governor mayor president
    secretary speaker judge justice sheriff councilman councilwoman councilmember commissioner
    director chief gen general col sgt lt capt officer attorney da rev father sister sir dame lord lady
    acting former deputy state us u.s""".split()
)
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "v", "phd", "md", "esq"})
# A few given-name families; enough to stop "Mike" and "Michael" Johnson from being two people.
NICKNAMES: tuple[frozenset[str], ...] = tuple(
    frozenset(group.split())
    for group in (
        "michael mike mick mickey",
        "william bill billy will willie",
        "robert bob bobby rob robbie bert",
        "james jim jimmy jamie",
        "john johnny jack jon",
        "richard rick ricky dick rich",
        "thomas tom tommy",
        "joseph joe joey",
        "charles charlie chuck",
        "edward ed eddie ted ned",
        "theodore ted teddy",
        "elizabeth liz beth betsy lizzie eliza",
        "katherine catherine kate katie kathy cathy",
        "margaret maggie meg peggy",
        "jennifer jen jenny",
        "alexander alex al",
        "alexandra alex sandra",
        "daniel dan danny",
        "david dave",
        "stephen steven steve",
        "christopher chris",
        "christine chris chrissy",
        "nicholas nick",
        "anthony tony",
        "andrew andy drew",
        "benjamin ben",
        "samuel sam",
        "timothy tim",
        "gregory greg",
        "patrick pat",
        "patricia pat patty trish",
        "peter pete",
        "donald don donnie",
        "ronald ron ronnie",
        "kenneth ken kenny",
        "lawrence larry",
        "gerald jerry",
        "jeffrey jeff",
        "matthew matt",
        "susan sue susie",
        "deborah debbie deb",
        "rebecca becky",
        "victoria vicky tori",
        "abigail abby",
    )
)


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.casefold().split())


def name_tokens(name: str) -> list[str]:
    """The words of a person's name without titles, honorifics, possessives or suffixes, folded."""
    words = [w.strip('.,;:"()') for w in fold(name).split()]
    words = [re.sub(r"'s$", "", w) for w in words if w]
    while words and words[0].rstrip(".") in HONORIFICS:
        words.pop(0)
    while len(words) > 1 and words[-1].rstrip(".") in SUFFIXES:
        words.pop()
    return [w for w in words if w]


def surname_of(name: str) -> str | None:
    """The lower-case last name used to find candidates (`Person.surname` in the graph)."""
    tokens = name_tokens(name)
    return tokens[-1] if tokens else None


def is_bare_name(name: str) -> bool:
    """A surname (or a single name) alone: "Johnson", "Bilal"."""
    return len(name_tokens(name)) <= 1


def given_names_compatible(a: str, b: str) -> bool:
    """'Brandon' ~ 'Brandon', 'B.' ~ 'Brandon', 'Mike' ~ 'Michael'; 'Mike' !~ 'Brandon'."""
    a, b = a.rstrip("."), b.rstrip(".")
    if a == b:
        return True
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    return any(a in group and b in group for group in NICKNAMES)


# Words that name a kind of body rather than a place: "Council", "City Council", "State Senate". A
# jurisdiction made only of these is the short form of a longer one ending in it ("Philadelphia City
# Council"), as a story says "Council President Johnson" after "City Council President Johnson".
BODY_WORDS = frozenset(
    """city county state town village municipal metropolitan school district council senate house
    assembly board commission committee legislature parliament congress supervisors aldermen""".split()
)


def jurisdiction_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[\w']+", fold(text)) if w not in {"the", "of"}]


def jurisdictions_compatible(a: str, b: str) -> bool:
    """'Council' ~ 'City Council' ~ 'Philadelphia City Council'; 'York' !~ 'New York'."""
    short, long = sorted((jurisdiction_words(a), jurisdiction_words(b)), key=len)
    if short == long:
        return True
    if not short or long[len(long) - len(short) :] != short:
        return False
    return all(w in BODY_WORDS for w in short)


@dataclass(frozen=True)
class OfficeRef:
    """An office a person holds, as the resolver compares it: by id, else by title + jurisdiction."""

    id: str
    title: str | None = None
    jurisdiction: str | None = None

    def compatible(self, other: OfficeRef) -> bool:
        if self.id == other.id:
            return True
        if not self.title or not other.title or fold(self.title) != fold(other.title):
            return False
        # "Speaker" (no jurisdiction) is compatible with "Speaker of the House"; two jurisdictions must
        # agree, a generic body ("Council") agreeing with a longer name ending in it ("City Council").
        if self.jurisdiction and other.jurisdiction:
            return jurisdictions_compatible(self.jurisdiction, other.jurisdiction)
        return True


@dataclass(frozen=True)
class PersonProfile:
    """What the resolver knows about a person: a mention in an article, or a node in the graph."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    offices: tuple[OfficeRef, ...] = ()
    gender: str | None = None
    _tokens: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_tokens", tuple(name_tokens(self.name)))

    @property
    def surname(self) -> str | None:
        return self._tokens[-1] if self._tokens else None

    @property
    def given_name(self) -> str | None:
        return self._tokens[0] if len(self._tokens) > 1 else None

    @property
    def is_bare(self) -> bool:
        """A surname (or a single name) alone: "Johnson", "Bilal"."""
        return len(self._tokens) <= 1

    def full_surfaces(self) -> set[str]:
        """Every surface of two or more words, folded: the strong identity keys."""
        out = set()
        for surface in (self.name, *self.aliases):
            tokens = name_tokens(surface)
            if len(tokens) > 1:
                out.add(" ".join(tokens))
        return out

    def shares_office(self, other: PersonProfile) -> bool:
        return any(a.compatible(b) for a in self.offices for b in other.offices)

    def gender_conflict(self, other: PersonProfile) -> bool:
        return bool(self.gender and other.gender and self.gender != other.gender)


@dataclass(frozen=True)
class Match:
    """The resolver's answer: merge into `target_id`, or (target_id None) keep `own_id` as its own node."""

    target_id: str | None
    reason: str
    own_id: str

    @property
    def node_id(self) -> str:
        return self.target_id or self.own_id


def _full_name_compatible(mention: PersonProfile, cand: PersonProfile) -> bool:
    if mention.surname != cand.surname or mention.given_name is None or cand.given_name is None:
        return False
    return given_names_compatible(mention.given_name, cand.given_name)


def _unique(items: Iterable[PersonProfile]) -> PersonProfile | None:
    found = {c.id: c for c in items}
    return next(iter(found.values())) if len(found) == 1 else None


def _bare_own_id(mention: PersonProfile, candidates: Sequence[PersonProfile]) -> tuple[str, str]:
    """A bare node's id; qualified by office when a same-id node already holds a different office."""
    same = next((c for c in candidates if c.id == mention.id), None)
    if same is None or not mention.offices or not same.offices or mention.shares_office(same):
        return mention.id, "new"
    office = mention.offices[0].id.split(":", 1)[-1]
    return f"{mention.id}--{office}", "new, office-qualified"


def match_person(mention: PersonProfile, candidates: Sequence[PersonProfile]) -> Match:
    """Which existing person `mention` is, if any. `candidates` are graph nodes sharing its surname or
    an alias; the mention's own id may be among them (that is a plain id match)."""
    cands = [c for c in candidates if not mention.gender_conflict(c)]
    surfaces = mention.full_surfaces()

    if not mention.is_bare:
        # A shared full-name surface first: "Rochelle Bilal" is an alias of exactly one node.
        if hit := _unique(c for c in cands if surfaces & c.full_surfaces()):
            return Match(hit.id, "full name", mention.id)
        pool = [c for c in cands if not c.is_bare and _full_name_compatible(mention, c)]
        if hit := _unique(pool):
            return Match(hit.id, "surname + given name", mention.id)
        if hit := _unique(c for c in pool if c.shares_office(mention)):
            return Match(hit.id, "surname + given name + office", mention.id)
        return Match(None, "new" if not pool else "ambiguous", mention.id)

    full = [c for c in cands if not c.is_bare and c.surname == mention.surname]
    if mention.offices:
        if hit := _unique(c for c in full if c.shares_office(mention)):
            return Match(hit.id, "surname + office", mention.id)
        if any(c.shares_office(mention) for c in full):
            own, reason = _bare_own_id(mention, cands)
            return Match(None, "ambiguous: several holders of the office", own)
        if len(full) == 1 and not full[0].offices:
            return Match(full[0].id, "only person with this surname", mention.id)
        bare = [c for c in cands if c.is_bare and c.surname == mention.surname and c.shares_office(mention)]
        if hit := _unique(bare):
            return Match(hit.id, "bare surname + office", mention.id)
        own, reason = _bare_own_id(mention, cands)
        return Match(None, reason, own)
    if len(full) == 1:
        return Match(full[0].id, "only person with this surname", mention.id)
    return Match(None, "ambiguous surname" if full else "new", mention.id)


def absorbs(person: PersonProfile, bare: PersonProfile, rivals: Sequence[PersonProfile]) -> bool:
    """Whether a bare-surname node met earlier is the full-name `person` that has just arrived.

    `rivals` are the other full-name nodes with the same surname. The rule is `match_person` run from
    the bare node's side, so a bare node ends where it would have gone had it arrived second."""
    if not bare.is_bare or bare.id == person.id or bare.surname != person.surname:
        return False
    return match_person(bare, [person, *rivals]).target_id == person.id


def merge_aliases(*groups: Iterable[str]) -> list[str]:
    """Every distinct surface, first spelling kept, in first-seen order."""
    seen: dict[str, str] = {}
    for group in groups:
        for alias in group:
            if alias and (key := fold(alias)) not in seen:
                seen[key] = alias.strip()
    return list(seen.values())
