"""A short way through the server for a GraphQL query it has already answered.

A `POST /graphql` goes through FastAPI's router, Strawberry's HTTP view (request adapter, content
negotiation, body parsing, context getter, sub-response) and Strawberry's `Schema.execute` with its
extensions (token limit, parser cache, limits check, validation cache, error masking, outage hook) before
graphql-core runs a resolver. For `{ __typename }` that was 0.5-0.6 ms of a 0.6-0.7 ms request on this
machine (docs/performance.md), the same for every request whatever it asks.

`KnownQueryLane` is ASGI middleware, inside the body and admission guards and CORS, that answers a
plain JSON POST whose (query text, operation name) the full path has already answered with data and
no error, and whose operation is a query. It keeps the document it parsed then, checks the limits for
this request's variables (the same `check_document`, cached per variables as the full path does),
executes the document with the same schema, execution context class and context, and sends the answer
the full path would: the same bytes (`encode_answer`), status 200, the same content type for the client's
Accept. Nothing else is different, because nothing else runs: validation, the token limit and parsing
depend on the text alone, which passed.

Everything else goes the full way, unchanged: another method, path, content type or Accept, a query
string, a body that is not a plain object with a string `query`, a batch, a document not yet answered,
a mutation, a limits check that fails for these variables. So does any answer with an error, but not
its execution: the lane hands its result to the full path with the request (`HELD_RESULT` in the ASGI
scope), whose `LaneExecuted` extension gives it to Strawberry in place of executing the document again;
the full path then logs, masks, formats and maps the errors (a database outage to 503 + Retry-After) as
it does for its own results. An error costs one execution, as on the full path alone.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from dataclasses import dataclass
from inspect import isawaitable
from typing import Any

import orjson
from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    OperationType,
    execute,
    get_operation_ast,
    parse,
)
from strawberry import Schema
from strawberry.execution import optimized_is_awaitable
from strawberry.extensions import SchemaExtension
from strawberry.schema._graphql_core import execution_context_class_kwargs

from app.config import Settings
from app.graphql.context import Context, make_context
from app.graphql.cost import Limits, PassedChecks, check_document
from app.graphql.router import GRAPHQL_RESPONSE_JSON, encode_answer, wants_graphql_response_json

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

PATH = "/graphql"
#: Request body keys the lane understands; a body with any other goes the full way.
BODY_KEYS = frozenset(("query", "variables", "operationName", "extensions"))
#: Accept media types whose answer is the plain JSON one (or the spec's, chosen as the full path does).
PLAIN_ACCEPT = frozenset(("*/*", "application/*", "application/json", GRAPHQL_RESPONSE_JSON))
#: Bodies larger than this go the full way (the body guard's helper-process check applies there).
MAX_LANE_BODY = 64 * 1024

#: The ASGI scope key under which the lane hands a result with an error to the full path.
HELD_RESULT = "kg.lane.result"

JSON_HEADERS = b"application/json"
SPEC_HEADERS = f"{GRAPHQL_RESPONSE_JSON}; charset=utf-8".encode()


def plain_json(content_type: bytes) -> bool:
    """`application/json`, with at most a UTF-8 charset: what the lane parses as the full path would."""
    media, _, params = content_type.decode("latin-1").partition(";")
    if media.strip().lower() != "application/json":
        return False
    params = params.strip().lower().replace(" ", "")
    return params in ("", "charset=utf-8", 'charset="utf-8"')


def plain_accept(accept: bytes | None) -> bool:
    """No Accept, or one listing only JSON media types (no streaming transport, no HTML page)."""
    if accept is None:
        return True
    for part in accept.decode("latin-1").split(","):
        media = part.split(";", 1)[0].strip().lower()
        if media and media not in PLAIN_ACCEPT:
            return False
    return True


@dataclass(frozen=True, slots=True)
class HeldResult:
    """The lane's execution of a request, with an error, for the full path to finish (`LaneExecuted`)."""

    query: str
    operation_name: str | None
    variables: dict[str, Any] | None
    result: ExecutionResult


class LaneExecuted(SchemaExtension):
    """On the full path, the lane's result for the request it executed already: Strawberry skips its own
    execution when an extension has set the result (`_execute_operation`), and does the rest (error
    logging, masking, the outage hook, formatting, the status) as for a result of its own. Only for the
    same request: the same query text, operation name and variables."""

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        scope = getattr(getattr(ctx.context, "request", None), "scope", None)
        held = scope.pop(HELD_RESULT, None) if isinstance(scope, dict) else None
        if (
            isinstance(held, HeldResult)
            and held.query == ctx.query
            # Strawberry names the operation of a one-operation document when the request did not.
            and held.operation_name in (None, ctx.operation_name)
            and held.variables == ctx.variables
        ):
            ctx.result = held.result
        yield


