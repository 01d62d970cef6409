# Fieldwork. `make run` serves the demo on SQLite; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run test test-fast lint format migrations-check messages bench setup clean

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
	$(MANAGE) runserver 127.0.0.1:8000

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
	$(MANAGE) makemessages -l zh_Hans --ignore .venv --ignore staticfiles --ignore static --no-obsolete
	$(MANAGE) compilemessages --ignore .venv

bench: $(STAMP)
	$(PY) scripts/bench.py

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
