"""A payment milestone delivered: reported by the project-monitoring system (integrations' inbound status API,
event `milestone_done`); from then on it can be invoiced (receivables)."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from opsmon.core import timeline
from opsmon.core.errors import Conflict, Invalid
from opsmon.core.rules import refuse
from opsmon.core.workflow import clean_past_date

from .. import rules
from ..models import Contract, Milestone


@transaction.atomic
def milestone_mark_delivered(*, actor, contract: Contract, milestone: Milestone, on: date) -> Milestone:
    """Set the milestone's delivered date (not in the future); one timeline row on the contract."""
    refuse(rules.can_mark_milestone_delivered(actor, contract, milestone))
    errors = {}
    if milestone.contract_id != contract.pk:
        errors["milestone"] = _("Not a milestone of this contract.")
    on = clean_past_date(on, "on", errors)
    if errors:
        raise Invalid(fields=errors)
    updated = Milestone.objects.filter(pk=milestone.pk, delivered_on__isnull=True).update(delivered_on=on)
    if not updated:  # delivered by a concurrent request since it was read
        raise Conflict(_("This milestone is already delivered."), code="already_delivered",
                       fields={"milestone": _("already delivered")})
    milestone.delivered_on = on
    timeline.record(contract, actor=actor, action="contract.milestone_delivered", comment=milestone.name,
                    changes={"milestone": [None, f"{milestone.position}. {milestone.name}"],
                             "delivered_on": [None, on.isoformat()]})
    return milestone
