"""Demo receivables: finance's invoices and collections on the demo's signed contracts, leaving overdue ones in
several ageing buckets (0–30, 91–180, over 180 days) beside milestones fully collected and a prepayment."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from opsmon.accounts.models import User
from opsmon.contracts.choices import MilestoneTrigger
from opsmon.contracts.models import Contract, Milestone

from . import services
from .models import Invoice
from .rules import BILLABLE
from .selectors import planned_amount


def _share(m, share) -> str:
    return str((planned_amount(m) * Decimal(str(share))).quantize(Decimal("0.01")))


def _day(contract, days_after):
    return min(contract.signed_on + timedelta(days=days_after), timezone.localdate())


def _invoice(finance, contract, position, *, share=1, days_after=3):
    m = contract.milestones.get(position=position)
    return services.invoice_record(actor=finance, milestone=m, number=f"DEMO{contract.pk:04d}{position:02d}",
                                   invoice_type="vat_special", tax_rate=str(contract.tax_rate or 6),
                                   amount=_share(m, share), issued_on=_day(contract, days_after))


def _collect(finance, contract, position, *, share=1, days_after=10, prepayment=False, reference=""):
    m = contract.milestones.get(position=position)
    return services.collection_record(actor=finance, milestone=m, amount=_share(m, share),
                                      received_on=_day(contract, days_after), method="bank_transfer",
                                      reference=reference or f"BANK-{m.pk:06d}", prepayment=prepayment)


@transaction.atomic
def load() -> None:
    """Idempotent: does nothing when an invoice exists or the demo contracts do not."""
    finance = User.objects.filter(username="finance1").first()
    if finance is None or Invoice.objects.exists():
        return
    # The demo's down payments are due on signing ("合同签订后 15 日内"): their billing condition.
    Milestone.objects.filter(contract__status__in=BILLABLE, due_on__isnull=True, condition__contains="签订后").update(
        trigger=MilestoneTrigger.SIGNING)
    signed = {c.title: c for c in Contract.objects.filter(status__in=BILLABLE)}
    for title, contract in signed.items():
        if title.startswith("配电自动化主站运维监控平台") and contract.status == "signed":
            # the amended one: down payment invoiced and collected; part of the delivery payment paid ahead
            _invoice(finance, contract, 1)
            _collect(finance, contract, 1)
            _collect(finance, contract, 2, share=0.25, prepayment=True, reference="PREPAY-001")
        elif contract.status == "archived" and contract.signed_on:
            # down payment settled; delivery payment invoiced, half collected: overdue 91–180 days
            _invoice(finance, contract, 1)
            _collect(finance, contract, 1)
            _invoice(finance, contract, 2, days_after=60)
            _collect(finance, contract, 2, share=0.5, days_after=70)
        elif title == "智慧水务运营监控平台":
            # down payment settled; the delivery payment invoiced and never paid: overdue over 180 days
            _invoice(finance, contract, 1)
            _collect(finance, contract, 1)
            _invoice(finance, contract, 2, days_after=60)
        elif contract.project_id and contract.signed_on and contract.signed_on >= timezone.localdate() - timedelta(
                days=30):
            # signed days ago: the down payment invoiced, not yet paid: overdue 0–30 days
            _invoice(finance, contract, 1, days_after=1)
