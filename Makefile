# Bistånd — the two commands: `make run` and `make test`. Everything they need is installed from here.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
PORT ?= 8000

.PHONY: run test venv deps assets browser lint lock messages clean help

help:
	@echo "make run   - set up and run Bistånd on http://127.0.0.1:$(PORT) (demo data, worker, registers simulator)"
	@echo "make test  - run the whole test suite on SQLite and on PostgreSQL, plus the browser tests"
	@echo "make lint  - ruff"
	@echo "make lock  - re-resolve requirements.lock from pyproject.toml"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Bistånd needs Python 3.12 or newer (found " + sys.version.split()[0] + ")")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)"

# Reinstall only when the lock file (or how it is installed) changes. Packages are installed with their
# bytecode: without it every command compiles NumPy and the rest again at start (0.3 s of `bistand
# simulate`'s 1 s) wherever PYTHONDONTWRITEBYTECODE is set or site-packages is read-only.
$(VENV)/.deps: requirements.lock pyproject.toml Makefile | $(BIN)/python
	$(BIN)/uv pip sync --quiet --compile-bytecode --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python --no-deps -e .
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	@touch $@

venv: $(VENV)/.deps
deps: $(VENV)/.deps node_modules/.installed
	@$(BIN)/python -m compileall -q src/bistand > /dev/null  # our own modules' bytecode too

run: deps
	@$(BIN)/bistand run --port $(PORT)

# Chromium and PostgreSQL come from Debian's packages; scripts/test.sh installs them when missing.
test: deps
	@bash scripts/test.sh $(ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

messages: venv
	cd src/bistand && ../../$(BIN)/bistand manage makemessages -l sv -l en -l ar --no-obsolete --ignore "rules/*" --ignore "registers/*" --ignore "decisions/*" --ignore "oversight/*" --ignore "audit/*" --ignore "security/*"
	@for app in decisions oversight audit security; do (cd src/bistand/$$app && ../../../$(BIN)/bistand manage makemessages -l sv -l en -l ar --no-obsolete); done

lock:
	$(BIN)/uv pip compile pyproject.toml --group dev --generate-hashes --python-version 3.12 --universal -o requirements.lock -q

clean:
	rm -rf $(VENV) node_modules
