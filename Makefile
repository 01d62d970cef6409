# Fieldwork. `make run` serves the demo on SQLite with a task worker beside it; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run worker test test-fast lint format migrations-check messages bench load setup clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv
	$(VENV)/bin/uv pip install --quiet --python $(PY) -r pyproject.toml --extra dev
	rm -f $(VENV)/.installed-*
	touch $@

setup: $(STAMP)

run: $(STAMP)
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo --if-empty
	@echo ""
	@echo "Fieldwork is at http://127.0.0.1:8000  (sign in with a demo account above; password: demo-pass-2026)"
	scripts/run_with_worker.sh $(PY) 127.0.0.1:8000

# One worker of the task queue (fieldwork/tasks.py); it also enqueues the day's reminders.
worker: $(STAMP)
	$(MANAGE) migrate --noinput
	$(MANAGE) run_worker

test: $(STAMP)
	$(VENV)/bin/pytest -n auto

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: $(STAMP)
	$(MANAGE) makemigrations --check --dry-run

messages: $(STAMP)
	$(MANAGE) makemessages -l zh_Hans --ignore .venv --ignore staticfiles --ignore static --no-obsolete --no-location
	$(MANAGE) compilemessages --ignore .venv

# The benchmarks of docs/benchmarks.md, on PostgreSQL (slow: the seed alone takes ~4 minutes).
bench: $(STAMP)
	scripts/bench_seed.sh
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/fw_bench $(PY) scripts/bench_lists.py
	$(PY) scripts/bench_dashboard.py

load: $(STAMP)
	$(VENV)/bin/uv pip install --quiet --python $(PY) -r pyproject.toml --extra load
	scripts/load.sh

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
