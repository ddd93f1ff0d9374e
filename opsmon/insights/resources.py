"""Project resources (立项资源): person-days and money granted (granted resource requests) against what was logged
(effort logs), per project and per department, over the projects the viewer sees (scope.projects: the projects
selector, never more). `GET /api/v1/insights/resources` and the dashboard's panel."""

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from pydantic import BaseModel

from opsmon.core.errors import Invalid
from opsmon.core.web import page_or_partial
from opsmon.projects.models import Project
from opsmon.resources.choices import RequestStatus
from opsmon.resources.models import BudgetLine, EffortLog, PeopleLine

from . import scope
from .filters import parse

LIMIT = 200  # projects listed (the most granted first); departments and the total count them all
ZERO_DAYS, ZERO = Decimal("0.0"), Decimal("0.00")
FIELDS = ("granted_days", "used_days", "granted_amount", "used_amount")


class ProjectResourcesRow(BaseModel):
    id: int
    name: str
    number: str = ""
    granted_days: str
    used_days: str
    granted_amount: str
    used_amount: str


class ProjectResourcesOut(BaseModel):
    projects: list[ProjectResourcesRow]
    departments: list[ProjectResourcesRow]
    total: ProjectResourcesRow


def _sums(queryset, key: str, field: str) -> dict:
    return {row[key]: row["s"] for row in queryset.values(key).annotate(s=Sum(field)).order_by()}


def figures(*, actor, department=None) -> dict:
    """{"projects": [...], "departments": [...], "total": {...}}, Decimals; `department` (an id: it and those under
    it, within what the actor sees) narrows the projects. A bad department is a 422 naming it."""
    projects = scope.projects(actor)
    filters = parse(department=department)
    if filters.department is not None:
        projects = projects.filter(department__in=filters.department_ids)
    granted = {"request__status": RequestStatus.GRANTED, "request__project__in": projects}
    columns = {
        "granted_days": _sums(PeopleLine.objects.filter(**granted), "request__project", "granted_days"),
        "granted_amount": _sums(BudgetLine.objects.filter(**granted), "request__project", "granted_amount"),
        "used_days": _sums(EffortLog.objects.filter(project__in=projects), "project", "days"),
        "used_amount": _sums(EffortLog.objects.filter(project__in=projects), "project", "amount"),
    }
    ids = set().union(*columns.values())
    info = {p.pk: p for p in Project.objects.filter(pk__in=ids).select_related("department")}
    rows, departments = [], {}
    total = {"id": 0, "name": "", "number": "", **{f: Decimal(0) for f in FIELDS}}
    for pk in ids:
        project = info[pk]
        row = {"id": pk, "name": project.title, "number": project.number,
               **{f: columns[f].get(pk) or Decimal(0) for f in FIELDS}}
        rows.append(row)
        dept = departments.setdefault(project.department_id, {
            "id": project.department_id, "name": project.department.name, "number": "",
            **{f: Decimal(0) for f in FIELDS}})
        for f in FIELDS:
            dept[f] += row[f]
            total[f] += row[f]
    rows.sort(key=lambda r: (-r["granted_amount"], -r["granted_days"], r["number"]))
    return {"projects": rows[:LIMIT], "departments": sorted(departments.values(), key=lambda d: d["name"]),
            "total": total}


def _plain(row: dict) -> dict:
    return {**row, **{f: (f"{row[f]:.1f}" if f.endswith("days") else f"{row[f]:.2f}") for f in FIELDS}}


def api_answer(*, actor, department=None) -> dict:
    data = figures(actor=actor, department=department)
    return {"projects": [_plain(r) for r in data["projects"]],
            "departments": [_plain(r) for r in data["departments"]], "total": _plain(data["total"])}


@login_required
def panel(request):
    """The dashboard's panel (htmx) or, opened on its own, the page."""
    try:
        data = figures(actor=request.user, department=request.GET.get("department"))
    except Invalid:  # the dashboard shows the filters' errors itself; the panel keeps the defaults
        data = figures(actor=request.user)
    return page_or_partial(request, "insights/resources.html", "insights/_resources.html", {"figures": data})
