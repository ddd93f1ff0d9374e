"""The customer web pages: search and filters, create with contacts, duplicates, detail, edit with a version."""

import pytest
from django.urls import reverse

from opsmon.customers import services
from opsmon.customers.models import Customer
from opsmon.opportunities.tests import factories

VALID_CODE = "91350100M000100Y43"


def html(response):
    return response.content.decode()


def form_data(**overrides):
    data = {"name": "国网某省电力有限公司", "customer_type": "soe", "credit_code": "", "industry": "energy",
            "region": "350000", "address": "福州市鼓楼区"}
    for slot in range(3):
        for part in ("name", "title", "phone", "email"):
            data[f"contact{slot}_{part}"] = ""
    data.update(overrides)
    return data


@pytest.mark.parametrize("name", ["list", "create"])
def test_pages_render(browser, name):
    assert browser("rep2").get(reverse(f"customers:{name}")).status_code == 200


def test_list_searches_name_and_credit_code_and_filters_by_codes(browser, org):
    grid = services.customer_create(actor=org["rep1"], name="国网某省电力有限公司", customer_type="soe",
                                    credit_code=VALID_CODE, industry="energy")
    bank = services.customer_create(actor=org["rep2"], name="某某商业银行股份有限公司", customer_type="private",
                                    industry="finance")
    client = browser("rep1")
    url = reverse("customers:list")

    def names(params):
        page = html(client.get(url, params))
        return {c.name for c in (grid, bank) if c.name in page}

    assert names({}) == {grid.name, bank.name}  # company-wide master data
    assert names({"q": "银行"}) == {bank.name}
    assert names({"q": VALID_CODE}) == {grid.name}
    assert names({"customer_type": "soe"}) == {grid.name}
    assert names({"industry": "finance"}) == {bank.name}
    assert names({"region": "110000"}) == set()
    assert "国有企业" in html(client.get(url))  # type shown by its label


def test_rep_creates_a_customer_with_contacts(browser, org):
    response = browser("rep1").post(reverse("customers:create"), form_data(
        credit_code=VALID_CODE.lower(), contact0_name="王工", contact0_title="信息中心主任",
        contact0_phone="13800000000", contact2_name="李工", contact2_email="li@example.com"))
    customer = Customer.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("customers:detail", args=[customer.pk])
    assert customer.credit_code == VALID_CODE and customer.owner == org["rep1"]
    assert [(c.name, c.title) for c in customer.contacts.all()] == [("王工", "信息中心主任"), ("李工", "")]


@pytest.mark.parametrize(("overrides", "field"), [
    ({"name": ""}, "name"),
    ({"customer_type": ""}, "customer_type"),
    ({"credit_code": "91350100M000100Y44"}, "credit_code"),
    ({"industry": "alchemy"}, "industry"),
    ({"contact1_phone": "13800000000"}, "contact1_name"),
    ({"contact0_name": "王工", "contact0_email": "not-an-email"}, "contact0_email"),
])
def test_bad_input_shows_the_field_error_and_saves_nothing(browser, overrides, field):
    response = browser("rep1").post(reverse("customers:create"), form_data(**overrides))
    assert response.status_code == 200
    assert f'data-field-error="{field}"' in html(response)
    assert not Customer.objects.exists()


def test_duplicate_links_to_the_existing_customer(browser, org):
    existing = services.customer_create(actor=org["rep2"], name="国网某省电力有限公司", customer_type="soe")
    response = browser("rep1").post(reverse("customers:create"), form_data(name="国网某省电力 有限公司"))
    assert response.status_code == 200
    page = html(response)
    assert 'data-testid="duplicate-link"' in page
    assert f'href="{reverse("customers:detail", args=[existing.pk])}"' in page
    assert Customer.objects.count() == 1


