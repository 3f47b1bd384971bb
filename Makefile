# commsdesk — `make run` for the demo on SQLite, `make test` for the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_FLAGS ?= -q

.DEFAULT_GOAL := help
.PHONY: help install install-test run test test-sqlite test-postgres lint format bench bench-quick clean

help: ## Show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e ".[test,dev]"
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed ## Create .venv and install commsdesk

install-test: $(VENV)/.installed-test ## Install what the tests and linters need

run: install ## Set up SQLite, load the demo newsroom and run web + worker + scheduler
	COMMSDESK_ALLOW_PRIVATE_NETWORKS=1 \
	EMAIL_BACKEND=$${EMAIL_BACKEND:-django.core.mail.backends.filebased.EmailBackend} \
	$(BIN)/commsdesk run --demo

test: install-test ## Run the whole suite on SQLite, then on PostgreSQL if it answers
	$(MAKE) --no-print-directory test-sqlite
	@if $(PY) -c "import psycopg,sys; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		$(MAKE) --no-print-directory test-postgres; \
	elif [ -n "$$CI" ]; then echo "PostgreSQL at $(PG_URL) is not answering" >&2; exit 1; \
	else echo "PostgreSQL not reachable at $(PG_URL): skipped the PostgreSQL run"; fi

# pytest exits 5 when it collected nothing: for this suite that is a failure, said plainly.
NO_TESTS = status=$$?; if [ $$status -eq 5 ]; then echo "pytest collected no tests" >&2; exit 1; fi; exit $$status

test-sqlite: install-test ## The suite on SQLite
	$(BIN)/pytest $(PYTEST_FLAGS); $(NO_TESTS)

test-postgres: install-test ## The suite on PostgreSQL (PG_URL), browser tests excepted
	DATABASE_URL=$(PG_URL) $(BIN)/pytest $(PYTEST_FLAGS) -m "not e2e"; $(NO_TESTS)

lint: install-test ## ruff, mypy on the pipeline, import contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: install-test ## Apply ruff's formatting and fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install-test ## The benchmark suite, with same-run ratios
	$(BIN)/commsdesk bench

bench-quick: install-test ## A fast pass of the benchmarks
	$(BIN)/commsdesk bench --quick

clean: ## Remove the virtualenv and local data
	rm -rf $(VENV) var
