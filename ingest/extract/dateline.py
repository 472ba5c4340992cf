"""The wire dateline that opens a story ("COLUMBUS, Ohio -", "LONDON -"): where the story is."""

from __future__ import annotations

import re

# "COLUMBUS, Ohio -", "MADISON, Wis. -", "LONDON -": a wire dateline opening one of the first lines
MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
DATELINE = re.compile(
    r"^(?:date \d{4}-\d{2}-\d{2} )?"  # a page's own date label before it: "date 2024-09-03 BUFFALO, N.Y"
    r"([A-Z][A-Z.'\- ]*[A-Z.])"  # the city, in capitals
    rf"(?:, (?!{MONTH} \d)([A-Z][\w.]*(?: [A-Z][\w.]*)?))?"  # its state or country
    rf"(?:,? {MONTH} \d{{1,2}})?"  # Reuters: "BERLIN, Nov 19 (Reuters) -"
    r"(?: \([\w .&'-]{1,30}\))?"  # the wire or station: "(AP)", "(Reuters)", "(KXRT)"
    r"(?: [-\u2013\u2014]{1,2} ?|[-\u2013\u2014]{1,2} )",  # "(KLFY) \u2013Residents": a space on one side
    re.M,
)
DATELINE_LINES = 3


def find_dateline(text: str) -> tuple[str, str | None] | None:
    """(city in title case, state or country as written) of a dateline in the first lines, or None."""
    head = "\n".join(text.lstrip().splitlines()[: DATELINE_LINES + 1])
    m = DATELINE.search(head)
    if m is None or len(m.group(1)) < 3:
        return None
    return " ".join(w.capitalize() for w in m.group(1).split()), m.group(2)
