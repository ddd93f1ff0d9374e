from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpportunitiesConfig(AppConfig):
    name = "opsmon.opportunities"
    label = "opportunities"
    verbose_name = _("Opportunities")

    def ready(self):
        from . import inbox  # noqa: F401 - registers the inbox provider
