"""The pages: the list and nav link, the new sourcing (keeps the input on a refusal), the detail page with sealed
prices, the quotation and award forms (errors next to the row's field), the review decision, the .xlsx."""

from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from opsmon.sourcing.models import Sourcing

from . import factories as f

pytestmark = pytest.mark.django_db


def test_list_and_nav(org, browser):
    s = f.draft(org)
    page = browser("buyer1").get(reverse("sourcing:list"))
    html = page.content.decode()
    assert page.status_code == 200 and s.number in html and 'href="/procurement/sourcings/"' in html
    assert 'data-action="create"' in html
    other = browser("rep1").get(reverse("sourcing:list")).content.decode()
    assert s.number not in other and 'data-action="create"' not in other
    assert browser("rep1").get(reverse("sourcing:detail", args=[s.pk])).status_code == 404
    assert browser("rep1").get(reverse("sourcing:new")).status_code == 403



def test_the_list_exports_exactly_the_filtered_visible_rows(org, browser):
    draft = f.draft(org, title="导出草稿")
    f.opened(org, title="导出已开标")
    response = browser("buyer1").get(reverse("sourcing:list"), {"status": "draft", "export": "xlsx"})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [draft.number]
    page = browser("buyer1").get(reverse("sourcing:list"), {"status": "draft"}).content.decode()
    assert draft.number in page and "导出已开标" not in page
    # a requester's filter on buyer1 finds nothing: the filters only narrow what he may see
    other = browser("rep1").get(reverse("sourcing:list"), {"owner": org["buyer1"].pk}).content.decode()
    assert draft.number not in other

def test_new_sourcing_keeps_input_on_refusal(org, browser):
    request = f.approved_request(org)
    invited = f.suppliers(org)
    client = browser("buyer1")
    page = client.get(reverse("sourcing:new"))
    assert page.status_code == 200 and request.number in page.content.decode()
    data = {"title": "服务器询价", "method": "inquiry", "request_line_ids": [str(x) for x in f.line_ids(request)],
            "supplier_ids": [str(s.pk) for s in invited], "deadline": "2000-01-01T10:00",
            "single_source_reason": "", "justification": "", "original_order_id": "", "notice_on": ""}
    refused = client.post(reverse("sourcing:new"), data)
    assert refused.status_code == 422
    html = refused.content.decode()
    assert 'data-field-error="deadline"' in html and 'value="服务器询价"' in html
    assert not Sourcing.objects.exists()
    data["deadline"] = f.soon().strftime("%Y-%m-%dT%H:%M")
    saved = client.post(reverse("sourcing:new"), data)
    s = Sourcing.objects.get()
    assert saved.status_code == 302 and saved["Location"] == reverse("sourcing:detail", args=[s.pk])


def test_detail_quotation_award_and_decision(org, browser):
    s = f.opened(org)
    buyer = browser("buyer1")
    html = buyer.get(reverse("sourcing:detail", args=[s.pk])).content.decode()
    assert 'data-action="quote"' in html and 'data-testid="quote-form"' in html
    first = s.lines.order_by("id").first()
    supplier = s.invitations.order_by("id").first().supplier
    bad = buyer.post(reverse("sourcing:quote", args=[s.pk]), {
        "supplier_id": supplier.pk, "valid_until": timezone.localdate().isoformat(), "delivery_days": "5",
        f"price_{first.pk}": "-3", f"tax_{first.pk}": "13"})
    assert bad.status_code == 422
    assert 'data-field-error="unit_price"' in bad.content.decode() and 'value="-3"' in bad.content.decode()
    ok = buyer.post(reverse("sourcing:quote", args=[s.pk]), {
        "supplier_id": supplier.pk, "valid_until": timezone.localdate().isoformat(), "delivery_days": "5",
        f"price_{first.pk}": "14000", f"tax_{first.pk}": "13"})
    assert ok.status_code == 302 and s.quotations.count() == 1
    # sealed for the procurement head while open
    head_html = browser("phead1").get(reverse("sourcing:detail", args=[s.pk])).content.decode()
    assert 'data-testid="prices-sealed"' in head_html and "14000" not in head_html
    assert browser("phead1").get(reverse("sourcing:comparison_xlsx", args=[s.pk])).status_code == 403

    s = f.evaluating(org)
    buyer = browser("buyer1")  # one test client: log in again
    html = buyer.get(reverse("sourcing:detail", args=[s.pk])).content.decode()
    assert 'data-lowest="1"' in html and 'data-testid="award-form"' in html
    rows = list(s.lines.order_by("id"))
    dear = max(rows[0].quotation_lines.all(), key=lambda q: q.unit_price)
    cheap = min(rows[1].quotation_lines.all(), key=lambda q: q.unit_price)
    refused = buyer.post(reverse("sourcing:award", args=[s.pk]), {
        f"quotation_{rows[0].pk}": dear.pk, f"quotation_{rows[1].pk}": cheap.pk, "override_reason": ""})
    assert refused.status_code == 422 and 'data-field-error="reason_not_lowest"' in refused.content.decode()
    saved = buyer.post(reverse("sourcing:award", args=[s.pk]), {
        f"quotation_{rows[0].pk}": dear.pk, f"not_lowest_{rows[0].pk}": "交期更短",
        f"quotation_{rows[1].pk}": cheap.pk, "override_reason": ""})
    assert saved.status_code == 302
    assert buyer.post(reverse("sourcing:submit_award", args=[s.pk])).status_code == 302
    head = browser("phead1")
    html = head.get(reverse("sourcing:detail", args=[s.pk])).content.decode()
    assert 'data-action="approve"' in html and "14000" in html
    xlsx = head.get(reverse("sourcing:comparison_xlsx", args=[s.pk]))
    assert xlsx.status_code == 200 and load_workbook(BytesIO(xlsx.content)).active.cell(1, 1).value.startswith("XJ-")
    assert head.post(reverse("sourcing:decide", args=[s.pk]), {"decision": "approve", "comment": ""}).status_code \
        == 302
    assert Sourcing.objects.get(pk=s.pk).status == "awarded"


def test_fail_and_cancel_pages(org, browser):
    s = f.opened(org)
    client = browser("buyer1")
    refused = client.post(reverse("sourcing:fail", args=[s.pk]), {"reason": ""})
    assert refused.status_code == 422 and 'data-field-error="reason"' in refused.content.decode()
    assert client.post(reverse("sourcing:fail", args=[s.pk]), {"reason": "无人报价"}).status_code == 302
    assert Sourcing.objects.get(pk=s.pk).status == "failed"
    s = f.draft(org)
    assert client.post(reverse("sourcing:cancel", args=[s.pk]), {"reason": "重做"}).status_code == 302
    assert Sourcing.objects.get(pk=s.pk).status == "cancelled"


def test_an_approved_requests_page_offers_the_buyer_to_start_a_sourcing_on_its_lines(org, browser):
    request = f.approved_request(org)
    url = reverse("procurement:request_detail", args=[request.pk])
    buyer = browser("buyer1")
    page = buyer.get(url).content.decode()
    start = f'{reverse("sourcing:new")}?request={request.pk}'
    assert 'data-testid="start-sourcing"' in page and start in page
    form = buyer.get(start).context["form"]
    assert sorted(int(x) for x in form["request_line_ids"].value()) == sorted(f.line_ids(request))
    assert 'data-testid="start-sourcing"' not in browser("rep1").get(url).content.decode()  # the requester
