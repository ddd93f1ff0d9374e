# OpsMon: `make run` sets up and starts the app on SQLite with demo data; `make test` sets up and runs every test.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: run setup setup-test assets system-build-deps system-test-deps test test-sqlite test-postgres lint serve demo clean test-storm test-reliability-long fuzz desktop desktop-screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

setup: $(BIN)/python assets system-build-deps
	$(BIN)/pip install --quiet -e .

setup-test: $(BIN)/python assets system-build-deps
	$(BIN)/pip install --quiet -e '.[test,desktop]'

# issue 23: python-ldap (under django-auth-ldap) compiles against OpenLDAP's and SASL's headers.
system-build-deps:
	@if [ ! -e /usr/include/ldap.h ] || [ ! -e /usr/include/sasl/sasl.h ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libldap2-dev libsasl2-dev >/dev/null; \
	  else echo "install Debian's libldap2-dev and libsasl2-dev (sudo apt-get install ...)"; exit 1; fi; \
	fi

assets: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

run: setup
	$(BIN)/opsmon migrate --noinput
	$(BIN)/opsmon demo --if-empty
	$(BIN)/opsmon serve --host $(HOST) --port $(PORT)

# The desktop client (clients/desktop, issue 17) against a running `make run` server.
desktop: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[desktop]'
	$(BIN)/opsmon-desk --server http://$(HOST):$(PORT)

# Screenshots of the desktop client's main windows into docs/desktop/ (a live demo server of its own, offscreen Qt).
desktop-screenshots: setup-test
	env -u DATABASE_URL $(BIN)/python clients/desktop/scripts/screenshots.py

# Screenshots of the web client (issue 20) into docs/screenshots/: the workbench of each role, the lists, a page of
# each kind of record and the dashboards, at 1440 and 390 px (a live demo server of its own, Chromium, CJK font).
.PHONY: screenshots
screenshots: setup-test
	env -u DATABASE_URL $(BIN)/python scripts/screenshots.py

# Debian's Chromium for the browser tests, gettext for the catalogue check, postgresql-client for the
# backup/restore test; slapd and ldap-utils for the directory sign-in tests and fonts-noto-cjk for the screenshots
# (issue 23); Xvfb and the libraries Qt (PySide6) loads, for the desktop client's tests and screenshots (issue 17);
# needs root (CI is root).
QT_DEBS := xvfb xauth fonts-noto-cjk libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 \
	libglib2.0-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 \
	libxcb-randr0 libxcb-shape0 libxcb-xfixes0 libxcb-xkb1 libxcb-sync1 libxcb-shm0
system-test-deps:
	@if ! command -v chromium >/dev/null || ! command -v xgettext >/dev/null || ! command -v pg_dump >/dev/null \
	    || ! [ -x /usr/sbin/slapd ] || ! command -v ldapadd >/dev/null \
	    || ! command -v Xvfb >/dev/null || ! dpkg -s $(QT_DEBS) >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium gettext postgresql-client slapd ldap-utils libldap2-dev libsasl2-dev fonts-noto-cjk $(QT_DEBS) >/dev/null; \
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
	env -u DATABASE_URL $(BIN)/python -m pytest -p no:cacheprovider --durations=40

test-postgres:
	@echo "== test suite on PostgreSQL ($(TEST_POSTGRES_URL)) =="
	DATABASE_URL=$(TEST_POSTGRES_URL) $(BIN)/python -m pytest -p no:cacheprovider --durations=40

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

# issue 19: the scale-out reference deployment (deploy/) on this one machine: a private PostgreSQL primary + streaming
# hot standby, Redis, an S3-compatible server (moto), two app nodes, a task worker and nginx running
# deploy/nginx/opsmon.conf; then the checks of tests/cluster/run.py over nginx (about 3-4 minutes). Needs Debian's
# nginx (+ brotli modules), postgresql (server binaries; the machine's own cluster is not touched), redis-server.
.PHONY: test-cluster system-cluster-deps
CLUSTER_DEBS := nginx libnginx-mod-http-brotli-filter libnginx-mod-http-brotli-static postgresql redis-server openssl
system-cluster-deps:
	@if ! command -v nginx >/dev/null || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
	    || ! command -v redis-server >/dev/null || ! dpkg -s $(CLUSTER_DEBS) >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(CLUSTER_DEBS) >/dev/null; \
	  else echo "install Debian's $(CLUSTER_DEBS) (sudo apt-get install ...)"; exit 1; fi; \
	fi

test-cluster: setup-test system-cluster-deps
	env -u DATABASE_URL $(BIN)/python -m tests.cluster.run
