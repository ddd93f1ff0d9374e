import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_login_through_the_page_and_switch_language(page, login, live_server):
    login("rep1")
    expect(page.locator("h1")).to_have_text("工作台")
    expect(page.get_by_test_id("roles")).to_contain_text("销售人员")
    page.get_by_test_id("lang-en").click()
    expect(page.locator("h1")).to_have_text("Workbench")
    expect(page.get_by_test_id("roles")).to_contain_text("Sales rep")
    page.get_by_test_id("lang-zh-hans").click()
    expect(page.locator("h1")).to_have_text("工作台")


def test_wrong_password_shows_the_message_on_the_page(page, live_server, org):
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", "rep1")
    page.fill("#id_password", "wrong")
    page.click("button[type=submit]:not([name=language])")
    expect(page.get_by_test_id("login-error")).to_be_visible()
    assert page.url.startswith(live_server.url + "/login/")


def test_admin_edits_a_code_table_through_the_pages(page, login, live_server):
    login("admin")
    page.get_by_role("link", name="代码表").click()
    page.get_by_role("link", name="行业").click()
    page.get_by_role("link", name="新建代码项").click()
    page.fill("#id_code", "aerospace")
    page.fill("#id_label_zh", "航空航天")
    page.fill("#id_label_en", "Aerospace")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("table")).to_contain_text("航空航天")
