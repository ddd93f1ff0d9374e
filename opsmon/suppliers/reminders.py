"""Daily reminders (core.reminders): a supplier qualification ending within 30 days, with no later one of the same
kind filed, to the purchasers and the procurement head (who keep qualifications up to date). Blacklisted suppliers
are left out."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from opsmon.accounts.models import User
from opsmon.codes.selectors import label_map
from opsmon.core.reminders import Due, provider

from .choices import SupplierStatus
from .models import SupplierQualification
from .rules import EDITORS
from .selectors import expiring_qualifications

REMINDED = tuple(r for r in EDITORS if r != "admin")


@dataclass(frozen=True)
class Expiring:
    qualification: SupplierQualification
    label: str

    @property
    def url(self) -> str:
        return f"/suppliers/{self.qualification.supplier_id}/#qualifications"


def expiring(*, today: date | None = None) -> list[Expiring]:
    today = today or timezone.localdate()
    renewed = SupplierQualification.objects.filter(supplier=OuterRef("supplier"), kind=OuterRef("kind"),
                                                   valid_to__gt=OuterRef("valid_to"))
    qs = expiring_qualifications(today=today).exclude(supplier__status=SupplierStatus.BLACKLISTED).filter(
        ~Exists(renewed)).exclude(valid_from__gt=F("valid_to"))
    labels = label_map("qualification_kind")
    return [Expiring(q, _("Supplier %(supplier)s: %(kind)s %(number)s expires on %(day)s") % {
        "supplier": q.supplier.name, "kind": labels.get(("qualification_kind", q.kind), q.kind), "number": q.number,
        "day": q.valid_to.isoformat()}) for q in qs]


@provider
def qualification_reminders(now: datetime):
    """core.reminders provider: each expiring qualification, to each purchaser and procurement head."""
    items = expiring(today=timezone.localdate(now))
    if not items:
        return
    users = list(User.objects.filter(is_active=True, groups__name__in=REMINDED).distinct())
    for item in items:
        for user in users:
            yield Due(user, item.label, item.url)
