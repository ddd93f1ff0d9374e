"""What resources do for lower modules: the review kind "resource_request" handed to the approvals engine (the
owner's department head decides; the technical department's head too when engineers are asked: the route for
type "technical"), and the Resources section of the project's page (projects.hooks.page_sections)."""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opsmon.approvals import kinds
from opsmon.projects import hooks as project_hooks

from . import services, views
from .models import ResourceRequest


def _title(request: ResourceRequest) -> str:
    return _("Resources of %(project)s") % {"project": f"{request.project.number} {request.project.title}"}


kinds.register(kinds.Kind(
    name=services.KIND, label=gettext_lazy("Resource requests"), model=ResourceRequest,
    type_table="review_step_kind", type_code=services.type_code,
    owner=lambda r: r.project.owner_id, proposer=lambda r: r.filed_by_id,
    department=lambda r: r.project.department, amount=lambda r: sum((b.amount for b in r.budget.all()), Decimal("0")),
    url=services.request_url, title=_title,
    on_approved=services.request_granted, on_rejected=services.request_refused,
    texts={"waiting": gettext_lazy("A resource request waits for you: %(title)s"),
           "no_route": gettext_lazy("No review route covers this resource request; ask an administrator."),
           "type_field": "people"},
    inbox_label=lambda r, step: _("Decide the resources of %(n)s (%(step)s)") % {"n": r.project.number,
                                                                                 "step": step}))

project_hooks.page_sections.connect(views.project_section)
