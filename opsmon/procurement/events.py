"""Procurement actions and events, declared once with their labels (core.events)."""

from django.utils.translation import gettext_lazy as _

from opsmon.core.events import register, register_event

SUBMITTED = register_event("purchase_request.submitted", _("Purchase request submitted"))
APPROVED = register_event("purchase_request.approved", _("Purchase request approved"))
RETURNED = register_event("purchase_request.returned", _("Purchase request returned"))
REJECTED = register_event("purchase_request.rejected", _("Purchase request rejected"))
CANCELLED = register_event("purchase_request.cancelled", _("Purchase request cancelled"))
BUDGET_APPROVED = register_event("project_budget.approved", _("Project purchase budget approved"))

# Every timeline action the module writes (services, core.workflow.transition and the approvals engine's
# "<record>.step_approved"), and the notification kinds it sends.
register("purchaserequest.created", _("Purchase request created"))
register("purchaserequest.updated", _("Purchase request edited"))
register("purchaserequest.submit", _("Purchase request submitted"), webhook=SUBMITTED)
register("purchaserequest.step_approved", _("Review step approved"))
register("purchaserequest.approved", _("Purchase request approved"), webhook=APPROVED)
register("purchaserequest.returned", _("Returned for changes"), webhook=RETURNED)
register("purchaserequest.rejected", _("Purchase request rejected"), webhook=REJECTED)
register("purchaserequest.cancel", _("Purchase request cancelled"), webhook=CANCELLED)
register("purchaserequest.close", _("Purchase request closed"))
register("purchaserequest.sourced", _("Put to sourcing"))
register("purchaserequest.repooled", _("Back from sourcing (re-pooled)"))
register("purchaserequest.awarded", _("Purchase request awarded"))
register("purchaserequest.ordered", _("Purchase request ordered"))
register("purchaserequest.unsourced", _("Approved purchase request not sourced yet"))
register("projectbudget.drafted", _("Purchase budget drafted"))
register("projectbudget.updated", _("Purchase budget edited"))
register("projectbudget.submit", _("Purchase budget submitted"))
register("projectbudget.step_approved", _("Review step approved"))
register("projectbudget.approved", _("Purchase budget approved"), webhook=BUDGET_APPROVED)
register("projectbudget.returned", _("Purchase budget returned for changes"))
register("projectbudget.rejected", _("Purchase budget rejected"))
register("projectbudget.superseded", _("Purchase budget superseded by a later version"))
register("procurement.settings_changed", _("Procurement settings changed"))
