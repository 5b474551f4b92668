# The two commands of the README's quick start: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
# Tests run with DEBUG off, like production (tests/settings.py).
TEST_ENV := DJANGO_SETTINGS_MODULE=tests.settings
# Both cores by default (pytest-xdist); PYTEST_ARGS adds to it, e.g. PYTEST_ARGS="-k track".
PYTEST_JOBS ?= -n auto
PYTEST_ARGS ?=
# make run: the server's port (docs/operations.md) and the file the worker touches once it runs.
PORT ?= 8000
READY_FILE ?= $(VENV)/.worker-ready

.PHONY: install run worker static migrate test test-postgres lint check messages bench clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

migrate: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py createcachetable

# The server and the background worker side by side (Procfile, run by honcho): mail, scheduled
# publishing and the other periodic tasks work in the quick start too. The server listens on
# 127.0.0.1:$(PORT) and SITE_URL follows it unless set; the demo accounts are printed last, once
# the server answers and the worker runs. Ctrl-C stops both.
run: migrate
	DEBUG=1 $(BIN)/python manage.py seed_demo --no-accounts
	rm -f $(READY_FILE)
	DEBUG=1 PORT=$(PORT) SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)} READY_FILE=$(READY_FILE) \
	  $(BIN)/honcho start -f Procfile

# The worker alone (docs/tasks.md).
worker: migrate
	DEBUG=1 $(BIN)/python manage.py worker

static: install
	$(TEST_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0

test: static
	$(TEST_ENV) $(BIN)/python -m pytest $(PYTEST_JOBS) $(PYTEST_ARGS)

test-postgres: static
	$(TEST_ENV) DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/portal} $(BIN)/python -m pytest $(PYTEST_JOBS) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python scripts/import_graph.py

check: install
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	@# As a deployment has it: the newspaper's signing pair for certificates (here a throwaway one).
	pair=$$(mktemp -d) && $(BIN)/python -c 'import sys; from submissions.results.keys import dev_pair; dev_pair(sys.argv[1])' $$pair && \
	SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') DEBUG=0 \
	  ALLOWED_HOSTS=brands.example.com CERTIFICATE_SIGNING_KEY=$$pair/signing-key.pem CERTIFICATE_SIGNING_CERT=$$pair/signing-cert.pem \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING; status=$$?; rm -rf $$pair; exit $$status

# Run on an unchanged tree it changes nothing: references name files, not lines, and the
# catalogue keeps no creation date (tests/project/test_newcomer.py).
messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages -l en --no-obsolete --add-location=file --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=bench
	sed -i.orig -e '/^"POT-Creation-Date: /d' locale/en/LC_MESSAGES/django.po && rm -f locale/en/LC_MESSAGES/django.po.orig
	DEBUG=1 $(BIN)/python manage.py compilemessages -l en --ignore=.venv

# The default benchmarks, then one table of every target; fails when a target is missed (bench/run.py).
# make takes no `--quick` of its own: `make bench QUICK=1` is the short run (bench.run --quick,
# a few minutes once the bench databases exist: the README's Benchmarks); BENCH_ARGS adds to it,
# e.g. BENCH_ARGS="--only pages,photos".
QUICK ?=
bench: static
	$(BIN)/python -m bench.run $(if $(filter 1 yes true,$(QUICK)),--quick) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
