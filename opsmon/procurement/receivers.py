"""What procurement does for lower modules: the review kinds "purchase_request" and "budget" handed to the
approvals engine (steps approve, return or reject), and the Purchasing section of the project's page
(projects.hooks.page_sections)."""

from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opsmon.approvals import kinds
from opsmon.projects import hooks as project_hooks

from . import services, views
from .models import ProjectBudget, PurchaseRequest


def category_of(request: PurchaseRequest) -> str:
    """The route category of a request: the supplier_category with the largest estimated amount (ties: the
    first line's)."""
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for line in request.lines.order_by("position", "id"):
        sums[line.category] += line.amount
    return max(sums, key=lambda c: sums[c]) if sums else ""


kinds.register(kinds.Kind(
    name=services.REQUEST_KIND, label=gettext_lazy("Purchase requests"), model=PurchaseRequest,
    owner=lambda r: r.owner_id, department=lambda r: r.department, amount=lambda r: r.total,
    category=category_of, category_table="supplier_category",
    url=services.request_url, title=lambda r: f"{r.number} {r.title}",
    on_approved=services.request_approved, on_rejected=services.request_rejected,
    allows_return=True, on_returned=services.request_returned,
    texts={"waiting": gettext_lazy("A purchase request waits for your decision: %(title)s"),
           "no_route": gettext_lazy("No review route covers this purchase request; ask an administrator."),
           "type_field": "lines"},
    inbox_label=lambda r, step: _("Decide purchase request %(n)s (%(step)s)") % {"n": r.number, "step": step}))


kinds.register(kinds.Kind(
    name=services.BUDGET_KIND, label=gettext_lazy("Project purchase budgets"), model=ProjectBudget,
    owner=lambda b: b.project.owner_id, proposer=lambda b: b.submitted_by_id,
    department=lambda b: b.project.department, amount=lambda b: b.total,
    url=services.budget_url, title=lambda b: _("Purchase budget V%(v)s of %(n)s") % {"v": b.revision,
                                                                                    "n": b.project.number},
    on_approved=services.budget_approved, on_rejected=services.budget_rejected,
    allows_return=True, on_returned=services.budget_returned,
    texts={"waiting": gettext_lazy("A project purchase budget waits for your decision: %(title)s"),
           "no_route": gettext_lazy("No review route covers project purchase budgets; ask an administrator."),
           "type_field": "lines"},
    inbox_label=lambda b, step: _("Decide the purchase budget of %(n)s") % {"n": b.project.number}))

project_hooks.page_sections.connect(views.project_section)
