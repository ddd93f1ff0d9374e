"""Template filters for timeline entries: a readable label for each action code."""

from django import template
from django.utils.translation import gettext_lazy as _

from opsmon.core.events import is_action, label

register = template.Library()

# The verb after the dot of an action code ("opportunity.convert" -> "convert").
ACTION_LABELS = {
    "created": _("Created"),
    "updated": _("Edited"),
    "imported": _("Imported"),
    "followed_up": _("Follow-up logged"),
    "stage_changed": _("Stage changed"),
    "request_conversion": _("Conversion requested"),
    "keep_tracking": _("Kept tracking"),
    "convert": _("Converted to a project"),
    "close": _("Closed"),
    "reopen": _("Reopened"),
    "assign_lead": _("Technical lead assigned"),
    "feasibility_saved": _("Review draft saved"),
    "submit_feasibility": _("Review submitted"),
    "approve": _("Approved"),
    "send_back": _("Sent back"),
    "reject": _("Rejected"),
    "cancel": _("Cancelled"),
    "route_bidding": _("Routed to bidding"),
    "route_contract_review": _("Routed to contract review"),
    "route_implementation": _("Handed to implementation"),
    "registered": _("Registered"),
    "analysis_saved": _("Tender analysis saved"),
    "document_uploaded": _("Document uploaded"),
    "start_preparation": _("Preparation started"),
    "submit": _("Bid submitted"),
    "record_opening": _("Opening recorded"),
    "mark_won": _("Won"),
    "mark_lost": _("Lost"),
    "abandon": _("Abandoned"),
    "summary_filed": _("Summary report filed"),
    "summary_updated": _("Summary report edited"),
    "closed": _("Closed"),
    "drafted": _("Draft created"),
    "planned": _("Bond planned"),
    "pay": _("Paid"),
    "refund": _("Refunded"),
    "forfeit": _("Forfeited"),
    "convert_to_performance": _("Converted to performance bond"),
    "password_changed": _("Password changed"),
}


@register.filter
def action_label(action: str) -> str:
    """The translated label of a timeline action, from the one registry (core.events); never the raw key."""
    if is_action(action):
        return label(action)
    verb = (action or "").rpartition(".")[2]
    return ACTION_LABELS.get(verb) or label(action)
