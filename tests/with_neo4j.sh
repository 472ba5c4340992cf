#!/usr/bin/env bash
# Run a command against a throwaway Neo4j: a free port, its own data folder, stopped and removed
# afterwards even when the command fails. With NEO4J_URI already set, that Neo4j is used instead.
#
# Everything is inside main(), which bash reads whole before running it: a script edited while it runs
# (bash reads a script as it goes) would otherwise go on with whatever the new text has at that offset.
set -euo pipefail

main() {
  cd "$(dirname "$0")/.."
  KG=.venv/bin/kg

  if [ -n "${NEO4J_URI:-}" ]; then
    exec env KG_REQUIRE_NEO4J=1 "$@"
  fi

  port=$(.venv/bin/python -c 'from graph.launcher import free_port; print(free_port())')
  data=$(mktemp -d "${TMPDIR:-/tmp}/kg-test-neo4j.XXXXXX")
  trap cleanup EXIT
  # A signal ends the script, and the EXIT trap cleans up once. (With `cleanup` itself as the INT/TERM
  # trap, bash ran it and went on with the next line: a TERM during `kg neo4j start` stopped the new
  # Neo4j, removed its data and then ran the command against it, exiting 0.) bash runs these traps once
  # the command in the foreground has ended: Ctrl-C reaches the command too, from the terminal.
  trap 'exit 130' INT
  trap 'exit 143' TERM
  # A JVM start took 50 s on this 2-core machine under the load of parallel test runs: more than the
  # default 120 s is no sign of a broken start here (one that fails exits at once with its reason).
  KG_NEO4J_START_TIMEOUT="${KG_NEO4J_START_TIMEOUT:-600}" "$KG" neo4j start --port "$port" --data-dir "$data"
  status=0
  env NEO4J_URI="bolt://127.0.0.1:$port" KG_REQUIRE_NEO4J=1 KG_ENV=test "$@" || status=$?
  exit $status
}

cleanup() {
  "$KG" neo4j stop --data-dir "$data" >/dev/null 2>&1 || true
  rm -rf "$data"
}

main "$@"
