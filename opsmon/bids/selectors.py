"""Reads of bids and bonds: reps see bids of opportunities they can see; assistant, market head, admin see all."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import F, Q, Sum
from django.utils import timezone

from opsmon.accounts.selectors import department_path
from opsmon.accounts.visibility import head_departments, is_active_user, union
from opsmon.core.errors import NotFound
from opsmon.opportunities.models import Opportunity
from opsmon.opportunities.selectors import opportunity_get, visible_opportunities, visible_opportunity_ids

from . import hooks
from .choices import VOIDED, BondKind, BondStatus
from .models import Bid, BidDocument, Bond

REFUND_DAYS = 5  # Art. 57 of the Regulations on the Implementation of the Bidding Law
BID_ORDERINGS = frozenset({"-created_at", "created_at", "submission_deadline", "-submission_deadline", "number",
                           "-number"})


@dataclass(frozen=True)
class BidFilters:
    """The filters of the bid list: the page's form and the API's query both become one of these."""

    q: str = ""
    status: str = ""
    department: int | None = None
    ordering: str = "-created_at"


@dataclass(frozen=True)
class BondFilters:
    """The filters of the bond register: its page, its Excel export and the API's list and export."""

    status: str = ""
    kind: str = ""
    department: int | None = None
    overdue: bool = False


def sees_all_bids(actor) -> bool:
    return actor.sees_all or actor.has_role("bid_assistant")


def visible_bids(actor, *, beyond: bool = False):
    """Bids of the opportunities he sees, his own, his departments' (heads); all for the bid assistant, market
    head and admin (a UNION of index lookups: see accounts.visibility). `beyond`: as visible_opportunities,
    without the bids of his own and his departments' opportunities (`stray`: those of them that are neither his
    nor his departments' bids, which only a record-by-record check finds)."""
    if not is_active_user(actor):
        return Bid.objects.none()
    if sees_all_bids(actor):
        return Bid.objects.all()
    departments = head_departments(actor)
    if beyond:
        return Bid.objects.filter(pk__in=union(
            Bid.objects.filter(opportunity__in=visible_opportunity_ids(actor, beyond=True)).values("pk"),
            *hooks.extra_visible(actor=actor)))
    return Bid.objects.filter(pk__in=union(
        Bid.objects.filter(opportunity__in=visible_opportunity_ids(actor)).values("pk"),
        Bid.objects.filter(owner=actor.pk).values("pk"),
        None if departments is None else Bid.objects.filter(department__in=departments).values("pk"),
        *hooks.extra_visible(actor=actor)))


def stray_q() -> Q:
    """Bids that are not their opportunity's owner's or department's (the services copy both at registration;
    a bid moved since would be one): visible to whoever sees the opportunity."""
    return ~Q(owner=F("opportunity__owner")) | ~Q(department=F("opportunity__department"))


def bid_list(*, actor, filters: BidFilters = BidFilters()):
    """The visible bids, filtered and ordered (an unknown ordering falls back to the newest first)."""
    f = filters
    qs = visible_bids(actor)
    if f.q:
        q = f.q.strip()
        qs = qs.filter(Q(number__icontains=q) | Q(title__icontains=q) | Q(tender_no__icontains=q)
                       | Q(tenderer__icontains=q))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.department:
        qs = qs.filter(department__path__startswith=department_path(f.department))
    return (qs.select_related("opportunity", "opportunity__customer", "project", "owner", "department")
            .order_by(f.ordering if f.ordering in BID_ORDERINGS else "-created_at", "-id"))


