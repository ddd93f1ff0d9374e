"""The outbox of notifications: e-mails and robot posts are rows written in the transaction of the change, sent by
the task worker after the commit (never inside a request), retried with back-off, and marked failed for the admin
after the last attempt (never retried for ever)."""

import json
import logging
import smtplib
import urllib.error
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from opsmon.core import outbox as shared

from . import robots
from .models import Outgoing, Robot

log = logging.getLogger("opsmon.notifications")

TIMEOUT_SECONDS = 5
LEASE = timedelta(seconds=90)  # a claimed message is not picked by another worker for this long
BACKOFF = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
           timedelta(hours=6)]
MAX_ATTEMPTS = len(BACKOFF) + 1


def wake() -> None:
    """Have the task worker send what is due once the current transaction commits."""
    if getattr(settings, "NOTIFY_ENQUEUE", True):
        transaction.on_commit(lambda: deliver_messages.enqueue(), robust=True)


def queue(rows: list[Outgoing]) -> list[Outgoing]:
    """Add messages to the outbox (inside the caller's transaction) and have the worker send them after it."""
    if not rows:
        return []
    now = timezone.now()
    for row in rows:
        row.next_attempt_at = now
        row.summary = row.summary[:300]
    created = Outgoing.objects.bulk_create(rows)
    wake()
    return created


# --- sending ---------------------------------------------------------------------------------------

def _send_email(message: Outgoing) -> tuple[int | None, str]:
    p = message.payload
    mail = EmailMultiAlternatives(p["subject"], p["text"], settings.DEFAULT_FROM_EMAIL, [p["to"]],
                                  headers={"Content-Language": p.get("language", "")})
    mail.attach_alternative(p["html"], "text/html")
    try:
        with get_connection(fail_silently=False, timeout=getattr(settings, "EMAIL_TIMEOUT", None)
                            or TIMEOUT_SECONDS) as connection:
            connection.send_messages([mail])
    except smtplib.SMTPResponseException as exc:
        return exc.smtp_code, f"SMTP {exc.smtp_code}: {exc.smtp_error!r}"[:500]
    except (smtplib.SMTPException, OSError) as exc:  # refused, timed out, TLS: all mean "try again later"
        return None, f"{type(exc).__name__}: {exc}"[:500]
    return 250, ""


def _send_robot(message: Outgoing) -> tuple[int | None, str]:
    robot: Robot = message.robot
    url, payload = robots.signed(robot.kind, robot.url, message.payload, robot.secret)
    data = json.dumps(payload, ensure_ascii=False).encode()
    # The URL was checked to be http(s) when the admin saved the robot.
    request = urllib.request.Request(url, data=data, method="POST", headers={  # noqa: S310
        "Content-Type": "application/json; charset=utf-8", "User-Agent": "OpsMon-Robot/1"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - admin-set URL
            status, raw = response.status, response.read(65536)
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except Exception as exc:  # timeouts, refused connections, DNS
        return None, f"{type(exc).__name__}: {exc}"[:500]
    try:
        answer = json.loads(raw.decode() or "null")
    except ValueError:
        answer = None
    ok, problem = robots.accepted(robot.kind, answer)
    return (status, "") if ok else (status, problem)


def attempt(message_id: int, *, now=None) -> str | None:
    """Try one due message nobody else holds; answers its new status, or None if not taken."""
    now = now or timezone.now()
    if not shared.claim(Outgoing, message_id, now, LEASE):
        return None
    message = Outgoing.objects.select_related("robot").get(pk=message_id)
    if message.channel == "email":
        code, error = _send_email(message)
    elif message.robot is not None and message.robot.active:
        code, error = _send_robot(message)
    else:
        code, error = None, "the robot was removed or switched off"
    status = shared.settle(message, now=now, delivered=not error, code=code, error=error, backoff=BACKOFF)
    if error:
        log.warning("%s message %s failed (attempt %s): %s", message.channel, message.pk, message.attempts + 1, error)
    return status


def deliver_due(*, now=None, limit: int = 200) -> int:
    """Attempt every due pending message; answers how many were attempted."""
    now = now or timezone.now()
    return shared.deliver_due(Outgoing, attempt, now=now, limit=limit)


def pending_due(now=None) -> bool:
    return shared.due(Outgoing, now or timezone.now()).exists()


@task()
def deliver_messages() -> int:
    """Send the due e-mails and robot posts (enqueued after each notice; `opsmon deliver_notifications` sweeps)."""
    return deliver_due()
