# Two commands do everything on a fresh machine:
#   make run    - demo portal on SQLite at http://127.0.0.1:8000
#   make test   - the whole test suite (PostgreSQL when DATABASE_URL names one)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?= -n 2

.PHONY: run test install lint format migrations-check demo worker clean cluster cluster-stop

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 12), "Python 3.12 or newer is needed (see .python-version)"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml requirements/constraints.txt
	$(BIN)/pip install --quiet -c requirements/constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_demo
	@echo "Starting the background worker beside the server (reports packs, reminders); both stop with Ctrl+C."
	@DEBUG=1 $(BIN)/python manage.py db_worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

demo: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_demo

worker: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py db_worker

test: $(STAMP)
	@case "$${DATABASE_URL:-}" in \
	  postgres*) echo "Running the test suite on PostgreSQL ($${DATABASE_URL%%\?*})";; \
	  *) echo "Running the test suite on SQLite (set DATABASE_URL=postgres://... to use PostgreSQL)";; \
	esac
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: $(STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run

# A local cluster (deploy/cluster.sh): haproxy, two web nodes, two task
# workers, PostgreSQL, Redis and S3 storage of its own on 127.0.0.1.
CLUSTER_STAMP := $(VENV)/.cluster-installed

$(CLUSTER_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -c requirements/constraints.txt -e '.[dev,cluster]'
	touch $(CLUSTER_STAMP)

cluster: $(CLUSTER_STAMP)
	deploy/cluster.sh start

cluster-stop:
	deploy/cluster.sh stop

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache staticfiles
