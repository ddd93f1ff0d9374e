"""The admin's mapping pages: add, edit, delete; a malformed mapping is refused at save with the field named."""

import pytest

from opsmon.accounts.models import Department
from opsmon.directory.models import DepartmentMapping, RoleMapping


@pytest.fixture
def admin_client(browser):
    return browser("admin")


def test_the_admin_adds_edits_and_deletes_mappings(admin_client):
    sales = Department.objects.get(name="销售一部")
    page = admin_client.get("/admin/directory/")
    assert page.status_code == 200 and 'data-testid="directory-status"' in page.content.decode()
    response = admin_client.post("/admin/directory/departments/new/", {"value": "East Sales", "department": sales.pk})
    assert response.status_code == 302
    mapping = DepartmentMapping.objects.get(value="East Sales")
    response = admin_client.post(f"/admin/directory/departments/{mapping.pk}/",
                                 {"value": "East Sales Team", "department": sales.pk})
    assert response.status_code == 302 and DepartmentMapping.objects.get(pk=mapping.pk).value == "East Sales Team"
    response = admin_client.post("/admin/directory/roles/new/",
                                 {"group": "cn=sales,ou=groups,dc=example,dc=com", "role": "sales_rep"})
    assert response.status_code == 302 and RoleMapping.objects.filter(role="sales_rep").exists()
    listing = admin_client.get("/admin/directory/").content.decode()
    assert "East Sales Team" in listing and "cn=sales,ou=groups,dc=example,dc=com" in listing
    assert admin_client.post(f"/admin/directory/departments/{mapping.pk}/delete/").status_code == 302
    assert not DepartmentMapping.objects.filter(pk=mapping.pk).exists()


@pytest.mark.parametrize(("url", "data", "field"), [
    ("/admin/directory/roles/new/", {"group": "cn=sales,,ou=groups=x", "role": "sales_rep"}, "group"),
    ("/admin/directory/roles/new/", {"group": "sales;drop", "role": "sales_rep"}, "group"),
    ("/admin/directory/roles/new/", {"group": "sales", "role": ""}, "role"),
    ("/admin/directory/roles/new/", {"group": "", "role": "sales_rep"}, "group"),
    ("/admin/directory/departments/new/", {"value": "", "department": ""}, "value"),
    ("/admin/directory/departments/new/", {"value": "East", "department": ""}, "department"),
])
def test_a_malformed_mapping_is_refused_naming_the_field(admin_client, url, data, field):
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert f'data-field-error="{field}"' in response.content.decode()
    assert not DepartmentMapping.objects.exists() and not RoleMapping.objects.exists()


def test_a_duplicate_value_is_refused_naming_the_field(admin_client):
    sales = Department.objects.get(name="销售一部")
    DepartmentMapping.objects.create(value="East Sales", department=sales)
    response = admin_client.post("/admin/directory/departments/new/", {"value": "east sales",
                                                                         "department": sales.pk})
    assert 'data-field-error="value"' in response.content.decode()
    assert DepartmentMapping.objects.count() == 1


@pytest.mark.parametrize("username", ["head1", "rep1", "market1"])
def test_only_the_admin_opens_the_mapping_pages(browser, username):
    assert browser(username).get("/admin/directory/").status_code == 403
    assert browser(username).post("/admin/directory/roles/new/", {"group": "x", "role": "admin"}).status_code == 403
    assert not RoleMapping.objects.exists()
