from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BidsConfig(AppConfig):
    name = "opsmon.bids"
    label = "bids"
    verbose_name = _("Bids")

    def ready(self):
        from . import deadlines, events, inbox, receivers, reminders  # noqa: F401 - they register themselves
