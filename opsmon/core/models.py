"""Shared records: number sequences, the timeline and stored files."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .lease import PeriodicLease  # noqa: F401 - the periodic-work lease (issue 19), a model of this app


class NumberSequence(models.Model):
    """The last number handed out for one kind of record in one year."""

    kind = models.CharField(_("kind"), max_length=8)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("number sequence")
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="uniq_sequence_kind_year")]

    def __str__(self):
        return f"{self.kind}-{self.year}: {self.last}"


class TimelineQuerySet(models.QuerySet):
    def update(self, **kwargs):  # the audit trail is append-only
        raise TypeError("timeline entries are immutable")

    def delete(self):
        raise TypeError("timeline entries are immutable")

    def bulk_create(self, objs, *args, update_conflicts=False, **kwargs):
        if update_conflicts:  # an upsert would overwrite existing entries
            raise TypeError("timeline entries are immutable")
        return super().bulk_create(objs, *args, **kwargs)


class TimelineEntry(models.Model):
    """One thing that happened to a record: who, when, what, from/to status, comment, field changes."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.BigIntegerField()
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=64)
    from_status = models.CharField(_("from status"), max_length=32, blank=True)
    to_status = models.CharField(_("to status"), max_length=32, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    objects = TimelineQuerySet.as_manager()

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"], name="timeline_record_idx")]

    def __str__(self):
        return f"{self.action} @ {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("timeline entries are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("timeline entries are immutable")


class Change(models.Model):
    """The change feed's position of one timeline entry (`GET /api/v1/changes`, opsmon/feed).

    Never written by Python: the database adds one row per timeline entry and gives it its `position` when the
    entry's transaction commits, in commit order (migration core/0004; docs/architecture.md, "The change feed").
    A row without a position belongs to a transaction that has not committed yet and is never answered.
    """

    entry = models.OneToOneField(
        TimelineEntry, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", verbose_name=_("entry"),
    )
    position = models.BigIntegerField(_("position"), null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        indexes = [models.Index(fields=["id"], condition=models.Q(position__isnull=True), name="change_unplaced_idx")]

    def __str__(self):
        return f"{self.position}: {self.entry_id}"


class StoredFile(models.Model):
    """An uploaded file kept on disk under a random name; served only through a permission check."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    file = models.FileField(_("file"), upload_to="files/%Y/%m/", max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("type"), max_length=16)
    content_type = models.CharField(_("content type"), max_length=128)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stored file")

    def __str__(self):
        return self.original_name


class SavedFilter(models.Model):
    """A user's named filter of one list (core.lists): the list's key and its query string. Each user sees and
    changes only his own."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("user"))
    list_key = models.CharField(_("list"), max_length=40)
    name = models.CharField(_("name"), max_length=60)
    query = models.CharField(_("filter"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        constraints = [models.UniqueConstraint(fields=["user", "list_key", "name"], name="uniq_saved_filter_name")]

    def __str__(self):
        return self.name


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    VALIDATING = "validating", _("Validating")
    SAVING = "saving", _("Saving")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    """Long work run by the task worker (core.jobs): an import or a large export, with its progress, the errors
    found so far ({row, column, message}), its result and, for an export, the file it made. Only its creator
    sees it."""

    FINISHED = frozenset({JobStatus.DONE, JobStatus.FAILED})

    kind = models.CharField(_("kind"), max_length=40)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    params = models.JSONField(_("parameters"), default=dict, blank=True)  # what the runner needs (filters...)
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
                             verbose_name=_("file"))  # the uploaded file of an import
    total = models.PositiveIntegerField(_("rows"), default=0)
    done = models.PositiveIntegerField(_("rows done"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)  # [{row, column, message}]
    message = models.TextField(_("message"), blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)  # e.g. {"created": n, "ids": [...]}
    result_file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
                                    verbose_name=_("result file"))  # the workbook of an export

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="job_user_created_idx")]

    def __str__(self):
        return f"{self.kind} {self.pk} {self.status}"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int:
        """Progress for the bar: reading or writing the rows is the first 90 %, saving the rest."""
        if self.status == JobStatus.DONE:
            return 100
        if self.status == JobStatus.SAVING:
            return 95
        if self.total:
            return min(90, self.done * 90 // self.total)
        return 0

    @property
    def created_count(self) -> int:
        return int(self.result.get("created", 0)) if isinstance(self.result, dict) else 0
