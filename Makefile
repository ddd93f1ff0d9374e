# OpsMon: `make run` sets up and starts the app on SQLite with demo data; `make test` sets up and runs every test.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: run setup setup-test assets system-test-deps test test-sqlite test-postgres lint serve demo clean test-storm test-reliability-long fuzz

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

setup: $(BIN)/python assets
	$(BIN)/pip install --quiet -e .

setup-test: $(BIN)/python assets
	$(BIN)/pip install --quiet -e '.[test]'

assets: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

run: setup
	$(BIN)/opsmon migrate --noinput
	$(BIN)/opsmon demo --if-empty
	$(BIN)/opsmon serve --host $(HOST) --port $(PORT)

# Debian's Chromium for the browser tests, gettext for the catalogue check, postgresql-client for the
# backup/restore test; needs root (CI is root).
system-test-deps:
	@if ! command -v chromium >/dev/null || ! command -v xgettext >/dev/null || ! command -v pg_dump >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium gettext postgresql-client >/dev/null; \
	  else echo "install Debian's chromium, gettext and postgresql-client (sudo apt-get install ...)"; exit 1; fi; \
	fi

lint: setup-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# The two databases side by side (own files each): the suite waits on its live servers, browser and database
# about half the time, so together they take little more than the longer one alone. Each log is printed whole
# when both are done.
test: setup-test system-test-deps lint
	@echo "== test suite on SQLite and on PostgreSQL ($(TEST_POSTGRES_URL)), side by side =="
	@mkdir -p var/test-logs; \
	OPSMON_VAR_DIR=$(CURDIR)/var/test-sqlite $(MAKE) --no-print-directory test-sqlite > var/test-logs/sqlite.log 2>&1 & \
	sqlite=$$!; \
	OPSMON_VAR_DIR=$(CURDIR)/var/test-postgres $(MAKE) --no-print-directory test-postgres > var/test-logs/postgres.log 2>&1 & \
	postgres=$$!; \
	wait $$sqlite; sqlite_status=$$?; wait $$postgres; postgres_status=$$?; \
	cat var/test-logs/sqlite.log var/test-logs/postgres.log; \
	echo "== SQLite: $$( [ $$sqlite_status = 0 ] && echo passed || echo FAILED ), PostgreSQL: $$( [ $$postgres_status = 0 ] && echo passed || echo FAILED ) =="; \
	[ $$sqlite_status = 0 ] && [ $$postgres_status = 0 ]

test-sqlite:
	@echo "== test suite on SQLite =="
	env -u DATABASE_URL $(BIN)/python -m pytest -p no:cacheprovider

test-postgres:
	@echo "== test suite on PostgreSQL ($(TEST_POSTGRES_URL)) =="
	DATABASE_URL=$(TEST_POSTGRES_URL) $(BIN)/python -m pytest -p no:cacheprovider

# Reliability (issue 8, tests/reliability): the full-size variants of what `make test` runs bounded.
test-storm:
	@echo "== writer storm on SQLite: 8 processes x 200 follow-ups through the production server =="
	env -u DATABASE_URL OPSMON_STORM_WRITES=200 $(BIN)/python -m pytest -p no:cacheprovider -s tests/reliability/test_writer_storm.py

test-reliability-long:
	@echo "== reliability, long variants, on SQLite then PostgreSQL ($(TEST_POSTGRES_URL)) =="
	env -u DATABASE_URL OPSMON_RELIABILITY_LONG=1 OPSMON_STORM_WRITES=200 $(BIN)/python -m pytest -p no:cacheprovider -s tests/reliability
	DATABASE_URL=$(TEST_POSTGRES_URL) OPSMON_RELIABILITY_LONG=1 OPSMON_STORM_WRITES=200 $(BIN)/python -m pytest -p no:cacheprovider -s tests/reliability

# API fuzzing (issue 8): the test command runs FUZZ_EXAMPLES=4 per operation; this runs 200 on both databases.
fuzz:
	env -u DATABASE_URL FUZZ_EXAMPLES=200 $(BIN)/python -m pytest -p no:cacheprovider opsmon/core/tests/test_api_fuzz.py
	DATABASE_URL=$(TEST_POSTGRES_URL) FUZZ_EXAMPLES=200 $(BIN)/python -m pytest -p no:cacheprovider opsmon/core/tests/test_api_fuzz.py

clean:
	rm -rf $(VENV) node_modules opsmon/static/vendor var test-results
