"""Per-process copies (core.versions, issue 18): the code labels, the filters' people and departments, and the roles
read with the user. Each edit shows on the very next request, in this process and in any other; on Redis (when the
machine has one) the stamp is shared by every node."""

import socket
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opsmon.accounts import services as accounts
from opsmon.accounts.roles import Role
from opsmon.codes import selectors as codes
from opsmon.codes.models import CodeItem
from opsmon.codes.services import item_update
from opsmon.core import versions
from opsmon.opportunities.tests.factories import opportunity


def industry_label(response) -> str:
    assert response.status_code == 200, response.text
    return response.json()["industry"]["label"]


def test_a_relabelled_code_shows_on_the_next_api_request(http, org):
    """Real HTTP: the live server is another thread with its own connection, the edit is committed."""
    opp = opportunity(org["rep1"], industry="energy")
    client = http("rep1")
    before = industry_label(client.get(f"/api/v1/opportunities/{opp.pk}"))
    item = CodeItem.objects.select_related("table").get(table__name="industry", code="energy")
    item_update(actor=org["admin"], item=item, label_zh="新能源与电力")
    assert before != "新能源与电力"
    assert industry_label(client.get(f"/api/v1/opportunities/{opp.pk}")) == "新能源与电力"
    listed = client.get("/api/v1/opportunities?page_size=200").json()["items"]
    assert {o["industry"]["label"] for o in listed if o["id"] == opp.pk} == {"新能源与电力"}


def test_labels_are_read_once_until_an_edit(org):
    codes.label_map("industry")
    with CaptureQueriesContext(connection) as queries:
        assert codes.label_map("industry")[("industry", "energy")]
        assert codes.label_of(table="industry", code="energy")
    assert len(queries) == 0
    CodeItem.objects.filter(table__name="industry", code="energy").update(label_zh="改名")  # no signal, no bump
    assert codes.label_of(table="industry", code="energy") != "改名"  # the copy is kept while nothing bumps
    versions.bump(codes.LABELS)
    assert codes.label_of(table="industry", code="energy") == "改名"


def test_a_bump_by_another_process_drops_this_process_copy(org):
    """Without Redis the stamp is a file: another process (a second gunicorn worker) replaces it."""
    if settings.REDIS_URL:
        pytest.skip("the stamp is in Redis here")
    codes.label_map("industry")
    CodeItem.objects.filter(table__name="industry", code="energy").update(label_zh="别的进程改的")
    assert codes.label_of(table="industry", code="energy") != "别的进程改的"
    path = versions._path(codes.LABELS)
    script = ("import os, sys, uuid; p = sys.argv[1]; t = p + '.tmp'; open(t, 'w').write(uuid.uuid4().hex); "
              "os.replace(t, p)")
    subprocess.run([sys.executable, "-c", script, str(path)], check=True)  # noqa: S603
    assert codes.label_of(table="industry", code="energy") == "别的进程改的"


def test_a_role_given_shows_on_the_next_request(http, org):
    """The roles come with the token (one query) and are never kept between requests."""
    client = http("rep1")
    mine = client.get("/api/v1/opportunities?page_size=1").json()["count"]
    opportunity(org["rep2"])  # someone else's, in another department's scope
    assert client.get("/api/v1/me").json()["roles"] == [Role.SALES_REP]
    accounts.user_update(actor=org["admin"], user=org["rep1"], roles=[Role.SALES_REP, Role.MARKET_HEAD])
    assert sorted(client.get("/api/v1/me").json()["roles"]) == sorted([Role.SALES_REP, Role.MARKET_HEAD])
    assert client.get("/api/v1/opportunities?page_size=1").json()["count"] > mine  # he sees everything now
    accounts.user_update(actor=org["admin"], user=org["rep1"], roles=[Role.SALES_REP])
    assert client.get("/api/v1/opportunities?page_size=1").json()["count"] == mine


