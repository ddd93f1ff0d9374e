"""Issue 20, notifications: opening a record reads its notifications; the rep hears of the conversion decision;
notifications of records the user can no longer open disappear (and come back if he may open them again)."""

from django.urls import reverse

from opsmon.notifications.models import Notification
from opsmon.notifications.services import notify
from opsmon.opportunities import services as opportunities
from opsmon.opportunities.tests import factories


def unread(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user, read_at__isnull=True).values_list("text", flat=True))


def badge(html: str) -> str:
    marker = 'data-testid="unread-count">'
    return html.split(marker)[1].split("<")[0] if marker in html else "0"


def test_opening_the_records_page_reads_its_notifications_and_only_those(browser, org):
    rep = org["rep1"]
    mine = factories.opportunity(rep)
    other = factories.opportunity(rep)
    notify([rep], text="关于本商机", url=f"/opportunities/{mine.pk}/")
    notify([rep], text="关于本商机的跟进", url=f"/opportunities/{mine.pk}/#follow-ups")
    notify([rep], text="另一个商机", url=f"/opportunities/{other.pk}/")
    client = browser("rep1")
    assert badge(client.get(reverse("home")).content.decode()) == "3"
    page = client.get(f"/opportunities/{mine.pk}/")
    assert page.status_code == 200
    assert badge(page.content.decode()) == "1"  # the header of the page opened already counts them read
    assert unread(rep) == ["另一个商机"]
    # a page that does not open (404) reads nothing; a page of another user reads nothing of rep1's
    stranger = factories.opportunity(org["rep2"])
    notify([rep], text="看不到的", url=f"/opportunities/{stranger.pk}/")
    assert client.get(f"/opportunities/{stranger.pk}/").status_code == 404
    assert "看不到的" in Notification.objects.filter(recipient=rep, read_at__isnull=True).values_list("text", flat=True)
    browser("head1").get(f"/opportunities/{other.pk}/")
    assert "另一个商机" in unread(rep)


def test_the_rep_is_told_when_his_opportunity_is_kept_closed_or_converted(org):
    rep, head = org["rep1"], org["head1"]
    kept = factories.opportunity(rep)
    kept = opportunities.opportunity_request_conversion(actor=rep, opportunity=kept, comment="预算已落实")
    opportunities.opportunity_keep_tracking(actor=head, opportunity=kept, comment="等客户立项批复")
    closed = factories.opportunity(rep)
    opportunities.opportunity_close(actor=head, opportunity=closed, reason="abandoned")
    converted = factories.opportunity(rep)
    converted = opportunities.opportunity_request_conversion(actor=rep, opportunity=converted, comment="可以立项")
    _, project = opportunities.opportunity_convert(actor=head, opportunity=converted)
    told = {n.url: n.text for n in Notification.objects.filter(recipient=rep)}
    assert kept.number in told[f"/opportunities/{kept.pk}/"] and "等客户立项批复" in told[f"/opportunities/{kept.pk}/"]
    assert closed.number in told[f"/opportunities/{closed.pk}/"]
    assert project.number in told[f"/opportunities/{converted.pk}/"]
    assert not Notification.objects.filter(recipient=head, url__startswith="/opportunities/").exists()


def test_notifications_of_records_no_longer_visible_disappear_and_come_back(browser, org):
    rep = org["rep2"]
    opportunity = factories.opportunity(rep)
    notify([rep], text="您的商机有新进展", url=f"/opportunities/{opportunity.pk}/")
    notify([rep], text="一般通知", url="/projects/")
    client = browser("rep2")
    assert "您的商机有新进展" in client.get(reverse("notifications:list")).content.decode()
    assert badge(client.get(reverse("home")).content.decode()) == "2"

    # handed to another department's rep: rep2 may no longer open it
    opportunity.owner, opportunity.department = org["rep1"], org["rep1"].department
    opportunity.save()
    listing = client.get(reverse("notifications:list")).content.decode()
    assert "您的商机有新进展" not in listing and "一般通知" in listing
    assert badge(client.get(reverse("home")).content.decode()) == "1"

    opportunity.members.add(rep)  # on the team again: the notification is back
    assert "您的商机有新进展" in client.get(reverse("notifications:list")).content.decode()


def test_the_api_answers_only_notifications_of_records_still_visible(http, org):
    opportunity = factories.opportunity(org["rep2"])
    notify([org["rep2"]], text="商机通知", url=f"/opportunities/{opportunity.pk}/")
    api = http("rep2")
    assert api.get("/api/v1/notifications").json()["unread"] == 1
    opportunity.owner, opportunity.department = org["rep1"], org["rep1"].department
    opportunity.save()
    answer = api.get("/api/v1/notifications").json()
    assert answer["unread"] == 0 and [i["text"] for i in answer["items"]] == []
