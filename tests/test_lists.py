"""The one list pipeline (core.lists, issue 20 item 7): every list filters, sorts, pages, exports and saves filters
the same way, and a filter never widens what the viewer may see."""

import io
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from opsmon.bids import services as bids
from opsmon.bids.models import Bid
from opsmon.bids.tests.factories import routed_bid
from opsmon.contracts.tests.factories import draft
from opsmon.core.models import Job, SavedFilter
from opsmon.customers.models import Customer
from opsmon.opportunities.models import Opportunity
from opsmon.opportunities.tests import factories
from opsmon.projects.models import Project
from opsmon.projects.tests.factories import converted_project

TODAY = timezone.localdate()


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def shown(response, numbers) -> set:
    page = html(response)
    return {n for n in numbers if n in page}


def exported_column(response, column=0) -> list:
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    return [r[column] for r in rows[1:]]


# --- filters narrow, each one ---

def test_opportunity_filters_narrow_by_customer_created_dates_and_mine(browser, org):
    mine = factories.opportunity(org["rep1"], customer_id=factories.customer(org["rep1"], name="远航电力有限公司").pk)
    teammate = factories.opportunity(org["rep1b"], member_ids=[org["rep1"].pk])
    Opportunity.objects.filter(pk=teammate.pk).update(created_at=timezone.now() - timedelta(days=40))
    client = browser("rep1")
    url = reverse("opportunities:list")
    every = {mine.number, teammate.number}
    assert shown(client.get(url), every) == every
    assert shown(client.get(url, {"customer": "远航"}), every) == {mine.number}
    assert shown(client.get(url, {"mine": "on"}), every) == {mine.number}
    assert shown(client.get(url, {"created_to": str(TODAY - timedelta(days=30))}), every) == {teammate.number}
    assert shown(client.get(url, {"created_from": str(TODAY)}), every) == {mine.number}


def test_customer_filters_narrow_by_owner_department_created_and_mine(browser, org):
    a = factories.customer(org["rep1"], name="甲方一号有限公司")
    b = factories.customer(org["rep2"], name="乙方二号有限公司")
    Customer.objects.filter(pk=b.pk).update(created_at=timezone.now() - timedelta(days=10))
    client = browser("rep1")
    url = reverse("customers:list")
    names = {a.name, b.name}
    assert shown(client.get(url, {"owner": org["rep2"].pk}), names) == {b.name}
    assert shown(client.get(url, {"department": org["rep1"].department_id}), names) == {a.name}
    assert shown(client.get(url, {"mine": "on"}), names) == {a.name}
    assert shown(client.get(url, {"created_from": str(TODAY - timedelta(days=1))}), names) == {a.name}


def test_project_filters_narrow_by_status_amount_owner_and_customer(browser, org):
    small = converted_project(org, estimated_amount="1000.00")
    big = converted_project(org, owner="rep1b", estimated_amount="9000000.00")
    client = browser("head1")
    url = reverse("projects:list")
    every = {small.number, big.number}
    assert shown(client.get(url), every) == every
    assert shown(client.get(url, {"amount_min": "5000000"}), every) == {big.number}
    assert shown(client.get(url, {"amount_max": "5000"}), every) == {small.number}
    assert shown(client.get(url, {"owner": org["rep1b"].pk}), every) == {big.number}
    assert shown(client.get(url, {"status": "cancelled"}), every) == set()
    assert shown(client.get(url, {"status": "awaiting_lead"}), every) == every
    assert shown(client.get(url, {"customer": big.customer.name}), every) == {big.number}


def test_bid_and_bond_filters_narrow(browser, org):
    early, late = routed_bid(org), routed_bid(org, owner="rep1b")
    Bid.objects.filter(pk=early.pk).update(submission_deadline=timezone.now() + timedelta(days=3))
    Bid.objects.filter(pk=late.pk).update(submission_deadline=timezone.now() + timedelta(days=60))
    client = browser("head1")
    url = reverse("bids:list")
    every = {early.number, late.number}
    assert shown(client.get(url, {"deadline_to": str(TODAY + timedelta(days=10))}), every) == {early.number}
    assert shown(client.get(url, {"owner": org["rep1b"].pk}), every) == {late.number}
    bids.bond_create(actor=org["assistant1"], bid=early, kind="bid", amount="1000.00", method="bank_transfer")
    bids.bond_create(actor=org["assistant1"], bid=late, kind="bid", amount="90000.00", method="bank_transfer")
    register = reverse("bids:bond_register")
    assert shown(client.get(register, {"amount_min": "5000"}), every) == {late.number}
    assert shown(client.get(register, {"owner": org["rep1"].pk}), every) == {early.number}


