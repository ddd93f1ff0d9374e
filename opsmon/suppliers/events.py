"""Supplier actions and events, declared once with their labels (core.events)."""

from django.utils.translation import gettext_lazy as _

from opsmon.core.events import register, register_event

QUALIFIED_EVENT = register_event("supplier.qualified", _("Supplier qualified"))
SUSPENDED_EVENT = register_event("supplier.suspended", _("Supplier suspended"))
BLACKLISTED_EVENT = register_event("supplier.blacklisted", _("Supplier blacklisted"))
RESTORED_EVENT = register_event("supplier.restored", _("Supplier restored"))

# Every timeline action the module writes (services and core.workflow.transition's "supplier.<action>").
CREATED = register("supplier.created", _("Supplier registered"))
UPDATED = register("supplier.updated", _("Supplier edited"))
IMPORTED = register("supplier.imported", _("Supplier imported from Excel"))
QUALIFICATION_ADDED = register("supplier.qualification_added", _("Qualification filed"))
BANK_ACCOUNT_ADDED = register("supplier.bank_account_added", _("Bank account added"))
register("supplier.qualify", _("Supplier qualified"), webhook=QUALIFIED_EVENT)
register("supplier.suspend", _("Supplier suspended"), webhook=SUSPENDED_EVENT)
register("supplier.blacklist", _("Supplier blacklisted"), webhook=BLACKLISTED_EVENT)
register("supplier.restore", _("Supplier restored"), webhook=RESTORED_EVENT)
