# Two commands for a newcomer: `make run` and `make test`. Everything else
# (virtual environment, dependencies, translations, migrations) is set up on the way.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV := DEBUG=1 $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# Two processes by default: the suite runs in half the time on two cores.
PYTEST_ARGS ?= -n auto
# The Nu HTML Checker (vnu.jar), pinned in tests/nu/package-lock.json.
NU_STAMP := tests/nu/node_modules/.installed

.PHONY: run test install messages nu lint fmt migrations clean

## make run: the portal with demo data at http://127.0.0.1:8000/, and one
## background worker (e-mail alerts; with DEBUG=1 mails are printed here).
## Ctrl-C stops both.
run: messages
	$(DEV) migrate --noinput
	$(DEV) seed_demo
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(DEV) alerts_worker --no-reload & worker=$$!; \
	$(DEV) runserver $(HOST):$(PORT)

## make test: the whole suite (SQLite; set DATABASE_URL for PostgreSQL)
test: messages nu
	.ci/system-packages chromium java
	$(BIN)/pytest $(PYTEST_ARGS)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# Its install script would download a Java runtime: the system's java runs it.
$(NU_STAMP): tests/nu/package-lock.json
	.ci/system-packages npm
	npm ci --prefix tests/nu --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(NU_STAMP)

## make nu: the Nu HTML Checker for tests/test_valid_html.py
nu: $(NU_STAMP)

messages: install
	.ci/system-packages gettext
	$(DEV) compilemessages --ignore=$(VENV) --verbosity 0

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(DEV) check --fail-level WARNING
	$(DEV) makemigrations --check --dry-run

fmt: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## make migrations NAME=what_changed APP=events
migrations: install
	$(DEV) makemigrations $(APP) --name $(NAME)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache tests/nu/node_modules
