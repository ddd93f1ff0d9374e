"""Issue 23, "done when": a user who exists only in the test directory logs in and lands in the right department
with the right roles; a new inbox item reaches his mailbox and his department's WeCom, DingTalk and Feishu robots
in their formats; his calendar shows his deadlines. Over real HTTP against a live server."""

from datetime import timedelta

from django.utils import timezone
from icalendar import Calendar

from opsmon.accounts.models import Department, User
from opsmon.core.events import notify
from opsmon.directory.tests.slapd import PASSWORDS
from opsmon.notifications import outbox
from opsmon.notifications.models import Outgoing, Robot


def test_a_directory_user_logs_in_hears_by_mail_and_robots_and_subscribes_to_his_deadlines(
        directory, mailbox, receivers, http, settings):
    sales1 = Department.objects.get(name="销售一部")
    for kind, receiver in receivers.items():
        Robot.objects.create(name=f"销售一部 {kind}", kind=kind, url=receiver.url(), secret=receiver.secret,
                             department=sales1)
    # He exists only in the directory.
    assert not User.objects.filter(username="zhangwei").exists()
    page = http().login_session("zhangwei", PASSWORDS["zhangwei"])
    assert page.status_code == 302, page.text[:300]
    zhang = http().login_token("zhangwei", PASSWORDS["zhangwei"])
    me = zhang.get("/api/v1/me").json()
    assert me["department"]["name"] == "销售一部" and me["roles"] == ["sales_rep"]

    # He wants his notices in the app, by mail and in his department's group.
    answer = zhang.put("/api/v1/me/notification-settings", json={"channels": {"notice": ["inapp", "email", "robot"]}})
    assert answer.status_code == 200, answer.text
    user = User.objects.get(username="zhangwei")
    # As a module tells him (a page, not a record: a notice of a record he cannot open is not listed, issue 20).
    notify([user], text="合同待审：HT-2026-0042 配电自动化运维", url="/contracts/?q=HT-2026-0042")
    assert outbox.deliver_due() == 4
    assert set(Outgoing.objects.values_list("status", flat=True)) == {"delivered"}
    [mail] = mailbox
    assert mail["To"] == "zhangwei@example.com"
    assert "https://opsmon.example.com/contracts/?q=HT-2026-0042" in mail.get_body(("plain",)).get_content()
    for kind, receiver in receivers.items():
        [post] = receiver.received
        assert post["problem"] == "", (kind, post["problem"])
    assert "HT-2026-0042" in receivers["wecom"].received[0]["body"]["markdown"]["content"]
    assert "HT-2026-0042" in receivers["dingtalk"].received[0]["body"]["markdown"]["text"]
    assert receivers["feishu"].received[0]["body"]["msg_type"] == "post"
    notices = zhang.get("/api/v1/notifications").json()
    assert notices["items"][0]["text"].startswith("合同待审")

    # His deadline: the next follow-up of an opportunity he opens.
    customer = zhang.post("/api/v1/customers", json={"name": "福州配电运维有限公司", "customer_type": "soe"})
    assert customer.status_code == 201, customer.text
    opportunity = zhang.post("/api/v1/opportunities", json={
        "title": "配电自动化运维", "customer_id": customer.json()["id"], "estimated_amount": "880000.00",
        "expected_close_date": str(timezone.localdate() + timedelta(days=90))})
    assert opportunity.status_code == 201, opportunity.text
    next_date = timezone.localdate() + timedelta(days=5)
    follow_up = zhang.post(f"/api/v1/opportunities/{opportunity.json()['id']}/follow-ups", json={
        "happened_at": str(timezone.localdate()), "kind": "visit", "note": "现场交流", "next_date": str(next_date)})
    assert follow_up.status_code == 201, follow_up.text
    feed = zhang.post("/api/v1/me/calendar-feed").json()["url"]
    calendar = Calendar.from_ical(http().get(feed.replace(zhang.base, "")).content)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    event = events[f"opportunity-{opportunity.json()['id']}-follow-up@opsmon"]
    assert event.decoded("DTSTART") == next_date and opportunity.json()["number"] in str(event["SUMMARY"])
