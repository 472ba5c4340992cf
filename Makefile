# The README's commands. `make run` and `make test` do the whole set-up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
JARS_STAMP := graph/lib/.resolved
NPM_STAMP := node_modules/.installed-stamp

.PHONY: help install jars web run test test-unit lint typecheck eval bench-ingest bench-api schema clean browser-deps

help:
	@echo "make run    - set up, start Neo4j (unless NEO4J_URI is set), load seeds, serve on 127.0.0.1:8000"
	@echo "make test   - set up, run the whole suite against a throwaway Neo4j"
	@echo "make eval | bench-ingest | bench-api | lint | typecheck | schema"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -U pip
	$(BIN)/pip install -q --disable-pip-version-check -e '.[dev]'
	touch $@

install: $(STAMP)

# The Neo4j jars come from Maven Central once, into graph/lib (git-ignored).
$(JARS_STAMP): graph/pom.xml | $(STAMP)
	@if [ -z "$$NEO4J_URI" ]; then $(BIN)/kg neo4j install && touch $@; fi

jars: $(JARS_STAMP)

run: install jars
	$(BIN)/kg serve --load-seeds

test: install jars
	tests/with_neo4j.sh $(BIN)/pytest -q

test-unit: install
	$(BIN)/pytest -q tests/unit

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy app graph ingest

schema: install
	$(BIN)/strawberry export-schema app.graphql.schema:schema --output schema.graphql

clean:
	rm -rf $(VENV) graph/lib var node_modules artifacts
