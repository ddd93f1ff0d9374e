"""What sourcing does for lower modules: the review kind "award" handed to the approvals engine (steps approve,
return or reject; routes by the sourcing's category and the awarded total)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opsmon.approvals import kinds
from opsmon.procurement import hooks as procurement_hooks
from opsmon.procurement.choices import RequestStatus

from . import rules, services
from .models import Sourcing

kinds.register(kinds.Kind(
    name=services.AWARD_KIND, label=gettext_lazy("Sourcing awards"), model=Sourcing,
    owner=lambda s: s.owner_id, department=lambda s: s.department, amount=services.awarded_total,
    category=lambda s: s.category, category_table="supplier_category",
    url=services.sourcing_url, title=lambda s: f"{s.number} {s.title}",
    on_approved=services.award_approved, on_rejected=services.award_rejected,
    allows_return=True, on_returned=services.award_returned,
    texts={"waiting": gettext_lazy("A sourcing award waits for your decision: %(title)s"),
           "no_route": gettext_lazy("No review route covers this award; ask an administrator."),
           "type_field": "lines"},
    inbox_label=lambda s, step: _("Decide the award of %(n)s (%(step)s)") % {"n": s.number, "step": step}))


@procurement_hooks.next_steps.connect
def start_sourcing(*, user, request) -> list[dict]:
    """An approved request's page offers whoever may start a sourcing to start one on its lines."""
    if request.status != RequestStatus.APPROVED or rules.can_create(user) is not None:
        return []
    return [{"label": _("Start a sourcing"), "url": f"{reverse('sourcing:new')}?request={request.pk}",
             "testid": "start-sourcing"}]
