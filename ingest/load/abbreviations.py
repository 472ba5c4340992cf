"""Abbreviations that end in a full stop without ending a sentence.

Shared by the line mender ("on Dr.\\nPhil." is one sentence) and headline detection ("Homan Makes
Plea on Dr. Phil" is one headline, not two sentences). Kept as code, not a data file, because the
loader must work before any lexicon is configured; the extractor's lexicons live in
`ingest/extract/lexicons/`.
"""

from __future__ import annotations

# Titles and words that come before a name or a number and never end a sentence.
TITLE_ABBREVIATIONS = frozenset(
    "Mr Mrs Ms Mx Dr Prof Sen Sens Rep Reps Gov Lt Gen Col Capt Cmdr Adm Maj Sgt Cpl Pvt Rev Hon Pres"
    " Supt Det Insp Atty Amb Sec Rt Fr St Mt Ft Messrs vs v".split()
)

# Abbreviations that may also end a sentence ("... founded by John Smith Jr."): what follows decides.
AMBIGUOUS_ABBREVIATIONS = frozenset(
    "Jr Sr Inc Corp Co Ltd Bros etc al approx est dept No Nos"
    " Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Ave Blvd Rd Hwy"
    " Mass Calif Fla Ill Penn Pa Wash Tex Ariz Colo Conn Del Ga Ky La Md Mich Minn Miss"
    " Mo Mont Neb Nev Okla Ore Tenn Va Vt Wis Wyo".split()
)

ABBREVIATIONS = TITLE_ABBREVIATIONS | AMBIGUOUS_ABBREVIATIONS
