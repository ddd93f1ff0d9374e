"""What the bid module reminds people of: deadlines and openings within 3 days, finished bids without a
summary, won bids without a contract, overdue bond refunds (Art. 57: 5 days), performance bonds due once the
contract is signed."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from opsmon.accounts.models import User
from opsmon.core.money import format_money
from opsmon.core.reminders import Due, provider

from .choices import FINISHED, BidStatus, BondKind, BondStatus
from .models import Bid, Bond
from .selectors import overdue_q, worked_on_by

WINDOW = timedelta(days=3)


@dataclass(frozen=True)
class Reminder:
    kind: str
    label: str
    record: Bid
    since: datetime


def due_for(actor, *, now: datetime | None = None) -> list[Reminder]:
    """The reminders for one user (his own bids; overdue bonds for the bid assistant and market head)."""
    now = now or timezone.now()
    out = []
    mine = worked_on_by(actor)
    for bid in mine.filter(status__in=[BidStatus.REGISTERED, BidStatus.PREPARING],
                           submission_deadline__gte=now, submission_deadline__lte=now + WINDOW):
        out.append(Reminder("bid.deadline_soon", _("Submission deadline %(at)s")
                            % {"at": timezone.localtime(bid.submission_deadline).strftime("%Y-%m-%d %H:%M")},
                            bid, bid.updated_at))
    for bid in mine.filter(status=BidStatus.SUBMITTED, opening_at__gte=now, opening_at__lte=now + WINDOW):
        out.append(Reminder("bid.opening_soon", _("Opening %(at)s")
                            % {"at": timezone.localtime(bid.opening_at).strftime("%Y-%m-%d %H:%M")},
                            bid, bid.updated_at))
    for bid in mine.filter(status__in=FINISHED, closed_at__isnull=True, summary__isnull=True):
        out.append(Reminder("bid.summary_missing", _("Write the summary report"), bid, bid.updated_at))
    for bid in mine.filter(status=BidStatus.WON, contracts__isnull=True, owner=actor.pk):
        out.append(Reminder("bid.contract_missing", _("Create the contract of the won bid"), bid, bid.updated_at))
    if actor.has_role("bid_assistant"):
        for bond in performance_due(today=timezone.localdate(now)):
            out.append(Reminder("bond.performance_due", _("Performance bond due: %(amount)s")
                                % {"amount": format_money(bond.amount, bond.currency)},
                                bond.bid, bond.updated_at))
    if actor.has_role("bid_assistant", "market_head"):
        for bond in overdue_bonds(today=timezone.localdate(now)):
            out.append(Reminder("bond.refund_overdue", _("Bond refund overdue: %(amount)s")
                                % {"amount": format_money(bond.amount, bond.currency)},
                                bond.bid, bond.updated_at))
    return out


def overdue_bonds(*, today: date):
    return Bond.objects.filter(overdue_q(today)).select_related("bid").order_by("paid_on")


def performance_due(*, today: date):
    """Planned performance bonds of bids whose contract is signed (Art. 58: paid before the work starts)."""
    return Bond.objects.filter(kind=BondKind.PERFORMANCE, status=BondStatus.PLANNED,
                               bid__contract_signed_on__isnull=False,
                               due_on__lte=today).select_related("bid").order_by("due_on")


def recipients():
    """Everyone who can have reminders: owners and members of open bids, assistants and market heads."""
    return User.objects.filter(is_active=True).filter(
        Q(bids__isnull=False) | Q(team_opportunities__bids__isnull=False)
        | Q(groups__name__in=["bid_assistant", "market_head"])).distinct()


@provider
def bid_reminders(now: datetime):
    """core.reminders provider: every recipient's reminders, each naming its bid."""
    for user in recipients():
        for r in due_for(user, now=now):
            yield Due(user, f"{r.record.number} {r.label}", f"/bids/{r.record.pk}/")
