from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpportunitiesConfig(AppConfig):
    name = "opsmon.opportunities"
    label = "opportunities"
    verbose_name = _("Opportunities")

    def ready(self):
        from django_tasks.signals import task_finished

        from . import deadlines, events, inbox, receivers, tasks  # noqa: F401 - they register themselves
        from .excel.jobs import fail_interrupted_job

        task_finished.connect(fail_interrupted_job, dispatch_uid="opportunities.fail_interrupted_job")
