"""`Person.lookup_profile`: what resolution reads of a person, in one list property.

The person look-up (`graph.resolver.LOOKUP_PEOPLE`) then reads one property per candidate instead of five
(`id`, `name`, `gender`, `aliases`, `office_ids`), and the candidates are what grows with the graph
(docs/graph-model.md, "Person look-up"). The list is [id, name, gender or '', the number of aliases,
aliases..., office ids...]. It is derived: every statement that changes one of those properties of a
person sets it again from them (`profile_of`: the writer's entity write, a merge, the office-holdings
bookkeeping), and the data migration gives it to people written before it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def profile_of(var: str) -> str:
    """Cypher for `var`'s `lookup_profile` from its own properties (`var` is a variable name of ours)."""
    if not var.isidentifier():
        raise ValueError(f"not a Cypher variable: {var!r}")
    return (
        f"[{var}.id, coalesce({var}.name, ''), coalesce({var}.gender, ''), "
        f"toString(size(coalesce({var}.aliases, [])))] + coalesce({var}.aliases, []) + "
        f"coalesce({var}.office_ids, [])"
    )


def parse_profile(profile: Sequence[Any]) -> tuple[str, str, tuple[str, ...], str | None, tuple[str, ...]]:
    """`lookup_profile` back into (id, name, aliases, gender, office ids)."""
    if len(profile) < 4:
        raise ValueError(f"a lookup_profile has at least 4 items, not {len(profile)}: {profile!r}")
    count = int(profile[3])
    aliases = tuple(str(a) for a in profile[4 : 4 + count])
    offices = tuple(str(o) for o in profile[4 + count :])
    return str(profile[0]), str(profile[1]), aliases, str(profile[2]) or None, offices
