"""Reads of suppliers. Basics are public to every active signed-in user; bank accounts and qualifications only to
rules.sees_details (403 on a visible supplier's lists, 404 for a qualification's file)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from opsmon.accounts.visibility import is_active_user
from opsmon.core.errors import NotFound, PermissionDenied
from opsmon.core.rules import refuse

from . import rules
from .choices import EXPIRY_DAYS
from .models import Supplier, SupplierBankAccount, SupplierQualification

RELATED = ("created_by",)


def visible_suppliers(actor):
    if not is_active_user(actor):
        return Supplier.objects.none()
    return Supplier.objects.all()


def visible_qualifications(actor):
    if not is_active_user(actor) or not rules.sees_details(actor):
        return SupplierQualification.objects.none()
    return SupplierQualification.objects.all()


def expiring_q(today: date, days: int = EXPIRY_DAYS) -> Q:
    """Qualifications still valid today that end within `days` days."""
    return Q(valid_to__gte=today, valid_to__lte=today + timedelta(days=days))


@dataclass(frozen=True)
class SupplierFilters:
    """The filters of the supplier list: the page's form, the API's query and the export share them."""

    q: str = ""
    status: str = ""
    category: str = ""
    is_sme: bool | None = None
    expiring: bool = False  # a qualification ending within EXPIRY_DAYS days


def supplier_list(*, actor, filters: SupplierFilters = SupplierFilters(), today: date | None = None):
    f = filters
    qs = visible_suppliers(actor)
    if f.q:
        q = f.q.strip()
        qs = qs.filter(Q(name__icontains=q) | Q(credit_code__icontains=q) | Q(number__icontains=q))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.category:
        qs = qs.filter(categories__code=f.category)
    if f.is_sme is not None:
        qs = qs.filter(is_sme=f.is_sme)
    if f.expiring:
        today = today or timezone.localdate()
        qs = qs.filter(Exists(SupplierQualification.objects.filter(expiring_q(today), supplier=OuterRef("pk"))))
    return qs.select_related(*RELATED).prefetch_related("categories").order_by("name", "id")


def supplier_get(*, actor, pk) -> Supplier:
    """One supplier, or 404."""
    try:
        return visible_suppliers(actor).select_related(*RELATED).prefetch_related("categories").get(pk=pk)
    except (Supplier.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def _details(actor) -> None:
    if not rules.sees_details(actor):
        refuse(PermissionDenied(_("Bank accounts and qualifications are shown to procurement and finance only.")))


def qualifications_of(*, actor, supplier: Supplier):
    _details(actor)
    return SupplierQualification.objects.filter(supplier=supplier).select_related("file", "created_by").order_by(
        "kind", "-valid_to", "id")


def bank_accounts_of(*, actor, supplier: Supplier):
    _details(actor)
    return SupplierBankAccount.objects.filter(supplier=supplier).select_related("created_by").order_by("id")


def qualification_get(*, actor, pk) -> SupplierQualification:
    """One qualification whose file the actor may download, or 404."""
    try:
        return visible_qualifications(actor).select_related("file", "supplier").get(pk=pk)
    except (SupplierQualification.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def expiring_qualifications(*, today: date | None = None):
    """Every qualification ending within EXPIRY_DAYS days (still valid today), the soonest first."""
    today = today or timezone.localdate()
    return SupplierQualification.objects.filter(expiring_q(today)).select_related("supplier").order_by(
        "valid_to", "id")
