"""Admin commands on webhook endpoints."""

from urllib.parse import urlparse

from django.db import transaction
from django.utils.translation import gettext as _

from opsmon.accounts.services import require_admin
from opsmon.core import events as registry
from opsmon.core import timeline
from opsmon.core.errors import Invalid

from .models import WebhookEndpoint


def _clean(data: dict, *, partial: bool) -> dict:
    errors, clean = {}, {}
    if not partial or "name" in data:
        name = (data.get("name") or "").strip()
        if not name or len(name) > 100:
            errors["name"] = _("1 to 100 characters.")
        clean["name"] = name
    if not partial or "url" in data:
        url = (data.get("url") or "").strip()
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc or len(url) > 500:
            errors["url"] = _("An http:// or https:// address.")
        clean["url"] = url
    if not partial or "secret" in data:
        secret = data.get("secret") or ""
        if len(secret) < 16 or len(secret) > 200:
            errors["secret"] = _("16 to 200 characters.")
        clean["secret"] = secret
    if not partial or "events" in data:
        events = list(dict.fromkeys(data.get("events") or []))
        names = {name for name, _label in registry.webhook_events()}
        if not events or set(events) - names:
            errors["events"] = _("Choose one or more of: %(events)s") % {"events": ", ".join(sorted(names))}
        clean["events"] = events
    if "active" in data and data["active"] is not None:
        clean["active"] = bool(data["active"])
    if errors:
        raise Invalid(fields=errors)
    return clean


@transaction.atomic
def endpoint_create(*, actor, **data) -> WebhookEndpoint:
    require_admin(actor)
    endpoint = WebhookEndpoint.objects.create(**_clean(data, partial=False))
    timeline.record(endpoint, actor=actor, action="webhook.created")
    return endpoint


@transaction.atomic
def endpoint_update(*, actor, endpoint: WebhookEndpoint, **data) -> WebhookEndpoint:
    require_admin(actor)
    clean = _clean(data, partial=True)
    changes = timeline.diff({k: getattr(endpoint, k) for k in clean if k != "secret"},
                            {k: v for k, v in clean.items() if k != "secret"})
    for field, value in clean.items():
        setattr(endpoint, field, value)
    endpoint.save()
    timeline.record(endpoint, actor=actor, action="webhook.updated", changes=changes)
    return endpoint
