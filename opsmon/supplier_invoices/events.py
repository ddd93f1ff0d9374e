"""Supplier invoice actions and events, declared once with their labels (core.events)."""

from django.utils.translation import gettext_lazy as _

from opsmon.core.events import register, register_event

RECORDED = register_event("supplier_invoice.recorded", _("Supplier invoice recorded"))
MISMATCHED = register_event("supplier_invoice.mismatched", _("Supplier invoice does not match"))
VERIFIED = register_event("supplier_invoice.verified", _("Supplier invoice verified"))
CANCELLED = register_event("supplier_invoice.cancelled", _("Supplier invoice cancelled (红冲)"))

# Every timeline action the module writes (services and core.workflow.transition), and the notification kinds.
CREATED = register("supplierinvoice.created", _("Supplier invoice recorded"), webhook=RECORDED)
register("supplierinvoice.matched", _("Invoice matched (三单匹配)"))
register("supplierinvoice.mismatch", _("Invoice does not match"), webhook=MISMATCHED)
register("supplierinvoice.accept_variance", _("Variance accepted"))
register("supplierinvoice.verify", _("Invoice verified"), webhook=VERIFIED)
register("supplierinvoice.cancel", _("Invoice cancelled (红冲)"), webhook=CANCELLED)
UNMATCHED = register("supplierinvoice.unmatched_receipt", _("Accepted receipt not matched by an invoice"))
