"""Account actions, declared once with their labels (core.events)."""

from django.utils.translation import gettext_lazy as _

from opsmon.core.events import register

register("department.created", _("Department created"))
register("department.updated", _("Department edited"))
register("user.created", _("User created"))
register("user.updated", _("User edited"))
register("user.password_changed", _("Password changed"))
