"""The contract module's dated duties for the calendar feed and the digest (core.deadlines): receivables due."""

from datetime import date

from django.utils.translation import gettext as _

from opsmon.core.deadlines import Deadline, provider
from opsmon.core.money import format_money

from .choices import ContractStatus
from .models import Milestone


@provider
def receivables_due(user, start: date, end: date):
    """Payment milestones (receivables) of the signed contracts the user owns."""
    milestones = Milestone.objects.filter(contract__owner=user.pk, contract__status=ContractStatus.SIGNED,
                                          due_on__range=(start, end)).select_related("contract")
    for m in milestones:
        amount = f" {format_money(m.amount, m.contract.currency)}" if m.amount is not None else ""
        yield Deadline(f"milestone-{m.pk}", "contract.receivable",
                       _("Payment due: %(n)s %(name)s%(amount)s") % {"n": m.contract.number, "name": m.name,
                                                                     "amount": amount},
                       m.due_on, f"/contracts/{m.contract_id}/")
