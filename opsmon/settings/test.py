"""Test profile: production-like, with a throwaway media folder and cheaper argon2 parameters."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-any-deployment-0123456789abcdef"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="opsmon-test-media-"))
# The stamps of the per-process copies (core.versions): per test run, not shared with another suite's processes.
VERSIONS_DIR = Path(tempfile.mkdtemp(prefix="opsmon-test-versions-"))
ALLOWED_HOSTS = ["*"]
AXES_FAILURE_LIMIT = 5
# Still argon2, with cheap parameters so creating users per test stays fast.
PASSWORD_HASHERS = ["opsmon.accounts.hashers.CheapArgon2PasswordHasher"]
# Tasks run in the process that enqueues them, right away (after the commit that enqueues them).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default", "jobs"]}}

# SQLite tests use a file, not shared memory, so WAL, the busy timeout and IMMEDIATE
# transactions behave as they do in production when threads write at once.
# The test database is per process, so two suites (two checkouts, two engineers) never collide.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}  # noqa: F405
    VAR_DIR.mkdir(parents=True, exist_ok=True)
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_opsmon_{os.getpid()}"}  # noqa: F405

# Webhook deliveries are driven by the tests (deliver_due with a controlled clock), never enqueued.
WEBHOOKS_ENQUEUE = False
