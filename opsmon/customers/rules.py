"""The only place that answers "may this viewer do this action on this customer now?" (core.rules).

Customers are company-wide master data: every signed-in user reads them (selectors) and records new ones; who
edits one is decided here.
"""

from django.utils.translation import gettext_lazy as _

from opsmon.accounts.roles import reads_only
from opsmon.accounts.visibility import is_head_of
from opsmon.core.errors import PermissionDenied
from opsmon.core.rules import Refusal, allowed

from .models import Customer


def can_edit(viewer, customer: Customer) -> Refusal:
    """Its owner, his department head, the market head or the admin."""
    if (viewer.pk == customer.owner_id or viewer.is_admin or viewer.has_role("market_head")
            or is_head_of(viewer, customer.department)):
        return None
    return PermissionDenied()


def can_create(viewer) -> Refusal:
    """Anyone signed in records a customer, except a read-only role (the executive)."""
    if reads_only(frozenset(viewer.roles)):
        return PermissionDenied(_("Your role reads records and records none."))
    return None


RULES = {"edit": can_edit}


def allowed_actions(viewer, customer: Customer) -> list[str]:
    """The actions `viewer` may fire on `customer` now: the page's buttons and the API's allowed_actions."""
    return allowed(RULES, viewer, customer)
