# IVCS — the commands a developer needs. `make run` and `make test` work on a fresh machine that has
# Python 3.11 and the package registries; each creates .venv and installs the pinned dependencies.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
DEV    := DEBUG=1

.PHONY: install run worker test lint typecheck unit bench lock messages clean help

help:
	@echo "make run    - install, migrate SQLite under var/, load demo data, serve http://$(HOST):$(PORT) with a worker"
	@echo "make test   - install, lint, type-check, check architecture, run every test"
	@echo "make bench  - run the benchmarks (JSON figures)"
	@echo "make lock   - re-pin requirements*.txt from requirements*.in"
	@echo "make messages - re-extract and compile the es/pt/en catalogues (needs GNU gettext)"

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

install: $(STAMP)

run: $(STAMP)
	$(DEV) $(BIN)/ivcs migrate --noinput
	$(DEV) $(BIN)/ivcs createcachetable
	$(DEV) $(BIN)/ivcs import-hs
	$(DEV) $(BIN)/ivcs import-standards
	$(DEV) $(BIN)/ivcs import-chains --if-changed
	$(DEV) $(BIN)/ivcs import-origin
	$(DEV) $(BIN)/ivcs demo
	@echo "IVCS: http://$(HOST):$(PORT)/  (Ctrl-C stops the web server and the worker)"
	@$(DEV) $(BIN)/ivcs run_huey & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(DEV) IVCS_WARM_HS=1 $(BIN)/ivcs runserver $(HOST):$(PORT)

worker: $(STAMP)
	$(DEV) $(BIN)/ivcs run_huey

lint: $(STAMP)
	$(BIN)/ruff check ivcs tests bench scripts data
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy ivcs

unit: $(STAMP)
	@$(BIN)/python scripts/ensure_test_tools.py
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck unit

bench: $(STAMP)
	$(BIN)/python -m bench

lock: $(STAMP)
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.txt requirements.in
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links -o requirements-dev.txt requirements-dev.in

messages: $(STAMP)
	cd ivcs && ../$(BIN)/ivcs makemessages --no-obsolete --no-location -l es -l pt_BR -l en
	$(BIN)/python scripts/compile_messages.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
