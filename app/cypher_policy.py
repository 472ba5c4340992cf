"""What `POST /cypher` lets an analyst run: an allow-list, never a deny-list.

Two independent checks, both must pass:

1. The text, read by a small Cypher tokenizer (strings, comments, backticks and parameters understood):
   no `CYPHER`/`EXPLAIN`/`PROFILE` prefix, no `USE`, every function called is a named built-in, every
   procedure called is on `ALLOWED_PROCEDURES`, and `range()`/`reduce()`, which build lists Neo4j's
   transaction memory limit does not see, are bounded (see `check_amplifiers`).
2. The plan Neo4j gives for `EXPLAIN`: read-only (`query_type == "r"`), and every operator in it is a
   reading operator on `READ_OPERATORS`, every `ProcedureCall` one of `ALLOWED_PROCEDURES`.

A refusal names what was refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


class CypherRefused(Exception):
    def __init__(self, message: str, status: int = 403) -> None:
        super().__init__(message)
        self.status = status


# Procedures that read the schema or the full-text index; nothing about other clients or the server.
ALLOWED_PROCEDURES = frozenset(
    {
        "db.labels",
        "db.relationshiptypes",
        "db.propertykeys",
        "db.schema.visualization",
        "db.schema.nodetypeproperties",
        "db.schema.reltypeproperties",
        "db.index.fulltext.querynodes",
    }
)

# Neo4j 5's built-in functions: aggregation, list, predicate, scalar, math, string, temporal, spatial and
# vector. Lower case: Cypher function names are case-insensitive.
ALLOWED_FUNCTIONS = frozenset(
    """
    avg collect count max min percentilecont percentiledisc stdev stdevp sum
    keys labels nodes range reduce relationships reverse tail head last size isempty
    tobooleanlist tofloatlist tointegerlist tostringlist
    all any none single exists coalesce
    char_length character_length elementid endnode startnode id length nullif properties randomuuid
    timestamp toboolean tobooleanornull tofloat tofloatornull tointeger tointegerornull type valuetype
    abs ceil floor isnan rand round sign e exp log log10 sqrt acos asin atan atan2 cos cot degrees
    haversin pi radians sin tan
    btrim left lower ltrim normalize replace right rtrim split substring tolower tostring
    tostringornull toupper trim upper
    date datetime localdatetime localtime time duration
    date.truncate date.statement date.transaction date.realtime
    datetime.truncate datetime.statement datetime.transaction datetime.realtime datetime.fromepoch
    datetime.fromepochmillis
    localdatetime.truncate localdatetime.statement localdatetime.transaction localdatetime.realtime
    localtime.truncate localtime.statement localtime.transaction localtime.realtime
    time.truncate time.statement time.transaction time.realtime
    duration.between duration.inmonths duration.indays duration.inseconds
    point point.distance point.withinbbox distance
    vector.similarity.euclidean vector.similarity.cosine
    shortestpath allshortestpaths
    """.split()
)

# Words followed by `(` that are syntax, not function calls.
_SYNTAX_WORDS = frozenset(
    """
    match optional where return with unwind as and or xor not in is null distinct order by skip limit
    union all case when then else end contains starts ends call yield exists count collect create merge
    set delete detach remove foreach on asc desc ascending descending for if index constraint require
    unique key options drop show alter load csv from headers fieldterminator terminate transactions of
    shortest groups path paths walk trail acyclic
    """.split()
) - {"exists", "count", "collect", "all"}

# Reading operators of Neo4j 5 plans (physical names; `Expand(All)` is checked as `Expand`).
READ_OPERATORS = frozenset(
    """
    ProduceResults Argument ArgumentTracker AllNodesScan NodeByLabelScan NodeByIdSeek NodeByElementIdSeek
    UnionNodeByLabelsScan IntersectionNodeByLabelsScan SubtractionNodeByLabelsScan
    NodeIndexSeek NodeUniqueIndexSeek NodeIndexSeekByRange NodeUniqueIndexSeekByRange NodeIndexScan
    NodeIndexContainsScan NodeIndexEndsWithScan MultiNodeIndexSeek AssertingMultiNodeIndexSeek
    NodeCountFromCountStore RelationshipCountFromCountStore
    DirectedRelationshipIndexSeek UndirectedRelationshipIndexSeek DirectedRelationshipUniqueIndexSeek
    UndirectedRelationshipUniqueIndexSeek DirectedRelationshipIndexSeekByRange
    UndirectedRelationshipIndexSeekByRange DirectedRelationshipIndexScan UndirectedRelationshipIndexScan
    DirectedRelationshipIndexContainsScan UndirectedRelationshipIndexContainsScan
    DirectedRelationshipIndexEndsWithScan UndirectedRelationshipIndexEndsWithScan
    DirectedRelationshipTypeScan UndirectedRelationshipTypeScan DirectedAllRelationshipsScan
    UndirectedAllRelationshipsScan DirectedUnionRelationshipTypesScan UndirectedUnionRelationshipTypesScan
    DirectedRelationshipByIdSeek UndirectedRelationshipByIdSeek DirectedRelationshipByElementIdSeek
    UndirectedRelationshipByElementIdSeek
    Expand OptionalExpand VarLengthExpand PruningVarExpand BFSPruningVarExpand ShortestPath
    StatefulShortestPath ProjectEndpoints Filter Projection CacheProperties Aggregation EagerAggregation
    OrderedAggregation Distinct OrderedDistinct Sort PartialSort Top PartialTop Limit ExhaustiveLimit Skip
    Eager Apply SemiApply AntiSemiApply LetSemiApply LetAntiSemiApply SelectOrSemiApply
    SelectOrAntiSemiApply LetSelectOrSemiApply LetSelectOrAntiSemiApply ConditionalApply
    AntiConditionalApply RollUpApply Optional CartesianProduct NodeHashJoin NodeLeftOuterHashJoin
    NodeRightOuterHashJoin ValueHashJoin Union OrderedUnion Unwind EmptyRow EmptyResult ProcedureCall
    TriadicSelection TriadicBuild TriadicFilter AssertSameNode AssertSameRelationship Repeat NullifyMetadata
    """.split()
)

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>//[^\n]*|/\*.*?(?:\*/|\Z))
  | (?P<string>'(?:[^'\\]|\\.)*'?|"(?:[^"\\]|\\.)*"?)
  | (?P<quoted>`(?:[^`]|``)*`?)
  | (?P<param>\$(?:\w+|`(?:[^`]|``)*`))
  | (?P<number>0x[0-9a-fA-F_]+|0o[0-7_]+
      |\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?
      |\.\d[\d_]*(?:[eE][+-]?\d+)?)
  | (?P<word>[A-Za-z_][\w]*)
  | (?P<punct>.)
    """,
    re.X | re.S,
)


