"""`POST /cypher`: read-only Cypher for analysts, behind the API token.

What may run is an allow-list (`app.cypher_policy`): the text's functions and procedures, then the
operators and procedures of Neo4j's `EXPLAIN` plan, which must be read-only; the query then runs in a
read transaction anyway. Neo4j times the transaction out; the API cancels on its side half a second
later and terminates the server transaction. Rows and answer bytes are capped; errors come back as a
message.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import math
import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from neo4j import READ_ACCESS, AsyncResult
from neo4j.exceptions import ClientError, Neo4jError
from neo4j.graph import Node, Path, Relationship
from neo4j.spatial import Point
from neo4j.time import Date, DateTime, Duration, Time
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.config import RETRY_AFTER_S, Settings
from app.cypher_policy import CypherRefused, check_plan, check_text
from app.security import refusal, token_matches

MAX_QUERY_CHARS = 20_000

router = APIRouter()


class CypherRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: str = Field(min_length=1, max_length=MAX_QUERY_CHARS)
    params: dict[str, Any] = Field(default_factory=dict)


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


# After the server-side transaction timeout, how long the API waits before it cancels on its side.
CLIENT_GRACE_S = 0.5
_background: set[asyncio.Task[None]] = set()


class AnswerTooLarge(CypherRefused):
    def __init__(self, limit: int) -> None:
        super().__init__(
            f"the answer is larger than {limit:,} bytes (KG_CYPHER_MAX_BYTES); return fewer or smaller "
            "values, or page with SKIP/LIMIT",
            status=422,
        )


class QueryTimedOut(Exception):
    pass


async def _collect(result: AsyncResult, max_rows: int, max_bytes: int) -> tuple[list[list[Any]], bool]:
    rows: list[list[Any]] = []
    size = 0
    async for record in result:
        if len(rows) >= max_rows:
            return rows, True
        row = [to_json(v) for v in record.values()]
        size += len(json.dumps(row, ensure_ascii=False).encode()) + 1
        if size > max_bytes:
            raise AnswerTooLarge(max_bytes)
        rows.append(row)
    return rows, False


async def _terminate(driver: Any, database: str, tag: str) -> None:
    """Stop the transaction tagged `tag` on the server: the client side gave up on it."""
    with contextlib.suppress(Exception):
        async with asyncio.timeout(5):
            records, _, _ = await driver.execute_query(
                "SHOW TRANSACTIONS YIELD transactionId, metaData "
                "WHERE metaData.kg_cypher = $tag RETURN collect(transactionId) AS ids",
                tag=tag,
                database_=database,
            )
            ids = records[0]["ids"] if records else []
            if ids:
                await driver.execute_query("TERMINATE TRANSACTIONS $ids", ids=ids, database_=database)


async def run_read_only(driver: Any, settings: Settings, text: str, params: dict[str, Any]) -> dict[str, Any]:
    """EXPLAIN, check, then run, in one read transaction that the server times out and the API cancels."""
    check_text(text, settings.cypher_max_range)
    tag = uuid.uuid4().hex
    limit = settings.cypher_timeout_s
    try:
        async with (
            asyncio.timeout(limit + CLIENT_GRACE_S),
            driver.session(database=settings.neo4j_database, default_access_mode=READ_ACCESS) as session,
        ):
            tx = await session.begin_transaction(timeout=limit, metadata={"kg_cypher": tag})
            try:
                explained = await tx.run("EXPLAIN " + text, params)
                summary = await explained.consume()
                check_plan(summary.query_type or "", summary.plan)
                result = await tx.run(text, params)
                columns = list(result.keys())
                rows, truncated = await _collect(result, settings.cypher_max_rows, settings.cypher_max_bytes)
            finally:
                with contextlib.suppress(Exception):
                    await tx.close()
    except TimeoutError as exc:
        task = asyncio.create_task(_terminate(driver, settings.neo4j_database, tag))
        _background.add(task)
        task.add_done_callback(_background.discard)
        raise QueryTimedOut from exc
    return {"columns": columns, "rows": rows, "truncated": truncated}


def _timeout_message(settings: Settings) -> str:
    return f"the query ran past the {settings.cypher_timeout_s:g} s limit (KG_CYPHER_TIMEOUT)"


def _message(exc: Neo4jError, settings: Settings) -> tuple[str, int]:
    code = exc.code or ""
    if "TransactionTimedOut" in code or "Terminated" in code:
        return _timeout_message(settings), 408
    if "MemoryPoolOutOfMemoryError" in code:
        return (
            "the query needs more memory than one transaction may use (db.memory.transaction.max); "
            "aggregate, filter or page it",
            422,
        )
    if "Forbidden" in code or "AccessMode" in code or "WriteOnReadOnlyAccess" in code:
        return f"only read queries are allowed here: {exc.message}", 403
    message = (exc.message or str(exc)).strip()
    return f"{code.rsplit('.', 1)[-1] or 'Neo4jError'}: {message}", 400


def _invalid(exc: ValidationError) -> str:
    """'query: String should have at most 20000 characters; x: Extra inputs are not permitted'"""
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"]) or "body"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)


async def _parse(request: Request) -> CypherRequest | JSONResponse:
    """The token, then the body; every refusal as `{"error": ...}` like the rest of /cypher's errors."""
    settings: Settings = request.app.state.settings
    if not token_matches(request.headers.get("authorization"), settings.api_token):
        return JSONResponse(
            {"error": refusal(settings)}, status_code=401, headers={"www-authenticate": "Bearer"}
        )
    try:
        data = json.loads(await request.body())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return JSONResponse(
            {"error": f'the body is not JSON ({exc}); send {{"query": "...", "params": {{...}}}}'},
            status_code=400,
        )
    try:
        return CypherRequest.model_validate(data)
    except ValidationError as exc:
        return JSONResponse({"error": _invalid(exc)}, status_code=422)


@router.post(
    "/cypher",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": CypherRequest.model_json_schema()}},
        }
    },
)
async def cypher(request: Request) -> JSONResponse:
    settings: Settings = request.app.state.settings
    body = await _parse(request)
    if isinstance(body, JSONResponse):
        return body
    try:
        result = await run_read_only(request.app.state.driver, settings, body.query, body.params)
    except CypherRefused as exc:
        return JSONResponse({"error": str(exc)}, status_code=exc.status)
    except QueryTimedOut:
        return JSONResponse({"error": _timeout_message(settings)}, status_code=408)
    except ClientError as exc:
        message, status = _message(exc, settings)
        return JSONResponse({"error": message}, status_code=status)
    except Neo4jError as exc:
        message, status = _message(exc, settings)
        return JSONResponse({"error": message}, status_code=status if status != 400 else 502)
    except Exception as exc:  # noqa: BLE001 - never a stack trace to the client
        return JSONResponse(
            {"error": f"the query could not run ({type(exc).__name__})"},
            status_code=503,
            headers={"retry-after": str(RETRY_AFTER_S)},
        )
    return JSONResponse(result)
