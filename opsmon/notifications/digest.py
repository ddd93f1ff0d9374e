"""The daily digest: at the hour a user picks, his deadlines due today and overdue (core.deadlines) and the work
waiting for him (core.inbox: approvals, refunds, reviews...), by e-mail and/or in the app. Sent once a day per user
whatever the number of app nodes (a compare-and-set on the day it was last sent)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_tasks import task

from opsmon.core import deadlines
from opsmon.core.inbox import items_for
from opsmon.core.phrases import phrase

from . import channels, mail, outbox
from .channels import DIGEST, EMAIL, INAPP
from .models import ChannelSettings, Outgoing
from .services import notify

OVERDUE_WINDOW = timedelta(days=60)


def sections_for(user, *, today) -> list[tuple[str, list[dict]]]:
    """(heading, rows) of the digest, in the active language; empty sections are left out."""
    # Review steps waiting are deadlines of the calendar and items of the inbox: the inbox section lists them.
    found = [d for d in deadlines.for_user(user, start=today - OVERDUE_WINDOW, end=today) if d.kind != "review.step"]

    def when(d):
        return timezone.localtime(d.at).strftime("%H:%M") if hasattr(d.at, "hour") else ""

    due_today = [{"title": d.title, "when": when(d), "link": mail.absolute(d.url)} for d in found if d.day == today]
    overdue = [{"title": d.title, "when": d.day.isoformat(), "link": mail.absolute(d.url)}
               for d in found if d.day < today]
    waiting = [{"title": f"{i.label}: {i.title}", "when": "", "link": mail.absolute(i.url)} for i in items_for(user)]
    sections = [(_("Due today"), due_today), (_("Overdue"), overdue), (_("Waiting for you"), waiting)]
    return [(heading, rows) for heading, rows in sections if rows]


def _claim(row: ChannelSettings, today) -> bool:
    return bool(ChannelSettings.objects.filter(pk=row.pk, digest_last_on=row.digest_last_on)
                .update(digest_last_on=today))


def _due_rows(now):
    now = timezone.localtime(now)
    return (ChannelSettings.objects.select_related("user", "user__department")
            .filter(digest_at__isnull=False, digest_at__lte=now.time(), user__is_active=True)
            .exclude(digest_last_on=now.date()))


def any_due(now=None) -> bool:
    """Whether some digest's hour has come and it was not sent today (the schedule queues the job only then)."""
    return _due_rows(now or timezone.now()).exists()


def send_due(*, now=None) -> int:
    """Queue every digest whose hour has come today and that was not sent today; answers how many were sent."""
    now = timezone.localtime(now or timezone.now())
    today, sent = now.date(), 0
    for row in _due_rows(now):
        if not _claim(row, today):
            continue  # another node took it
        sent += int(send_one(row, today=today))
    return sent


@transaction.atomic
def send_one(row: ChannelSettings, *, today) -> bool:
    """Build and queue one user's digest; nothing when nothing is due or waiting."""
    user, language = row.user, channels.language_of(row)
    wanted = channels.chosen(row, DIGEST)
    with translation.override(language):
        sections = sections_for(user, today=today)
        if not sections:
            return False
        count = sum(len(rows) for _heading, rows in sections)
        if EMAIL in wanted and user.email and channels.email_enabled():
            outbox.queue([Outgoing(channel=EMAIL, recipient=user, kind=DIGEST, dedupe_key=f"digest:{today}",
                                   summary=_("Daily digest: %(n)s items") % {"n": count},
                                   payload=mail.digest(user=user, sections=sections, language=language, day=today))])
        if INAPP in wanted:
            notify([user], text=phrase(gettext_noop("Your day: %(n)s deadlines and items waiting"),
                                       n=count), url="/inbox/")
    return True


@task()
def send_digests() -> int:
    """Queue the daily digests whose hour has come (swept every few minutes; `opsmon send_digests` does the same)."""
    return send_due()
