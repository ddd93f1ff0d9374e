"""What integrations answer lower modules (core.hooks): the delivery state of a project's hand-off, and the
hand-off itself (one Handoff per integration account that receives them, and the `project.handed_off` webhook)."""

from opsmon.core.events import publish
from opsmon.projects import hooks as project_hooks
from opsmon.projects.services import project_payload

from .events import HANDED_OFF
from .models import Handoff, IntegrationAccount, WebhookDelivery


@project_hooks.handoff_state.connect
def handoff_state(*, project) -> str | None:
    """delivered / pending / failed, or None when no endpoint listens to the hand-off."""
    statuses = set(WebhookDelivery.objects.filter(subject_type="project", subject_id=project.pk,
                                                  event__in=("project.routed", HANDED_OFF))
                   .values_list("status", flat=True))
    if not statuses:
        return None
    for status in ("failed", "pending"):
        if status in statuses:
            return status
    return "delivered"


def contract_payload(contract) -> dict | None:
    """The contract and its payment milestones as an outside system gets them."""
    if contract is None:
        return None
    return {
        "id": contract.pk, "number": contract.number, "title": contract.title, "status": contract.status,
        "amount": f"{contract.amount:.2f}", "currency": contract.currency,
        "signed_on": contract.signed_on.isoformat() if contract.signed_on else None,
        "start_on": contract.start_on.isoformat() if contract.start_on else None,
        "end_on": contract.end_on.isoformat() if contract.end_on else None,
        "milestones": [{
            "position": m.position, "name": m.name, "due_on": m.due_on.isoformat() if m.due_on else None,
            "condition": m.condition, "amount": f"{m.amount:.2f}" if m.amount is not None else None,
            "percentage": str(m.percentage) if m.percentage is not None else None,
            "delivered_on": m.delivered_on.isoformat() if m.delivered_on else None,
        } for m in contract.milestones.order_by("position")],
    }


@project_hooks.hand_off.connect
def hand_off(*, actor, project, contract=None) -> str | None:
    """Record the hand-off for every active integration account that receives them and queue the webhook (the
    outbox keeps retrying it). Answers the first account's hand-off id (the one the caller shows), or None when no
    account receives hand-offs (the webhook still goes to the endpoints that listen)."""
    accounts = list(IntegrationAccount.objects.filter(receives_handoffs=True, user__is_active=True)
                    .select_related("user").order_by("pk"))
    handoffs = [Handoff.objects.create(project=project, contract=contract, account=a) for a in accounts]
    publish(HANDED_OFF, subject=project, data={
        **project_payload(project),
        "contract": contract_payload(contract),
        "handoffs": [{"id": str(h.pk), "account": a.name} for h, a in zip(handoffs, accounts, strict=True)],
    })
    return str(handoffs[0].pk) if handoffs else None