def test_detail_shows_contacts_and_only_the_opportunities_the_user_may_see(browser, org):
    customer = services.customer_create(actor=org["rep1"], name="某某集团", customer_type="soe",
                                        contacts=[{"name": "王工", "phone": "13800000000"}])
    mine = factories.opportunity(org["rep1"], customer_id=customer.pk)
    theirs = factories.opportunity(org["rep2"], customer_id=customer.pk)
    page = html(browser("rep1").get(reverse("customers:detail", args=[customer.pk])))
    assert "王工" in page and "13800000000" in page
    assert mine.number in page and theirs.number not in page
    head_page = html(browser("head2").get(reverse("customers:detail", args=[customer.pk])))
    assert theirs.number in head_page and mine.number not in head_page


def test_unknown_customer_is_404(browser):
    assert browser("rep1").get(reverse("customers:detail", args=[999999])).status_code == 404


def test_owner_edits_with_the_version_and_contacts_are_replaced(browser, org):
    customer = services.customer_create(actor=org["rep1"], name="甲公司", customer_type="soe",
                                        contacts=[{"name": "王工"}])
    client = browser("rep1")
    page = html(client.get(reverse("customers:edit", args=[customer.pk])))
    assert f'name="version" value="{customer.version}"' in page and 'value="王工"' in page
    response = client.post(reverse("customers:edit", args=[customer.pk]), form_data(
        name="甲公司（集团）", customer_type="soe", industry="", region="", address="",
        contact0_name="赵工", version=customer.version))
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.name == "甲公司（集团）" and customer.version == 2
    assert [c.name for c in customer.contacts.all()] == ["赵工"]


def test_edit_with_a_stale_version_says_so_and_changes_nothing(browser, org):
    customer = services.customer_create(actor=org["rep1"], name="甲公司", customer_type="soe")
    services.customer_update(actor=org["head1"], customer=Customer.objects.get(pk=customer.pk), version=1,
                             address="别人改的地址")
    response = browser("rep1").post(reverse("customers:edit", args=[customer.pk]), form_data(
        name="乙公司", customer_type="soe", industry="", region="", address="别人改的地址", version=1))
    assert response.status_code == 200 and 'data-testid="form-error"' in html(response)
    assert Customer.objects.get(pk=customer.pk).name == "甲公司"


def test_edit_into_a_duplicate_links_to_the_existing_one(browser, org):
    existing = services.customer_create(actor=org["rep2"], name="乙公司", customer_type="soe")
    customer = services.customer_create(actor=org["rep1"], name="甲公司", customer_type="soe")
    response = browser("rep1").post(reverse("customers:edit", args=[customer.pk]), form_data(
        name="乙公司", customer_type="soe", industry="", region="", address="", version=1))
    assert f'href="{reverse("customers:detail", args=[existing.pk])}"' in html(response)
    assert Customer.objects.get(pk=customer.pk).name == "甲公司"


def test_others_may_read_but_not_edit(browser, org):
    customer = services.customer_create(actor=org["rep1"], name="甲公司", customer_type="soe")
    client = browser("rep2")
    page = html(client.get(reverse("customers:detail", args=[customer.pk])))
    assert reverse("customers:edit", args=[customer.pk]) not in page
    assert client.get(reverse("customers:edit", args=[customer.pk])).status_code == 403
    response = client.post(reverse("customers:edit", args=[customer.pk]), form_data(name="改名", version=1))
    assert response.status_code == 403
    assert Customer.objects.get(pk=customer.pk).name == "甲公司"


def test_an_untouched_inactive_code_does_not_block_saving(browser, org):
    from opsmon.codes.models import CodeItem
    customer = services.customer_create(actor=org["rep1"], name="甲公司", customer_type="soe", industry="energy")
    CodeItem.objects.filter(table__name="industry", code="energy").update(active=False)
    client = browser("rep1")
    page = html(client.get(reverse("customers:edit", args=[customer.pk])))
    assert '<option value="energy" selected>' in page
    response = client.post(reverse("customers:edit", args=[customer.pk]), form_data(
        name="甲公司", industry="energy", region="", address="新地址", version=1))
    assert response.status_code == 302
    customer.refresh_from_db()
    assert (customer.address, customer.industry) == ("新地址", "energy")
