"""Is this supplier eligible on day d (PROCUREMENT.md)? `qualified`, and every qualification that is mandatory for
one of its categories (qualification_kind items whose value names the category, or "*") valid on d.

Sourcing (invitations, award) and purchase orders call `refusal(supplier, day)`: None when eligible, else the 409
to raise, whose message names what is missing.
"""

from datetime import date

from django.utils.translation import gettext as _

from opsmon.codes.models import CodeItem
from opsmon.codes.selectors import ALL_CATEGORIES
from opsmon.core.errors import ApplicationError, Conflict

from .choices import SupplierStatus
from .models import Supplier, SupplierQualification


def mandatory_kinds(categories) -> list[CodeItem]:
    """The active qualification kinds mandatory for any of `categories` (supplier_category codes), in order."""
    wanted = set(categories)
    out = []
    for item in CodeItem.objects.filter(table__name="qualification_kind", active=True).order_by("order", "code"):
        codes = {c.strip() for c in item.value.split(",") if c.strip()}
        if ALL_CATEGORIES in codes or codes & wanted:
            out.append(item)
    return out


def missing_kinds(supplier: Supplier, day: date) -> list[CodeItem]:
    """The mandatory qualification kinds of `supplier` with no qualification valid on `day`."""
    kinds = mandatory_kinds(supplier.categories.values_list("code", flat=True))
    valid = set(SupplierQualification.objects.filter(
        supplier=supplier, kind__in=[k.code for k in kinds], valid_from__lte=day, valid_to__gte=day,
    ).values_list("kind", flat=True))
    return [k for k in kinds if k.code not in valid]


def refusal(supplier: Supplier, day: date) -> ApplicationError | None:
    """None when `supplier` is eligible on `day`; else a 409 (code `supplier_blacklisted`, `supplier_not_qualified`
    or `supplier_qualification_missing`) naming the supplier and the reason."""
    if supplier.status == SupplierStatus.BLACKLISTED:
        return Conflict(_("Supplier %(name)s is blacklisted.") % {"name": supplier.name}, code="supplier_blacklisted")
    if supplier.status != SupplierStatus.QUALIFIED:
        return Conflict(_("Supplier %(name)s is not qualified (%(status)s).")
                        % {"name": supplier.name, "status": supplier.get_status_display()},
                        code="supplier_not_qualified")
    missing = missing_kinds(supplier, day)
    if missing:
        return Conflict(_("Supplier %(name)s has no valid %(kinds)s on %(day)s.")
                        % {"name": supplier.name, "kinds": "、".join(k.label for k in missing),
                           "day": day.isoformat()}, code="supplier_qualification_missing")
    return None


def is_eligible(supplier: Supplier, day: date) -> bool:
    return refusal(supplier, day) is None
