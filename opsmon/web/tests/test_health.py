"""/healthz per dependency (issue 19): ok / degraded / off each, 200 while the database answers."""

from datetime import timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_a_single_machine_has_nothing_extra(client, db):
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert {k: v["status"] for k, v in body["checks"].items()} == {
        "database": "ok", "replica": "off", "redis": "off", "storage": "ok", "tasks": "off"}
    assert body["checks"]["storage"]["backend"] == "local"


def test_a_task_nobody_takes_makes_the_node_degraded(client, db, settings):
    settings.TASKS = DB_QUEUE
    idle = client.get("/healthz").json()["checks"]["tasks"]
    assert (idle["status"], idle["waiting"], idle["oldest_waiting_seconds"]) == ("ok", 0, 0.0)
    task = DBTaskResult.objects.create(task_path="opsmon.notifications.tasks.send_reminders", args_kwargs={
        "args": [], "kwargs": {}}, queue_name="default", backend_name="default", run_after=timezone.now(),
        priority=0)
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=timezone.now() - timedelta(minutes=10))
    response = client.get("/healthz")
    assert response.status_code == 200  # the node still serves: nginx keeps it
    body = response.json()
    assert body["status"] == "degraded"
    tasks = body["checks"]["tasks"]
    assert tasks["status"] == "degraded" and tasks["waiting"] == 1 and tasks["oldest_waiting_seconds"] >= 590
    assert "worker" in tasks["detail"]
