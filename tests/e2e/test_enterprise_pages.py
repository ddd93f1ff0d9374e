"""Issue 23's pages in a real browser: the admin maps the directory and adds a group robot; a user chooses where he
hears of things. With OPSMON_SCREENSHOTS=<folder> (scripts/screenshots-issue23.sh) it keeps the pictures of the
mapping and notification-settings pages for the docs."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("OPSMON_SCREENSHOTS", "")


def shoot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / name), full_page=True)


def test_the_admin_maps_the_directory_and_adds_a_robot(page, login, live_server):
    login("admin")
    page.get_by_role("link", name="目录", exact=True).click()
    expect(page.get_by_test_id("directory-status")).to_contain_text("LDAP_SERVER_URI")
    for value, department in (("East Sales", "销售一部"), ("West Sales", "销售二部"), ("Sales", "销售中心")):
        page.click("[data-action=add_department_mapping]")
        page.fill("#id_value", value)
        page.select_option("#id_department", label=department)
        page.get_by_role("button", name="保存").click()
    for group, role in (("sales", "销售人员"), ("cn=sales-heads,ou=groups,dc=example,dc=com", "部门负责人"),
                        ("cn=market,ou=groups,dc=example,dc=com", "市场负责人")):
        page.click("[data-action=add_role_mapping]")
        page.fill("#id_group", group)
        page.select_option("#id_role", label=role)
        page.get_by_role("button", name="保存").click()
    page.click("[data-action=add_role_mapping]")
    page.fill("#id_group", "cn=broken,,dc=example")
    page.select_option("#id_role", label="销售人员")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("[data-field-error=group]")).to_be_visible()
    page.get_by_role("link", name="取消").click()
    expect(page.get_by_test_id("department-mappings")).to_contain_text("销售二部")
    expect(page.get_by_test_id("role-mappings")).to_contain_text("cn=sales-heads,ou=groups,dc=example,dc=com")
    shoot(page, "directory-mappings.png")

    page.get_by_role("link", name="群机器人", exact=True).click()
    page.click("[data-action=add_robot]")
    page.fill("#id_name", "销售一部钉钉群")
    page.select_option("#id_kind", "dingtalk")
    page.fill("#id_url", "https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef")
    page.fill("#id_secret", "SEC0123456789abcdef0123456789abcdef")
    page.select_option("#id_department", label="销售一部")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("robot-table")).to_contain_text("销售一部钉钉群")
    shoot(page, "group-robots.png")


def test_a_user_chooses_where_he_hears_of_things(page, login, live_server, org):
    from opsmon.accounts.models import Department
    from opsmon.notifications.models import ChannelSettings, Robot

    Robot.objects.create(name="销售一部企业微信群", kind="wecom", url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send",
                         department=Department.objects.get(name="销售一部"))
    login("rep1")
    page.get_by_test_id("header-settings").click()
    expect(page.get_by_test_id("notification-settings")).to_contain_text("销售一部企业微信群")
    row = page.locator("[data-kind=notice]")
    row.locator("input[value=robot]").check()
    page.locator("[data-kind=reminder] input[value=email]").check()
    page.fill("#id_digest_at", "08:30")
    shoot(page, "notification-settings.png")
    page.get_by_test_id("by-event").locator("summary").click()
    page.locator("[data-kind='bid.won'] input[value=robot]").check()
    page.click("[data-action=save_settings]")
    expect(page.locator(".alert-success")).to_be_visible()
    saved = ChannelSettings.objects.get(user=org["rep1"])
    assert saved.channels["notice"] == ["inapp", "robot"] and saved.channels["reminder"] == ["inapp", "email"]
    assert saved.digest_at.strftime("%H:%M") == "08:30" and saved.channels["bid.won"] == ["inapp", "robot"]
    page.get_by_test_id("calendar-link").click()
    page.click("[data-action=create_link]")
    url = page.get_by_test_id("calendar-url").input_value()
    assert url.startswith(live_server.url + "/calendar/") and url.endswith(".ics")
