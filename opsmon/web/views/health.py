"""/healthz: one answer per dependency, for nginx, monitors and operators (issue 19).

The status code says whether this node can serve at all: 200 while the primary database answers, 503 when it does
not (take the node out). The body says how well: "ok", or "degraded" when something the node can live without is
away (the replica: reads go to the primary; Redis: cache misses, sessions from the database; the document storage:
uploads and downloads answer 503; the task queue: nothing has taken the oldest waiting task for a while).
Dependencies that are not configured say "off". Cheap enough to ask every few seconds.
"""

import os
import time

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_redis import get_redis_connection
from django_tasks_db.models import DBTaskResult

from opsmon.core import jobs, replica


def _timed(check) -> dict:
    started = time.perf_counter()
    try:
        result = check()
    except Exception as exc:  # any failure of a dependency is reported, never raised
        detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        result = {"status": "degraded", "detail": detail}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"status": "ok"}


def _redis() -> dict:
    if not settings.REDIS_URL:
        return {"status": "off"}
    get_redis_connection("shared").ping()
    return {"status": "ok"}


def _storage() -> dict:
    backend = settings.STORAGES["default"]["BACKEND"].rsplit(".", 1)[-1]
    if backend == "FileSystemStorage":
        root = settings.MEDIA_ROOT
        existing = next(p for p in (root, *root.parents) if p.exists())  # created on the first upload
        ok = existing.is_dir() and os.access(existing, os.W_OK)
        return {"status": "ok" if ok else "degraded", "backend": "local",
                **({} if ok else {"detail": f"{root} is not a writable folder"})}
    default_storage.exists("healthz")  # one HEAD request: reachable, credentials accepted, bucket there
    return {"status": "ok", "backend": backend}


def _tasks() -> dict:
    if not jobs.queued_in_database():
        return {"status": "off"}
    waiting = DBTaskResult.objects.ready()
    oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    out = {"status": "ok", "waiting": waiting.count(), "oldest_waiting_seconds": round(age, 1)}
    if age > settings.HEALTH_TASK_AGE_LIMIT:
        out.update(status="degraded", detail=f"the oldest task has waited {age:.0f} s: is a task worker running?")
    return out


@never_cache
@require_GET
def healthz(request):
    """200 while the database answers (503 when it does not); per dependency ok / degraded / off."""
    checks = {"database": _timed(_database)}
    if checks["database"]["status"] != "ok":
        checks["database"]["status"] = "error"
        return JsonResponse({"status": "error", "database": "unavailable", "checks": checks}, status=503)
    checks["replica"] = _timed(replica.health)
    checks["redis"] = _timed(_redis)
    checks["storage"] = _timed(_storage)
    checks["tasks"] = _timed(_tasks)
    degraded = any(c["status"] == "degraded" for c in checks.values())
    return JsonResponse({"status": "degraded" if degraded else "ok", "database": "ok", "checks": checks})
