from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpportunitiesConfig(AppConfig):
    name = "opsmon.opportunities"
    label = "opportunities"
    verbose_name = _("Opportunities")

    def ready(self):
        from opsmon.core import links

        from . import deadlines, events, inbox, receivers, tasks  # noqa: F401 - they register themselves
        from .models import Opportunity
        from .selectors import visible_opportunities

        # Other pages link to these records only where the viewer may open them (core.links).
        links.register(Opportunity, visible=visible_opportunities, url_name="opportunities:detail")
