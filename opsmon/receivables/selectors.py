"""Reads of receivables, narrowed to the contracts the actor may see (contracts.selectors.visible_contracts: the
owner and team, heads above, reviewers, finance and the see-all roles). One row per payment milestone of a signed
(or archived) contract, with what it plans, what is invoiced and collected, and when it is due.

A milestone is due on its due date; without one, on the signing date (billing condition "on signing") or the
delivery the project-monitoring system reported ("on delivery"); otherwise it is not yet due. It is overdue once
that day has passed and it is not fully collected; days overdue count from the day after."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    DateField,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Round
from django.utils import timezone

from opsmon.accounts.selectors import department_path
from opsmon.contracts.choices import MilestoneTrigger
from opsmon.contracts.models import Contract, Milestone
from opsmon.contracts.selectors import contract_get, visible_contracts
from opsmon.core.errors import NotFound
from opsmon.core.money import PLACES

from .choices import BUCKET_DAYS, bucket_of
from .models import Collection, Invoice
from .rules import BILLABLE

MONEY = DecimalField(max_digits=18, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY)
# Sums are compared with half a fen to spare (SQLite adds decimals as floats).
FEN = Decimal("0.005")
ORDERINGS = {"due", "-due", "outstanding", "-outstanding", "contract", "-contract"}


def _sum(model):
    return Coalesce(Subquery(model.objects.filter(milestone=OuterRef("pk")).order_by().values("milestone")
                             .annotate(s=Sum("amount")).values("s")[:1], output_field=MONEY), ZERO)


def annotated(milestones):
    """Milestones with `planned` (the amount, or the percentage of the contract amount), `invoiced`,
    `collected`, `outstanding` (planned − collected) and `due` (the day it falls due, or None)."""
    share = Round(ExpressionWrapper(F("contract__amount") * F("percentage") / Value(100), output_field=MONEY), 2)
    return milestones.annotate(
        planned=Coalesce(F("amount"), share, ZERO, output_field=MONEY),
        invoiced=_sum(Invoice), collected=_sum(Collection),
        due=Case(When(due_on__isnull=False, then=F("due_on")),
                 When(trigger=MilestoneTrigger.SIGNING, then=F("contract__signed_on")),
                 When(trigger=MilestoneTrigger.DELIVERY, then=F("delivered_on")),
                 default=None, output_field=DateField()),
    ).annotate(outstanding=ExpressionWrapper(F("planned") - F("collected"), output_field=MONEY))


def overdue_q(today: date) -> Q:
    return Q(due__lt=today, outstanding__gt=FEN)


def bucket_q(bucket: str, today: date) -> Q:
    low, high = BUCKET_DAYS[bucket]
    q = overdue_q(today) & Q(due__lte=today - timedelta(days=low))
    return q & Q(due__gte=today - timedelta(days=high)) if high is not None else q


@dataclass(frozen=True)
class ReceivableFilters:
    """The filters of the receivables list, one shape for the page and the API."""

    q: str = ""
    overdue: bool = False
    owner: int | None = None
    department: int | None = None
    bucket: str = ""
    ordering: str = "due"


def receivables(*, actor, filters: ReceivableFilters = ReceivableFilters(), today: date | None = None):
    """One row per milestone of the visible signed contracts, filtered."""
    today = today or timezone.localdate()
    contracts = visible_contracts(actor).filter(status__in=BILLABLE)
    qs = annotated(Milestone.objects.filter(contract__in=contracts.values("pk")))
    f = filters
    if f.q:
        qs = qs.filter(Q(contract__number__icontains=f.q) | Q(contract__title__icontains=f.q)
                       | Q(contract__customer__name__icontains=f.q) | Q(name__icontains=f.q))
    if f.owner:
        qs = qs.filter(contract__owner_id=f.owner)
    if f.department:
        qs = qs.filter(contract__department__path__startswith=department_path(f.department))
    if f.overdue:
        qs = qs.filter(overdue_q(today))
    if f.bucket in BUCKET_DAYS:
        qs = qs.filter(bucket_q(f.bucket, today))
    ordering = f.ordering if f.ordering in ORDERINGS else "due"
    field = {"contract": "contract__number"}.get(ordering.lstrip("-"), ordering.lstrip("-"))
    order = F(field).desc(nulls_last=True) if ordering.startswith("-") else F(field).asc(nulls_last=True)
    return qs.select_related("contract__customer", "contract__owner", "contract__department").order_by(
        order, "contract_id", "position")


def days_overdue(milestone, today: date | None = None) -> int:
    """Days past its due day of a milestone not fully collected (of `annotated`); 0 when not overdue."""
    today = today or timezone.localdate()
    if milestone.due is None or milestone.outstanding <= FEN or milestone.due >= today:
        return 0
    return (today - milestone.due).days


def row(m, today: date | None = None) -> dict:
    """A receivable (an annotated milestone with its contract) as lists and pages show it."""
    days = days_overdue(m, today)
    c = m.contract
    return {"milestone": m, "contract": c, "planned": m.planned, "invoiced": m.invoiced, "collected": m.collected,
            "outstanding": max(m.outstanding, Decimal("0.00")), "due": m.due, "days_overdue": days,
            "bucket": bucket_of(days), "overdue": days > 0}


def milestones_of(contract: Contract, today: date | None = None) -> list[dict]:
    """Every milestone of one contract as a receivable row (the contract page's money trail)."""
    return [row(m, today) for m in annotated(contract.milestones.select_related("contract").order_by("position"))]


def milestone_get(*, actor, contract_id, milestone_id) -> Milestone:
    """A milestone of a contract the actor may see, or 404."""
    contract = contract_get(actor=actor, pk=contract_id)
    try:
        milestone = contract.milestones.get(pk=milestone_id)
    except (Milestone.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    milestone.contract = contract
    return milestone


def invoices_of(milestone):
    return Invoice.objects.filter(milestone=milestone).select_related("recorded_by").order_by("issued_on", "id")


def collections_of(milestone):
    return Collection.objects.filter(milestone=milestone).select_related("recorded_by").order_by("received_on", "id")


def money_trail(contract) -> tuple[dict, dict]:
    """({milestone id: its invoices}, {milestone id: its collections}) of one contract, oldest first."""
    invoices: dict[int, list] = {}
    for i in Invoice.objects.filter(contract=contract).order_by("issued_on", "id"):
        invoices.setdefault(i.milestone_id, []).append(i)
    collections: dict[int, list] = {}
    for c in Collection.objects.filter(contract=contract).order_by("received_on", "id"):
        collections.setdefault(c.milestone_id, []).append(c)
    return invoices, collections


def totals(milestone) -> tuple[Decimal, Decimal]:
    """(invoiced, collected) of one milestone."""
    invoiced = Invoice.objects.filter(milestone=milestone).aggregate(s=Sum("amount"))["s"] or Decimal("0")
    collected = Collection.objects.filter(milestone=milestone).aggregate(s=Sum("amount"))["s"] or Decimal("0")
    return invoiced, collected


def planned_amount(milestone, contract_amount=None) -> Decimal:
    """What a milestone pays: its amount, or its percentage of the contract amount, rounded to the fen."""
    if milestone.amount is not None:
        return Decimal(milestone.amount)
    amount = contract_amount if contract_amount is not None else milestone.contract.amount
    return (Decimal(amount) * Decimal(milestone.percentage or 0) / 100).quantize(PLACES, rounding=ROUND_HALF_UP)
