"""The pages: the request form keeps the user's input on a refusal and names the row's field; the detail page's
buttons and decisions; the project's Purchasing section; the budget page; the settings page (admin only)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from opsmon.procurement.models import ProcurementSettings, PurchaseRequest

from . import factories as f

pytestmark = pytest.mark.django_db


def _post_data(title="机房设备", **line):
    row = {"item": "服务器", "spec": "2U", "unit": "set", "qty": "2", "est_unit_price": "15000.005",
           "category": "hardware", "need_by": "", **line}
    data = {"title": title, "project_id": "", "contract_id": "", "note": "",
            "lines-TOTAL_FORMS": "2", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "60"}
    data.update({f"lines-0-{k}": v for k, v in row.items()})
    return data


def test_new_request_keeps_the_input_on_a_refusal_and_saves_when_fixed(org, browser):
    f.routes()
    client = browser("rep1")
    assert client.get(reverse("procurement:request_new")).status_code == 200
    refused = client.post(reverse("procurement:request_new"), _post_data(qty="-1", unit="set"))
    assert refused.status_code == 422
    html = refused.content.decode()
    assert 'data-field-error="qty"' in html and 'value="服务器"' in html and 'value="-1"' in html
    assert not PurchaseRequest.objects.exists()
    saved = client.post(reverse("procurement:request_new"), _post_data())
    request = PurchaseRequest.objects.get()
    assert saved.status_code == 302 and saved["Location"] == reverse("procurement:request_detail", args=[request.pk])
    assert request.total == Decimal("30000.01") and request.lines.count() == 1  # the blank row is ignored


def test_detail_buttons_and_a_return_from_the_page(org, browser):
    request = f.submitted(org)
    page = browser("head1").get(reverse("procurement:request_detail", args=[request.pk])).content.decode()
    assert 'data-action="approve"' in page and 'data-action="return"' in page and 'data-action="reject"' in page
    forged = browser("head1").post(reverse("procurement:request_decide", args=[request.pk]),
                                   {"decision": "approve-all", "comment": "同意"})
    assert forged.status_code == 422 and PurchaseRequest.objects.get(pk=request.pk).status == "submitted"
    refused = browser("head1").post(reverse("procurement:request_decide", args=[request.pk]),
                                    {"decision": "return", "comment": ""})
    assert refused.status_code == 422 and PurchaseRequest.objects.get(pk=request.pk).status == "submitted"
    done = browser("head1").post(reverse("procurement:request_decide", args=[request.pk]),
                                 {"decision": "return", "comment": "请补充规格"})
    assert done.status_code == 302 and PurchaseRequest.objects.get(pk=request.pk).status == "returned"
    owner = browser("rep1").get(reverse("procurement:request_detail", args=[request.pk])).content.decode()
    assert 'data-action="edit"' in owner and 'data-action="submit"' in owner and "请补充规格" in owner
    assert browser("rep2").get(reverse("procurement:request_detail", args=[request.pk])).status_code == 404


def test_the_list_filters_by_status(org, browser):
    draft = f.draft(org, title="草稿申请")
    f.submitted(org, title="已提交申请")
    page = browser("rep1").get(reverse("procurement:request_list") + "?status=draft").content.decode()
    assert draft.number in page and "已提交申请" not in page


def test_the_list_exports_exactly_the_filtered_visible_rows(org, browser):
    from io import BytesIO

    from openpyxl import load_workbook
    mine = f.draft(org, title="导出草稿")
    f.submitted(org, title="导出已提交")
    response = browser("rep1").get(reverse("procurement:request_list"), {"status": "draft", "export": "xlsx"})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [mine.number]
    # another rep's filter on rep1 finds nothing: the filters only narrow what he may see
    other = browser("rep2").get(reverse("procurement:request_list"), {"owner": org["rep1"].pk}).content.decode()
    assert mine.number not in other


def test_project_page_shows_budget_and_committed(org, browser):
    project = f.project(org)
    f.budget(org, project, {"hardware": "80000"})
    request = f.submitted(org, project_=project)
    f_decided = browser("head1").post(reverse("procurement:request_decide", args=[request.pk]),
                                      {"decision": "approve", "comment": ""})
    assert f_decided.status_code == 302
    page = browser("rep1").get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert 'data-testid="procurement"' in page
    assert "80,000.00" in page and "35,000.01" in page
    budget = browser("rep1").get(reverse("procurement:budget", args=[project.pk]))
    assert budget.status_code == 200 and 'data-revision="1"' in budget.content.decode()


def test_budget_page_saves_a_draft_and_keeps_bad_input(org, browser):
    project = f.project(org)
    url = reverse("procurement:budget_save", args=[project.pk])
    data = {"note": "", "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "60", "lines-0-category": "hardware", "lines-0-amount": "-3"}
    refused = browser("rep1").post(url, data)
    assert refused.status_code == 422 and 'value="-3"' in refused.content.decode()
    saved = browser("rep1").post(url, {**data, "lines-0-amount": "50000"})
    assert saved.status_code == 302
    assert browser("buyer1").post(url, {**data, "lines-0-amount": "1"}).status_code == 404  # cannot see it


def test_settings_page_is_the_admins(org, browser):
    assert browser("phead1").get(reverse("procurement:settings")).status_code == 403
    page = browser("admin").get(reverse("procurement:settings"))
    assert page.status_code == 200
    data = {name: str(getattr(ProcurementSettings.load(), name)) for name in
            ("direct_purchase_limit", "public_tender_threshold", "retention_pct", "retention_warn_pct",
             "budget_warn_pct", "match_qty_pct", "match_amount_pct", "match_amount_abs", "over_receipt_pct",
             "weight_quality", "weight_on_time", "weight_price", "weight_service")}
    refused = browser("admin").post(reverse("procurement:settings"), {**data, "budget_warn_pct": "abc"})
    assert refused.status_code == 422 and 'value="abc"' in refused.content.decode()
    saved = browser("admin").post(reverse("procurement:settings"), {**data, "budget_warn_pct": "85"})
    assert saved.status_code == 302 and ProcurementSettings.load().budget_warn_pct == Decimal("85.00")