def test_a_role_given_and_taken_away_shows_on_the_next_page(browser, org):
    """The session's user is read with his roles (accounts.backends) on every request, never kept."""
    client = browser("rep1")
    users = reverse("accounts:user_list")
    assert client.get(users).status_code == 403
    accounts.user_update(actor=org["admin"], user=org["rep1"], roles=[Role.SALES_REP, Role.ADMIN])
    assert client.get(users).status_code == 200
    accounts.user_update(actor=org["admin"], user=org["rep1"], roles=[Role.SALES_REP])
    assert client.get(users).status_code == 403


def test_new_people_and_departments_show_in_the_list_filters(browser, org):
    client = browser("head1")
    page = client.get("/projects/").content.decode()
    assert "新来的王工" not in page and "新设的部门" not in page
    department = accounts.department_create(actor=org["admin"], name="新设的部门")
    accounts.user_create(actor=org["admin"], username="newbie", password="a-long-pass-phrase-1",
                         display_name="新来的王工", department=department, roles=[Role.SALES_REP])
    page = client.get("/projects/").content.decode()
    assert "新来的王工" in page and "新设的部门" in page
    with CaptureQueriesContext(connection) as queries:
        client.get("/projects/")
    assert not [q for q in queries.captured_queries if 'FROM "accounts_department"' in q["sql"]
                and "member" in q["sql"]]  # the filter's tree is this process's copy, not read per page


# --- on Redis (the stamp shared by every node) --------------------------------------------------------------------

REDIS = ("127.0.0.1", 6379)


def _redis_up() -> bool:
    try:
        socket.create_connection(REDIS, timeout=1).close()
        return True
    except OSError:
        return False


@pytest.fixture
def on_redis(settings):
    if not _redis_up():
        pytest.skip("no Redis at 127.0.0.1:6379")
    url = "redis://127.0.0.1:6379/13"
    settings.REDIS_URL = url
    settings.CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": url,
                                   "KEY_PREFIX": "opsmon-test-versions",
                                   "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1,
                                               "IGNORE_EXCEPTIONS": True}}}
    caches["default"].clear()
    versions.forget()
    yield
    caches["default"].clear()


def test_on_redis_a_bump_by_another_node_drops_the_copy(org, on_redis):
    codes.label_map("industry")
    CodeItem.objects.filter(table__name="industry", code="energy").update(label_zh="另一节点改的")
    assert codes.label_of(table="industry", code="energy") != "另一节点改的"
    caches["default"].set(f"version:{codes.LABELS}", "another node's stamp", None)  # as the other node's bump
    assert codes.label_of(table="industry", code="energy") == "另一节点改的"


def test_on_redis_an_edit_shows_on_the_next_page(browser, org, on_redis):
    opp = opportunity(org["rep1"], industry="energy")
    client = browser("rep1")
    assert "改名后的能源" not in client.get(f"/opportunities/{opp.pk}/").content.decode()
    item = CodeItem.objects.select_related("table").get(table__name="industry", code="energy")
    item_update(actor=org["admin"], item=item, label_zh="改名后的能源")
    assert "改名后的能源" in client.get(f"/opportunities/{opp.pk}/").content.decode()


def test_with_redis_unreachable_labels_are_read_from_the_database(org, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": settings.REDIS_URL,
                                   "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1,
                                               "IGNORE_EXCEPTIONS": True}}}
    CodeItem.objects.filter(table__name="industry", code="energy").update(label_zh="库里的")
    assert codes.label_of(table="industry", code="energy") == "库里的"
    CodeItem.objects.filter(table__name="industry", code="energy").update(label_zh="库里的又改了")
    assert codes.label_of(table="industry", code="energy") == "库里的又改了"  # no stamp: no copy trusted


def test_a_new_sales_rep_shows_in_the_opportunity_owner_filter(browser, org):
    client = browser("head1")
    owners = 'name="owner"'
    page = client.get("/opportunities/").content.decode()
    assert f'value="{org["lead1"].pk}">{org["lead1"]}<' not in page.split(owners, 1)[1].split("</select>", 1)[0]
    accounts.user_update(actor=org["admin"], user=org["lead1"], roles=[Role.TECH_LEAD, Role.SALES_REP])
    page = client.get("/opportunities/").content.decode()
    assert f'value="{org["lead1"].pk}">{org["lead1"]}<' in page.split(owners, 1)[1].split("</select>", 1)[0]
