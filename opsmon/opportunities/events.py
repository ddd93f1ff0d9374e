"""Opportunity actions and events, declared once with their labels (core.events): every timeline action key this
module writes (services, `core.workflow.transition` as "opportunity.<action>", the Excel import) and the webhook
events it publishes."""

from django.utils.translation import gettext_lazy as _

from opsmon.core.events import register, register_event

CREATED = register("opportunity.created", _("Created"))
UPDATED = register("opportunity.updated", _("Edited"))
STAGE_CHANGED = register("opportunity.stage_changed", _("Stage changed"))
FOLLOWED_UP = register("opportunity.followed_up", _("Follow-up logged"))
IMPORTED = register("opportunity.imported", _("Imported"))
REQUEST_CONVERSION = register("opportunity.request_conversion", _("Conversion requested"))
KEEP_TRACKING = register("opportunity.keep_tracking", _("Kept in tracking"))
CONVERT = register("opportunity.convert", _("Converted to a project"))
CLOSE = register("opportunity.close", _("Closed"))
REOPEN = register("opportunity.reopen", _("Reopened"))
# The import creates the customers its file names; the customers module declares "customer.imported".

CONVERTED = register_event("opportunity.converted", _("Opportunity converted"))
LOST = register_event("opportunity.lost", _("Opportunity lost"))
WON = register_event("opportunity.won", _("Opportunity won"))
# How the sale ended (DOMAIN.md "Lifecycle"): written in the transaction of the project's, bid's or contract's action.
LOSE = register("opportunity.lose", _("Closed: the sale was lost"), webhook=LOST)
WIN = register("opportunity.win", _("Won: a contract was signed"), webhook=WON)
