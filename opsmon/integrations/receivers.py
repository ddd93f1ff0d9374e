"""What integrations answer lower modules (core.hooks): the delivery state of a project's hand-off."""

from opsmon.projects import hooks as project_hooks

from .models import WebhookDelivery


@project_hooks.handoff_state.connect
def handoff_state(*, project) -> str | None:
    """delivered / pending / failed, or None when no endpoint listens to the hand-off."""
    statuses = set(WebhookDelivery.objects.filter(subject_type="project", subject_id=project.pk,
                                                  event="project.routed").values_list("status", flat=True))
    if not statuses:
        return None
    for status in ("failed", "pending"):
        if status in statuses:
            return status
    return "delivered"
