# 云商会 — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The settings derive SITE_URL (links in messages and feeds) from it unless SITE_URL is set.
export PORT
MANAGE := $(PY) manage.py
LOCAL_SETTINGS := shanghui.config.settings.local
DEPS_STAMP := $(VENV)/.deps-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
DEV_STAMP := $(VENV)/.dev-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
# Debian packages the test suite needs: a browser for the journeys, a CJK font for PDFs and
# screenshots, poppler for checking PDFs, gettext for translations, nginx for checking the
# documented nginx configuration (scripts/check_nginx.py).
SYSTEM_PACKAGES := chromium fonts-noto-cjk poppler-utils gettext libpango-1.0-0 libpangoft2-1.0-0 nginx-light libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui

.PHONY: run dev test test-citus lint format bench bench-serve install dev-install system-deps migrate seed worker clean messages

$(PY):
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"' \
	  || { echo "云商会 needs Python 3.11 or newer"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(DEPS_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	@rm -f $(VENV)/.deps-*; touch $@

$(DEV_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.dev-* $(VENV)/.deps-*; touch $@; touch $(DEPS_STAMP)

install: $(DEPS_STAMP)

dev-install: $(DEV_STAMP) system-deps

# Installs the Debian packages when running as root (CI, a fresh server); otherwise says which
# are missing — the tests that need them skip with the package name (and fail under CI=true).
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian packages:$$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "NOTE: missing Debian packages:$$missing — install them with: sudo apt-get install$$missing"; \
	  fi; \
	fi

migrate: install
	$(MANAGE) migrate --noinput

seed: migrate
	$(MANAGE) seed_demo

# The task workers: one for messages to people (SMS, WeChat, email), so that they never wait
# behind exports, and one for everything (jobs; messages first when it is free). Each is
# started again if it stops (scripts/supervise.py); Ctrl-C stops them.
WORKERS := '$(MANAGE) db_worker --queue-name messages --interval 1' \
           '$(MANAGE) db_worker --queue-name * --interval 1'

# Serves the platform as production does — gunicorn (processes × threads, a deep listen
# queue, so a burst of phones waits instead of being refused), DEBUG off, static files hashed,
# compressed and cached by WhiteNoise (settings.local) — with the task workers beside it; Ctrl-C
# stops everything. HOST=0.0.0.0 lets phones on the local network in.
HOST ?= 127.0.0.1
WEB_WORKERS ?= 2
WEB_THREADS ?= 8
# Static files are collected and compressed again only when one of them changed (Brotli at
# its highest quality takes a while on the larger bundles).
STATIC_STAMP := var/static/.collected
$(STATIC_STAMP): $(shell find src/shanghui -path '*/static/*' -type f 2>/dev/null) | install
	@echo "Collecting and compressing the static files …"
	@DJANGO_SETTINGS_MODULE=$(LOCAL_SETTINGS) $(MANAGE) collectstatic --noinput -v 0
	@touch $@

run: seed $(STATIC_STAMP)
	@echo "Starting the task workers and the web server on http://$(HOST):$(PORT) …"
	@DJANGO_SETTINGS_MODULE=$(LOCAL_SETTINGS) $(PY) scripts/supervise.py $(WORKERS) & workers=$$!; \
	trap "kill $$workers 2>/dev/null; wait $$workers" EXIT INT TERM; \
	DJANGO_SETTINGS_MODULE=$(LOCAL_SETTINGS) HOST=$(HOST) WEB_WORKERS=$(WEB_WORKERS) \
	  WEB_THREADS=$(WEB_THREADS) $(VENV)/bin/gunicorn -c python:shanghui.config.gunicorn \
	  shanghui.config.wsgi

# Django's development server with code reloading, the task workers beside it.
dev: seed
	@echo "Starting the task workers and the development server on http://127.0.0.1:$(PORT) …"
	@$(PY) scripts/supervise.py $(WORKERS) & workers=$$!; \
	trap "kill $$workers 2>/dev/null; wait $$workers" EXIT INT TERM; \
	DJANGO_SETTINGS_MODULE=shanghui.config.settings.dev $(MANAGE) runserver 127.0.0.1:$(PORT)

# The task workers alone (supervised as in `make run`).
worker: install
	$(PY) scripts/supervise.py $(WORKERS)

# The whole suite, then its 20 slowest tests. PYTEST_WORKERS=2 spreads it over two
# pytest-xdist processes, each with its own test database: a gain only with cores to
# spare (on 2 busy shared cores it cost +60 s CPU and ran longer), hence 0 — this process.
PYTEST_WORKERS ?= 0
test: dev-install
	$(PY) -m pytest -n $(PYTEST_WORKERS) --durations=20 $(PYTEST_ARGS)

# The suite's Citus slice (docs/architecture.md, "Scale-out plan"): a local cluster of the
# machine's PostgreSQL 15 — a coordinator on CITUS_PORT and two workers, Citus built once per
# machine (scripts/citus_cluster.sh) — then the tenancy tests, the isolation walker and every
# module but core's storage and backup (which do not depend on where rows are) against it.
# --reuse-db: the cluster script prepares the test database with the extension on every
# node. The browser journeys run the same queries as the pages' tests. The cluster stays
# up: `scripts/citus_cluster.sh down`.
CITUS_PORT ?= 5440
CITUS_TESTS := \
  src/shanghui/core/tests/test_citus.py src/shanghui/core/tests/test_tenancy.py \
  src/shanghui/core/tests/test_rls.py \
  src/shanghui/core/tests/test_isolation_walker.py src/shanghui/core/tests/test_inbox.py \
  src/shanghui/accounts src/shanghui/associations src/shanghui/org src/shanghui/members \
  src/shanghui/events src/shanghui/dues src/shanghui/charity src/shanghui/publishing \
  src/shanghui/documents src/shanghui/network src/shanghui/providers src/shanghui/site
# Left out on the cluster: the migration tests (they migrate backwards), the browser journeys,
# each module's demo test (site's seed tests seed the whole demo on the cluster) and the
# gunicorn SIGKILL test of resumable uploads (storage, not the database: 3.5 min there).
CITUS_IGNORE := --ignore-glob='*test_migration*' --ignore-glob='*/tests/test_demo.py' \
  --ignore-glob='*/tests/test_announcement_demo.py' \
  --ignore=src/shanghui/documents/tests/test_upload_crash.py
test-citus: dev-install
	bash scripts/citus_cluster.sh up
	PGSSLMODE=disable DATABASE_URL=postgres://postgres@127.0.0.1:$(CITUS_PORT)/test \
	  $(PY) -m pytest --reuse-db -m "not browser" $(CITUS_IGNORE) \
	  --durations=10 $(CITUS_TESTS) $(PYTEST_ARGS)

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check src tests bench scripts
	$(VENV)/bin/ruff format --check src tests bench scripts
	$(VENV)/bin/mypy src

format: $(DEV_STAMP)
	$(VENV)/bin/ruff format src tests bench scripts
	$(VENV)/bin/ruff check --fix src tests bench scripts

# Regenerates the translation catalogues (needs gettext): 繁體 is converted from the Chinese
# msgids with OpenCC, English is translated by hand in the .po file.
messages: dev-install
	$(PY) scripts/translations.py

bench: dev-install
	@for script in bench/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

# The cost of a request beside its floor (a minimal view of the same rows), at 1, 8 and 32
# clients, and the 200-for-50 registration burst, served as `make run` serves (bench/serve.py).
# BENCH_SERVE_ARGS="--quick" for a short run, "--db sqlite" or "--db postgres" for one database.
bench-serve: install
	$(PY) bench/serve.py $(BENCH_SERVE_ARGS)

clean:
	rm -rf var/test-media .pytest_cache .mypy_cache .ruff_cache
