"""The bid module's dated duties for the calendar feed and the digest (core.deadlines): submission deadlines,
openings, bond refunds due and performance bonds to pay."""

from datetime import date, datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _

from opsmon.core.deadlines import Deadline, provider
from opsmon.core.money import format_money

from .choices import BidStatus, BondKind, BondStatus
from .models import Bond
from .selectors import refund_due_on, worked_on_by

BOND_KEEPERS = ("bid_assistant", "market_head")


def _moment_range(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime.combine(start, time.min, tz), datetime.combine(end, time.max, tz)


@provider
def bid_deadlines(user, start: date, end: date):
    """Submission deadlines of bids still being prepared and openings of bids not yet opened (owner and team)."""
    first, last = _moment_range(start, end)
    mine = worked_on_by(user)
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
                           _("Bond refund due: %(n)s %(amount)s")
                           % {"n": bond.bid.number, "amount": format_money(bond.amount, bond.currency)},
                           due, f"/bids/{bond.bid_id}/")
    if user.has_role("bid_assistant"):
        planned = Bond.objects.filter(kind=BondKind.PERFORMANCE, status=BondStatus.PLANNED,
                                      due_on__range=(start, end)).select_related("bid")
        for bond in planned:
            yield Deadline(f"bond-{bond.pk}-pay", "bond.pay",
                           _("Performance bond to pay: %(n)s %(amount)s")
                           % {"n": bond.bid.number, "amount": format_money(bond.amount, bond.currency)},
                           bond.due_on, f"/bids/{bond.bid_id}/")
