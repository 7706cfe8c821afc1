# Two commands on a fresh machine: `make run` and `make test` (each does its own set-up).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?=

.PHONY: run test install install-dev system-packages postgres benchmarks clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

system-packages:
	@scripts/system-packages.sh

postgres:
	@scripts/ensure-postgres.sh

run: install
	$(BIN)/assistant init-db --demo
	$(BIN)/assistant serve --host $(HOST) --port $(PORT)

test: install-dev system-packages postgres
	$(BIN)/ruff check --select F,E9 --ignore F811 assistant tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/python -m pytest $(PYTEST_ARGS)

benchmarks: install-dev system-packages postgres
	$(BIN)/python benchmarks/intents.py
	$(BIN)/python benchmarks/speech.py
	$(BIN)/python benchmarks/voice.py
	$(BIN)/python benchmarks/sms.py
	$(BIN)/python benchmarks/scheduler.py
	$(BIN)/python benchmarks/dashboard.py

clean:
	rm -rf $(VENV) var build *.egg-info
