# Two commands do everything: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test

.PHONY: run test lint typecheck imports audit pytest messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip setuptools

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(BIN)/varde run

lint: $(STAMP_TEST)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP_TEST)
	$(BIN)/mypy varde

# The layer contract ([tool.importlinter] in pyproject.toml; docs/architecture.md, "Layers").
imports: $(STAMP_TEST)
	$(BIN)/lint-imports

# Known vulnerabilities in the installed packages (tools/dependency_audit.py); says so, and does
# not fail, when the advisory service cannot be reached.
audit: $(STAMP_TEST)
	$(BIN)/python tools/dependency_audit.py

pytest: $(STAMP_TEST)
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q

test: lint typecheck imports audit
	$(BIN)/python -m varde.lib.i18n_check
	$(BIN)/python -m pytest -q -n 2 --dist loadgroup $(PYTEST_ARGS)

# Regenerate the bokmål catalogue after changing user-visible strings, then translate the new
# entries in varde/locale/nb/LC_MESSAGES/django.po and run `make messages` again to compile.
messages: $(STAMP_TEST)
	cd varde && ../$(BIN)/django-admin makemessages -l nb --no-obsolete --settings=varde.conf.test_settings \
	  --ignore "*/tests/*" --no-wrap && ../$(BIN)/django-admin compilemessages -l nb --settings=varde.conf.test_settings

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache
