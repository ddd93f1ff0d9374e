"""The deadline providers (core.deadlines) of the business modules, registered here at the top of the module order
so the modules stay as they are: this file reads their models and selectors, it writes nothing."""

from datetime import date, datetime, time

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from opsmon.bids.choices import BidStatus, BondKind, BondStatus
from opsmon.bids.models import Bid, Bond
from opsmon.bids.selectors import refund_due_on
from opsmon.contracts.choices import ContractStatus
from opsmon.contracts.models import Milestone
from opsmon.core.deadlines import Deadline, provider
from opsmon.core.inbox import items_for
from opsmon.opportunities.models import Opportunity

OPEN_OPPORTUNITY = ("tracking", "conversion_requested")
BOND_KEEPERS = ("bid_assistant", "market_head")


def _moment_range(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime.combine(start, time.min, tz), datetime.combine(end, time.max, tz)


@provider
def bid_deadlines(user, start: date, end: date):
    """Submission deadlines of bids still being prepared and openings of bids not yet opened (owner and team)."""
    first, last = _moment_range(start, end)
    mine = Bid.objects.filter(Q(owner=user.pk) | Q(opportunity__members=user.pk)).distinct()
    for bid in mine.filter(status__in=[BidStatus.REGISTERED, BidStatus.PREPARING],
                           submission_deadline__range=(first, last)):
        yield Deadline(f"bid-{bid.pk}-submission", "bid.submission",
                       _("Submission deadline: %(n)s %(t)s") % {"n": bid.number, "t": bid.title},
                       bid.submission_deadline, f"/bids/{bid.pk}/")
    for bid in mine.filter(status__in=[BidStatus.REGISTERED, BidStatus.PREPARING, BidStatus.SUBMITTED],
                           opening_at__range=(first, last)):
        yield Deadline(f"bid-{bid.pk}-opening", "bid.opening",
                       _("Bid opening: %(n)s %(t)s") % {"n": bid.number, "t": bid.title},
                       bid.opening_at, f"/bids/{bid.pk}/")


@provider
def follow_ups_due(user, start: date, end: date):
    """The next follow-up of each open opportunity the user owns."""
    for o in Opportunity.objects.filter(owner=user.pk, status__in=OPEN_OPPORTUNITY,
                                        next_followup_on__range=(start, end)):
        yield Deadline(f"opportunity-{o.pk}-follow-up", "opportunity.follow_up",
                       _("Follow-up due: %(n)s %(t)s") % {"n": o.number, "t": o.title},
                       o.next_followup_on, f"/opportunities/{o.pk}/")


@provider
def bond_deadlines(user, start: date, end: date):
    """Refunds due of paid bonds (the bid's owner; the bid assistant and the market head for all of them) and
    performance bonds to pay (the bid assistant)."""
    keeper = user.has_role(*BOND_KEEPERS)
    paid = Bond.objects.filter(status=BondStatus.PAID).select_related("bid")
    if not keeper:
        paid = paid.filter(bid__owner=user.pk)
    for bond in paid:
        due = refund_due_on(bond)
        if due is not None and start <= due <= end:
            yield Deadline(f"bond-{bond.pk}-refund", "bond.refund",
                           _("Bond refund due: %(n)s %(amount)s %(currency)s")
                           % {"n": bond.bid.number, "amount": f"{bond.amount:,.2f}", "currency": bond.currency},
                           due, f"/bids/{bond.bid_id}/")
    if user.has_role("bid_assistant"):
        planned = Bond.objects.filter(kind=BondKind.PERFORMANCE, status=BondStatus.PLANNED,
                                      due_on__range=(start, end)).select_related("bid")
        for bond in planned:
            yield Deadline(f"bond-{bond.pk}-pay", "bond.pay",
                           _("Performance bond to pay: %(n)s %(amount)s %(currency)s")
                           % {"n": bond.bid.number, "amount": f"{bond.amount:,.2f}", "currency": bond.currency},
                           bond.due_on, f"/bids/{bond.bid_id}/")


@provider
def receivables_due(user, start: date, end: date):
    """Payment milestones (receivables) of the signed contracts the user owns."""
    milestones = Milestone.objects.filter(contract__owner=user.pk, contract__status=ContractStatus.SIGNED,
                                          due_on__range=(start, end)).select_related("contract")
    for m in milestones:
        amount = f" {m.amount:,.2f}" if m.amount is not None else ""
        yield Deadline(f"milestone-{m.pk}", "contract.receivable",
                       _("Payment due: %(n)s %(name)s%(amount)s") % {"n": m.contract.number, "name": m.name,
                                                                     "amount": amount},
                       m.due_on, f"/contracts/{m.contract_id}/")


@provider
def review_steps_waiting(user, start: date, end: date):
    """Review steps waiting for the user's decision (any kind of review of the approvals engine, read through the
    inbox): on today's page until he decides."""
    today = timezone.localdate()
    if not start <= today <= end:
        return
    for item in items_for(user):
        if item.kind.endswith(".decide_step"):
            yield Deadline(f"review-{item.record_type}-{item.record_id}", "review.step",
                           f"{item.label}: {item.title}", today, item.url)
