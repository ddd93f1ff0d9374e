from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CodesConfig(AppConfig):
    name = "opsmon.codes"
    label = "codes"
    verbose_name = _("Code tables")

    def ready(self):
        from . import events  # noqa: F401 - registers the actions
