"""REDIS_URL (issue 19): the cache, sessions (cache in front of the database) and login throttling on Redis; with
Redis gone the app keeps serving: cache misses, sessions from the database, throttling on the database.

Uses the machine's Redis (127.0.0.1:6379, database 13 of its own, flushed before and after); skipped without one."""

import socket

import pytest
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import caches

REDIS = ("127.0.0.1", 6379)
URL = "redis://127.0.0.1:6379/13"


def _redis_up() -> bool:
    try:
        socket.create_connection(REDIS, timeout=1).close()
        return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(not _redis_up(), reason="no Redis at 127.0.0.1:6379")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once closed


def redis_settings(settings, url):
    options = {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1}
    settings.REDIS_URL = url
    settings.CACHES = {
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": url, "KEY_PREFIX": "opsmon-test",
                    "OPTIONS": {**options, "IGNORE_EXCEPTIONS": True}},
        "shared": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": url, "KEY_PREFIX": "opsmon-test",
                   "OPTIONS": options},
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.AXES_HANDLER = "opsmon.core.throttle.AxesRedisHandler"
    settings.AXES_CACHE = "shared"
    AxesProxyHandler.implementation = None  # axes keeps its handler: make it read the settings again


@pytest.fixture
def on_redis(settings):
    redis_settings(settings, URL)
    caches["shared"].clear()
    yield settings
    caches["shared"].clear()
    AxesProxyHandler.implementation = None


@pytest.fixture
def redis_gone(settings):
    redis_settings(settings, f"redis://127.0.0.1:{_closed_port()}/0")
    yield settings
    AxesProxyHandler.implementation = None


def login(client, password="opsmon-demo", username="rep1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR="203.0.113.5")


def test_sessions_live_in_redis_and_in_the_database(client, org, on_redis):
    assert login(client).status_code == 302
    key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=key).exists()  # a lost Redis loses no session
    assert caches["default"].get(f"django.contrib.sessions.cached_db{key}") is not None
    assert client.get("/opportunities/").status_code == 200


def test_login_failures_are_counted_in_redis(client, org, on_redis):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "wrong-password")
    assert login(client).status_code == 429
    assert not AccessAttempt.objects.exists()  # nothing written to the database


def test_without_redis_the_app_keeps_serving(client, org, redis_gone):
    assert client.get("/login/").status_code == 200
    assert login(client).status_code == 302  # the session goes to the database
    assert client.get("/opportunities/").status_code == 200
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json()["status"] == "degraded" and health.json()["checks"]["redis"]["status"] == "degraded"


def test_without_redis_login_throttling_falls_back_to_the_database(client, org, redis_gone):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert login(client, "wrong-password", username="rep2").status_code in (200, 429)
    assert AccessAttempt.objects.get(username="rep2").failures_since_start >= settings.AXES_FAILURE_LIMIT
    assert login(client, username="rep2").status_code == 429
