"""Notifications where people are: in the app, by e-mail (a local aiosmtpd server), and through WeCom, DingTalk and
Feishu group robots (local receivers that check each format and signature); the outbox retries and gives up."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from opsmon.accounts.models import Department
from opsmon.core.events import notify, publish
from opsmon.notifications import outbox, services
from opsmon.notifications.models import ChannelSettings, Notification, Outgoing, Robot


def choose(user, **channels_by_kind):
    return services.settings_save(actor=user, channels_by_kind=channels_by_kind)


def robots_for_department(receivers, department) -> dict:
    return {kind: Robot.objects.create(name=f"{kind} 群", kind=kind, url=r.url(), secret=r.secret,
                                       department=department)
            for kind, r in receivers.items()}


def test_off_by_default_a_notice_stays_in_the_app(org, settings):
    settings.NOTIFY_ENQUEUE = False
    notify([org["rep1"]], text="TB-1 开标时间已到", url="/bids/1/")
    assert Notification.objects.filter(recipient=org["rep1"], text="TB-1 开标时间已到").exists()
    assert not Outgoing.objects.exists()


def test_an_email_in_the_users_language_with_text_html_and_a_link(org, mailbox):
    rep1 = org["rep1"]
    services.settings_save(actor=rep1, channels_by_kind={"notice": ["email"]}, language="en")
    notify([rep1], text="Contract review waiting for you: HT-2026-0001", url="/contracts/1/")
    assert not Notification.objects.filter(recipient=rep1).exists()  # he chose e-mail only
    assert outbox.deliver_due() == 1
    assert Outgoing.objects.get().status == "delivered"
    [message] = mailbox
    assert message["To"] == "rep1@example.com"
    assert message["Subject"].startswith("[OpsMon] Contract review waiting for you")
    assert message["Content-Language"] == "en"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Hello 李娜," in text and "https://opsmon.example.com/contracts/1/" in text
    assert 'href="https://opsmon.example.com/contracts/1/"' in html and "Open in OpsMon" in html


def test_chinese_is_the_language_by_default(org, mailbox):
    choose(org["rep1"], notice=["email", "inapp"])
    notify([org["rep1"]], text="合同待审：HT-2026-0001", url="/contracts/1/")
    outbox.deliver_due()
    html = mailbox[0].get_body(("html",)).get_content()
    assert "在 OpsMon 中打开" in html or "Open in OpsMon" in html  # the catalogue may not be compiled yet
    assert Notification.objects.filter(recipient=org["rep1"]).count() == 1


def test_the_departments_robots_get_their_own_formats_signed(org, mailbox, receivers):
    rep1 = org["rep1"]
    robots_for_department(receivers, Department.objects.get(name="销售中心"))  # rep1's department is below it
    choose(rep1, notice=["robot", "inapp"])
    notify([rep1, org["rep2"]], text="TB-2026-0007 投标截止时间：明天 09:30", url="/bids/7/")
    assert outbox.deliver_due() == 3
    assert set(Outgoing.objects.values_list("status", flat=True)) == {"delivered"}
    for kind, receiver in receivers.items():
        [post] = receiver.received
        assert post["problem"] == "", (kind, post)
    wecom = receivers["wecom"].received[0]["body"]["markdown"]["content"]
    assert "TB-2026-0007 投标截止时间" in wecom and "@李娜" in wecom and "(https://opsmon.example.com/bids/7/)" in wecom
    ding = receivers["dingtalk"].received[0]
    assert ding["query"]["timestamp"] and ding["query"]["sign"]
    assert ding["body"]["at"]["atMobiles"] == [] and "@李娜" in ding["body"]["markdown"]["text"]
    feishu = receivers["feishu"].received[0]["body"]
    assert feishu["msg_type"] == "post" and feishu["sign"]
    lines = feishu["content"]["post"]["zh_cn"]["content"]
    assert {"tag": "a", "text": lines[-1][0]["text"], "href": "https://opsmon.example.com/bids/7/"} == lines[-1][0]
    assert "@陈静" not in wecom  # rep2 did not choose the robot


def test_a_wrong_signature_is_refused_by_the_receiver_and_retried(org, mailbox, receivers):
    department = Department.objects.get(name="销售一部")
    Robot.objects.create(name="钉钉", kind="dingtalk", url=receivers["dingtalk"].url(), secret="SECwrong-secret-000",
                         department=department)
    choose(org["rep1"], notice=["robot"])
    notify([org["rep1"]], text="HT-1 待签署", url="/contracts/1/")
    outbox.deliver_due()
    message = Outgoing.objects.get()
    assert receivers["dingtalk"].received[0]["problem"] == "sign not match"
    assert message.status == "pending" and message.attempts == 1 and "310000" in message.last_error


def test_a_robot_for_a_kind_of_event_gets_every_such_event(org, mailbox, receivers):
    Robot.objects.create(name="中标喜报", kind="wecom", url=receivers["wecom"].url(), event_kinds=["bid.won"])
    publish("bid.won", subject=org["rep1"], data={"bid": 1})  # no recipients, no text: only the kind's robot
    publish("bid.lost", subject=org["rep1"], data={"bid": 2})
    assert outbox.deliver_due() == 1
    content = receivers["wecom"].received[0]["body"]["markdown"]["content"]
    assert "李娜" in content


def test_a_failing_robot_is_retried_with_back_off_then_marked_failed_never_again(org, mailbox, receivers,
                                                                                   monkeypatch, browser):
    receivers["feishu"].mode = "500"
    Robot.objects.create(name="飞书", kind="feishu", url=receivers["feishu"].url(), secret="feishu-test-secret-abcdef",
                         department=Department.objects.get(name="销售一部"))
    choose(org["rep1"], notice=["robot"])
    notify([org["rep1"]], text="TB-3 开标", url="/bids/3/")
    now = timezone.now()
    for attempt in range(outbox.MAX_ATTEMPTS):
        assert outbox.deliver_due(now=now) == 1
        message = Outgoing.objects.get()
        assert message.attempts == attempt + 1 and message.last_status_code == 500
        if attempt + 1 < outbox.MAX_ATTEMPTS:
            assert message.status == "pending"
            assert message.next_attempt_at == now + outbox.BACKOFF[attempt]
            assert outbox.deliver_due(now=now) == 0  # not before its time
            now = message.next_attempt_at
    assert message.status == "failed"
    assert outbox.deliver_due(now=now + timedelta(days=30)) == 0  # never retried for ever
    assert len(receivers["feishu"].received) == outbox.MAX_ATTEMPTS
    # The admin sees it, and may send it again once the robot is fixed.
    admin = browser("admin")
    page = admin.get("/admin/outbox/?status=failed").content.decode()
    assert 'data-testid="failed-count"' in page and 'data-action="retry"' in page
    from opsmon.core.inbox import items_for
    assert any(i.kind == "notifications.outbox_failed" for i in items_for(org["admin"]))
    receivers["feishu"].mode = "ok"
    assert admin.post(f"/admin/outbox/{message.pk}/retry/").status_code == 302
    assert outbox.deliver_due() == 1 and Outgoing.objects.get().status == "delivered"


def test_a_robot_that_does_not_answer_times_out_and_is_retried(org, mailbox, receivers, monkeypatch):
    monkeypatch.setattr(outbox, "TIMEOUT_SECONDS", 0.5)
    receivers["wecom"].mode, receivers["wecom"].hang_seconds = "hang", 2
    Robot.objects.create(name="企微", kind="wecom", url=receivers["wecom"].url(),
                         department=Department.objects.get(name="销售一部"))
    choose(org["rep1"], notice=["robot"])
    notify([org["rep1"]], text="TB-4 开标", url="/bids/4/")
    assert outbox.deliver_due() == 1
    message = Outgoing.objects.get()
    assert message.status == "pending" and message.last_status_code is None and "timed out" in message.last_error


def test_an_smtp_server_that_is_down_is_retried(org, mailbox, settings):
    from .receivers import free_port
    settings.EMAIL_PORT = free_port()  # nobody listens there
    choose(org["rep1"], notice=["email"])
    notify([org["rep1"]], text="HT-1 待签署", url="/contracts/1/")
    assert outbox.deliver_due() == 1
    message = Outgoing.objects.get()
    assert message.status == "pending" and message.attempts == 1 and "Refused" in message.last_error


@pytest.mark.django_db(transaction=True)
def test_a_request_never_waits_for_delivery(org, settings, receivers):
    """A notice in a request only writes rows and queues the worker's task; the request does not send."""
    settings.NOTIFY_ENQUEUE = True
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    from django_tasks import default_task_backend

    receivers["wecom"].mode, receivers["wecom"].hang_seconds = "hang", 5
    Robot.objects.create(name="企微", kind="wecom", url=receivers["wecom"].url(),
                         department=Department.objects.get(name="销售一部"))
    choose(org["rep1"], notice=["robot"])
    started = timezone.now()
    with transaction.atomic():
        notify([org["rep1"]], text="TB-5 开标", url="/bids/5/")
    assert (timezone.now() - started).total_seconds() < 2
    assert Outgoing.objects.get().status == "pending" and receivers["wecom"].received == []
    assert [r.task.name for r in default_task_backend.results] == ["deliver_messages"]


