"""Reliability tests (issue 8): the production server on databases of their own, spoken to over real HTTP.

The suite's database decides the engine: without DATABASE_URL every database here is a SQLite file in a
private folder; with DATABASE_URL=postgres://…/test they are `opsmon_rel_<pid>_<n>` on the same server (the
`test` database itself is never touched) and are dropped at the end.

`prod_server(db=None, *, workers=2, database_url=None)` starts `opsmon serve` with the production settings on
`db` (default: a fresh copy of the demo database) and answers the running server (`.url` is its base URL); every
server is stopped, and every process under it killed, when the test ends, pass or fail.
"""

import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from .harness import Database, Databases, Server, production_env, run_opsmon

# `make test-reliability-long` / `make test-storm`: the full-size variants.
LONG = os.environ.get("OPSMON_RELIABILITY_LONG", "") == "1"


@pytest.fixture(scope="package")
def rel_dir():
    path = Path(tempfile.mkdtemp(prefix=f"rel-var-{os.getpid()}-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="package")
def databases(rel_dir):
    made = Databases(os.environ.get("DATABASE_URL"), rel_dir / "db")
    made.drop_leftovers()
    yield made
    made.drop_all()


@pytest.fixture(scope="package")
def static_root(rel_dir):
    return rel_dir / "static"


@pytest.fixture(scope="package")
def demo_template(databases, rel_dir, static_root) -> Database:
    """Migrated, with `opsmon demo` loaded: built once, copied for each server."""
    began = time.monotonic()
    db = databases.new("template")
    env = production_env(db.url, rel_dir / "template-var", static_root)
    run_opsmon(env, ["migrate", "--noinput", "-v0"], ["demo"])
    print(f"\ndemo template on {db.vendor}: migrated and loaded in {time.monotonic() - began:.1f} s")
    return db


def _start(server: Server) -> Server:
    try:
        return server.start()
    except BaseException:
        server.stop()
        raise


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.rel_failed = report.failed
    return report


@pytest.fixture
def prod_server(request, databases, rel_dir, static_root, demo_template):
    started: list[Server] = []

    def start(db: Database | None = None, *, workers: int = 2, database_url: str | None = None, **env) -> Server:
        db = db or databases.new("demo", template=demo_template)
        server = Server(db, var_dir=rel_dir / f"var-{db.name}", static_root=static_root, workers=workers,
                        database_url=database_url, **env)
        started.append(server)
        return _start(server)

    yield start
    for server in started:
        server.stop()
        if getattr(request.node, "rel_failed", True):
            print(f"--- {server.log_path} (last lines) ---\n{server.log()[-4000:]}")


@pytest.fixture(scope="package")
def demo_server(request, databases, rel_dir, static_root, demo_template):
    """One production server with 4 gunicorn workers on a copy of the demo data, shared by the tests that each
    use records of their own."""
    db = databases.new("shared", template=demo_template)
    server = Server(db, var_dir=rel_dir / "var-shared", static_root=static_root, workers=4)
    try:
        began = time.monotonic()
        yield _start(server)
    finally:
        print(f"\nshared server: up {time.monotonic() - began:.1f} s")
        server.stop()
        if request.session.testsfailed:
            print(f"--- {server.log_path} (last lines) ---\n{server.log()[-6000:]}")
