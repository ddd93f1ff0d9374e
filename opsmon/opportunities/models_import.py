"""Background Excel imports of opportunities: one job per uploaded file, with its progress and report."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    VALIDATING = "validating", _("Validating")
    SAVING = "saving", _("Saving")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """One Excel import run by the task worker; `errors` holds the per-row report when it is refused."""

    FINISHED = frozenset({ImportStatus.DONE, ImportStatus.FAILED})

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name=_("file"))
    status = models.CharField(_("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    total = models.PositiveIntegerField(_("rows"), default=0)
    processed = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("opportunities created"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)  # [{row, column, message}]
    message = models.TextField(_("message"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="importjob_user_created_idx")]

    def __str__(self):
        return f"{self.file_id} {self.status}"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int:
        """Progress for the bar: validation is the first 90 %, saving the rest."""
        if self.status == ImportStatus.DONE:
            return 100
        if self.status == ImportStatus.SAVING:
            return 95
        if self.total:
            return min(90, self.processed * 90 // self.total)
        return 0
