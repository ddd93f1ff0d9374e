from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SourcingConfig(AppConfig):
    name = "opsmon.sourcing"
    label = "sourcing"
    verbose_name = _("Sourcing (询价/比价)")
