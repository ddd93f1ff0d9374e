"""Per-process copies of data read on every request and edited rarely (the code tables' labels), which every process
of every node drops as soon as the data changes.

Each kind of data has a stamp; an edit changes it (`bump`, at once and again at commit) and a process keeps its
copy only while the stamp it was loaded under is still the current one (`cached`). Where the stamp lives:

- with Redis (REDIS_URL, several nodes): a key of the "default" cache — one GET per use, shared by every node.
  Redis unreachable: no stamp, so no copy is trusted and the data is read from the database, as before;
- without Redis (one machine, its gunicorn workers): a file under VAR_DIR/versions, replaced on each bump; its
  inode and modification time are the stamp — one stat() per use, no query. (Several nodes always have Redis:
  sessions and login throttling need it, docs/operations.md.)

A copy older than MAX_AGE is read again whatever the stamp says, so a bump lost with Redis costs minutes, not
forever. Tests forget every copy before each test (conftest.py): a rolled-back test's edits bump nothing.
"""

import logging
import os
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import transaction

MAX_AGE = 300  # seconds
logger = logging.getLogger("opsmon.versions")

_copies: dict[str, tuple[object, object, float]] = {}  # name → (stamp, value, loaded at)


def _path(name: str) -> Path:
    return Path(getattr(settings, "VERSIONS_DIR", None) or Path(settings.VAR_DIR) / "versions") / name


def _stamp(name: str):
    """The current stamp of `name`, or None when it cannot be known (Redis unreachable)."""
    if settings.REDIS_URL:
        cache, key = caches["default"], f"version:{name}"
        stamp = cache.get(key)
        if stamp is None:  # never bumped (or evicted): start one; None again when Redis is unreachable
            cache.add(key, uuid.uuid4().hex, None)
            stamp = cache.get(key)
        return stamp
    try:
        st = os.stat(_path(name))
    except FileNotFoundError:
        return 0
    return (st.st_ino, st.st_mtime_ns)


def _change(name: str) -> None:
    _copies.pop(name, None)
    if settings.REDIS_URL:
        caches["default"].set(f"version:{name}", uuid.uuid4().hex, None)
        return
    path = _path(name)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{name}.{uuid.uuid4().hex}")
        temporary.write_text(uuid.uuid4().hex)
        os.replace(temporary, path)  # a new inode: the stamp changes even within the file system's time resolution
    except OSError:  # an edit never fails for it: the other processes' copies expire within MAX_AGE
        logger.warning("could not change the stamp %s", path, exc_info=True)


def bump(name: str) -> None:
    """`name` changed: every process drops its copy now, and again once the change is committed (a process that
    read the data between the two, before the commit, would otherwise keep the old one)."""
    _change(name)
    transaction.on_commit(lambda: _change(name))


def cached(name: str, load: Callable[[], object]):
    """This process's copy of `name`, or `load()` when the copy is missing, stale or older than MAX_AGE."""
    stamp = _stamp(name)  # before loading: a bump during the load leaves the copy stale, never wrongly fresh
    held = _copies.get(name)
    if held is not None and stamp is not None and held[0] == stamp and time.monotonic() - held[2] < MAX_AGE:
        return held[1]
    value = load()
    if stamp is not None:
        _copies[name] = (stamp, value, time.monotonic())
    return value


def forget() -> None:
    """Drop every copy of this process (tests)."""
    _copies.clear()
