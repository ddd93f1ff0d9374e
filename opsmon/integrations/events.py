"""Emitting events to outside systems: an outbox written in the same transaction as the change. Modules publish
(core.events.publish); `queue_webhooks` is this module's subscriber."""

import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opsmon.core.events import Published, register, register_event, webhook_events

from .models import WebhookDelivery, WebhookEndpoint
from .tasks import deliver_webhooks

register("webhook.created", _("Webhook endpoint created"))
register("webhook.updated", _("Webhook endpoint edited"))
register("integration.account_created", _("Integration account created"))
register("integration.account_updated", _("Integration account edited"))
register("integration.token_issued", _("Integration token issued"))
register("integration.token_revoked", _("Integration token revoked"))
HANDED_OFF = register_event("project.handed_off", _("Project handed to an outside system"))


def emit(event: str, *, data: dict, subject=None, event_id: uuid.UUID | None = None) -> uuid.UUID:
    """Queue `event` for every active endpoint that wants it; delivery happens later, outside the request.

    The rows are part of the caller's transaction, so an event exists exactly when the change does.
    """
    event_id = event_id or uuid.uuid4()
    now = timezone.now()
    body = {"id": str(event_id), "event": event, "occurred_at": now.isoformat(), "data": data}
    endpoints = [e for e in WebhookEndpoint.objects.filter(active=True) if event in e.events]
    WebhookDelivery.objects.bulk_create([
        WebhookDelivery(endpoint=e, event_id=event_id, event=event, payload=body, next_attempt_at=now,
                        subject_type=subject._meta.model_name if subject is not None else "",
                        subject_id=subject.pk if subject is not None else None)
        for e in endpoints
    ])
    if endpoints and getattr(settings, "WEBHOOKS_ENQUEUE", True):
        transaction.on_commit(lambda: deliver_webhooks.enqueue())
    return event_id


def queue_webhooks(happening: Published) -> None:
    """core.events subscriber: an outbound event (declared with register_event) goes to the outbox."""
    if happening.outbound and happening.key in {key for key, _label in webhook_events()}:
        emit(happening.key, data=happening.data, subject=happening.subject, event_id=happening.id)
