# Steady Ground: everyday commands. Works from a bare clone.
#   make run     serve the demo site on http://127.0.0.1:8000/ (PORT=8001 make run; DEBUG on)
#   make test    lint + migrations check + the whole pytest suite (incl. browser tests)
#   make lint    ruff check + ruff format --check
#   make format  apply ruff's fixes and formatting
#   make bench   the benchmarks: article page and comment posting, then readers during a mail outage
#   make backup  database, media and secret key into var/backups/steady-ground-<time>.tar.gz (mode 600)
#   make restore ARCHIVE=var/backups/….tar.gz   put a backup back (stop the site first; see README)
#   make clean   remove the virtualenv, node_modules and caches (keeps var/, your data)
#
# Variables: PORT (default 8000), PYTEST_ARGS (extra pytest arguments, e.g. PYTEST_ARGS='-m "not browser"'),
# DATABASE_URL (default SQLite in var/; scripts/start-postgres prints a PostgreSQL one), ARCHIVE (make restore).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PORT ?= 8000
PYTEST_ARGS ?=
ARCHIVE ?=
VENV := .venv
PY := $(VENV)/bin/python
RUNTIME_STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
NODE_STAMP := node_modules/.installed

.PHONY: help venv venv-dev node-tools run test lint format bench backup restore clean

help:
	@sed -n 's/^#   //p' Makefile

# The interpreter comes from scripts/find-python (Python >= 3.12, .python-version preferred).
$(PY):
	@python="$$(scripts/find-python)"; \
	echo "Creating $(VENV) with $$python"; \
	"$$python" -m venv --clear $(VENV)

# pip runs again only when a requirements file changes (the stamps are newer otherwise).
$(RUNTIME_STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@ $(RUNTIME_STAMP)

venv: $(RUNTIME_STAMP)

venv-dev: $(DEV_STAMP)

# Test-only tools from npm: vnu-jar (HTML checker, run with the system java) and
# axe-core. --ignore-scripts: vnu-jar's postinstall would otherwise try to download
# a JRE from GitHub when no java is installed. Without npm the browser tests skip
# (or fail when CI=true).
$(NODE_STAMP): package.json $(wildcard package-lock.json)
	@if ! command -v npm >/dev/null 2>&1; then \
		echo "npm not found: the HTML-validity and accessibility tests will be skipped (install nodejs and npm)." >&2; \
	elif [ -f package-lock.json ]; then \
		npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		npm install --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	fi

node-tools: $(NODE_STAMP)

# setup_demo migrates, seeds and ensures the admin in a few lines, ending with the address and
# login in a box; runserver's production warning is left out (this is the development server).
run: $(RUNTIME_STAMP)
	@scripts/write-dev-env; \
	export DJANGO_DEBUG="$${DJANGO_DEBUG:-1}" PORT="$(PORT)" DJANGO_RUNSERVER_HIDE_WARNING=true; \
	$(PY) manage.py setup_demo && exec $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(DEV_STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: $(DEV_STAMP) $(NODE_STAMP) lint
	DJANGO_SETTINGS_MODULE=tests.settings $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(DEV_STAMP)
	$(PY) bench/article.py
	mkdir -p var && $(PY) bench/mail_outage.py --json var/bench-mail-outage.json

# Both read the same environment as the site (manage.py adds the checkout's .env, if any).
backup: $(RUNTIME_STAMP)
	$(PY) manage.py backup

restore: $(RUNTIME_STAMP)
	@if [ -z "$(ARCHIVE)" ]; then \
		echo "usage: make restore ARCHIVE=var/backups/steady-ground-YYYYmmdd-HHMMSS.tar.gz" >&2; exit 2; \
	fi
	$(PY) manage.py restore "$(ARCHIVE)"

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -not -path './.git/*' -exec rm -rf {} +
