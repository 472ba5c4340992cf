"""What `kg serve` prints once everything is ready: where to go, how to connect, what the token is for.

A newcomer who reads only this should reach the viewer, GraphiQL, `/cypher` and the database without
guessing. Secrets appear only when they are the local development ones or were made for this run.
"""

from __future__ import annotations

from app.config import DEV_NEO4J_PASSWORD, PROJECT_ROOT, Settings

CYPHER_EXAMPLE = '{"query": "MATCH (p:Person) RETURN p.name AS name LIMIT 5"}'


def browser_host(host: str) -> str:
    """The address a browser on this machine uses for a server listening on `host`."""
    return "127.0.0.1" if host in {"0.0.0.0", "::", ""} else host  # noqa: S104 - only displayed


def _shown(path: object) -> str:
    text = str(path)
    root = f"{PROJECT_ROOT}/"
    return text[len(root) :] if text.startswith(root) else text


def startup_summary(
    s: Settings, host: str, port: int, *, token_made_for_this_run: bool, neo4j_browser: str | None = None
) -> str:
    base = f"http://{browser_host(host)}:{port}"
    lines = [
        "",
        "Newsgraph is ready. Ctrl-C stops it" + (" and the local Neo4j." if s.uses_local_neo4j else "."),
        f"  Viewer      {base}/   (search a name, e.g. Krasner)",
    ]
    if s.is_production:
        lines.append(f"  GraphQL     POST {base}/graphql   (GraphiQL is off in production)")
    else:
        lines.append(
            f"  GraphiQL    {base}/graphql   (opens on 'who responded to Krasner?'; docs/graphql.md)"
        )
    lines += [
        f"  Cypher      POST {base}/cypher   read-only, needs the API token; docs/cypher.md",
        "              curl -H 'Authorization: Bearer <token>' -H 'Content-Type: application/json' \\",
        f"                   -d '{CYPHER_EXAMPLE}' {base}/cypher",
        f"  Health      {base}/health",
    ]
    if s.uses_local_neo4j:
        password = s.neo4j_password if s.neo4j_password == DEV_NEO4J_PASSWORD else "(NEO4J_PASSWORD)"
        lines += [
            f"  Neo4j       {s.bolt_uri}   user {s.neo4j_user}   password {password}   database "
            f"{s.neo4j_database}",
            f"              the local instance (data in {_shown(s.local_neo4j_data_dir)}); Bolt clients "
            "(cypher-shell, drivers) connect with these",
        ]
        if neo4j_browser:
            lines += [
                f"  Browser     {neo4j_browser}   Neo4j Browser: connect URL {s.bolt_uri}, same user",
                "              and password. It can write; /cypher is the read-only way in (docs/cypher.md)",
            ]
    else:
        lines.append(
            f"  Neo4j       {s.bolt_uri}   (NEO4J_URI; user and password from NEO4J_USER / NEO4J_PASSWORD)"
        )
    if not s.api_token:
        lines.append("  API token   none: KG_API_TOKEN is unset, so mutations and /cypher are refused")
    elif token_made_for_this_run:
        lines += [
            f"  API token   {s.api_token}",
            "              for mutations (ingestArticle, deleteArticle, the viewer's Ingest tab) and",
            "              /cypher, sent as 'Authorization: Bearer <token>'. Queries need none.",
            "              It is new on every run: to keep one, put KG_API_TOKEN=<a long secret> in .env",
        ]
    else:
        lines.append(
            "  API token   from KG_API_TOKEN: for mutations and /cypher ('Authorization: Bearer <token>')"
        )
    return "\n".join(lines) + "\n"
