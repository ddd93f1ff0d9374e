from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "opsmon.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django_tasks.signals import task_finished

        from . import jobs, lists  # noqa: F401 - lists registers the job kind of its large exports

        # A job whose task failed without saying so (its worker was killed) is shown failed, not running for ever.
        task_finished.connect(jobs.fail_interrupted_job, dispatch_uid="core.fail_interrupted_job")
