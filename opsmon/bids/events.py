"""Bid and bond actions and events, declared once with their labels (core.events): every timeline key this module
writes (`timeline.record(... action=...)` and the `bid.<action>` / `bond.<action>` keys of core.workflow.transition)
and the webhook events it publishes."""

from django.utils.translation import gettext_lazy as _

from opsmon.core.events import register, register_event

WON = register_event("bid.won", _("Bid won"))
LOST = register_event("bid.lost", _("Bid lost"))

register("bid.registered", _("Registered"))
register("bid.updated", _("Renamed"))
register("bid.analysis_saved", _("Tender analysis saved"))
register("bid.document_uploaded", _("Document uploaded"))
register("bid.start_preparation", _("Preparation started"))
register("bid.submit", _("Bid submitted"))
register("bid.abandon", _("Abandoned"))
register("bid.record_opening", _("Opening recorded"))
register("bid.mark_won", _("Marked as won"), webhook=WON)
register("bid.mark_lost", _("Marked as lost"), webhook=LOST)
register("bid.summary_filed", _("Summary report filed"))
register("bid.summary_updated", _("Summary report updated"))
register("bid.closed", _("Closed"))
register("bid.contract_signed", _("Contract signed"))
register("bond.planned", _("Bond planned"))
register("bond.pay", _("Bond paid"))
register("bond.refund", _("Bond refunded"))
register("bond.forfeit", _("Bond forfeited"))
register("bond.refund_due", _("Bond refund due"))
register("bond.convert_to_performance", _("Bond converted to the performance bond"))
