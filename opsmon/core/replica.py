"""Reads from the PostgreSQL hot standby, with read-your-writes (issue 19; on only with DATABASE_REPLICA_URL).

Which reads: only GET/HEAD requests whose path matches `REPLICA_READ_PATHS` (dashboards, Excel exports, the change
feed): the heavy, read-only pages that may be a moment old. Everything else, every write, and every read of the
tables that decide who is asking and what he may do (sessions, users and roles, tokens, login throttling, the task
queue: `REPLICA_PRIMARY_ONLY_APPS`) goes to the primary.

Read-your-writes: after a successful write request the primary's WAL position (`pg_current_wal_lsn()`) is kept in
the shared cache (Redis, so every node sees it) under the user, for `REPLICA_READ_YOUR_WRITES_SECONDS`. While it is
there his replica-eligible reads stay on the primary until the standby's `pg_last_wal_replay_lsn()` has passed it.

Falling back: the standby is asked (one small query, at most once a second per process) whether it answers, how far
it has replayed and how far behind it is. Unreachable, not streaming, or behind by more than
`REPLICA_MAX_LAG_SECONDS` → reads go to the primary, a warning goes to the log (once per change, per process) and
`/healthz` shows the replica degraded; it is asked again after `REPLICA_RETRY_SECONDS`. A request that failed on
the replica because it went away during the request is answered again from the primary.
"""

import contextlib
import contextvars
import logging
import re
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import connections

log = logging.getLogger("opsmon.replica")

REPLICA = "replica"
PRIMARY = "default"
HEADER = "X-OpsMon-Read-From"

_PROBE_SQL = """
SELECT pg_is_in_recovery(),
       (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END)::text,
       CASE WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END,
       (SELECT count(*) FROM pg_stat_wal_receiver)
"""


def enabled() -> bool:
    return REPLICA in settings.DATABASES


def parse_lsn(text: str | None) -> int:
    """'16/B374D848' → an integer that orders as the WAL does."""
    if not text:
        return 0
    high, _, low = text.partition("/")
    return (int(high, 16) << 32) | int(low, 16)


# --- the standby's state, per process ---------------------------------------------------------------------------

@dataclass
class State:
    usable: bool
    detail: str
    replay_lsn: int = 0
    lag_seconds: float | None = None
    checked_at: float = 0.0
    kind: str = ""  # streaming | promoted | unreachable | not_streaming | lagging: a change of it is logged

    def as_dict(self) -> dict:
        out = {"status": "ok" if self.usable else "degraded", "detail": self.detail}
        if self.lag_seconds is not None:
            out["lag_seconds"] = round(self.lag_seconds, 3)
        return out


_lock = threading.Lock()
_state: State | None = None


def _ask() -> State:
    """One look at the standby; never raises."""
    now = time.monotonic()
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(_PROBE_SQL)
            in_recovery, lsn, lag, receivers = cursor.fetchone()
    except Exception as exc:  # any failure to ask means "do not read from it"
        connections[REPLICA].close()
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return State(False, f"unreachable ({first_line}); reads go to the primary", checked_at=now,
                     kind="unreachable")
    lag = float(lag or 0)
    if in_recovery and not receivers:
        return State(False, "not streaming from the primary; reads go to the primary", parse_lsn(lsn), lag, now,
                     "not_streaming")
    if lag > settings.REPLICA_MAX_LAG_SECONDS:
        return State(False, f"{lag:.1f} s behind (limit {settings.REPLICA_MAX_LAG_SECONDS} s); reads go to the "
                            f"primary", parse_lsn(lsn), lag, now, "lagging")
    return State(True, "streaming" if in_recovery else "not in recovery (promoted?)", parse_lsn(lsn), lag, now,
                 "streaming" if in_recovery else "promoted")


def state(*, fresh: bool = False) -> State:
    """The standby's state, asked again when older than a second (when unusable: after REPLICA_RETRY_SECONDS)."""
    global _state
    with _lock:
        current = _state
        if current is not None and not fresh:
            age = time.monotonic() - current.checked_at
            if age < (settings.REPLICA_PROBE_SECONDS if current.usable else settings.REPLICA_RETRY_SECONDS):
                return current
        new = _ask()
        if current is None or (current.usable, current.kind) != (new.usable, new.kind):
            if new.usable:
                log.log(logging.INFO if current is None or current.usable else logging.WARNING,
                        "replica usable%s (%s): dashboards and exports read from it",
                        "" if current is None else " again", new.detail)
            else:
                log.warning("replica %s", new.detail)
        _state = new
        return new


