from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "opsmon.evaluations"
    label = "evaluations"
    verbose_name = _("Supplier evaluations")

    def ready(self):
        from . import events, receivers  # noqa: F401 - they register themselves
