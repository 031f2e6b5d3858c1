# Two commands get a newcomer going: `make run` and `make test`. See docs/ for the rest.
SHELL := /bin/bash
.DEFAULT_GOAL := help
export UV_CACHE_DIR ?= $(CURDIR)/.cache/uv
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/.venv
export UV_PYTHON_DOWNLOADS := never
PORT ?= 8000
PY := .venv/bin/python
# The suite runs on every CPU (pytest-xdist); `make test TEST_WORKERS=0` runs it in one process.
TEST_WORKERS ?= auto
UV_VERSION := 0.13.8

.PHONY: help install run test lint format e2e bench migrations-check screenshots

help:
	@echo "make run    install, migrate, load demo data, serve on http://127.0.0.1:$(PORT) with a worker and beat"
	@echo "make test   install, lint, run the whole test suite"
	@echo "make lint   ruff, ruff format --check, djlint, import-linter (the layers)"
	@echo "make bench  performance benchmarks (see docs/performance.md)"
	@echo "make screenshots  the browser journeys, photographing the main pages into docs/screenshots/"

.tools/bin/uv:
	@python=$$(.ci/find-python) && "$$python" -m venv .tools && .tools/bin/pip install -q "uv==$(UV_VERSION)"

.venv/.installed: pyproject.toml uv.lock | .tools/bin/uv
	@python=$$(.ci/find-python) && .tools/bin/uv sync --frozen --quiet -p "$$python"
	@touch $@

install: .venv/.installed

run: install
	@.ci/ensure-debian-packages run
	@$(PY) manage.py migrate --noinput -v0
	@$(PY) manage.py make_dev_certificate
	@$(PY) manage.py seed_demo
	@$(PY) manage.py collectstatic --noinput -v0
	@$(PY) manage.py serve --port $(PORT)

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/djlint templates --lint
	.venv/bin/lint-imports

format: install
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

migrations-check: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run

test: install lint migrations-check
	@.ci/ensure-debian-packages && .ci/ensure-axe
	DJANGO_ALLOW_ASYNC_UNSAFE=true .venv/bin/pytest -n $(TEST_WORKERS)

screenshots: install
	@.ci/ensure-debian-packages && .ci/ensure-axe
	SCREENSHOTS_DIR=docs/screenshots DJANGO_ALLOW_ASYNC_UNSAFE=true .venv/bin/pytest tests/e2e/test_journeys.py -q

# The web benchmark seeds its own database once (.cache/bench/, or the database `bench` when
# DATABASE_URL is PostgreSQL) and reuses it; see docs/performance.md.
bench: install
	@bench/ensure-wrk
	$(PY) bench/run.py
