"""Sending queued deliveries: signed, with a short timeout, retried with backoff, never twice once delivered."""

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from datetime import timedelta

from django.utils import timezone

from opsmon.core import outbox

from .models import WebhookDelivery

log = logging.getLogger("opsmon.webhooks")

TIMEOUT_SECONDS = 5
LEASE = timedelta(seconds=60)  # a claimed delivery is not picked by another worker for this long
BACKOFF = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
           timedelta(hours=6), timedelta(hours=24)]
MAX_ATTEMPTS = len(BACKOFF) + 1


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over "<timestamp>.<body>", hex; sent as `X-OpsMon-Signature: sha256=<hex>`."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def _send(delivery: WebhookDelivery) -> tuple[int | None, str]:
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = str(int(timezone.now().timestamp()))
    # The URL was checked to be http(s) when the admin saved the endpoint.
    request = urllib.request.Request(delivery.endpoint.url, data=body, method="POST", headers={  # noqa: S310
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "OpsMon-Webhook/1",
        "X-OpsMon-Event": delivery.event,
        "X-OpsMon-Event-Id": str(delivery.event_id),
        "X-OpsMon-Timestamp": timestamp,
        "X-OpsMon-Signature": "sha256=" + signature(delivery.endpoint.secret, timestamp, body),
    })
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - admin-set URL
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except Exception as exc:  # timeouts, refused connections, DNS: all mean "try again later"
        return None, f"{type(exc).__name__}: {exc}"[:500]


def attempt(delivery_id: int, *, now=None) -> str | None:
    """Try one delivery if it is due and nobody else holds it; returns its new status, or None if not taken."""
    now = now or timezone.now()
    if not outbox.claim(WebhookDelivery, delivery_id, now, LEASE):
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    code, error = _send(delivery)
    status = outbox.settle(delivery, now=now, delivered=code is not None and 200 <= code < 300, code=code,
                           error=error, backoff=BACKOFF)
    if error:
        log.warning("webhook %s to %s failed (attempt %s): %s", delivery.event, delivery.endpoint.url,
                    delivery.attempts + 1, error)
    return status


def deliver_due(*, now=None, limit: int = 100) -> int:
    """Attempt every due pending delivery; returns how many were attempted."""
    now = now or timezone.now()
    return outbox.deliver_due(WebhookDelivery, attempt, now=now, limit=limit)
