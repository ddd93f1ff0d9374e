"""Customer actions, declared once with their labels (core.events)."""

from django.utils.translation import gettext_lazy as _

from opsmon.core.events import register

CREATED = register("customer.created", _("Created"))
UPDATED = register("customer.updated", _("Edited"))
IMPORTED = register("customer.imported", _("Imported"))  # written by the opportunities' Excel import
