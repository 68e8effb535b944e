PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Each lock file installs once; the stamp is redone when the lock changes.
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test lint format messages bench lock clean dev-key worker pico icons

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	touch $@

$(DEV_STAMP): requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@ $(RUN_STAMP)

## make run: set everything up and serve the app with the demo account on http://127.0.0.1:8000,
## with the background worker (imports, exports, reminders) beside it; Ctrl-C stops both
# The worker runs in the background of the same shell; the trap stops it when the server
# ends (a first TERM lets it finish its task, a second one stops it: the task resumes at the
# next start, see nailpro/maintenance.py). --no-reload: a reloading worker forks a child that
# the trap would not reach.
run: export DJANGO_DEBUG = 1
run: $(RUN_STAMP) dev-key
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py purge_expired
	@$(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; sleep 1; kill -TERM $$worker 2>/dev/null; exit 0' INT TERM EXIT; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

## make worker: the background worker alone (when the server runs elsewhere)
worker: export DJANGO_DEBUG = 1
worker: $(RUN_STAMP) dev-key
	$(BIN)/python manage.py db_worker

# A development key for the health data, written once into .env (production sets its own).
dev-key: $(RUN_STAMP)
	@grep -qs '^FIELD_ENCRYPTION_KEYS=' .env || $(BIN)/python -c "from cryptography.fernet import Fernet; print('FIELD_ENCRYPTION_KEYS=' + Fernet.generate_key().decode())" >> .env

## make test: the whole suite (set DATABASE_URL=postgres://... to run it on PostgreSQL)
test: $(DEV_STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(DEV_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## make messages: refresh the five catalogs (needs GNU gettext) and compile them
messages: $(DEV_STAMP) dev-key
	$(BIN)/python manage.py makemessages --locale fr --locale en --locale es --locale it --locale ru --ignore '.venv/*' --ignore 'tests/*'
	$(BIN)/python manage.py compilemessages --ignore '.venv/*'

## make bench: our pages against the bare Django page in one run (requests/s and the ratio,
## queries, bytes, worker memory) at 10,000 clients, then the in-process micro-benchmarks;
## on PostgreSQL when DATABASE_URL points there (see tests/bench/pages.py)
bench: $(DEV_STAMP)
	$(BIN)/python -m tests.bench.pages
	$(BIN)/python -m pytest tests/bench -s --override-ini addopts=

## make lock: re-resolve requirements*.lock from pyproject.toml
lock: $(BIN)/python
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile --python-version 3.11 --generate-hashes --quiet pyproject.toml -o requirements.lock
	$(BIN)/uv pip compile --python-version 3.11 --generate-hashes --quiet --extra dev pyproject.toml -o requirements-dev.lock

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles

## make pico: rewrite the trimmed Pico the pages load (static/vendor/pico-*.trimmed.css)
pico: $(RUN_STAMP)
	$(BIN)/python tools/trim_pico.py

## make icons: rewrite the icon sprite (static/img/icons.svg) from nailpro/icons.py
icons: export DJANGO_DEBUG = 1
icons: $(RUN_STAMP) dev-key
	$(BIN)/python manage.py build_icon_sprite
