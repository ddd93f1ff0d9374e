"""The retrying outbox both senders share: webhooks (integrations) and e-mails and robot posts (notifications).

A row (status, attempts, next_attempt_at, last_status_code, last_error, delivered_at) is written in the
transaction of the change and sent later by the task worker. One attempt: claim the row (a compare-and-set that
pushes next_attempt_at out by a lease, so two workers never send it together), send, then settle it: delivered,
or the next attempt after the back-off, or failed after the last one (never retried for ever).
"""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.db.models import Model
from django.utils import timezone

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"


def claim(model: type[Model], pk: int, now: datetime, lease: timedelta) -> bool:
    """Take the due pending row `pk` for one attempt; False when it is not due or another worker holds it."""
    return bool(model.objects.filter(pk=pk, status=PENDING, next_attempt_at__lte=now)
                .update(next_attempt_at=now + lease))


def settle(row: Model, *, now: datetime, delivered: bool, code: int | None, error: str,
           backoff: list[timedelta]) -> str:
    """Record the attempt's outcome on `row`; answers its new status."""
    attempts = row.attempts + 1
    if delivered:
        fields = {"status": DELIVERED, "delivered_at": timezone.now(), "last_error": ""}
    elif attempts >= len(backoff) + 1:
        fields = {"status": FAILED, "last_error": error}
    else:
        fields = {"next_attempt_at": now + backoff[attempts - 1], "last_error": error}
    type(row).objects.filter(pk=row.pk).update(attempts=attempts, last_status_code=code, **fields)
    return fields.get("status", PENDING)


def due(model: type[Model], now: datetime):
    """The pending rows whose attempt has come, oldest due first."""
    return model.objects.filter(status=PENDING, next_attempt_at__lte=now).order_by("next_attempt_at")


def deliver_due(model: type[Model], attempt: Callable[..., str | None], *, now: datetime, limit: int) -> int:
    """Attempt up to `limit` due rows with `attempt(pk, now=)`; answers how many were taken."""
    ids = list(due(model, now).values_list("pk", flat=True)[:limit])
    return sum(1 for pk in ids if attempt(pk, now=now) is not None)
