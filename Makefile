# Two commands: `make run` (serve the portal at http://127.0.0.1:5000) and `make test`.
# Everything else is a helper. FLASK_APP=wsgi for every flask command.

SHELL := /bin/bash
.DEFAULT_GOAL := help

export FLASK_APP := wsgi

VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask
# The newest Python 3.11+ on the PATH (a pyenv shim that cannot run is skipped).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && { echo $$p; break; }; done)

# Test processes (pytest-xdist); each has its own database (see tests/fixtures/database.py).
TEST_WORKERS ?= 2

# Stamps: pip runs again only when a requirements file is newer than its stamp.
RUNTIME_STAMP := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: help run test lint format check-migrations translations compile-translations bench clean

help:
	@echo "make run               set up (first time), migrate, seed demo data, serve at http://127.0.0.1:5000"
	@echo "make test              make lint, then the whole pytest suite"
	@echo "make lint              ruff check, ruff format --check, import contracts"
	@echo "make format            ruff format and safe fixes"
	@echo "make check-migrations  upgrade a fresh database and check the models need no new migration"
	@echo "make translations      extract every translatable string to messages.pot (not committed) and update the .po files"
	@echo "make compile-translations  compile the .po catalogues to .mo (make run, test and bench do it)"
	@echo "make bench             run the benchmarks in bench/"
	@echo "make clean             remove caches and test artefacts (keeps .venv and instance/)"

$(BIN)/python:
	@if [ -z "$(PYTHON)" ]; then echo "Python 3.11 or newer is needed (python3 --version)." >&2; exit 1; fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(RUNTIME_STAMP): requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	@touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	@touch $@ $(RUNTIME_STAMP)

# Compiled catalogues: built from the committed .po files, never committed (.gitignore).
TRANSLATIONS := portal/translations
MO_FILES := $(patsubst %.po,%.mo,$(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po))

# Static files as served (hashed names, gzip and brotli copies; not committed): rebuilt when
# a file of static/ or the requirements (Bootstrap-Flask's files) change.
ASSETS := static/dist/manifest.json
$(ASSETS): requirements.txt $(shell find static -path static/dist -prune -o -type f -print) | $(RUNTIME_STAMP)
	$(FLASK) assets build

run: $(RUNTIME_STAMP) compile-translations $(ASSETS)
	$(FLASK) db upgrade
	$(FLASK) seed demo --if-empty
	$(FLASK) users ensure-demo-admin
	$(FLASK) run --host 127.0.0.1 --port 5000

test: lint compile-translations $(ASSETS)
	$(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(DEV_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# CHECK_DATABASE_URL names an empty database to use; by default a new SQLite file.
check-migrations: $(RUNTIME_STAMP)
	@url="$${CHECK_DATABASE_URL:-sqlite:///$$(mktemp -d)/check-migrations.sqlite3}"; \
	echo "Checking migrations on $$url"; \
	DATABASE_URL="$$url" $(FLASK) db upgrade && DATABASE_URL="$$url" $(FLASK) db check

# The strings for translators, from babel.cfg's files (regenerated, so not committed), merged
# into every language's .po at the committed 100-column width: new messages arrive empty,
# removed ones are dropped.
translations: $(RUNTIME_STAMP)
	PYTHONPATH=. $(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_pgettext:1c,2 --add-comments=Translators: --ignore-dirs=".*" -o messages.pot .
	$(BIN)/pybabel update --ignore-obsolete --width 100 -i messages.pot -d $(TRANSLATIONS)

compile-translations: $(MO_FILES)

$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po | $(RUNTIME_STAMP)
	$(BIN)/pybabel compile -i $< -o $@ -l $*

bench: $(DEV_STAMP) compile-translations $(ASSETS)
	@shopt -s nullglob; scripts=(bench/*.py); \
	if [ $${#scripts[@]} -eq 0 ]; then echo "No benchmarks in bench/ yet."; exit 0; fi; \
	for script in "$${scripts[@]}"; do echo "== $$script"; $(BIN)/python "$$script" || exit 1; done

clean:
	rm -rf .pytest_cache .ruff_cache .hypothesis test-results bench/results
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +
