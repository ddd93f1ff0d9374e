"""Issue 20 item 8: search pickers instead of giant dropdowns, and as many customer contacts as needed.

The pickers' endpoints answer at most 20 matches from the module's own visibility selector; the forms render only
the chosen option(s), so /bids/new/ stays small however many opportunities exist; an id outside the user's scope is
refused next to the field with the rest of the input kept."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from opsmon.bids.models import Bid
from opsmon.core.widgets import SearchSelect, SearchSelectMultiple
from opsmon.customers.models import Contact, Customer
from opsmon.customers.names import name_key
from opsmon.opportunities.models import Opportunity
from opsmon.opportunities.tests.factories import customer, opportunity

pytestmark = pytest.mark.django_db


def bulk_opportunities(owner, n: int, *, title: str = "批量商机", start: int = 500000) -> None:
    """`n` opportunities of `owner` in one INSERT (no services: the numbers are made up, nothing else reads them)."""
    cust = customer(owner)
    close = timezone.localdate() + timedelta(days=60)
    Opportunity.objects.bulk_create([
        Opportunity(number=f"SJ-2026-{start + i:06d}", title=f"{title}{i}", customer=cust, stage="qualified",
                    probability=30, estimated_amount="1000.00", expected_close_date=close, owner=owner,
                    department=owner.department) for i in range(n)], batch_size=2000)


def options(html: str, name: str) -> list[str]:
    """The <option> values of the select named `name`."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select {name}"
    return re.findall(r'<option value="([^"]*)"', select.group(1))


# --- the endpoints ---------------------------------------------------------------------------------------------

def test_the_opportunity_search_finds_only_what_the_user_sees(org, browser):
    mine = opportunity(org["rep1"], title="检索平台甲")
    other = opportunity(org["rep2"], title="检索平台乙")
    found = browser("rep1").get("/pick/opportunities/", {"q": "检索平台"}).json()
    assert [item["value"] for item in found] == [mine.pk]
    assert found[0]["text"].startswith(f"{mine.number} 检索平台甲")
    assert browser("rep1").get("/pick/opportunities/", {"q": mine.number}).json()[0]["value"] == mine.pk
    assert browser("rep1").get("/pick/opportunities/", {"q": other.number}).json() == []
    # a see-all role finds both
    assert {i["value"] for i in browser("admin").get("/pick/opportunities/", {"q": "检索平台"}).json()} == {
        mine.pk, other.pk}


def test_the_searches_answer_at_most_twenty(org, browser):
    bulk_opportunities(org["rep1"], 25)
    rep = browser("rep1")
    assert len(rep.get("/pick/opportunities/", {"q": "批量商机"}).json()) == 20
    Customer.objects.bulk_create([Customer(name=f"批量客户{i}", name_key=name_key(f"批量客户{i}"), customer_type="soe",
                                           owner=org["rep1"]) for i in range(25)])
    found = rep.get("/pick/customers/", {"q": "批量客户"}).json()
    assert len(found) == 20 and all(item["text"].startswith("批量客户") for item in found)


def test_closed_opportunities_are_left_out_on_request(org, browser):
    live = opportunity(org["rep1"], title="开闭检索甲")
    closed = opportunity(org["rep1"], title="开闭检索乙")
    Opportunity.objects.filter(pk=closed.pk).update(status="closed")
    rep = browser("rep1")
    assert {i["value"] for i in rep.get("/pick/opportunities/", {"q": "开闭检索"}).json()} == {live.pk, closed.pk}
    assert [i["value"] for i in rep.get("/pick/opportunities/", {"q": "开闭检索", "open": "1"}).json()] == [live.pk]


def test_the_user_search_offers_active_users_only_and_filters_by_role(org, browser):
    rep2 = org["rep2"]
    admin = browser("admin")
    assert rep2.pk in [u["value"] for u in admin.get("/pick/users/", {"q": "rep2"}).json()]
    found = admin.get("/pick/users/", {"q": "", "role": ["sales_rep", "dept_head"]}).json()
    assert rep2.pk in [u["value"] for u in found] and org["finance1"].pk not in [u["value"] for u in found]
    rep2.is_active = False
    rep2.save(update_fields=["is_active"])
    assert rep2.pk not in [u["value"] for u in admin.get("/pick/users/", {"q": "rep2"}).json()]


def test_the_searches_need_a_signed_in_user(client, org):
    for kind in ("customers", "opportunities", "users"):
        response = client.get(f"/pick/{kind}/", {"q": "a"})
        assert response.status_code == 302 and "/login/" in response["Location"]


# --- the widgets -----------------------------------------------------------------------------------------------

def test_the_widgets_render_only_the_chosen_options():
    choices = [(i, f"选项{i}") for i in range(1, 500)]
    single = SearchSelect(url="/pick/x/")
    single.choices = choices
    html = single.render("one", 7)
    assert options(html, "one") == ["", "7"] and "选项7" in html and "选项8" not in html
    assert 'data-picker="single"' in html and 'data-picker-url="/pick/x/"' in html
    several = SearchSelectMultiple(url="/pick/y/")
    several.choices = choices
    html = several.render("many", [3, "9"])
    assert options(html, "many") == ["3", "9"] and 'data-picker="multiple"' in html and "multiple" in html
    assert "选项4" not in html
    # a value the choices do not hold is kept as sent, without any other label
    assert options(single.render("one", 9999), "one") == ["", "9999"]


def test_the_bid_register_page_stays_small_with_twenty_thousand_opportunities(org, browser):
    bulk_opportunities(org["rep1"], 20_000)
    chosen = Opportunity.objects.filter(owner=org["rep1"]).latest("id")
    rep = browser("rep1")
    html = rep.get("/bids/new/").content.decode()
    assert len(html) < 200_000 and "批量商机" not in html
    assert options(html, "opportunity") == [""]
    assert 'data-picker-url="/pick/opportunities/?open=1"' in html and "tom-select" in html
    html = rep.get("/bids/new/", {"opportunity": chosen.pk}).content.decode()
    assert options(html, "opportunity") == ["", str(chosen.pk)] and chosen.number in html
    assert len(html) < 200_000


def test_an_opportunity_outside_the_scope_is_refused_next_to_the_picker_with_the_input_kept(org, browser):
    other = opportunity(org["rep2"], title="别人的商机")
    page = browser("rep1").post("/bids/new/", {"opportunity": other.pk, "title": "我的投标标题"})
    assert page.status_code == 404
    html = page.content.decode()
    assert 'data-field-error="opportunity"' in html and "我的投标标题" in html
    assert other.number not in html and "别人的商机" not in html
    assert not Bid.objects.filter(opportunity=other).exists()


def test_a_contract_on_an_opportunity_outside_the_scope_is_refused_with_the_input_kept(org, browser):
    from opsmon.contracts.models import Contract
    other = opportunity(org["rep2"], title="别人的合同商机")
    page = browser("rep1").post("/contracts/new/", {"opportunity": other.pk, "title": "保留的合同标题"})
    assert page.status_code == 400
    html = page.content.decode()
    assert 'data-field-error="opportunity"' in html and "保留的合同标题" in html and other.number not in html
    assert not Contract.objects.filter(opportunity=other).exists()


def test_the_opportunity_form_shows_only_the_chosen_customer_and_team(org, browser):
    for _ in range(5):
        customer(org["rep1"], name=f"其他客户{_}有限公司")
    mine = opportunity(org["rep1"], member_ids=[org["rep2"].pk])
    html = browser("rep1").get(f"/opportunities/{mine.pk}/edit/").content.decode()
    assert options(html, "customer_id") == ["", str(mine.customer_id)] and "其他客户" not in html
    assert options(html, "member_ids") == [str(org["rep2"].pk)]
    assert 'data-picker="multiple"' in html and "Ctrl" not in html


def test_the_opportunity_team_picked_by_search_is_saved(org, browser):
    mine = opportunity(org["rep1"])
    rep = browser("rep1")
    found = rep.get("/pick/users/", {"q": "rep2", "role": ["sales_rep", "dept_head"]}).json()
    assert org["rep2"].pk in [u["value"] for u in found]
    data = {"title": mine.title, "customer_id": mine.customer_id, "stage": mine.stage, "currency": "CNY",
            "estimated_amount": "1250000.00", "expected_close_date": mine.expected_close_date.isoformat(),
            "member_ids": [org["rep2"].pk, org["head1"].pk], "version": mine.version}
    assert rep.post(f"/opportunities/{mine.pk}/edit/", data).status_code == 302
    assert set(mine.members.values_list("pk", flat=True)) == {org["rep2"].pk, org["head1"].pk}


# --- contacts --------------------------------------------------------------------------------------------------

def test_a_customer_takes_more_than_three_contacts(org, browser):
    rep = browser("rep1")
    data = {"name": "多联系人有限公司", "customer_type": "soe", "contacts-TOTAL_FORMS": "6"}
    for i in range(5):
        data[f"contact{i}_name"] = f"联系人{i}"
        data[f"contact{i}_phone"] = f"1380000000{i}"
    response = rep.post("/customers/new/", data)
    assert response.status_code == 302
    saved = Customer.objects.get(name="多联系人有限公司")
    assert sorted(Contact.objects.filter(customer=saved).values_list("name", flat=True)) == [
        f"联系人{i}" for i in range(5)]
    html = rep.get(f"/customers/{saved.pk}/edit/").content.decode()
    assert 'name="contact4_name"' in html and 'value="联系人4"' in html
    assert 'name="contact5_name"' in html and 'name="contact6_name"' not in html  # one blank row to add one
    assert 'name="contact__prefix___name"' in html  # the row the page copies for "add a contact"


def test_each_added_contact_is_validated_and_the_input_kept(org, browser):
    data = {"name": "校验联系人有限公司", "customer_type": "soe", "contacts-TOTAL_FORMS": "5",
            "contact0_name": "甲", "contact4_phone": "13900000000"}
    response = browser("rep1").post("/customers/new/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-field-error="contact4_name"' in html and 'value="13900000000"' in html
    assert not Customer.objects.filter(name="校验联系人有限公司").exists()


def test_the_route_admin_names_users_with_a_picker_showing_only_those_named(org, browser):
    from django.urls import reverse

    from opsmon.approvals.models import Route
    from opsmon.contracts.tests.test_views import route_data
    admin = browser("admin")
    assert admin.post(reverse("approvals:route_create") + "?kind=contract", route_data(org)).status_code == 302
    route = Route.objects.get(name="测试路线")
    html = admin.get(reverse("approvals:route_edit", args=[route.pk])).content.decode()
    assert options(html, "steps-0-users") == [str(org["finance1"].pk)]
    assert options(html, "steps-1-users") == [] and 'data-picker-url="/pick/users/"' in html


def test_the_resource_request_offers_people_through_a_picker(org, browser):
    from opsmon.resources.forms import RequestForm
    form = RequestForm(initial={})
    field = next(name for name in form.fields if name.startswith("user_"))
    html = str(form[field])
    assert options(html, field) == [""] and 'data-picker-url="/pick/users/"' in html
    assert org["finance1"].username not in html