class KnownQueries:
    """Documents of (query text, operation name) the full path answered with data and no error, the last
    `size` of them, each parsed once here."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._known: OrderedDict[tuple[str, str | None], DocumentNode] = OrderedDict()

    def get(self, query: str, operation_name: str | None) -> DocumentNode | None:
        key = (query, operation_name)
        document = self._known.get(key)
        if document is not None:
            self._known.move_to_end(key)
        return document

    def learn(self, query: str, operation_name: str | None) -> None:
        """Keep the document when its operation is a query (mutations always go the full way)."""
        try:
            document = parse(query)
        except GraphQLError:  # pragma: no cover - the full path parsed it
            return
        operation = get_operation_ast(document, operation_name)
        if operation is None or operation.operation is not OperationType.QUERY:
            return
        self._known[(query, operation_name)] = document
        while len(self._known) > self.size:
            self._known.popitem(last=False)

    def __len__(self) -> int:
        return len(self._known)


class KnownQueryLane:
    """ASGI middleware: known queries answered by graphql-core directly (module docstring)."""

    def __init__(
        self, app: ASGIApp, schema: Schema, settings: Settings, limits: Limits, size: int = 256
    ) -> None:
        self.app = app
        self.schema = schema
        self.settings = settings
        self.limits = limits
        self.known = KnownQueries(size)
        self.passed = PassedChecks(size)
        self.executor_kwargs = execution_context_class_kwargs(schema.execution_context_class)
        self.taken = 0  # requests answered here
        self.returned = 0  # requests that came here with an error and went the full way

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "POST"
            or scope["path"] != PATH
            or scope.get("query_string")
        ):
            await self.app(scope, receive, send)
            return
        content_type = accept = None
        length = 0
        for key, value in scope["headers"]:
            if key == b"content-type":
                content_type = value
            elif key == b"accept":
                accept = value if accept is None else accept + b"," + value
            elif key == b"content-length":
                length = int(value) if value.isdigit() else MAX_LANE_BODY + 1
        if (
            content_type is None
            or length > MAX_LANE_BODY
            or not plain_json(content_type)
            or not plain_accept(accept)
        ):
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []
        chunks: list[bytes] = []
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                await self.app(scope, _replay(messages, receive), send)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        request = _request(b"".join(chunks) if len(chunks) != 1 else chunks[0])
        if request is None:
            await self.app(scope, _replay(messages, receive), send)
            return
        query, variables, operation_name, extensions = request
        document = self.known.get(query, operation_name)
        if document is None:
            await self.app(scope, _replay(messages, receive), self._learning(send, query, operation_name))
            return
        body = await self._answer(scope, document, variables, operation_name, extensions)
        if not isinstance(body, bytes):
            self.returned += 1
            if body is not None:  # executed, with an error: the full path finishes it, without executing
                scope[HELD_RESULT] = HeldResult(query, operation_name, variables, body)
            await self.app(scope, _replay(messages, receive), send)
            return
        self.taken += 1
        spec = accept is not None and wants_graphql_response_json(accept.decode("latin-1"))
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-length", str(len(body)).encode()),
                    (b"content-type", SPEC_HEADERS if spec else JSON_HEADERS),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def _answer(
        self,
        scope: Scope,
        document: DocumentNode,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        extensions: dict[str, Any] | None,
    ) -> bytes | ExecutionResult | None:
        """The encoded answer; the result, when it has an error (the full path formats it); None when the
        full path must execute it (a limit this request's variables break)."""
        key = self.passed.key(document, operation_name, variables)
        if key is None or not self.passed.passed(key, document):
            try:
                check_document(self.schema._schema, document, operation_name, variables, self.limits)
            except GraphQLError:
                return None
            if key is not None:
                self.passed.add(key, document)
        context: Context = make_context(self.settings, scope["app"].state)
        result = execute(
            self.schema._schema,
            document,
            variable_values=variables,
            operation_name=operation_name,
            context_value=context,
            operation_extensions=extensions,
            is_awaitable=optimized_is_awaitable,  # type: ignore[arg-type]
            **self.executor_kwargs,
        )
        if isawaitable(result):
            result = await result
        if result.errors or result.data is None:
            return result
        return encode_answer({"data": result.data}, self.settings.max_response_bytes)

    def _learning(self, send: Send, query: str, operation_name: str | None) -> Send:
        """`send` for a request the full path answers: a 200 with data and no error teaches the lane."""
        status = 0
        chunks: list[bytes] = []

        async def learning_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body" and status == 200:
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    if _clean_answer(b"".join(chunks)):
                        self.known.learn(query, operation_name)
            await send(message)

        return learning_send


def _clean_answer(body: bytes) -> bool:
    try:
        answer = orjson.loads(body)
    except orjson.JSONDecodeError:
        return False
    return isinstance(answer, dict) and answer.get("data") is not None and "errors" not in answer


def _request(
    body: bytes,
) -> tuple[str, dict[str, Any] | None, str | None, dict[str, Any] | None] | None:
    """(query, variables, operationName, extensions) of a plain single request, else None."""
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None  # the full path's parser says what is wrong (or accepts what orjson refuses)
    if not isinstance(data, dict) or not data.keys() <= BODY_KEYS:
        return None
    query = data.get("query")
    variables = data.get("variables")
    operation_name = data.get("operationName")
    extensions = data.get("extensions")
    if (
        not isinstance(query, str)
        or not isinstance(variables, dict | None)
        or not isinstance(operation_name, str | None)
        or not isinstance(extensions, dict | None)
    ):
        return None
    return query, variables, operation_name, extensions


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replay() -> Message:
        return pending.pop(0) if pending else await receive()

    return replay
