"""Inbox items of the opportunity module."""

from django.utils.translation import gettext as _

from opsmon.core.inbox import InboxItem, provider

from . import selectors
from .selectors import OpportunityFilters


@provider
def opportunity_items(actor):
    for o in selectors.conversion_queue(actor=actor):
        yield InboxItem("opportunity.decide_conversion", _("Decide the conversion request"), f"{o.number} {o.title}",
                        f"/opportunities/{o.pk}/", "opportunity", o.pk, o.updated_at)
    due = selectors.opportunity_list(actor=actor, filters=OpportunityFilters(followup_due=True)).filter(
        owner=actor)
    for o in due:
        yield InboxItem("opportunity.follow_up_due", _("Follow-up due"), f"{o.number} {o.title}",
                        f"/opportunities/{o.pk}/", "opportunity", o.pk, o.updated_at)
