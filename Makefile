# The two commands of the README: `make demo` and `make test`. Both install through
# `make install`, which builds .venv/ at the repository root with khabar and its extras.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.khabar-installed
DEMO_CORPUS := demo/corpus
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo test lint bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,nlp,postgres,spark]'
	touch $(STAMP)

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

test: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

bench: install
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/memory.py
	$(BIN)/python benchmarks/extract.py
	$(BIN)/python benchmarks/resolve.py
	$(BIN)/python benchmarks/serve.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .ruff_cache
