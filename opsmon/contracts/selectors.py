"""Reads of contracts, narrowed to what the actor may see: owner and team, heads above, the deciders of
their review steps, market head and admin."""

from datetime import date, timedelta

from django.db.models import Prefetch, Q
from django.utils import timezone

from opsmon.accounts.selectors import department_path
from opsmon.accounts.visibility import head_departments, is_active_user, union
from opsmon.core.errors import NotFound
from opsmon.opportunities.models import Opportunity

from .choices import ContractStatus, StepStatus
from .models import Attachment, Contract, ContractVersion, Review, ReviewStep, StepDecider
from .terms import changed

ORDERINGS = {"created_at", "-created_at", "number", "-number", "amount", "-amount", "signed_on", "-signed_on",
             "end_on", "-end_on", "updated_at", "-updated_at"}


def visible_contracts(actor):
    """Owner, the opportunity's owner and team, department heads above, the deciders of its review steps,
    see-all roles (a UNION of index lookups: see accounts.visibility)."""
    if not is_active_user(actor):
        return Contract.objects.none()
    if actor.sees_all:
        return Contract.objects.all()
    departments = head_departments(actor)
    team = Opportunity.members.through.objects.filter(user=actor.pk)
    return Contract.objects.filter(pk__in=union(
        Contract.objects.filter(owner=actor.pk).values("pk"),
        Contract.objects.filter(opportunity__owner=actor.pk).values("pk"),
        Contract.objects.filter(opportunity__in=team.values("opportunity_id")).values("pk"),
        StepDecider.objects.filter(user=actor.pk).values("step__review__contract_id"),
        None if departments is None else Contract.objects.filter(department__in=departments).values("pk")))


def contract_list(*, actor, q: str = "", status: str = "", contract_type: str = "", department: int | None = None,
                  owner: int | None = None, amount_min=None, amount_max=None, signed_from: date | None = None,
                  signed_to: date | None = None, expiring_within: int | None = None, ordering: str = "-created_at",
                  today: date | None = None):
    qs = visible_contracts(actor)
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(title__icontains=q) | Q(customer__name__icontains=q))
    if status:
        qs = qs.filter(status=status)
    if contract_type:
        qs = qs.filter(contract_type=contract_type)
    if department:
        qs = qs.filter(department__path__startswith=department_path(department))
    if owner:
        qs = qs.filter(owner_id=owner)
    if amount_min is not None:
        qs = qs.filter(amount__gte=amount_min)
    if amount_max is not None:
        qs = qs.filter(amount__lte=amount_max)
    if signed_from:
        qs = qs.filter(signed_on__gte=signed_from)
    if signed_to:
        qs = qs.filter(signed_on__lte=signed_to)
    if expiring_within is not None:
        today = today or timezone.localdate()
        qs = qs.filter(status=ContractStatus.SIGNED, end_on__gte=today,
                       end_on__lte=today + timedelta(days=expiring_within))
    ordering = ordering if ordering in ORDERINGS else "-created_at"
    return qs.select_related("customer", "owner", "department", "opportunity").order_by(ordering, "-id")


def contract_get(*, actor, pk) -> Contract:
    """One contract the actor may see, or 404."""
    qs = Contract.objects.select_related("customer", "owner", "department", "opportunity", "project", "bid")
    # An id subquery: a DISTINCT over the team join cost PostgreSQL ~10 ms of planning per lookup.
    if not getattr(actor, "sees_all", False):
        qs = qs.filter(pk__in=visible_contracts(actor).values("pk"))
    try:
        return qs.get(pk=pk)
    except (Contract.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def reviews_of(contract: Contract):
    """Every round, oldest first, with steps and deciders."""
    deciders = StepDecider.objects.select_related("user").order_by("id")
    steps = ReviewStep.objects.prefetch_related(Prefetch("deciders", queryset=deciders)).order_by("position")
    return (Review.objects.filter(contract=contract).select_related("amendment", "started_by")
            .prefetch_related(Prefetch("steps", queryset=steps)).order_by("round"))


def current_step(contract: Contract) -> ReviewStep | None:
    return (ReviewStep.objects.filter(review__contract=contract, status=StepStatus.CURRENT,
                                      review__status="in_review").select_related("review").first())


def attachments_of(contract: Contract):
    return Attachment.objects.filter(contract=contract).select_related("file", "uploaded_by")


def attachment_get(*, actor, pk) -> Attachment:
    """A file of a contract the actor may see, or 404."""
    attachment = Attachment.objects.filter(pk=pk).select_related("file", "contract").first() \
        if str(pk).isdigit() else None
    if attachment is None:
        raise NotFound()
    contract_get(actor=actor, pk=attachment.contract_id)
    return attachment


def versions_of(contract: Contract) -> list[dict]:
    """Every kept version with what changed from the one before (first: nothing)."""
    out, previous = [], None
    for v in ContractVersion.objects.filter(contract=contract).select_related("amendment").order_by("number"):
        out.append({"number": v.number, "terms": v.terms, "created_at": v.created_at,
                    "amendment": v.amendment, "changes": changed(previous.terms, v.terms) if previous else {}})
        previous = v
    return out


def version_diff(contract: Contract, a: int, b: int) -> dict:
    """{term: [in a, in b]} between two versions; 404 when either does not exist."""
    found = {v.number: v.terms for v in ContractVersion.objects.filter(contract=contract, number__in=[a, b])}
    if a not in found or b not in found:
        raise NotFound()
    return changed(found[a], found[b])
