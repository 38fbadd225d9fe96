# The two commands of the README: `make demo` and `make test`. `make install` builds
# .venv/ at the repository root with khabar and the English model (what the demo runs);
# `make install-dev` adds the optional features (parquet, report) and the test tools
# (pytest, ruff, playwright to drive Debian's chromium, pandas...), which `make test` needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.khabar-installed
DEV_STAMP := $(VENV)/.khabar-dev-installed
DEMO_CORPUS := demo/corpus
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install install-dev demo test lint bench clean

install: $(STAMP)

install-dev: $(DEV_STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[nlp]'
	touch $(STAMP)

$(DEV_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev,nlp,parquet,report,postgres,spark]'
	touch $(DEV_STAMP)

demo: install
	$(BIN)/khabar ingest $(DEMO_CORPUS)
	$(BIN)/khabar incidents
	$(BIN)/khabar statements --type ACCUSE
	@echo
	@echo "The demo database is $${KHABAR_DB:-khabar.duckdb}. In another terminal, try:"
	@echo "  $(BIN)/khabar show <evt-ID or article ID>     (stop the server first: it holds the database)"
	@echo "  curl 'http://$(HOST):$(PORT)/api/incidents?country=PK&limit=5'"
	@echo
	$(BIN)/khabar serve --host $(HOST) --port $(PORT)

test: install-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/pytest

lint: install-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

bench: install-dev
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/memory.py
	$(BIN)/python benchmarks/extract.py
	$(BIN)/python benchmarks/resolve.py
	$(BIN)/python benchmarks/serve.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .ruff_cache