def bid_get(*, actor, pk) -> Bid:
    try:
        return visible_bids(actor).select_related("opportunity", "opportunity__customer", "project", "owner",
                                                  "department").get(pk=pk)
    except (Bid.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def documents(bid: Bid):
    return BidDocument.objects.filter(bid=bid).select_related("file", "uploaded_by").order_by("kind", "name",
                                                                                             "-version")


def document_get(*, actor, pk) -> BidDocument:
    """A document of a bid the actor may see, or 404."""
    try:
        doc = BidDocument.objects.select_related("file", "bid").get(pk=pk)
    except (BidDocument.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    if not visible_bids(actor).filter(pk=doc.bid_id).exists():
        raise NotFound()
    return doc


# --- bonds --------------------------------------------------------------------------------------

def refund_due_on(bond: Bond) -> date | None:
    """When a paid bond must be back: bid bonds 5 days after the contract is signed (winner) or the result is
    known (lost/abandoned); performance bonds on their due date."""
    if bond.status != BondStatus.PAID:
        return None
    if bond.kind == BondKind.PERFORMANCE:
        return bond.due_on
    bid = bond.bid
    if bid.contract_signed_on:
        return bid.contract_signed_on + timedelta(days=REFUND_DAYS)
    if bid.status in VOIDED and bid.result_known_on:
        return bid.result_known_on + timedelta(days=REFUND_DAYS)
    return None


def overdue_q(today: date) -> Q:
    """Paid bonds whose refund is late, as a filter (kept in step with refund_due_on)."""
    cutoff = today - timedelta(days=REFUND_DAYS)
    bid_bond = Q(kind=BondKind.BID) & (Q(bid__contract_signed_on__lt=cutoff) | (
        Q(bid__contract_signed_on__isnull=True) & Q(bid__status__in=VOIDED) & Q(bid__result_known_on__lt=cutoff)))
    performance = Q(kind=BondKind.PERFORMANCE, due_on__lt=today)
    return Q(status=BondStatus.PAID) & (bid_bond | performance)


def bond_list(*, actor, filters: BondFilters = BondFilters(), today: date | None = None, bid: Bid | None = None):
    """The bonds of the visible bids (of one bid when `bid` is given), filtered, newest first."""
    f = filters
    today = today or timezone.localdate()
    qs = Bond.objects.filter(bid__in=visible_bids(actor).values("pk"))
    if bid is not None:
        qs = qs.filter(bid=bid)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.department:
        qs = qs.filter(bid__department__path__startswith=department_path(f.department))
    if f.overdue:
        qs = qs.filter(overdue_q(today))
    return qs.select_related("bid", "bid__department", "bid__owner").order_by("-created_at", "-id")


def money_out(bonds) -> dict[str, str]:
    """{currency: total} of bonds whose money is out (paid, not yet back)."""
    rows = bonds.filter(status=BondStatus.PAID).order_by().values("currency").annotate(total=Sum("amount"))
    return {r["currency"]: f"{r['total']:.2f}" for r in rows}


def bond_get(*, actor, pk) -> Bond:
    try:
        return Bond.objects.select_related("bid").get(pk=pk, bid__in=visible_bids(actor).values("pk"))
    except (Bond.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def registrable_opportunity(*, actor, pk):
    """The opportunity a bid is registered against: one the actor can see (404 otherwise), for the bid assistant
    as for anyone; registering would otherwise show him the title and customer of one he may not see."""
    return opportunity_get(actor=actor, pk=pk)


PICKER_LIMIT = 20


def registrable_opportunities(actor, *, q: str = "", ids=(), limit: int = PICKER_LIMIT):
    """The open opportunities the register form offers: visible ones matching `q` (number, title or customer),
    at most `limit`, newest first; or those of `ids` (the one chosen already). Never the whole list."""
    scope = Opportunity.objects.filter(pk__in=visible_opportunities(actor).values("pk")).exclude(status="closed")
    if ids:
        scope = scope.filter(pk__in=[i for i in ids if str(i).isdigit()])
    else:
        q = (q or "").strip()[:100]
        if not q:
            return Opportunity.objects.none()
        scope = scope.filter(Q(number__icontains=q) | Q(title__icontains=q) | Q(customer__name__icontains=q))
    return scope.select_related("customer").order_by("-created_at", "-id")[:limit]


def worked_on_by(user):
    """The bids a user works on himself: his own and those of opportunities whose team he is on (reminders and
    deadlines; not visibility, which also gives heads and see-all roles their bids)."""
    return Bid.objects.filter(Q(owner=user.pk) | Q(opportunity__members=user.pk)).distinct()
