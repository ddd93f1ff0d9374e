"""The inbox page, the notifications page, marking read, the open-redirect guard and the header badge."""

import pytest
from django.urls import reverse

from opsmon.notifications.models import Notification
from opsmon.notifications.services import notify
from opsmon.notifications.views import is_local_path
from opsmon.projects import services as projects
from opsmon.projects.tests.factories import converted_project


def kinds(html: str) -> list[str]:
    return [part.split('"')[0] for part in html.split('data-kind="')[1:]]


def test_inbox_shows_what_waits_for_each_user(browser, org):
    project = converted_project(org)
    head = browser("head1").get(reverse("notifications:inbox")).content.decode()
    assert kinds(head) == ["project.assign_lead"] and project.number in head and f"/projects/{project.pk}/" in head
    assert kinds(browser("lead1").get(reverse("notifications:inbox")).content.decode()) == []
    assert kinds(browser("head2").get(reverse("notifications:inbox")).content.decode()) == []

    projects.project_assign_lead(actor=org["head1"], project=project, tech_lead=org["lead1"])
    assert kinds(browser("lead1").get(reverse("notifications:inbox")).content.decode()) == ["project.write_review"]
    empty = browser("rep1").get(reverse("notifications:inbox")).content.decode()
    assert kinds(empty) == [] and 'data-testid="inbox-empty"' in empty


def test_notifications_newest_first_with_unread_highlighted(browser, org):
    notify([org["rep1"]], text="第一条", url="/projects/")
    notify([org["rep1"]], text="第二条", url="/inbox/")
    Notification.objects.filter(text="第一条").update(read_at="2026-01-01T00:00:00+08:00")
    html = browser("rep1").get(reverse("notifications:list")).content.decode()
    assert html.index("第二条") < html.index("第一条")
    assert html.split("第二条")[0].rsplit('data-read="', 1)[1].startswith("no")
    assert html.split("第一条")[0].rsplit('data-read="', 1)[1].startswith("yes")
    assert "第一条" not in browser("rep2").get(reverse("notifications:list")).content.decode()


def test_header_shows_the_unread_count(browser, org):
    client = browser("rep1")
    assert 'data-testid="unread-count"' not in client.get("/").content.decode()
    notify([org["rep1"]], text="一", url="/")
    notify([org["rep1"]], text="二", url="/")
    html = client.get("/").content.decode()
    assert 'data-testid="unread-count">2<' in html and reverse("notifications:inbox") in html


def test_mark_all_read(browser, org):
    notify([org["rep1"], org["rep2"]], text="通知", url="/")
    notify([org["rep1"]], text="通知二", url="/")
    client = browser("rep1")
    assert client.get(reverse("notifications:read_all")).status_code == 405
    response = client.post(reverse("notifications:read_all"))
    assert response.status_code == 302 and response["Location"] == reverse("notifications:list")
    assert not Notification.objects.filter(recipient=org["rep1"], read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=org["rep2"], read_at__isnull=True).count() == 1


def test_opening_a_notification_marks_it_read_and_follows_its_link(browser, org):
    project = converted_project(org)
    notification = Notification.objects.get(recipient=org["head1"])
    client = browser("head1")
    response = client.post(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == f"/projects/{project.pk}/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_someone_elses_notification_is_404_and_stays_unread(browser, org):
    notify([org["rep2"]], text="别人的", url="/")
    notification = Notification.objects.get(recipient=org["rep2"])
    assert browser("rep1").post(reverse("notifications:open", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.parametrize("link", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)",
                                  "", "projects/1/", "http:/evil.example", "/\t/evil.example"])
def test_open_never_redirects_outside(browser, org, link):
    notify([org["rep1"]], text="外链", url=link)
    notification = Notification.objects.get(recipient=org["rep1"])
    response = browser("rep1").post(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("notifications:list")
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.parametrize(("link", "local"), [("/projects/1/", True), ("/inbox/?a=1#x", True), ("/", True),
                                             ("//evil", False), ("/\\evil", False), ("https://x/", False),
                                             ("mailto:a@b", False)])
def test_is_local_path(link, local):
    assert is_local_path(link) is local


def test_pages_need_login(client, db):
    for name in ("notifications:inbox", "notifications:list"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith("/login/")
