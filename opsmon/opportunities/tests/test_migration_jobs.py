"""The data migration that moved import jobs to core.Job (opportunities 0004, issue 18): jobs made through the
services are migrated back to the old table and forward again, and come back with their ids, progress and report,
so their progress pages keep their addresses."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from opsmon.core import jobs
from opsmon.core.models import Job
from opsmon.opportunities import excel

from .test_excel_api import good, workbook

BEFORE = [("opportunities", "0003_opportunity_outcome"), ("core", "0006_job")]
AFTER = [("opportunities", "0004_importjob_to_core_job")]
FIELDS = ("id", "kind", "created_by_id", "created_at", "finished_at", "status", "file_id", "total", "done",
          "errors", "message")


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def snapshot() -> list:
    return [(*values, Job.objects.get(pk=values[0]).created_count)
            for values in Job.objects.filter(kind=excel.jobs.IMPORT).order_by("id").values_list(*FIELDS)]


def upload(rows) -> SimpleUploadedFile:
    return SimpleUploadedFile("商机.xlsx", workbook(rows), content_type=excel.XLSX_CONTENT_TYPE)


@pytest.mark.django_db(transaction=True)
def test_every_import_job_survives_the_move_with_its_id(org, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default", "jobs"]}}
    done = excel.import_job_create(actor=org["rep1"], upload=upload([good(1), good(2)]))
    bad = good(3)
    bad[2] = -1
    failed = excel.import_job_create(actor=org["rep2"], upload=upload([bad]))
    queued = excel.import_job_create(actor=org["rep1"], upload=upload([good(4)]))
    jobs.run(done.pk)
    jobs.run(failed.pk)
    Job.objects.filter(pk=done.pk).update(created_at=timezone.now() - timedelta(days=3))
    before = snapshot()
    assert [(j[0], j[5], j[-1]) for j in before] == [(done.pk, "done", 2), (failed.pk, "failed", 0),
                                                      (queued.pk, "queued", 0)]
    assert before[1][9] and before[1][9][0]["row"] == 2  # the refused file's report

    old = migrate(BEFORE)  # back: 0004's reverse copies them to the old table
    ImportJob = old.get_model("opportunities", "ImportJob")
    assert sorted(ImportJob.objects.values_list("id", "status", "processed", "created_count")) == [
        (done.pk, "done", 2, 2), (failed.pk, "failed", 1, 0), (queued.pk, "queued", 0, 0)]
    assert not Job.objects.exists()

    migrate(AFTER)  # and forward again
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert snapshot() == before
    assert "opportunities_importjob" not in connection.introspection.table_names()
    fresh = excel.import_job_create(actor=org["rep1"], upload=upload([good(5)]))
    assert fresh.pk > queued.pk  # new jobs take fresh ids (PostgreSQL's sequence moved past the copies)
