from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BidsConfig(AppConfig):
    name = "opsmon.bids"
    label = "bids"
    verbose_name = _("Bids")

    def ready(self):
        from opsmon.core import links

        from . import deadlines, events, inbox, receivers, reminders  # noqa: F401 - they register themselves
        from .models import Bid
        from .selectors import visible_bids

        # Other pages link to these records only where the viewer may open them (core.links).
        links.register(Bid, visible=visible_bids, url_name="bids:detail")