@dataclass(frozen=True)
class Token:
    kind: str  # word, quoted, string, number, param, punct
    text: str

    @property
    def name(self) -> str:
        """An identifier as written, backticks removed."""
        if self.kind == "quoted":
            return self.text[1:-1].replace("``", "`")
        return self.text if self.kind == "word" else ""

    @property
    def word(self) -> str:
        """An identifier's name in lower case: keywords and function names ignore case."""
        return self.name.lower()


def tokenize(text: str) -> list[Token]:
    tokens = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "punct"
        if kind in ("space", "comment"):
            continue
        tokens.append(Token(kind, m.group()))
    return tokens


def _dotted_name(tokens: list[Token], i: int) -> tuple[str, int]:
    """The name `a.b.c` starting at tokens[i] as written (backticks removed), and the index after it."""
    parts = [tokens[i].name]
    j = i + 1
    while j + 1 < len(tokens) and tokens[j].text == "." and tokens[j + 1].kind in ("word", "quoted"):
        parts.append(tokens[j + 1].name)
        j += 2
    return ".".join(parts), j


def _unwound(tokens: list[Token], open_index: int) -> bool:
    """`UNWIND range(...) AS x`: the range streams its rows one by one and is never built as a list."""
    close = _closing(tokens, open_index)
    return (
        open_index >= 2
        and tokens[open_index - 2].word == "unwind"
        and close + 1 < len(tokens)
        and tokens[close + 1].word == "as"
    )


def _calls(tokens: list[Token]) -> Iterator[tuple[str, int, bool]]:
    """(name, index of its `(`, whether it follows CALL) for every `name(...)` in the query."""
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        prev = tokens[i - 1] if i else None
        # A property (`n.x`), a label or type (`:X`), or a map key is not the start of a call.
        if tok.kind in ("word", "quoted") and not (prev and prev.text in (".", ":")):
            name, j = _dotted_name(tokens, i)
            after_call = bool(prev and prev.word == "call")
            if j < len(tokens) and tokens[j].text == "(":
                if "." in name or name.lower() not in _SYNTAX_WORDS:
                    yield name, j, after_call
            elif after_call and name.lower() not in _SYNTAX_WORDS:
                # `CALL db.labels` without parentheses (standalone call).
                yield name, j, True
            i = j
            continue
        i += 1


def _closing(tokens: list[Token], open_index: int) -> int:
    depth = 0
    for k in range(open_index, len(tokens)):
        if tokens[k].text in "([{":
            depth += 1
        elif tokens[k].text in ")]}":
            depth -= 1
            if depth == 0:
                return k
    return len(tokens)


def _int_literal(tokens: list[Token]) -> int | None:
    """The value of `5`, `-5` or `+5`; None for anything else (a parameter, an expression)."""
    sign = 1
    if len(tokens) == 2 and tokens[0].text in "+-":
        sign = -1 if tokens[0].text == "-" else 1
        tokens = tokens[1:]
    if len(tokens) != 1 or tokens[0].kind != "number":
        return None
    text = tokens[0].text.replace("_", "").lower()
    try:
        if text.startswith("0x"):
            return sign * int(text, 16)
        if text.startswith("0o"):
            return sign * int(text[2:], 8)
        return sign * int(text)
    except ValueError:
        return None


