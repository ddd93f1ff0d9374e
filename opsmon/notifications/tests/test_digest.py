"""The daily digest at the hour the user picks, and reminders through the channels chosen for them."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from opsmon.core import deadlines, inbox, reminders
from opsmon.core.deadlines import Deadline
from opsmon.core.inbox import InboxItem
from opsmon.core.reminders import Due
from opsmon.notifications import digest, outbox, services
from opsmon.notifications.models import Notification, Outgoing
from opsmon.notifications.reminders import send_reminders


def at(hour, minute=0):
    today = timezone.localdate()
    return datetime.combine(today, time(hour, minute), timezone.get_current_timezone())


def test_the_digest_comes_once_at_the_chosen_hour_with_todays_overdue_and_waiting(org, mailbox, monkeypatch):
    rep1, today = org["rep1"], timezone.localdate()
    services.settings_save(actor=rep1, channels_by_kind={"digest": ["email", "inapp"]}, digest_at=time(8, 0))
    services.settings_save(actor=org["rep2"], channels_by_kind={}, digest_at=time(8, 0))  # nothing due for him
    due = [Deadline("bid-1-submission", "bid.submission", "Submission deadline: TB-1 二期", at(14, 30), "/bids/1/"),
           Deadline("bond-2-refund", "bond.refund", "Bond refund due: TB-2 24,000.00 CNY",
                    today - timedelta(days=3), "/bids/2/"),
           Deadline("milestone-5", "contract.receivable", "Payment due: HT-5 尾款", today + timedelta(days=3),
                    "/contracts/5/")]
    monkeypatch.setattr(deadlines, "_providers", [lambda user, start, end: due if user == rep1 else []])
    waiting = InboxItem("contract.decide_step", "Decide the finance review", "HT-9 某合同", "/contracts/9/",
                        "contract", 9, timezone.now())
    monkeypatch.setattr(inbox, "_providers", [lambda actor: [waiting] if actor == rep1 else []])
    assert digest.send_due(now=at(7, 59)) == 0
    assert digest.send_due(now=at(8, 5)) == 1
    assert digest.send_due(now=at(9, 0)) == 0  # once a day
    assert outbox.deliver_due() == 1
    [message] = mailbox
    text = message.get_body(("plain",)).get_content()
    assert "14:30  Submission deadline: TB-1 二期" in text
    assert f"{(today - timedelta(days=3)).isoformat()}  Bond refund due" in text
    assert "HT-5" not in text  # not due yet
    assert "Decide the finance review: HT-9 某合同" in text and "https://opsmon.example.com/contracts/9/" in text
    assert Notification.objects.filter(recipient=rep1, url="/inbox/").exists()


def test_reminders_go_where_the_user_wants_them_once_a_day(org, mailbox, monkeypatch):
    rep1 = org["rep1"]
    services.settings_save(actor=rep1, channels_by_kind={"reminder": ["email"]})
    monkeypatch.setattr(reminders, "_providers",
                        [lambda now: [Due(rep1, "TB-1 Submission deadline 2026-05-02 09:30", "/bids/1/"),
                                      Due(org["rep2"], "TB-2 Opening 2026-05-03 10:00", "/bids/2/")]])
    assert send_reminders() == 2
    assert send_reminders() == 0
    assert Outgoing.objects.filter(recipient=rep1, kind="reminder").count() == 1
    assert not Notification.objects.filter(recipient=rep1).exists()
    assert Notification.objects.filter(recipient=org["rep2"], text__startswith="TB-2").count() == 1  # default