# --- read-your-writes ---------------------------------------------------------------------------------------------

_pin_failure_logged = -1e9


def _pin_key(user_id) -> str:
    return f"opsmon:replica:written:{user_id}"


def _shared_cache():
    return caches[settings.REPLICA_PIN_CACHE]


def pin(user_id) -> None:
    """After his write: remember how far the primary's WAL had gone."""
    with connections[PRIMARY].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        lsn = parse_lsn(cursor.fetchone()[0])
    global _pin_failure_logged
    try:
        _shared_cache().set(_pin_key(user_id), lsn, settings.REPLICA_READ_YOUR_WRITES_SECONDS)
    except Exception:
        # The cache is away: nobody's position can be read either, so every eligible read goes to the primary
        # (choose()); said once a minute per process, not once per write.
        if time.monotonic() - _pin_failure_logged > 60:
            log.warning("cannot keep write positions (shared cache unreachable): replica reads go to the primary")
            _pin_failure_logged = time.monotonic()
        raise


def pinned(user_id) -> int | None:
    """The WAL position his reads must see, or None. Raises when the shared cache cannot be asked."""
    return _shared_cache().get(_pin_key(user_id))


def _user_id(request):
    auth = getattr(request, "auth", None)  # django-ninja's bearer token user
    if getattr(auth, "pk", None) is not None:
        return auth.pk
    user = getattr(request, "user", None)
    return user.pk if user is not None and user.is_authenticated else None


def choose(request) -> str:
    """The alias this request's reads go to: the replica when it is usable and has replayed his writes."""
    current = state()
    if not current.usable:
        return PRIMARY
    user_id = _user_id(request)
    if user_id is None:
        return REPLICA
    try:
        must_see = pinned(user_id)
    except Exception:
        return PRIMARY  # cannot tell whether he just wrote: the primary always has it
    if must_see is None or current.replay_lsn >= must_see:
        return REPLICA
    current = state(fresh=True)
    return REPLICA if current.usable and current.replay_lsn >= must_see else PRIMARY


# --- the request's choice, the router and the middleware -----------------------------------------------------------

class _Reading:
    """Per eligible request: the alias, chosen at its first read of a replicable table (after authentication)."""

    def __init__(self, request, forced: str | None = None):
        self.request = request
        self.alias = forced

    def choose(self) -> str:
        if self.alias is None:
            self.alias = choose(self.request)
        return self.alias


_current: contextvars.ContextVar[_Reading | None] = contextvars.ContextVar("opsmon_replica_reading", default=None)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        reading = _current.get()
        if reading is None or model._meta.app_label in settings.REPLICA_PRIMARY_ONLY_APPS:
            return PRIMARY
        return reading.choose()

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY  # the standby replays the primary's schema


_paths = None


def eligible(request) -> bool:
    global _paths
    if request.method not in ("GET", "HEAD"):
        return False
    if _paths is None:
        _paths = [re.compile(p) for p in settings.REPLICA_READ_PATHS]
    return any(p.search(request.path) for p in _paths)


class ReplicaMiddleware:
    """After AuthenticationMiddleware: routes eligible reads (see the module's doc), keeps read-your-writes."""

    def __init__(self, get_response):
        self.get_response = get_response
        if settings.REPLICA_PIN_CACHE not in settings.CACHES or (
                "redis" not in settings.CACHES[settings.REPLICA_PIN_CACHE]["BACKEND"].lower()):
            log.warning("DATABASE_REPLICA_URL without REDIS_URL: read-your-writes holds only within one process; "
                        "set REDIS_URL when more than one process serves")

    def __call__(self, request):
        if not eligible(request):
            response = self.get_response(request)
            if request.method not in ("GET", "HEAD", "OPTIONS") and response.status_code < 400:
                user_id = _user_id(request)
                if user_id is not None:
                    with contextlib.suppress(Exception):  # logged in pin(); the write itself has succeeded
                        pin(user_id)
            return response
        return self._read(request)

    def _read(self, request, forced: str | None = None):
        reading = _Reading(request, forced)
        token = _current.set(reading)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        if reading.alias == REPLICA and response.status_code >= 500 and not state(fresh=True).usable:
            log.warning("%s %s failed on the replica; answered again from the primary", request.method, request.path)
            response.close()
            return self._read(request, forced=PRIMARY)
        response[HEADER] = "replica" if reading.alias == REPLICA else "primary"
        return response


def health() -> dict:
    if not enabled():
        return {"status": "off"}
    return state(fresh=True).as_dict()