def _split_args(tokens: list[Token], open_index: int, close_index: int) -> list[list[Token]]:
    args: list[list[Token]] = [[]]
    depth = 0
    for tok in tokens[open_index + 1 : close_index]:
        if tok.text in "([{":
            depth += 1
        elif tok.text in ")]}":
            depth -= 1
        if tok.text == "," and depth == 0:
            args.append([])
        else:
            args[-1].append(tok)
    return args


def range_size(args: list[list[Token]]) -> int | None:
    """How many elements `range(args)` makes, or None when that is not known from the text."""
    values = [_int_literal(a) for a in args]
    if len(values) not in (2, 3) or any(v is None for v in values):
        return None
    start, end = values[0], values[1]
    step = values[2] if len(values) == 3 else 1
    assert start is not None and end is not None and step is not None
    if step == 0:
        return 0
    return max(0, (end - start) // step + 1)


def check_text(text: str, max_range: int) -> None:
    """Refuse what the text shows: a prefix, `USE`, a function or procedure off the allow-lists, and
    list builders Neo4j's memory limit does not see."""
    tokens = tokenize(text)
    if not tokens:
        raise CypherRefused("the query is empty", status=400)
    first = tokens[0].word
    if first in ("cypher", "explain", "profile"):
        raise CypherRefused(f"{first.upper()} options and prefixes are not allowed here")
    for k, tok in enumerate(tokens):
        before = tokens[k - 1].text if k else ""
        after = tokens[k + 1].text if k + 1 < len(tokens) else ""
        if tok.kind == "word" and tok.word == "use" and before not in (".", ":") and after != ":":
            raise CypherRefused("USE is not allowed here: /cypher reads the service's own database")
    ranges = 1
    for name, open_index, after_call in _calls(tokens):
        key = name.lower()
        if after_call:
            if key not in ALLOWED_PROCEDURES:
                raise CypherRefused(f"procedure {name} is not allowed here")
            continue
        if key not in ALLOWED_FUNCTIONS:
            raise CypherRefused(f"function {name}() is not allowed here")
        if key not in ("range", "reduce") or (key == "range" and _unwound(tokens, open_index)):
            continue
        close = _closing(tokens, open_index)
        args = _split_args(tokens, open_index, close)
        if key == "range":
            size = range_size(args)
            if size is None:
                raise CypherRefused(
                    "range() is allowed here with integer literal bounds only: the list it builds is "
                    "outside Neo4j's transaction memory limit"
                )
            ranges *= max(size, 1)
            if ranges > max_range:
                raise CypherRefused(
                    f"range() here would build {ranges:,} elements; the limit for one query is "
                    f"{max_range:,} (KG_CYPHER_MAX_RANGE)"
                )
        else:
            _check_reduce(tokens[open_index + 1 : close])


def _check_reduce(inside: list[Token]) -> None:
    """`reduce(acc = init, x IN list | expr)`: an expression using `acc` twice (`acc + acc`) doubles it
    on every element, outside Neo4j's memory limit."""
    if len(inside) < 2 or inside[1].text != "=":
        return
    acc = inside[0].word
    bar = next((k for k, t in enumerate(inside) if t.text == "|"), None)
    if bar is None:
        return
    uses = sum(1 for t in inside[bar + 1 :] if t.word == acc and t.kind in ("word", "quoted"))
    if uses > 1:
        raise CypherRefused(
            f"reduce() using its accumulator {inside[0].text} more than once is not allowed here: "
            "it can double its size on every element"
        )


def _operator_name(plan: dict[str, Any]) -> str:
    name = str(plan.get("operatorType", "")).split("@", 1)[0]
    return name.split("(", 1)[0]


def _plan_nodes(plan: Any) -> Iterator[dict[str, Any]]:
    if not plan:
        return
    yield plan
    for child in plan.get("children", []) or []:
        yield from _plan_nodes(child)


_PROCEDURE_DETAIL = re.compile(r"^\s*([\w.`]+)\s*\(")


def check_plan(query_type: str, plan: Any) -> None:
    """Refuse a plan that writes, or uses an operator or procedure off the allow-lists."""
    refused = None
    for node in _plan_nodes(plan):
        operator = _operator_name(node)
        if operator not in READ_OPERATORS:
            refused = refused or operator
        elif operator == "ProcedureCall":
            details = str((node.get("args") or {}).get("Details", ""))
            m = _PROCEDURE_DETAIL.match(details)
            name = m.group(1).replace("`", "") if m else details
            if name.lower() not in ALLOWED_PROCEDURES:
                raise CypherRefused(f"procedure {name} is not allowed here")
    if query_type != "r":
        raise CypherRefused(
            f"only read queries are allowed here; {refused or 'this one'} is of type {query_type!r} "
            "(r = read, rw = read/write, w = write, s = schema)"
        )
    if refused:
        raise CypherRefused(f"{refused} is not allowed here")
