# Two commands on a fresh machine: `make run` and `make test`. Everything else is a step of those.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SCHEMA_LINT := tools/schema-lint
SCHEMA_LINTER := $(SCHEMA_LINT)/node_modules/.bin/graphql-schema-linter

.PHONY: install services stop run test test-unit lint bench bench-quick chaos chromium examples

GRAPHIQL_ASSETS := web/graphiql/node_modules/.package-lock.json

install: $(STAMP) $(GRAPHIQL_ASSETS) $(SCHEMA_LINTER)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# the scripts and styles of the GraphiQL page, served by the API (MOMENTUM_GRAPHIQL_ASSETS=local)
$(GRAPHIQL_ASSETS): web/graphiql/package-lock.json
	cd web/graphiql && npm ci --no-audit --no-fund --loglevel=error

# graphql-schema-linter at the versions package-lock.json pins (npm registry)
$(SCHEMA_LINTER): $(SCHEMA_LINT)/package-lock.json
	cd $(SCHEMA_LINT) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

services:
	bash scripts/services.sh up

stop:
	bash scripts/services.sh down

run: install services
	$(BIN)/momentum run

chromium:
	bash scripts/chromium.sh

# the examples the tests run: the Java consumer (Maven Central) and the TypeScript client (npm)
JAVA_CONSUMER := examples/java-consumer/target/momentum-java-consumer.jar

TS_CLIENT := examples/typescript-client

examples: $(JAVA_CONSUMER) $(TS_CLIENT)/dist/dashboard.js

$(JAVA_CONSUMER): examples/java-consumer/pom.xml $(wildcard examples/java-consumer/src/main/java/momentum/consumer/*.java)
	cd examples/java-consumer && mvn -q -B package

$(TS_CLIENT)/node_modules/.package-lock.json: $(TS_CLIENT)/package-lock.json
	cd $(TS_CLIENT) && npm ci --no-audit --no-fund --loglevel=error

# graphql-codegen types the operations from schema.graphql, then tsc compiles them
$(TS_CLIENT)/dist/dashboard.js: $(TS_CLIENT)/node_modules/.package-lock.json schema.graphql $(TS_CLIENT)/codegen.json \
		$(TS_CLIENT)/tsconfig.json $(TS_CLIENT)/src/operations.graphql $(wildcard $(TS_CLIENT)/src/*.ts)
	cd $(TS_CLIENT) && npm run --silent build

test: install services chromium examples
	$(BIN)/pytest -p no:cacheprovider -W ignore::DeprecationWarning

test-unit: install
	$(BIN)/pytest -p no:cacheprovider tests/unit

bench: install services
	$(BIN)/python -m bench.run

bench-quick: install services
	$(BIN)/python -m bench.run --quick

chaos: install services
	MOMENTUM_CHAOS_COMMANDS=20000 MOMENTUM_CHAOS_OUTAGE_S=30 $(BIN)/pytest -p no:cacheprovider -s tests/chaos

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy domain shared contracts application eventstore projections consumers api settings cli bootstrap.py bench
	$(BIN)/lint-imports --no-cache
	$(SCHEMA_LINTER) -c $(SCHEMA_LINT) schema.graphql
