"""Receipt pages: the list (and its nav link), the delivery form (refused: shown again with what was typed and the
message next to the line), the receipt's page with the inspector's form, its actions, the order page's section."""

from io import BytesIO

import pytest
from django.test import RequestFactory
from openpyxl import load_workbook

from opsmon.purchasing import hooks as order_hooks
from opsmon.receiving import views
from opsmon.receiving.choices import ReceiptStatus

from . import factories as f

pytestmark = pytest.mark.django_db


def test_the_list_shows_what_the_user_may_see(browser, org):
    po = f.order(org)
    r = f.receipt(org, po, ["1"], submit=True)
    page = browser("keeper1").get("/procurement/receipts/")
    assert page.status_code == 200
    html = page.content.decode()
    assert r.number in html and 'data-testid="waiting-count"' in html and "/procurement/receipts/" in html
    assert r.number not in browser("rep1").get("/procurement/receipts/").content.decode()



def test_the_list_exports_exactly_the_filtered_visible_rows(browser, org):
    po = f.order(org)
    draft = f.receipt(org, po, ["1"])
    inspecting = f.receipt(org, po, [None, "1"], submit=True)
    response = browser("buyer1").get("/procurement/receipts/", {"status": "draft", "export": "xlsx"})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [draft.number]
    page = browser("buyer1").get("/procurement/receipts/", {"status": "draft"}).content.decode()
    assert draft.number in page and inspecting.number not in page
    # a requester's filter on keeper1 finds nothing: the filters only narrow what he may see
    other = browser("rep1").get("/procurement/receipts/", {"inspector": org["keeper1"].pk}).content.decode()
    assert draft.number not in other and inspecting.number not in other

def test_recording_a_delivery_keeps_the_input_on_refusal(browser, org):
    po = f.order(org)
    a, b = f.lines_of(po)
    client = browser("buyer1")
    url = f"/procurement/receipts/orders/{po.pk}/new/"
    assert client.get(url).status_code == 200
    refused = client.post(url, {"delivered_on": f.today().isoformat(), "inspector_id": org["keeper1"].pk,
                                f"qty_{a.pk}": "", f"qty_{b.pk}": "11", "note": "第一批"})
    assert refused.status_code == 422
    html = refused.content.decode()
    assert f'data-field-error="qty_{b.pk}"' in html and 'value="11"' in html and "第一批" in html
    done = client.post(url, {"delivered_on": f.today().isoformat(), "inspector_id": org["keeper1"].pk,
                             f"qty_{a.pk}": "1", f"qty_{b.pk}": "10"})
    assert done.status_code == 302
    receipt = po.receipts.get()
    assert done["Location"] == f"/procurement/receipts/{receipt.pk}/"
    assert browser("rep1").get(url).status_code == 404
    assert browser("keeper1").get(url).status_code in (403, 404)


def test_submit_inspect_and_cancel_from_the_receipts_page(browser, org):
    po = f.order(org)
    a, b = f.lines_of(po)
    r = f.receipt(org, po, ["2", "5"])
    buyer = browser("buyer1")
    page = buyer.get(f"/procurement/receipts/{r.pk}/").content.decode()
    assert 'data-action="submit"' in page and 'data-action="accept"' not in page
    assert buyer.post(f"/procurement/receipts/{r.pk}/submit/").status_code == 302
    keeper = browser("keeper1")
    page = keeper.get(f"/procurement/receipts/{r.pk}/").content.decode()
    assert 'data-testid="accept-form"' in page and "data-confirm" in page
    refused = keeper.post(f"/procurement/receipts/{r.pk}/accept/", {
        f"accepted_{a.pk}": "2", f"rejected_{a.pk}": "0", f"accepted_{b.pk}": "3", f"rejected_{b.pk}": "1"})
    assert refused.status_code == 422
    html = refused.content.decode()
    assert f'data-field-error="accepted_{b.pk}"' in html and 'value="3"' in html
    done = keeper.post(f"/procurement/receipts/{r.pk}/accept/", {
        f"accepted_{a.pk}": "2", f"rejected_{a.pk}": "0", f"accepted_{b.pk}": "4", f"rejected_{b.pk}": "1",
        f"note_{b.pk}": "破损"})
    assert done.status_code == 302
    r.refresh_from_db()
    assert r.status == ReceiptStatus.ACCEPTED
    buyer = browser("buyer1")  # one test client: log the buyer in again
    assert buyer.post(f"/procurement/receipts/{r.pk}/cancel/", {"reason": ""}).status_code == 422
    assert buyer.post(f"/procurement/receipts/{r.pk}/cancel/", {"reason": "退货"}).status_code == 302
    r.refresh_from_db()
    assert r.status == ReceiptStatus.CANCELLED
    assert browser("rep1").get(f"/procurement/receipts/{r.pk}/").status_code == 404


def test_the_order_page_section(org):
    po = f.order(org)
    r = f.accepted(org, po, ["1"])
    request = RequestFactory().get("/")
    request.user = org["buyer1"]
    html = views.order_section(request=request, order=po)
    assert r.number in html and 'data-testid="delivery-form"' in html and "15,000.01" in html
    request.user = org["keeper1"]
    html = views.order_section(request=request, order=po)
    assert r.number in html and 'data-testid="delivery-form"' not in html
    assert any(r.number in (section or "") for section in order_hooks.page_sections(request=request, order=po))


def test_the_order_page_shows_the_receipts_and_the_evaluation(browser, org):
    po = f.order(org)
    r = f.accepted(org, po, ["1"])
    page = browser("buyer1").get(f"/procurement/orders/{po.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert r.number in html and 'id="receipts"' in html and 'id="evaluation"' in html
    draft = f.order(org, status="draft")
    request = RequestFactory().get("/")
    request.user = org["buyer1"]
    assert views.order_section(request=request, order=draft) == ""
