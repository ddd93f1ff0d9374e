"""The webhook admin pages: admin only, endpoints through the services, the secret never rendered."""

import pytest
from django.urls import reverse

from opsmon.integrations import services
from opsmon.integrations.models import WebhookDelivery, WebhookEndpoint
from opsmon.projects.services import project_route
from opsmon.projects.tests.factories import approved_project

SECRET = "s3cret-never-shown-0123456789"


@pytest.fixture
def endpoint(org):
    return services.endpoint_create(actor=org["admin"], name="项目监控系统", url="https://pm.example.cn/hook",
                                    secret=SECRET, events=["project.routed"])


PAGES = ["integrations:endpoint_list", "integrations:endpoint_create", "integrations:delivery_list"]


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("username", ["head1", "rep1", "market1"])
def test_pages_are_403_for_non_admins(browser, username, name):
    assert browser(username).get(reverse(name)).status_code == 403


def test_non_admin_cannot_create_or_edit(browser, endpoint):
    client = browser("head1")
    data = {"name": "x", "url": "https://a.example/", "secret": SECRET, "events": ["bid.won"], "active": "on"}
    assert client.post(reverse("integrations:endpoint_create"), data).status_code == 403
    assert client.post(reverse("integrations:endpoint_edit", args=[endpoint.pk]), data).status_code == 403
    assert WebhookEndpoint.objects.count() == 1 and WebhookEndpoint.objects.get().name == "项目监控系统"


@pytest.mark.parametrize("name", PAGES)
def test_pages_render_for_admin(browser, endpoint, name):
    assert browser("admin").get(reverse(name)).status_code == 200


def test_navigation_shows_webhooks_to_admin_only(browser):
    assert reverse("integrations:endpoint_list") in browser("admin").get("/").content.decode()
    assert reverse("integrations:endpoint_list") not in browser("market1").get("/").content.decode()


def test_admin_creates_an_endpoint(browser):
    response = browser("admin").post(reverse("integrations:endpoint_create"), {
        "name": "项目监控", "url": "https://pm.example.cn/hook", "secret": SECRET,
        "events": ["project.routed", "project.approved"], "active": "on"})
    assert response.status_code == 302
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret == SECRET and endpoint.events == ["project.routed", "project.approved"] and endpoint.active
    html = browser("admin").get(reverse("integrations:endpoint_list")).content.decode()
    assert "项目监控" in html and SECRET not in html


def test_refusal_is_shown_next_to_the_field_and_the_secret_is_not_rendered_back(browser):
    response = browser("admin").post(reverse("integrations:endpoint_create"), {
        "name": "坏地址", "url": "ftp://pm.example.cn/", "secret": SECRET, "events": ["bid.won"]})
    html = response.content.decode()
    assert response.status_code == 200 and 'data-field-error="url"' in html
    assert SECRET not in html and not WebhookEndpoint.objects.exists()


def test_edit_page_never_shows_the_secret_and_empty_keeps_it(browser, endpoint):
    client = browser("admin")
    edit = reverse("integrations:endpoint_edit", args=[endpoint.pk])
    page = client.get(edit).content.decode()
    assert SECRET not in page and "https://pm.example.cn/hook" in page
    response = client.post(edit, {"name": "项目监控（新）", "url": endpoint.url, "secret": "",
                                  "events": ["project.routed", "bid.won"]})
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.name == "项目监控（新）" and endpoint.secret == SECRET and not endpoint.active
    assert endpoint.events == ["project.routed", "bid.won"]
    client.post(edit, {"name": endpoint.name, "url": endpoint.url, "secret": "another-secret-0123456789",
                       "events": ["bid.won"], "active": "on"})
    endpoint.refresh_from_db()
    assert endpoint.secret == "another-secret-0123456789" and endpoint.active


def test_edit_without_events_is_refused(browser, endpoint):
    response = browser("admin").post(reverse("integrations:endpoint_edit", args=[endpoint.pk]), {
        "name": endpoint.name, "url": endpoint.url, "secret": "", "active": "on"})
    assert 'data-field-error="events"' in response.content.decode()
    endpoint.refresh_from_db()
    assert endpoint.events == ["project.routed"]


def test_unknown_endpoint_is_404(browser, db):
    assert browser("admin").get(reverse("integrations:endpoint_edit", args=[999999])).status_code == 404


def test_deliveries_newest_first_and_filtered_by_status(browser, org, endpoint):
    first, second = approved_project(org), approved_project(org)
    project_route(actor=org["rep1"], project=first, to="implementation")
    project_route(actor=org["rep1"], project=second, to="implementation")
    older, newer = WebhookDelivery.objects.order_by("created_at", "id")
    WebhookDelivery.objects.filter(pk=older.pk).update(status="failed", attempts=7, last_status_code=500,
                                                       last_error="HTTP 500")
    client = browser("admin")
    html = client.get(reverse("integrations:delivery_list")).content.decode()
    assert html.index(str(newer.event_id)) < html.index(str(older.event_id))
    assert "HTTP 500" in html and "项目监控系统" in html
    failed = client.get(reverse("integrations:delivery_list"), {"status": "failed"}).content.decode()
    assert str(older.event_id) in failed and str(newer.event_id) not in failed
    pending = client.get(reverse("integrations:delivery_list"), {"status": "pending"}).content.decode()
    assert str(newer.event_id) in pending and str(older.event_id) not in pending
