"""Import jobs move to core.Job (issue 18): every ImportJob is copied with its id (its progress page keeps its
address), then the model is dropped."""

from django.db import migrations

KIND = "opportunities.import"


def forward(apps, schema_editor):
    ImportJob = apps.get_model("opportunities", "ImportJob")
    Job = apps.get_model("core", "Job")
    jobs = [Job(id=old.id, kind=KIND, created_by_id=old.created_by_id, created_at=old.created_at,
                finished_at=old.finished_at, status=old.status, file_id=old.file_id, total=old.total,
                done=old.processed, errors=old.errors, message=old.message,
                result={"created": old.created_count} if old.status == "done" else {})
            for old in ImportJob.objects.order_by("id").iterator()]
    Job.objects.bulk_create(jobs, batch_size=500)
    if jobs:
        # auto_now_add gave every copy the time of this migration: write the old creation times back.
        for old in ImportJob.objects.values("id", "created_at").iterator():
            Job.objects.filter(id=old["id"]).update(created_at=old["created_at"])
        if schema_editor.connection.vendor == "postgresql":  # ids given by hand: move the sequence past them
            with schema_editor.connection.cursor() as cursor:
                cursor.execute("SELECT setval(pg_get_serial_sequence('core_job', 'id'), "
                               "(SELECT MAX(id) FROM core_job))")


def backward(apps, schema_editor):
    ImportJob = apps.get_model("opportunities", "ImportJob")
    Job = apps.get_model("core", "Job")
    for job in Job.objects.filter(kind=KIND).exclude(file=None).order_by("id").iterator():
        ImportJob.objects.create(id=job.id, created_by_id=job.created_by_id, finished_at=job.finished_at,
                                 status=job.status if job.status != "running" else "queued", file_id=job.file_id,
                                 total=job.total, processed=job.done, errors=job.errors, message=job.message,
                                 created_count=(job.result or {}).get("created", 0))
        ImportJob.objects.filter(id=job.id).update(created_at=job.created_at)
    Job.objects.filter(kind=KIND).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0006_job"),
        ("opportunities", "0003_opportunity_outcome"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.DeleteModel(name="ImportJob"),
    ]
