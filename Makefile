# The two commands a newcomer needs: `make run` and `make test`.
.DEFAULT_GOAL := help
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# Django 6 needs Python 3.12+: try 3.13, then 3.12, then a python3 that is new enough.
PYTHON ?= $(shell for p in python3.13 python3.12 python3; do \
	  if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; \
	  then echo $$p; break; fi; done)

# Python caches compiled modules unless PYTHONDONTWRITEBYTECODE is set (it is on some
# machines, this project's CI among them): then every process of a test run compiled
# and assertion-rewrote its ~500 modules from source again, about 5 s each.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: help install run test lint format messages check-deploy clean bench fault load multiprocess worker backup lighthouse

help:
	@echo "make run    install everything, migrate, load demo data and serve on http://$(HOST):$(PORT)"
	@echo "           (another address: make run HOST=0.0.0.0 PORT=8001)"
	@echo "make test   run the whole test suite (SQLite by default; set DATABASE_URL for PostgreSQL)"
	@echo "           (on $(TEST_WORKERS) processes, browser tests included; one file: make test PYTEST_ARGS=tests/portal/test_i18n.py)"
	@echo "make lint   ruff check and format check"
	@echo "make multiprocess  prove two app servers share PostgreSQL, Redis, S3 and the task queue, then the default config behind nginx (~90 s)"
	@echo "make worker run the background task worker (TASKS_BACKEND=database)"
	@echo "make backup back up the database and all files into var/backups/"
	@echo "make lighthouse  Lighthouse mobile on five key pages: every category >= 95, CLS 0 (needs npm; docs/lighthouse.md)"

$(VENV)/.installed: pyproject.toml
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Python 3.12 or newer is needed (Django 6 requires it); none was found on PATH."; \
	  echo "Debian 12 ships Python 3.11 only, and has no python3.12 package. Ways that work:"; \
	  echo "  - uv (Debian 12, Ubuntu): curl -LsSf https://astral.sh/uv/install.sh | sh && uv python install 3.12,"; \
	  echo "    then: make run PYTHON=\$$(uv python find 3.12)"; \
	  echo "  - pyenv (Debian 12, Ubuntu): https://github.com/pyenv/pyenv#installation, then pyenv install 3.12"; \
	  echo "    (this repository's .python-version makes pyenv pick it here)"; \
	  echo "  - Ubuntu 22.04: sudo add-apt-repository ppa:deadsnakes/ppa && sudo apt install python3.12 python3.12-venv"; \
	  echo "  - Ubuntu 24.04 already has it: sudo apt install python3.12-venv"; \
	  echo "Or point the Makefile at one: make run PYTHON=/path/to/python3.12"; exit 1; fi
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -qq --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -qq --disable-pip-version-check -e ".[dev]"
	@touch $@

install: $(VENV)/.installed

# The English catalog is committed compiled; rebuild it only when its .po is newer and
# gettext's msgfmt exists (a bare machine has no gettext, and needs none to run).
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

locale/%.mo: locale/%.po
	@if command -v msgfmt >/dev/null 2>&1; then \
	  msgfmt --check-format -o $@ $< && echo "compiled $@"; \
	else echo "($< is newer than its .mo, but gettext's msgfmt is absent: using the committed .mo)"; fi

# Seeding sends demo e-mails (verifications, offers): they go to files in var/mail/
# instead of filling the console. runserver keeps the console backend, so a confirmation
# link you ask for while trying the portal shows in the terminal.
run: install $(MO_FILES)
	@DEBUG=true $(PY) manage.py migrate --noinput -v0
	@DEBUG=true LOG_LEVEL=WARNING EMAIL_URL=filemail:// EMAIL_FILE_PATH=var/mail $(PY) manage.py seed_demo
	@echo "Demo e-mails sent while seeding are in var/mail/."
	@echo
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl+C to stop; another port: make run PORT=8001)"
	@DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

