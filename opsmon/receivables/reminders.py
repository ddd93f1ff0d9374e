"""Overdue receivables: a milestone past its due day and not fully collected is flagged to the contract's owner,
the heads of its department and finance, in their inbox and by the daily reminders (core.reminders)."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from opsmon.accounts.models import User
from opsmon.accounts.roles import Role
from opsmon.accounts.viewer import viewer_of
from opsmon.contracts.models import Milestone
from opsmon.core.money import format_money
from opsmon.core.reminders import Due, provider

from .rules import BILLABLE
from .selectors import annotated, days_overdue, overdue_q


@dataclass(frozen=True)
class Overdue:
    milestone: Milestone
    days: int
    label: str

    @property
    def contract(self):
        return self.milestone.contract

    @property
    def url(self) -> str:
        return f"/contracts/{self.milestone.contract_id}/#receivables"


def overdue(*, today: date, milestones=None) -> list[Overdue]:
    """Every overdue milestone of a signed contract (of `milestones`, default all), most overdue first."""
    qs = milestones if milestones is not None else Milestone.objects.all()
    qs = annotated(qs.filter(contract__status__in=BILLABLE)).filter(overdue_q(today)).select_related(
        "contract").order_by("due", "contract_id", "position")
    out = []
    for m in qs:
        days = days_overdue(m, today)
        out.append(Overdue(m, days, _("Receivable overdue %(days)s days: %(milestone)s, %(amount)s "
                                      "outstanding") % {"days": days, "milestone": m.name,
                                                        "amount": format_money(m.outstanding, m.contract.currency)}))
    return out


def overdue_for(actor, *, today: date | None = None) -> list[Overdue]:
    """The overdue receivables flagged to one user: all for finance, his own contracts' for an owner, his
    departments' for a head."""
    viewer = viewer_of(actor)
    if not viewer.is_authenticated or not viewer.is_active:
        return []
    today = today or timezone.localdate()
    if viewer.has_role(Role.FINANCE):
        return overdue(today=today)
    mine = Q(contract__owner=viewer.pk)
    if viewer.head_departments:
        mine |= Q(contract__department__in=viewer.head_departments)
    return overdue(today=today, milestones=Milestone.objects.filter(mine))


def recipients(item: Overdue, *, heads: dict, finance: list) -> list:
    """The owner, the heads of the contract's department, every finance user; each once."""
    found = {item.contract.owner_id: item.contract.owner}
    for user in [*heads.get(item.contract.department_id, []), *finance]:
        found.setdefault(user.pk, user)
    return [u for u in found.values() if u.is_active]


@provider
def receivable_reminders(now: datetime):
    """core.reminders provider: each overdue receivable, to each of its recipients."""
    items = overdue(today=timezone.localdate(now))
    if not items:
        return
    finance = list(User.objects.filter(is_active=True, groups__name=Role.FINANCE).distinct())
    heads: dict[int, list] = {}
    for head in User.objects.filter(is_active=True, groups__name=Role.DEPT_HEAD, department__isnull=False):
        heads.setdefault(head.department_id, []).append(head)
    owners = {u.pk: u for u in User.objects.filter(pk__in={i.contract.owner_id for i in items})}
    for item in items:
        item.milestone.contract.owner = owners[item.contract.owner_id]
        for user in recipients(item, heads=heads, finance=finance):
            yield Due(user, f"{item.contract.number} {item.label}", item.url)
