# Everything a fresh clone needs: `make run` to study, `make test` to check.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app quizapp
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run serve install install-test migrate load check test lint conformance bench screenshots clean

# An older Python would only fail later, in pip, and leave a .venv that a rerun with PYTHON=… keeps using; a venv
# left half made (Debian without python3-venv stops after bin/python) is removed, so the next run makes it again.
$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
		echo "quizapp needs Python 3.11 or newer, and $(PYTHON) is $$($(PYTHON) --version 2>&1)." \
			"Name a newer one: make run PYTHON=python3.12" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); exit 1; }

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

$(VENV)/.installed-bench: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[bench]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

migrate: install
	$(FLASK) db upgrade

load: migrate
	$(FLASK) questions load

check: install
	$(FLASK) questions check

# What to do next, said before the server's own lines: where to open it, where mail goes, how to get more rights.
run: load
	@echo
	@echo "quizapp: open http://$(HOST):$(PORT)/ (Ctrl-C stops the server; another port: make run PORT=5001)."
	@echo "  Sign up at http://$(HOST):$(PORT)/auth/register. Without QUIZAPP_MAIL_SERVER no mail is sent: the"
	@echo "  confirmation mail and its link are printed here and saved under instance/outbox/."
	@echo "  Instructor or admin pages: in another terminal, run"
	@echo "    $(FLASK) users set-role EMAIL admin"
	@echo
	$(FLASK) run --host $(HOST) --port $(PORT)

# Production server: gunicorn with quizapp/gunicorn_conf.py (WEB_CONCURRENCY, GUNICORN_BIND); refuses to start without SECRET_KEY.
serve: load
	$(VENV)/bin/gunicorn --config python:quizapp.gunicorn_conf

test: install-test
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install-test
	$(VENV)/bin/ruff check quizapp tests bench migrations/env.py

# Importers and exporters against the upstream test files in ../shared/formats (never copied here).
conformance: install
	$(PY) -m quizapp.formats.conformance

# Classroom load benchmark (docs/performance.md); BENCH_ARGS="--database-url postgresql://..." for PostgreSQL.
bench: $(VENV)/.installed-bench
	$(PY) bench/classroom.py $(BENCH_ARGS)

screenshots: install-test
	SCREENSHOT_DIR=docs/screenshots $(PY) -m pytest -q tests/browser \
		-k "register_quiz_feedback_and_source or instructor_sets_up_a_class_and_a_student_completes_the_work"

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache test-artifacts
