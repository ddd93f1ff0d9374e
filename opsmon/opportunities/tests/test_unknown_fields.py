"""A field the API does not know is a 422 naming it, never silently dropped: in a POST, a PATCH, an action's body
and an Excel import's header (issue 15, typed inputs). Through real HTTP."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import Workbook

from opsmon.customers.models import Customer
from opsmon.opportunities.models import Opportunity

from . import factories

pytestmark = pytest.mark.django_db(transaction=True)


def refused_fields(response) -> dict:
    assert response.status_code == 422, response.text
    return response.json()["error"]["fields"]


def test_a_misspelt_field_in_a_create_patch_or_action_body_is_a_422_naming_it(http, org):
    opp = factories.opportunity(org["rep1"])
    rep, head = http("rep1"), http("head1")
    body = {"title": "新商机", "customer_id": opp.customer_id, "estimated_amount": "100.00",
            "expected_close_date": str(timezone.localdate() + timedelta(days=30))}
    assert "titel" in refused_fields(rep.post("/api/v1/opportunities", json={**body, "titel": "错字"}))
    assert Opportunity.objects.count() == 1
    assert "estimated_amout" in refused_fields(rep.patch(f"/api/v1/opportunities/{opp.pk}", json={
        "version": opp.version, "estimated_amout": "9.00"}))
    assert "reasn" in refused_fields(head.post(f"/api/v1/opportunities/{opp.pk}/close", json={
        "reason": "lost", "reasn": "lost"}))
    assert "coment" in refused_fields(rep.post(f"/api/v1/opportunities/{opp.pk}/request-conversion", json={
        "coment": "请审批"}))
    assert "next_stp" in refused_fields(rep.post(f"/api/v1/opportunities/{opp.pk}/follow-ups", json={
        "happened_at": str(timezone.localdate()), "kind": "call", "note": "x", "next_stp": "y"}))
    opp.refresh_from_db()
    assert (opp.version, opp.status, opp.follow_ups.count()) == (1, "tracking", 0)


def test_an_unknown_customer_field_is_a_422_naming_it(http, org):
    rep = http("rep1")
    assert "adress" in refused_fields(rep.post("/api/v1/customers", json={
        "name": "新客户有限公司", "customer_type": "soe", "adress": "北京"}))
    assert "contacts.0.mobile" in refused_fields(rep.post("/api/v1/customers", json={
        "name": "新客户有限公司", "customer_type": "soe", "contacts": [{"name": "王工", "mobile": "138"}]}))
    customer = factories.customer(org["rep1"])
    assert "regoin" in refused_fields(rep.patch(f"/api/v1/customers/{customer.pk}", json={
        "version": customer.version, "regoin": "110000"}))
    assert Customer.objects.count() == 1


def test_an_unknown_column_in_an_import_fails_its_job_naming_it_and_nothing_is_saved(http, org):
    wb = Workbook()
    wb.active.append(["商机名称", "客户名称", "预计金额", "预计成交日期", "备注"])
    wb.active.append(["导入项目", "导入客户", 5000, timezone.localdate() + timedelta(days=20), "x"])
    out = io.BytesIO()
    wb.save(out)
    rep = http("rep1")
    response = rep.post("/api/v1/opportunities/import", files={"file": ("商机.xlsx", out.getvalue())})
    assert response.status_code == 202, response.text
    job = rep.get(response.json()["url"]).json()  # the test settings run it right after the request: ended
    assert job["status"] == "failed" and [(r["row"], r["column"]) for r in job["errors"]] == [(1, "备注")]
    assert "备注" in job["message"]
    assert Opportunity.objects.count() == 0 and Customer.objects.count() == 0
