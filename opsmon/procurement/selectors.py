"""Which purchase requests and budgets the actor may see (PROCUREMENT.md "Visibility"; else 404):

- the requester his own, and those of projects he can see (projects.selectors.visible_projects);
- a department head those filed in his department subtree;
- a purchaser every request from `approved` on (approved once: `approved_at` is set);
- the deciders of a request's review rounds that request;
- procurement_head, executive and admin all. The market head sees aggregates only: not through projects here.

A project's budget is seen by whoever sees the project. Committed and cost figures are read here too."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, Sum

from opsmon.accounts.roles import Role
from opsmon.accounts.visibility import head_departments, is_active_user
from opsmon.approvals import selectors as approval_selectors
from opsmon.core.errors import NotFound
from opsmon.projects.selectors import visible_projects

from . import hooks
from .choices import BudgetStatus, RequestStatus
from .models import BudgetLine, ProjectBudget, PurchaseRequest, RequestLine
from .rules import UNORDERED

SEE_ALL = (Role.PROCUREMENT_HEAD, Role.EXECUTIVE, Role.ADMIN)
ZERO = Decimal("0.00")


def visible_requests(actor):
    if not is_active_user(actor):
        return PurchaseRequest.objects.none()
    if actor.has_role(*SEE_ALL):
        return PurchaseRequest.objects.all()
    q = Q(owner=actor.pk) | Q(pk__in=approval_selectors.decided_records(actor, PurchaseRequest))
    if not actor.has_role(Role.MARKET_HEAD):
        q |= Q(project__in=visible_projects(actor).values("pk"))
    departments = head_departments(actor)
    if departments is not None:
        q |= Q(department__in=departments)
    if actor.has_role(Role.PURCHASER):
        q |= Q(approved_at__isnull=False)
    return PurchaseRequest.objects.filter(q)


@dataclass(frozen=True)
class RequestFilters:
    """The filters of the request list, one shape for the page and the API."""

    q: str = ""
    status: str = ""
    project: int | None = None
    mine: bool = False


def _with_lines(qs):
    return (qs.select_related("project", "contract", "owner", "department")
            .prefetch_related(Prefetch("lines", queryset=RequestLine.objects.order_by("position", "id"))))


def request_list(*, actor, filters: RequestFilters = RequestFilters()):
    qs = visible_requests(actor)
    f = filters
    if f.q:
        qs = qs.filter(Q(number__icontains=f.q) | Q(title__icontains=f.q))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.project:
        qs = qs.filter(project_id=f.project)
    if f.mine:
        qs = qs.filter(owner=actor.pk)
    return _with_lines(qs).order_by("-created_at", "-id")


def request_get(*, actor, pk) -> PurchaseRequest:
    try:
        return _with_lines(visible_requests(actor)).get(pk=pk)
    except (PurchaseRequest.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


# --- budgets and cost ----------------------------------------------------------------------------------------

def budgets_of(project):
    """Every version of the project's budget, newest first, with lines."""
    return (ProjectBudget.objects.filter(project=project).select_related("created_by", "submitted_by")
            .prefetch_related(Prefetch("lines", queryset=BudgetLine.objects.order_by("category", "id")))
            .order_by("-revision"))


def latest_budget(project) -> ProjectBudget | None:
    return budgets_of(project).first()


def approved_budget(project) -> ProjectBudget | None:
    """The version in force: the latest approved one."""
    return budgets_of(project).filter(status=BudgetStatus.APPROVED).first()


def budget_get(*, actor, project, revision) -> ProjectBudget:
    found = budgets_of(project).filter(revision=revision).first() if str(revision).isdigit() else None
    if found is None:
        raise NotFound()
    return found


# Purchase orders (purchasing, a higher module: its status codes, read through the reverse relation) whose lines
# stand for their request lines in the commitment.
ORDER_COMMITTED = ("approved", "signed", "completed", "closed", "terminated")


def _unordered_lines(project, *, exclude=None, exclude_lines=()):
    """Approved request lines of the project not ordered yet (no line of an approved-or-later order)."""
    lines = (RequestLine.objects.filter(request__project=project, request__status__in=UNORDERED)
             .exclude(order_lines__order__status__in=ORDER_COMMITTED))
    if exclude is not None:
        lines = lines.exclude(request=exclude)
    if exclude_lines:
        lines = lines.exclude(pk__in=list(exclude_lines))
    return lines


def committed_of(project, *, exclude=None, exclude_lines=()) -> Decimal:
    """Commitment C: the estimates of approved request lines not ordered yet, plus the lines of purchase orders
    `approved` or later (hooks.order_commitment, answered by purchasing)."""
    requested = _unordered_lines(project, exclude=exclude, exclude_lines=exclude_lines).aggregate(
        s=Sum("amount"))["s"] or ZERO
    return requested + sum((a or ZERO for a in hooks.order_commitment(project=project, by_category=False)), ZERO)


def committed_by_category(project) -> dict[str, Decimal]:
    rows = _unordered_lines(project).values("category").annotate(s=Sum("amount"))
    out = {r["category"]: r["s"] for r in rows}
    for answer in hooks.order_commitment(project=project, by_category=True):
        for category, amount in (answer or {}).items():
            out[category] = out.get(category, ZERO) + amount
    return out


def cost_of(project) -> dict:
    """The project's purchase figures: budget B (the approved version; None without one), committed, and received,
    invoiced and paid (tax incl., answered by the modules connected to hooks.project_figures: costs)."""
    budget = approved_budget(project)
    committed = committed_by_category(project)
    categories = sorted({*(line.category for line in (budget.lines.all() if budget else [])), *committed})
    planned = {line.category: line.amount for line in budget.lines.all()} if budget else {}
    # received / invoiced / paid: the higher modules' answers (costs connects hooks.project_figures), merged.
    moved = {"received": ZERO, "invoiced": ZERO, "paid": ZERO}
    moved_by_category: dict[str, dict] = {}
    for answer in hooks.project_figures(project=project):
        for key in moved:
            moved[key] += answer.get(key) or ZERO
        for c, figures in (answer.get("by_category") or {}).items():
            row = moved_by_category.setdefault(c, {"received": ZERO, "invoiced": ZERO, "paid": ZERO})
            for key in row:
                row[key] += figures.get(key) or ZERO
    categories = sorted({*categories, *(c for c in moved_by_category if c)})
    zero = {"received": ZERO, "invoiced": ZERO, "paid": ZERO}
    return {
        "budget": budget.total if budget else None,
        "budget_revision": budget.revision if budget else None,
        "committed": sum(committed.values(), ZERO),
        **moved,
        "by_category": [{"category": c, "budget": planned.get(c), "committed": committed.get(c, ZERO),
                         **moved_by_category.get(c, zero)} for c in categories],
    }


def open_requests_of(project):
    return (PurchaseRequest.objects.filter(project=project).exclude(status=RequestStatus.CANCELLED)
            .select_related("owner").order_by("-created_at", "-id"))
