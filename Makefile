# Two commands on a fresh machine: `make run` and `make test`. Everything else is a step of those.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SCHEMA_LINT := tools/schema-lint
SCHEMA_LINTER := $(SCHEMA_LINT)/node_modules/.bin/graphql-schema-linter

.PHONY: install services stop run test test-unit lint bench bench-quick chaos chromium

install: $(STAMP) $(SCHEMA_LINTER)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

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

test: install services chromium
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
	$(BIN)/mypy domain application projections consumers api settings cli bootstrap.py
	$(SCHEMA_LINTER) -c $(SCHEMA_LINT) schema.graphql
