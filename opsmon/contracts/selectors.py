"""Reads of contracts, narrowed to what the actor may see: owner and team, heads above, the deciders of
their review steps, market head and admin."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from opsmon.accounts.roles import Role
from opsmon.accounts.selectors import department_ids_under
from opsmon.accounts.visibility import head_departments, is_active_user, sees_all_under, union
from opsmon.approvals import selectors as approvals
from opsmon.core.errors import NotFound
from opsmon.opportunities.models import Opportunity

from .choices import ContractStatus
from .models import Amendment, Attachment, Contract, ContractVersion
from .terms import changed

ORDERINGS = {"created_at", "-created_at", "number", "-number", "amount", "-amount", "signed_on", "-signed_on",
             "end_on", "-end_on", "updated_at", "-updated_at"}


def visible_contracts(actor, *, beyond: bool = False):
    """Owner, the opportunity's owner and team, department heads above, the deciders of its review steps,
    see-all roles (a UNION of index lookups: see accounts.visibility). `beyond`: as visible_opportunities."""
    if not is_active_user(actor):
        return Contract.objects.none()
    if actor.sees_all or actor.has_role(Role.FINANCE):  # finance sees every contract and its money trail
        return Contract.objects.all()
    departments = None if beyond else head_departments(actor)
    team = Opportunity.members.through.objects.filter(user=actor.pk)
    return Contract.objects.filter(pk__in=union(
        None if beyond else Contract.objects.filter(owner=actor.pk).values("pk"),
        Contract.objects.filter(opportunity__owner=actor.pk).values("pk"),
        Contract.objects.filter(opportunity__in=team.values("opportunity_id")).values("pk"),
        approvals.decided_records(actor, Contract),
        None if departments is None else Contract.objects.filter(department__in=departments).values("pk")))


@dataclass(frozen=True)
class ContractFilters:
    """The filters of the contract list, one shape for the page and its export (ContractFilterForm.filters()) and
    the API list and export (ContractListParams.filters()), so they cannot filter differently."""

    q: str = ""
    status: str = ""
    contract_type: str = ""
    department: int | None = None
    owner: int | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    signed_from: date | None = None
    signed_to: date | None = None
    expiring_within: int | None = None  # signed contracts ending within N days
    ordering: str = "-created_at"


def contract_list(*, actor, filters: ContractFilters = ContractFilters(), today: date | None = None):
    f = filters
    # Filtered to departments he sees whole (a head's own, the market head's any): the filter is the scope.
    qs = Contract.objects.all() if sees_all_under(actor, f.department) else visible_contracts(actor)
    if f.q:
        qs = qs.filter(Q(number__icontains=f.q) | Q(title__icontains=f.q) | Q(customer__name__icontains=f.q))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.contract_type:
        qs = qs.filter(contract_type=f.contract_type)
    if f.department:
        qs = qs.filter(department_id__in=department_ids_under(f.department))
    if f.owner:
        qs = qs.filter(owner_id=f.owner)
    if f.amount_min is not None:
        qs = qs.filter(amount__gte=f.amount_min)
    if f.amount_max is not None:
        qs = qs.filter(amount__lte=f.amount_max)
    if f.signed_from:
        qs = qs.filter(signed_on__gte=f.signed_from)
    if f.signed_to:
        qs = qs.filter(signed_on__lte=f.signed_to)
    if f.expiring_within is not None:
        today = today or timezone.localdate()
        qs = qs.filter(status=ContractStatus.SIGNED, end_on__gte=today,
                       end_on__lte=today + timedelta(days=f.expiring_within))
    ordering = f.ordering if f.ordering in ORDERINGS else "-created_at"
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


def reviews_of(contract: Contract) -> list:
    """Every round (the contract's and its amendments'), oldest first, with steps and deciders; an amendment's
    round carries `amendment` (None for the contract's own)."""
    rounds = list(approvals.rounds_of(contract))
    numbers = {r.subject_id for r in rounds if r.kind == "amendment"}
    found = {a.pk: a for a in Amendment.objects.filter(contract=contract, pk__in=numbers)} if numbers else {}
    for r in rounds:
        r.amendment = found.get(r.subject_id) if r.kind == "amendment" else None
        r.amendment_id = r.amendment.pk if r.amendment is not None else None
    return rounds


def current_step(contract: Contract):
    """The step waiting for decisions in the contract's (or its amendment's) open round, if any."""
    return approvals.current_step(contract)


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
