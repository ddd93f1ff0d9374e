"""Code-table actions, declared once with their labels (core.events)."""

from django.utils.translation import gettext_lazy as _

from opsmon.core.events import register

register("code.created", _("Code item created"))
register("code.updated", _("Code item edited"))
