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

.PHONY: help install run test lint format messages check-deploy clean bench fault load multiprocess worker backup

help:
	@echo "make run    install everything, migrate, load demo data and serve on http://$(HOST):$(PORT)"
	@echo "make test   run the whole test suite (SQLite by default; set DATABASE_URL for PostgreSQL)"
	@echo "make lint   ruff check and format check"
	@echo "make multiprocess  prove two app servers share PostgreSQL, Redis, S3 and the task queue (~40 s)"
	@echo "make worker run the background task worker (TASKS_BACKEND=database)"
	@echo "make backup back up the database and all files into var/backups/"

$(VENV)/.installed: pyproject.toml
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Python 3.12 or newer is needed (Django 6 requires it)."; \
	  echo "On Debian/Ubuntu: sudo apt install python3.12 python3.12-venv (or use pyenv)."; exit 1; fi
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

install: $(VENV)/.installed

run: install
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py compilemessages --ignore=.venv >/dev/null
	DEBUG=true $(PY) manage.py seed_demo
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# After `make messages`, translate new entries: python locale/translate.py < file.tsv (see its docstring).
messages: install
	DEBUG=true $(PY) manage.py makemessages -l en --ignore=.venv --ignore=var --no-obsolete
	DEBUG=true $(PY) manage.py compilemessages --ignore=.venv

check-deploy: install
	DEBUG=false SECRET_KEY=ci-check-deploy-$$RANDOM-not-a-real-key-but-long-enough-for-the-check \
	  ALLOWED_HOSTS=ikm.tangerangkab.go.id EMAIL_URL=smtp+tls://portal:secret@smtp.example.org:587 \
	  NIK_ENCRYPTION_KEY=Y2ktY2hlY2stZGVwbG95LW5vdC1hLXJlYWwta2V5LTA9 \
	  $(PY) manage.py check --deploy --fail-level WARNING

# Two gunicorn servers + moto S3 + Redis + PostgreSQL + a task worker: see tests/multiprocess/run.py.
# Needs PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379 (PROOF_* variables override).
multiprocess: install
	$(PY) -m tests.multiprocess.run

worker: install
	TASKS_BACKEND=database $(PY) manage.py db_worker --no-reload

backup: install
	$(PY) manage.py backup

clean:
	rm -rf $(VENV) staticfiles var/db.sqlite3 var/media

# Longer than a test should take, so outside the suite (see docs/benchmarks.md, docs/security.md).
bench: install
	$(PY) bench/run.py $(BENCH_ARGS)

# Restarts a PostgreSQL cluster of its own (port 5433) under concurrent writes. Needs root.
fault: install
	$(PY) bench/fault.py

# 50 clients for 60 s on public pages and form posts; fails on any error or a worker over 300 MB.
load: install
	$(PY) bench/load.py
