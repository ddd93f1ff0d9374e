"""Calendar feed actions, declared once with their labels (core.events)."""

from django.utils.translation import gettext_lazy as _

from opsmon.core.events import register

register("calendar.feed_created", _("Calendar link created"))
register("calendar.feed_revoked", _("Calendar link revoked"))
