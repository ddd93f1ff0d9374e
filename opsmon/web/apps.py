from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "opsmon.web"
    label = "web"
    verbose_name = _("Web shell")

    def ready(self):
        from .ui_resources import register_all

        register_all()  # the view descriptions of /api/v1/ui/resources (core.ui)
