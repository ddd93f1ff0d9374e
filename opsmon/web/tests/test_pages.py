"""The web shell: login, language, navigation, admin pages, health and security headers."""

import pytest
from django.urls import reverse

from opsmon.accounts.models import Department
from opsmon.codes import selectors as codes


def test_login_page_is_chinese_by_default_and_logging_in_lands_on_the_workbench(client, org):
    page = client.get("/login/")
    assert "登录 OpsMon" in page.content.decode()
    response = client.post("/login/", {"username": "rep1", "password": "opsmon-demo"}, follow=True)
    html = response.content.decode()
    assert "工作台" in html and "李娜" in html and "销售人员" in html


def test_wrong_password_gets_one_generic_message(client, org):
    wrong_password = client.post("/login/", {"username": "rep1", "password": "nope"}).content.decode()
    wrong_user = client.post("/login/", {"username": "ghost", "password": "nope"}).content.decode()
    assert 'data-testid="login-error"' in wrong_password
    marker = 'data-testid="login-error">'
    assert wrong_password.split(marker)[1].split("<")[0] == wrong_user.split(marker)[1].split("<")[0]


def test_login_is_locked_after_five_failures(client, org):
    for _ in range(5):
        client.post("/login/", {"username": "rep2", "password": "wrong"})
    response = client.post("/login/", {"username": "rep2", "password": "opsmon-demo"})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_issues_a_new_session_id(client, org):
    client.get("/login/")
    client.session.save()
    before = client.session.session_key
    client.post("/login/", {"username": "rep1", "password": "opsmon-demo"})
    assert client.session.session_key != before


def test_language_switch_to_english(browser):
    client = browser("rep1")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert "Workbench" in html and "Sales rep" in html and "工作台" not in html


def test_pages_need_login(client, db):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_navigation_shows_admin_pages_to_admin_only(browser):
    admin_html = browser("admin").get("/").content.decode()
    assert reverse("accounts:user_list") in admin_html and reverse("codes:table_list") in admin_html


def test_navigation_hides_admin_pages_from_others(browser):
    html = browser("market1").get("/").content.decode()
    assert reverse("accounts:user_list") not in html and reverse("codes:table_list") not in html


@pytest.mark.parametrize("url", ["/admin/users/", "/admin/users/new/", "/admin/departments/", "/admin/codes/",
                                 "/admin/codes/industry/", "/admin/codes/industry/energy/"])
def test_admin_pages_are_403_for_non_admins(browser, url):
    response = browser("head1").get(url)
    assert response.status_code == 403
    assert "您没有执行此操作的权限" in response.content.decode()


@pytest.mark.parametrize("url", ["/admin/users/", "/admin/departments/", "/admin/codes/", "/admin/codes/region/"])
def test_admin_pages_render_for_admin(browser, url):
    assert browser("admin").get(url).status_code == 200


def test_unknown_records_are_404_pages(browser):
    client = browser("admin")
    assert client.get("/admin/users/999999/").status_code == 404
    assert client.get("/admin/codes/nope/").status_code == 404


def test_admin_creates_a_department_through_the_form(browser):
    client = browser("admin")
    parent = Department.objects.get(name="销售中心")
    response = client.post("/admin/departments/new/", {"name": "销售三部", "parent": parent.pk, "order": 3})
    assert response.status_code == 302
    assert Department.objects.get(name="销售三部").parent == parent


def test_department_form_shows_the_services_refusal_next_to_the_field(browser):
    client = browser("admin")
    parent = Department.objects.get(name="销售中心")
    response = client.post("/admin/departments/new/", {"name": "销售一部", "parent": parent.pk, "order": 0})
    assert response.status_code == 200
    assert 'data-field-error="name"' in response.content.decode()
    assert Department.objects.filter(name="销售一部").count() == 1


def test_admin_creates_a_user_with_roles_through_the_form(browser, org):
    client = browser("admin")
    response = client.post("/admin/users/new/", {
        "username": "rep1c", "display_name": "新销售", "password": "A-long-passphrase-9",
        "department": org["rep1"].department_id, "roles": ["sales_rep", "bid_assistant"]})
    assert response.status_code == 302
    from opsmon.accounts.models import User
    assert set(User.objects.get(username="rep1c").roles) == {"sales_rep", "bid_assistant"}


def test_admin_deactivates_a_code_item_through_the_form(browser):
    client = browser("admin")
    response = client.post("/admin/codes/industry/energy/", {
        "label_zh": "能源电力", "label_en": "Energy and power", "order": 20})
    assert response.status_code == 302
    assert not codes.item_get(table="industry", code="energy").active
    assert "energy" not in {i.code for i in codes.items(table="industry")}


def test_healthz_reports_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["database"]) == ("ok", "ok")  # issue 19: and one entry per dependency
    assert {k: v["status"] for k, v in body["checks"].items()} == {
        "database": "ok", "replica": "off", "redis": "off", "storage": "ok", "tasks": "off"}


def test_security_headers_are_set(client, db):
    response = client.get("/login/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_pages_reference_only_local_assets(client, org):
    client.force_login(org["rep1"])
    html = client.get("/").content.decode()
    assert "/static/vendor/htmx/htmx.min.js" in html and "/static/vendor/tabler/tabler.min.css" in html
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html


def test_logout_is_post_only(browser):
    client = browser("rep1")
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302
