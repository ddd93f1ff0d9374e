from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CodesConfig(AppConfig):
    name = "opsmon.codes"
    label = "codes"
    verbose_name = _("Code tables")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import events  # noqa: F401 - registers the actions
        from .models import CodeItem, CodeTable
        from .selectors import labels_changed

        # Any write of an item or table (services, the admin, fixtures) drops every process's copy of the labels.
        for model in (CodeItem, CodeTable):
            post_save.connect(labels_changed, sender=model, dispatch_uid=f"code_labels_{model.__name__}_save")
            post_delete.connect(labels_changed, sender=model, dispatch_uid=f"code_labels_{model.__name__}_delete")
