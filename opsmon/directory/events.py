"""Directory actions, declared once with their labels (core.events)."""

from django.utils.translation import gettext_lazy as _

from opsmon.core.events import register

register("directory.mapping_created", _("Directory mapping created"))
register("directory.mapping_updated", _("Directory mapping edited"))
register("directory.mapping_deleted", _("Directory mapping deleted"))
register("user.directory_synced", _("Profile updated from the directory"))
register("user.directory_disabled", _("Disabled in the directory"))
register("user.directory_enabled", _("Enabled again in the directory"))