# --- scope is never widened ---

@pytest.mark.parametrize("name", ["opportunities:list", "opportunities:board", "projects:list", "bids:list",
                                  "bids:bond_register", "contracts:list"])
def test_filtering_on_another_reps_records_finds_nothing_outside_scope(browser, org, name):
    other = converted_project(org, owner="rep2")  # another department: rep1 may see none of it
    bid = routed_bid(org, owner="rep2")
    bids.bond_create(actor=org["assistant1"], bid=bid, kind="bid", amount="1000.00", method="bank_transfer")
    contract = draft(org, owner="rep2")
    secrets = {other.number, other.opportunity.number, bid.number, contract.number}
    client = browser("rep1")
    for params in ({"owner": org["rep2"].pk}, {"department": org["rep2"].department_id},
                   {"customer": other.customer.name}, {"owner": org["rep2"].pk, "mine": "on"}):
        assert shown(client.get(reverse(name), params), secrets) == set()
    # and its export holds none of it either
    if name not in ("opportunities:board",):
        response = client.get(reverse(name), {"owner": org["rep2"].pk, "export": "xlsx"})
        if response.status_code == 200 and "spreadsheetml" in response["Content-Type"]:
            assert not set(exported_column(response)) & secrets


# --- export is exactly the filtered rows ---

@pytest.mark.parametrize(("name", "export_name"), [
    ("opportunities:list", "opportunities:export"), ("projects:list", None), ("bids:list", None),
    ("contracts:list", "contracts:export"), ("customers:list", None)])
def test_export_rows_are_the_filtered_rows(browser, org, name, export_name):
    for owner in ("rep1", "rep1", "rep1b"):
        converted_project(org, owner=owner)
        draft(org, owner=owner)
    routed_bid(org), routed_bid(org, owner="rep1b")
    client = browser("head1")
    params = {"owner": org["rep1"].pk, "ordering": "created_at", "per_page": "20"}
    page = html(client.get(reverse(name), params))
    if export_name:
        response = client.get(reverse(export_name), params)
    else:
        response = client.get(reverse(name), {**params, "export": "xlsx"})
    first = exported_column(response)
    assert first, "the filter matches rows"
    assert all(str(value) in page for value in first)
    model_rows = {"opportunities:list": Opportunity.objects.filter(owner=org["rep1"]).count(),
                  "projects:list": Project.objects.filter(owner=org["rep1"]).count(),
                  "bids:list": Bid.objects.filter(owner=org["rep1"]).count(),
                  "customers:list": Customer.objects.filter(owner=org["rep1"]).count()}
    if name in model_rows:
        assert len(first) == model_rows[name]


def test_export_above_the_threshold_runs_as_a_job(browser, org, settings):
    for _i in range(3):
        factories.opportunity(org["rep1"])
    settings.EXPORT_JOB_ROWS = 2
    client = browser("rep1")
    response = client.get(reverse("projects:list"), {"export": "xlsx"})
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]  # no projects: fine
    response = client.get(reverse("opportunities:export"), {"stage": "qualified"}, follow=True)
    assert "spreadsheetml" not in response["Content-Type"]
    job = Job.objects.get()
    assert response.redirect_chain[-1][0] == reverse("job", args=[job.pk]) and 'data-testid="job-progress"' in \
        html(response)
    assert (job.kind, job.params["query"]) == ("list.export", "stage=qualified")


# --- sorting, paging, bad input ---

