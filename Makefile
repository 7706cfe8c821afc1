# Two commands on a fresh machine: `make run` and `make test` (each does its own set-up).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?=

.PHONY: run test install install-dev lock system-packages postgres benchmarks clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Every dependency, transitive ones included, comes from the lock files with its hash checked;
# the project itself is then installed without resolving anything again.
$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e '.[dev]'
	touch $@ $(VENV)/.installed

PIP_COMPILE := $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-find-links --no-emit-index-url

# After changing a pin in pyproject.toml: re-resolve both lock files (pip-tools).
lock: | $(BIN)/python
	$(BIN)/pip install --quiet pip-tools==7.6.2
	$(PIP_COMPILE) --output-file requirements.lock pyproject.toml
	$(PIP_COMPILE) --extra dev --output-file requirements-dev.lock pyproject.toml

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
	$(BIN)/python benchmarks/faults.py

clean:
	rm -rf $(VENV) var build *.egg-info