# One pytest run on $(TEST_WORKERS) processes (pytest-xdist), browser tests included: each
# process has its own test database, live server and Chromium. pytest-django orders the
# database tests first and the transactional ones (the browser tests among them) last in
# each process. TEST_E2E=0 leaves the browser tests out (CI runs them once, on PostgreSQL).
# --maxschedchunk=1: a process is handed one test at a time once the first quarter is out.
# With xdist's default chunks one process was handed every browser test at once and ran
# them alone for three minutes while the other sat idle (6 min 46 s in all).
# Exit status 5 means "no test selected", which PYTEST_ARGS naming only browser tests
# with TEST_E2E=0 makes normal.
TEST_WORKERS ?= 2
TEST_E2E ?= 1
test: install
	@if [ "$(TEST_E2E)" = 1 ]; then marks=(); \
	else echo "browser tests (tests/e2e) left out: TEST_E2E=0"; marks=(-m "not e2e"); fi; \
	$(PY) -m pytest -n $(TEST_WORKERS) --maxschedchunk=1 --durations=15 "$${marks[@]}" $(PYTEST_ARGS); rc=$$?; \
	[ $$rc = 0 ] || [ $$rc = 5 ] || exit $$rc

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# After `make messages`, translate new entries: python locale/translate.py < file.tsv (see its docstring).
messages: install
	DEBUG=true $(PY) manage.py makemessages -l en --ignore=.venv --ignore=var --ignore=node_modules --no-obsolete
	DEBUG=true $(PY) manage.py compilemessages --ignore=.venv

check-deploy: install
	DEBUG=false SECRET_KEY=ci-check-deploy-$$RANDOM-not-a-real-key-but-long-enough-for-the-check \
	  ALLOWED_HOSTS=ikm.tangerangkab.go.id EMAIL_URL=smtp+tls://portal:secret@smtp.example.org:587 \
	  NIK_ENCRYPTION_KEY=Y2ktY2hlY2stZGVwbG95LW5vdC1hLXJlYWwta2V5LTA9 \
	  $(PY) manage.py check --deploy --fail-level WARNING

# Two gunicorn servers + moto S3 + Redis + PostgreSQL + a task worker: see tests/multiprocess/run.py.
# Needs PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379 (PROOF_* variables override).
multiprocess: install
	$(PY) -m tests.multiprocess

worker: install
	TASKS_BACKEND=database $(PY) manage.py db_worker --no-reload

backup: install
	$(PY) manage.py backup

clean:
	rm -rf $(VENV) staticfiles var/db.sqlite3 var/media

# Longer than a test should take, so outside the suite (see docs/benchmarks.md, docs/security.md).
bench: install
	$(PY) bench/run.py $(BENCH_ARGS)

# Restarts a PostgreSQL cluster of its own (port 5433) under concurrent writes, then
# removes it. Needs root.
fault: install
	$(PY) bench/fault.py

# 50 clients for LOAD_SECONDS (60) on public pages and form posts; fails on any error or a
# worker over 300 MB. CI runs a short one: make load LOAD_SECONDS=20
LOAD_SECONDS ?= 60
load: install
	$(PY) bench/load.py --seconds $(LOAD_SECONDS)

# Lighthouse mobile on the home, catalog, product, event and calendar pages (issue #22):
# every category >= 95 and CLS 0, or it fails (docs/lighthouse.md). Lighthouse comes
# from package-lock.json (npm ci, again only when the lock file changed), the browser is
# Debian's Chromium; without them it prints SKIP (a failure under CI=true).
# More pages: make lighthouse LIGHTHOUSE_ARGS=--english-all
lighthouse: install
	@if command -v npm >/dev/null 2>&1 && [ ! node_modules/.installed -nt package-lock.json ]; then \
	  npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed; fi
	$(PY) bench/lighthouse.py $(LIGHTHOUSE_ARGS)