def test_the_settings_page_saves_channels_language_and_digest(browser, org):
    page = browser("rep1")
    html = page.get("/notifications/settings/").content.decode()
    assert 'data-kind="notice"' in html and 'data-kind="bid.won"' in html and 'data-action="save_settings"' in html
    response = page.post("/notifications/settings/", {
        "kinds": ["notice", "reminder", "bid.won"], "ch-notice": ["inapp", "email"], "ch-reminder": [],
        "ch-bid.won": ["robot"], "language": "en", "digest_at": "08:30"})
    assert response.status_code == 302
    row = ChannelSettings.objects.get(user=org["rep1"])
    assert row.channels == {"notice": ["inapp", "email"], "reminder": [], "bid.won": ["robot"]}
    assert (row.language, row.digest_at.strftime("%H:%M")) == ("en", "08:30")


def test_a_bad_choice_is_refused_naming_the_field(browser, http, org):
    page = browser("rep1")
    response = page.post("/notifications/settings/", {"kinds": ["nonsense.kind"], "ch-nonsense.kind": ["inapp"]})
    assert response.status_code == 422 and 'data-field-error="channels"' in response.content.decode()
    api = http("rep1")
    for body, field in (({"channels": {"notice": ["pigeon"]}}, "channels"), ({"language": "fr"}, "language"),
                        ({"channels": {"digest": ["robot"]}}, "channels"), ({"digest_at": "00:05:31Z"}, "digest_at")):
        answer = api.put("/api/v1/me/notification-settings", json=body)
        assert answer.status_code == 422 and field in answer.json()["error"]["fields"], answer.text
    assert api.put("/api/v1/me/notification-settings", json={"colour": "red"}).status_code == 422
    ok = api.put("/api/v1/me/notification-settings", json={"channels": {"notice": ["email"]}, "digest_at": "07:45"})
    assert ok.status_code == 200
    got = {k["key"]: k["channels"] for k in api.get("/api/v1/me/notification-settings").json()["kinds"]}
    assert got["notice"] == ["email"] and got["reminder"] == ["inapp"]


