"""`POST /cypher`: read-only Cypher for analysts, behind the API token.

Writes are refused twice: an `EXPLAIN` must report a read-only query (`query_type == "r"`), and the
query then runs in a read transaction anyway. Reads that reach outside the graph (`REFUSED_OPERATORS`
in that plan) are refused too. The server enforces a timeout; rows are capped; errors
come back as a message.
"""

from __future__ import annotations

import base64
import math
from datetime import date, datetime, time, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from neo4j import READ_ACCESS, AsyncManagedTransaction, unit_of_work
from neo4j.exceptions import ClientError, Neo4jError
from neo4j.graph import Node, Path, Relationship
from neo4j.spatial import Point
from neo4j.time import Date, DateTime, Duration, Time
from pydantic import BaseModel, ConfigDict, Field

from app.config import Settings
from app.security import require_token

MAX_QUERY_CHARS = 20_000

router = APIRouter()


class CypherRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: str = Field(min_length=1, max_length=MAX_QUERY_CHARS)
    params: dict[str, Any] = Field(default_factory=dict)


class CypherRefused(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def to_json(value: Any) -> Any:
    """Nodes, relationships, paths, temporal and spatial values as plain JSON."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Node):
        return {
            "id": value.get("id", value.element_id),
            "elementId": value.element_id,
            "labels": sorted(value.labels),
            "properties": {k: to_json(v) for k, v in value.items()},
        }
    if isinstance(value, Relationship):
        start, end = value.start_node, value.end_node
        return {
            "id": value.element_id,
            "type": value.type,
            "start": start.get("id", start.element_id) if start is not None else None,
            "end": end.get("id", end.element_id) if end is not None else None,
            "properties": {k: to_json(v) for k, v in value.items()},
        }
    if isinstance(value, Path):
        return {
            "nodes": [to_json(n) for n in value.nodes],
            "relationships": [to_json(r) for r in value.relationships],
        }
    if isinstance(value, DateTime | Date | Time):
        return value.iso_format()
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Duration | timedelta):
        return str(value)
    if isinstance(value, Point):
        return {"srid": value.srid, "coordinates": list(value)}
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    return str(value)


# Read-only to Neo4j, yet not for this endpoint: reaching outside the database (files, URLs), or into
# the server itself (killing other clients' transactions, including the API's own writes; reading their
# queries and parameters; the server's configuration). EXPLAIN reports these as query type "r".
REFUSED_OPERATORS = ("LoadCSV", "TerminateTransactions", "ShowTransactions", "ShowSettings")


def _operators(plan: Any) -> set[str]:
    if not plan:
        return set()
    found = {str(plan.get("operatorType", "")).split("@", 1)[0]}
    for child in plan.get("children", []) or []:
        found |= _operators(child)
    return found


async def _explain(tx: AsyncManagedTransaction, text: str, params: dict[str, Any]) -> tuple[str, set[str]]:
    result = await tx.run("EXPLAIN " + text, params)
    summary = await result.consume()
    return summary.query_type or "", _operators(summary.plan)


async def _run(
    tx: AsyncManagedTransaction, text: str, params: dict[str, Any], max_rows: int
) -> tuple[list[str], list[list[Any]], bool]:
    result = await tx.run(text, params)
    columns = list(result.keys())
    rows: list[list[Any]] = []
    truncated = False
    async for record in result:
        if len(rows) >= max_rows:
            truncated = True
            break
        rows.append([to_json(v) for v in record.values()])
    return columns, rows, truncated


async def run_read_only(driver: Any, settings: Settings, text: str, params: dict[str, Any]) -> dict[str, Any]:
    async with driver.session(database=settings.neo4j_database, default_access_mode=READ_ACCESS) as session:
        query_type, operators = await session.execute_read(_explain, text, params)
        refused = operators.intersection(REFUSED_OPERATORS)
        if refused:
            raise CypherRefused(f"{', '.join(sorted(refused))} is not allowed here", status=403)
        if query_type != "r":
            raise CypherRefused(
                f"only read queries are allowed here; this one is of type {query_type!r} "
                "(r = read, rw = read/write, w = write, s = schema)",
                status=403,
            )
        # The server-side transaction timeout (what `neo4j.Query(text, timeout=)` sets for auto-commit
        # queries), here on the managed read transaction.
        run = unit_of_work(timeout=settings.cypher_timeout_s)(_run)
        columns, rows, truncated = await session.execute_read(run, text, params, settings.cypher_max_rows)
    return {"columns": columns, "rows": rows, "truncated": truncated}


def _message(exc: Neo4jError, settings: Settings) -> tuple[str, int]:
    code = exc.code or ""
    if "TransactionTimedOut" in code or "Terminated" in code:
        return f"the query ran past the {settings.cypher_timeout_s:g} s limit (KG_CYPHER_TIMEOUT)", 408
    if "Forbidden" in code or "AccessMode" in code or "WriteOnReadOnlyAccess" in code:
        return f"only read queries are allowed here: {exc.message}", 403
    message = (exc.message or str(exc)).strip()
    return f"{code.rsplit('.', 1)[-1] or 'Neo4jError'}: {message}", 400


@router.post("/cypher", dependencies=[Depends(require_token)])
async def cypher(body: CypherRequest, request: Request) -> JSONResponse:
    settings: Settings = request.app.state.settings
    try:
        result = await run_read_only(request.app.state.driver, settings, body.query, body.params)
    except CypherRefused as exc:
        return JSONResponse({"error": str(exc)}, status_code=exc.status)
    except ClientError as exc:
        message, status = _message(exc, settings)
        return JSONResponse({"error": message}, status_code=status)
    except Neo4jError as exc:
        message, status = _message(exc, settings)
        return JSONResponse({"error": message}, status_code=status if status != 400 else 502)
    except Exception as exc:  # noqa: BLE001 - never a stack trace to the client
        return JSONResponse({"error": f"the query could not run ({type(exc).__name__})"}, status_code=503)
    return JSONResponse(result)