def test_unknown_sort_columns_fall_back_to_the_default_order(browser, org):
    a = factories.opportunity(org["rep1"], estimated_amount="300.00")
    b = factories.opportunity(org["rep1"], estimated_amount="100.00")
    client = browser("rep1")
    for ordering in ("owner__password", "-customer__credit_code", "'; drop table", "description"):
        page = html(client.get(reverse("opportunities:list"), {"ordering": ordering}))
        assert page.index(b.number) < page.index(a.number)  # newest first, the default
    for name in ("customers:list", "projects:list", "bids:list", "bids:bond_register", "contracts:list"):
        assert client.get(reverse(name), {"ordering": "owner__password"}).status_code == 200
    page = html(client.get(reverse("opportunities:list"), {"ordering": "estimated_amount"}))
    assert page.index(b.number) < page.index(a.number)
    page = html(client.get(reverse("opportunities:list"), {"ordering": "-estimated_amount"}))
    assert page.index(a.number) < page.index(b.number)


def test_page_size_and_numbered_pages(browser, org):
    for i in range(25):
        Customer.objects.create(name=f"分页客户{i:02d}", customer_type="soe", owner=org["rep1"])
    client = browser("rep1")
    page = html(client.get(reverse("customers:list"), {"q": "分页客户", "per_page": "20"}))
    assert page.count('data-testid="row-') == 20 and 'data-page="2"' in page
    page = html(client.get(reverse("customers:list"), {"q": "分页客户", "per_page": "20", "page": "2"}))
    assert page.count('data-testid="row-') == 5
    page = html(client.get(reverse("customers:list"), {"q": "分页客户", "per_page": "7"}))
    assert page.count('data-testid="row-') == 25  # not a page size offered: the default


@pytest.mark.parametrize("name", ["opportunities:list", "projects:list", "bids:list", "bids:bond_register",
                                  "contracts:list", "customers:list", "opportunities:board"])
def test_bad_filter_input_is_shown_next_to_the_field_not_a_500(browser, org, name):
    client = browser("rep1")
    params = {"amount_min": "abc", "created_from": "2026-05-01", "created_to": "2026-01-01",
              "paid_from": "2026-05-01", "paid_to": "2026-01-01"}
    page = html(client.get(reverse(name), params))
    if name != "customers:list":
        assert 'data-field-error="amount_min"' in page
    if name != "bids:bond_register":
        assert 'data-field-error="created_to"' in page
    else:
        assert 'data-field-error="paid_to"' in page


# --- saved filters ---

def test_saved_filters_are_per_user(browser, org, client):
    url = reverse("contracts:list")
    client.force_login(org["rep1"])
    response = client.post(url, {"saved_filter": "save", "name": "大额合同", "query": "amount_min=1000000&page=3"})
    assert response.status_code == 302 and response["Location"] == url + "?amount_min=1000000"
    saved = SavedFilter.objects.get(user=org["rep1"])
    assert (saved.list_key, saved.name, saved.query) == ("contracts", "大额合同", "amount_min=1000000")
    page = html(client.get(url))
    assert "大额合同" in page and "?amount_min=1000000" in page
    assert "大额合同" not in html(client.get(reverse("bids:list")))  # another list's filters are not offered

    client.force_login(org["rep1b"])
    assert "大额合同" not in html(client.get(url))
    client.post(url, {"saved_filter": "delete", "id": saved.pk})  # not his: nothing happens
    assert SavedFilter.objects.filter(pk=saved.pk).exists()

    client.force_login(org["rep1"])
    client.post(url, {"saved_filter": "save", "name": "大额合同", "query": "amount_min=2000000"})
    assert SavedFilter.objects.get(pk=saved.pk).query == "amount_min=2000000"  # the same name is replaced
    client.post(url, {"saved_filter": "save", "name": "  ", "query": "x=1"})
    assert SavedFilter.objects.filter(user=org["rep1"]).count() == 1  # a name is needed
    client.post(url, {"saved_filter": "delete", "id": saved.pk})
    assert not SavedFilter.objects.filter(pk=saved.pk).exists()


def test_every_list_page_offers_saving_its_filter(browser, org):
    client = browser("rep1")
    for name in ("customers:list", "projects:list", "bids:list", "bids:bond_register", "contracts:list",
                 "opportunities:list", "opportunities:board"):
        page = html(client.get(reverse(name), {"status": ""}))
        assert 'data-testid="save-filter"' in page and 'data-testid="list-filters"' in page
        response = client.post(reverse(name), {"saved_filter": "save", "name": f"F {name}", "query": "mine=on"})
        assert response.status_code == 302
        assert f"F {name}" in html(client.get(reverse(name)))
