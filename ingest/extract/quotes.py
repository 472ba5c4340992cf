"""Quotes and who said them: "'...,' Lyons stated", "'...,' he said", "said Krasner", "Krasner said: '...'".

Quote marks are ASCII after loading, so a single quote is also an apostrophe; an opening mark must
follow a space or start of line and precede a non-space, a closing one must follow a non-space and
precede a space or punctuation, and "agents' access" (a plural possessive) does not close a quote.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Token

from ingest.extract.lexicons import Lexicons, load_lexicons
from ingest.extract.mentions import ArticleGraph, Quote, QuoteSpan, get_graph

_DOUBLE = re.compile(r'"([^"\n]{2,800}?)"')
_SINGLE_OPEN = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–-]))'(?=[^\s'])", re.M)
_SINGLE_CLOSE = re.compile(r"(?<=[^\s])'(?=[\s.,;:!?)\]—–-]|$)", re.M)
TRIM = " \t\n,.;:"
SCARE_QUOTE_WORDS = 3  # a quoted stretch shorter than this is a word in quotes, not a quotation
STATEMENT_NOUNS = {"statement", "comment", "comments", "remarks"}  # "issued the following statement:"
MAX_HEADER_TOKENS = 16  # a line naming a speaker, title and party tag included
BEFORE_WINDOW = 8  # tokens before a quote searched for its speech verb, within the sentence


def find_quote_spans(doc: Doc) -> list[QuoteSpan]:
    """Quoted stretches of the article text (cached on the article graph)."""
    graph = get_graph(doc)
    if graph.quote_spans is not None:
        return graph.quote_spans
    text = doc.text
    spans = [QuoteSpan(m.start(1), m.end(1), m.group(1)) for m in _DOUBLE.finditer(text)]
    closes = [m.start() for m in _SINGLE_CLOSE.finditer(text)]
    pos = 0
    for m in _SINGLE_OPEN.finditer(text):
        if m.start() < pos:
            continue
        for c in closes:
            if c <= m.start():
                continue
            if c - m.start() > 1200:
                break
            possessive = text[c - 1] == "s" and text[c + 1 : c + 3].strip()[:1].islower()
            if possessive and "\n" not in text[m.start() : c]:
                continue
            spans.append(QuoteSpan(m.start() + 1, c, text[m.start() + 1 : c]))
            pos = c + 1
            break
    spans.sort(key=lambda s: s.start_char)
    graph.quote_spans = spans
    return spans


def in_quote(graph: ArticleGraph, tok: Token) -> bool:
    """Whether tok lies inside a quotation (computed once per article)."""
    if graph.quoted_tokens is None:
        quoted: set[int] = set()
        for span in find_quote_spans(tok.doc):
            if len(span.text.split()) < SCARE_QUOTE_WORDS:
                continue  # 'vows to "hunt" down ICE agents': scare quotes, the reporter's sentence goes on
            inside = tok.doc.char_span(span.start_char, span.end_char, alignment_mode="expand")
            if inside is not None:
                quoted.update(range(inside.start, inside.end))
        graph.quoted_tokens = quoted
    return tok.i in graph.quoted_tokens


class QuoteAttributor:
    def __init__(self, lexicons: Lexicons) -> None:
        self.speech_verbs = set(lexicons.people["speech_verbs"])

    def __call__(self, doc: Doc) -> Doc:
        graph = get_graph(doc)
        for span in find_quote_spans(doc):
            first = doc.char_span(span.start_char, span.end_char, alignment_mode="expand")
            if first is None or not len(first) or graph.skip(first.start):
                continue
            speakers = self._speaker(doc, graph, first.start, first.end)
            text = span.text.strip(TRIM + "'\"")
            if len(text.split()) < 3:
                continue
            graph.quotes.append(Quote(span, first.start, speakers))
        return doc

    def _speaker(self, doc: Doc, graph: ArticleGraph, start: int, end: int) -> tuple[str, ...]:
        # after the quote: "'...,' Lyons stated" / "'...,' said Krasner"
        last_sent = doc[end - 1].sent.start
        window = [
            t
            for t in doc[end : min(len(doc), end + 12)]
            if not t.is_punct and not t.is_space and t.sent.start == last_sent
        ]
        # '"...," Boston Teachers Union President Jessica Tang said': a long title may come first
        for tok in window[:9]:
            if tok.lemma_ in self.speech_verbs and tok.pos_ in ("VERB", "AUX"):
                return self._subject(graph, tok)
        # before the quote: "Krasner said: '...'" / "Krasner said, '...'" / "said in his statement, '...'"
        first = graph.sents[graph.sent_index[start]].start
        for tok in reversed(doc[max(0, first, start - BEFORE_WINDOW) : start]):
            if tok.lemma_ in self.speech_verbs and tok.pos_ == "VERB":
                return self._subject(graph, tok)
        return (
            self._previous_sentence(doc, graph, start)
            or self._statement_from(doc, graph, start)
            or self._header_line(doc, graph, start)
        )

    @staticmethod
    def _statement_from(doc: Doc, graph: ArticleGraph, start: int) -> tuple[str, ...]:
        """'Statement from Speaker Frank Chopp on the Governor's budget: "..."': the one the statement is
        from, in the sentence the quote opens in."""
        sent = graph.sents[graph.sent_index[start]]
        for tok in doc[sent.start : start]:
            if tok.lemma_.lower() != "statement" or tok.pos_ not in ("NOUN", "PROPN"):
                continue
            for p in tok.children:
                if p.dep_ == "prep" and p.lower_ == "from":
                    for t in p.subtree:
                        people = tuple(k for k in graph.keys_at(t.i) if graph.type_of(k) == "Person")
                        if people:
                            return people
        return ()

    @staticmethod
    def _header_line(doc: Doc, graph: ArticleGraph, start: int) -> tuple[str, ...]:
        """A reaction round-up: a line that only names someone ('Senate Minority Leader Chris Larson,
        D-Milwaukee'), then a paragraph that is their quote with no attribution of its own."""
        text = graph.text
        mark = doc[start].idx - 1
        line_start = text.rfind("\n", 0, max(mark, 0)) + 1
        if mark < 0 or text[line_start:mark].strip():
            return ()  # the quote does not open its paragraph
        end = line_start - 1
        while end > 0 and not text[:end].rstrip("\n "):
            end -= 1
        before = text[:end].rstrip()
        if not before:
            return ()
        header = doc.char_span(before.rfind("\n") + 1, len(before), alignment_mode="expand")
        if header is None or not 2 <= len(header) <= MAX_HEADER_TOKENS:
            return ()
        if any(t.pos_ in ("VERB", "AUX") or t.text in ('"', "“", "”") for t in header):
            return ()
        people = {k for t in header for k in graph.keys_at(t.i) if graph.type_of(k) == "Person"}
        return tuple(people) if len(people) == 1 else ()

    def _previous_sentence(self, doc: Doc, graph: ArticleGraph, start: int) -> tuple[str, ...]:
        """'... Boudin said in a statement. "District attorneys will ..."': a quote opening a sentence
        right after a sentence whose main verb is a speech verb with a named speaker is that speaker's."""
        sent = graph.sent_index[start]
        if sent == 0 or graph.sents[sent].start < start - 1:
            return ()
        previous = graph.sents[sent - 1]
        root = previous.root
        if root.pos_ not in ("VERB", "AUX"):
            return ()
        if root.lemma_ in self.speech_verbs:
            return self._subject(graph, root)
        # "The Democratic Governors Association released the following statement after ...:"
        if previous.text.rstrip().endswith(":") and any(
            c.dep_ == "dobj" and c.lemma_.lower() in STATEMENT_NOUNS for c in root.children
        ):
            return self._subject(graph, root, ("Person", "Organization"))
        return ()

    @staticmethod
    def _subject(graph: ArticleGraph, verb: Token, types: tuple[str, ...] = ("Person",)) -> tuple[str, ...]:
        """The named person who speaks: the verb's subject, or the person inside a long subject ('said
        Chair of Economic Development, Budget & Finance, Councilor Marcus Lundy')."""
        for child in verb.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                if child.lower_ in ("who", "that") and verb.dep_ == "relcl":
                    child = verb.head  # "board member Marvin Lowe, who said, '...'"
                keys = tuple(k for k in graph.keys_at(child.i) if graph.type_of(k) in types)
                if keys:
                    return keys
                for t in child.subtree:
                    inner = tuple(k for k in graph.keys_at(t.i) if graph.type_of(k) in types)
                    if inner:
                        return inner
                return ()
        return ()


@Language.factory("kg_quotes", default_config={"lexicon_dir": None})
def make_quotes(nlp: Language, name: str, lexicon_dir: str | None) -> QuoteAttributor:
    return QuoteAttributor(load_lexicons(lexicon_dir))


def sentence_quote(graph: ArticleGraph, sent_start: int, speaker: str) -> str | None:
    """The quoted words of a sentence that an assertion by `speaker` can carry when no attributed quote
    of theirs does: 'called ICE agents "wannabe Nazis"', 'vows to "hunt" down ICE agents'. The longest
    quoted stretch of the sentence that nobody else is quoted as saying."""
    sent = graph.sents[graph.sent_index[sent_start]]
    others = {
        (q.span.start_char, q.span.end_char) for q in graph.quotes if q.speakers and speaker not in q.speakers
    }
    inside = [
        span
        for span in find_quote_spans(graph.doc)
        if sent.start_char <= span.start_char
        and span.end_char <= sent.end_char
        and (span.start_char, span.end_char) not in others
    ]
    names = {n.lower() for rec in graph.entities.values() for n in (rec.name, *rec.aliases)}
    inside = [sp for sp in inside if sp.text.strip(TRIM + "'\"").strip().lower() not in names]
    if not inside:  # a quoted name ('"ICE OUT"') is a name, not what anybody said
        return None
    text = max(inside, key=lambda sp: len(sp.text)).text.strip(TRIM + "'\"").strip()
    return text or None
