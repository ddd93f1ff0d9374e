"""Reads of resource requests and effort logs, narrowed to what the actor may see: one visibility path, the
projects selector (whoever sees the project sees its requests and logs), plus the requests whose review rounds
the actor decides (a technical department head who does not otherwise see the project)."""

from decimal import Decimal

from django.db.models import Prefetch, Q, Sum

from opsmon.accounts.visibility import is_active_user
from opsmon.approvals import selectors as approval_selectors
from opsmon.core.errors import NotFound
from opsmon.projects.selectors import visible_projects

from .choices import BudgetKind, PeopleRole, RequestStatus
from .models import BudgetLine, EffortLog, PeopleLine, ResourceRequest

PEOPLE = frozenset(PeopleRole.values)
BUDGET = frozenset(BudgetKind.values)


def visible_requests(actor):
    if not is_active_user(actor):
        return ResourceRequest.objects.none()
    return ResourceRequest.objects.filter(
        Q(project__in=visible_projects(actor).values("pk"))
        | Q(pk__in=approval_selectors.decided_records(actor, ResourceRequest)))


def visible_logs(actor):
    if not is_active_user(actor):
        return EffortLog.objects.none()
    return EffortLog.objects.filter(project__in=visible_projects(actor).values("pk"))


def _with_lines(qs):
    return qs.select_related("project", "project__owner", "project__department", "filed_by").prefetch_related(
        Prefetch("people", queryset=PeopleLine.objects.select_related("user").order_by("position", "id")),
        Prefetch("budget", queryset=BudgetLine.objects.order_by("position", "id")))


def request_get(*, actor, pk) -> ResourceRequest:
    try:
        return _with_lines(visible_requests(actor)).get(pk=pk)
    except (ResourceRequest.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def requests_of(project):
    """The requests of a project the caller already sees (through projects.selectors.project_get)."""
    return _with_lines(ResourceRequest.objects.filter(project=project)).order_by("-created_at", "-id")


def logs_of(project):
    return EffortLog.objects.filter(project=project).select_related("user", "logged_by").order_by("-on", "-id")


def granted_of(request: ResourceRequest) -> dict:
    """Total person-days and amount of one request: asked, and granted (None until granted)."""
    people, budget = list(request.people.all()), list(request.budget.all())
    granted = request.status == RequestStatus.GRANTED
    return {
        "asked_days": sum((p.days for p in people), Decimal("0")),
        "asked_amount": sum((b.amount for b in budget), Decimal("0")),
        "granted_days": sum((p.granted_days or 0 for p in people), Decimal("0")) if granted else None,
        "granted_amount": sum((b.granted_amount or 0 for b in budget), Decimal("0")) if granted else None,
    }


def used_of(project) -> dict:
    """Person-days and money logged against the project."""
    totals = EffortLog.objects.filter(project=project).aggregate(days=Sum("days"), amount=Sum("amount"))
    return {"days": totals["days"] or Decimal("0"), "amount": totals["amount"] or Decimal("0.00")}


def totals_of(project) -> dict:
    """Granted (granted requests only) and used on the project, for its page and the bid summary."""
    granted = (ResourceRequest.objects.filter(project=project, status=RequestStatus.GRANTED))
    days = PeopleLine.objects.filter(request__in=granted).aggregate(s=Sum("granted_days"))["s"]
    amount = BudgetLine.objects.filter(request__in=granted).aggregate(s=Sum("granted_amount"))["s"]
    used = used_of(project)
    return {"granted_days": days or Decimal("0"), "granted_amount": amount or Decimal("0.00"),
            "used_days": used["days"], "used_amount": used["amount"]}