def test_the_admin_adds_robots_and_a_malformed_one_is_refused_naming_the_field(browser, org):
    admin = browser("admin")
    sales = Department.objects.get(name="销售一部")
    for data, field in (({"name": "钉钉", "kind": "dingtalk", "url": "https://oapi.dingtalk.com/robot/send?x=1",
                          "department": sales.pk}, "secret"),
                        ({"name": "企微", "kind": "wecom", "url": "ftp://example.com", "department": sales.pk}, "url"),
                        ({"name": "企微", "kind": "wecom", "url": "https://qyapi.weixin.qq.com/x"}, "department"),
                        ({"name": "", "kind": "feishu", "url": "https://x.example", "secret": "s"}, "name")):
        response = admin.post("/admin/robots/new/", {**data, "active": "on"})
        assert response.status_code == 200 and f'data-field-error="{field}"' in response.content.decode(), field
    assert not Robot.objects.exists()
    response = admin.post("/admin/robots/new/", {"name": "销售一部群", "kind": "feishu", "active": "on",
                                                 "url": "https://open.feishu.cn/open-apis/bot/v2/hook/abc",
                                                 "secret": "feishu-secret", "department": sales.pk,
                                                 "event_kinds": ["bid.won"]})
    assert response.status_code == 302
    robot = Robot.objects.get()
    assert (robot.secret, robot.event_kinds, robot.department) == ("feishu-secret", ["bid.won"], sales)
    assert "feishu-secret" not in admin.get(f"/admin/robots/{robot.pk}/").content.decode()  # write-only
    response = admin.post(f"/admin/robots/{robot.pk}/", {"name": "销售一部群", "kind": "feishu", "active": "on",
                                                          "url": robot.url, "secret": "", "department": sales.pk})
    assert response.status_code == 302 and Robot.objects.get().secret == "feishu-secret"  # kept
    assert admin.post(f"/admin/robots/{robot.pk}/test/").status_code == 302
    assert Outgoing.objects.filter(robot=robot, kind="robot.test").exists()
    for username in ("rep1", "head1"):
        assert browser(username).get("/admin/robots/").status_code == 403
        assert browser(username).get("/admin/outbox/").status_code == 403
