"""Receivables actions and events, declared once with their labels (core.events). The timeline rows are the
contract's."""

from django.utils.translation import gettext_lazy as _

from opsmon.core.events import register, register_event

INVOICE_ISSUED = register_event("invoice.issued", _("Invoice issued"))
COLLECTION_RECEIVED = register_event("collection.received", _("Collection received"))

register("receivable.invoice_recorded", _("Invoice recorded"), webhook=INVOICE_ISSUED)
register("receivable.collection_recorded", _("Collection recorded"), webhook=COLLECTION_RECEIVED)
