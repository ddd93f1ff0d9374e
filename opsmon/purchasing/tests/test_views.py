"""The order pages: list (scope), detail (lines, milestones, warnings, figures, buttons from the rules), the terms
form keeping what was typed on refusal, the actions as POSTs, signing with a file, the .docx, create orders."""

import io

import pytest
from django.utils import timezone
from docx import Document

from opsmon.purchasing.models import PurchaseOrder
from opsmon.suppliers.tests import factories as sf

from . import factories as f

pytestmark = pytest.mark.django_db


def test_list_and_detail_show_what_the_viewer_may_see_and_do(org, browser):
    order = f.draft(org)
    page = browser("buyer1").get("/procurement/orders/")
    assert page.status_code == 200 and order.number in page.content.decode()
    assert order.number not in browser("rep2").get("/procurement/orders/").content.decode()
    assert browser("rep2").get(f"/procurement/orders/{order.pk}/").status_code == 404
    detail = browser("buyer1").get(f"/procurement/orders/{order.pk}/").content.decode()
    for action in ("edit", "submit", "cancel"):
        assert f'data-action="{action}"' in detail
    assert 'data-action="approve"' not in detail and 'data-testid="milestone"' in detail
    assert 'data-testid="received" data-degree="none"' in detail
    assert "/procurement/orders/" in browser("buyer1").get("/").content.decode()  # the nav link


def test_terms_form_keeps_input_on_refusal_and_saves(org, browser):
    order = f.draft(org, suppliers=[sf.qualified(org, is_sme=True)])
    assert browser("phead1").get(f"/procurement/orders/{order.pk}/edit/").status_code == 403
    client = browser("buyer1")  # one client: the last login is who it is
    assert client.get(f"/procurement/orders/{order.pk}/edit/").status_code == 200
    line = order.lines.get()
    data = {"version": order.version, "title": "新标题", "retention_pct": "5", "warranty_months": "12",
            "payment_days": "90", "invoice_type": "vat_special", "pay_after_customer": "on",
            "delivery_address": "北京", "note": "", f"promised_{line.pk}": "2027-02-01",
            "milestones-TOTAL_FORMS": "2", "milestones-INITIAL_FORMS": "0",
            "milestones-0-kind": "acceptance", "milestones-0-name": "验收款", "milestones-0-percent": "95",
            "milestones-1-kind": "retention", "milestones-1-name": "质保金", "milestones-1-percent": "5"}
    refused = client.post(f"/procurement/orders/{order.pk}/edit/", data)
    assert refused.status_code == 422
    body = refused.content.decode()
    assert 'data-field-error="pay_after_customer"' in body and "新标题" in body
    del data["pay_after_customer"]
    saved = client.post(f"/procurement/orders/{order.pk}/edit/", data)
    assert saved.status_code == 302
    order.refresh_from_db()
    assert order.title == "新标题" and order.payment_days == 90 and order.warnings
    assert 'data-testid="order-warning"' in client.get(f"/procurement/orders/{order.pk}/").content.decode()


def test_actions_from_the_page(org, browser):
    order = f.draft(org)
    buyer = browser("buyer1")
    assert buyer.post(f"/procurement/orders/{order.pk}/submit/").status_code == 302
    head = browser("phead1")  # one client: the last login is who it is
    refused = head.post(f"/procurement/orders/{order.pk}/decide/", {"decision": "return", "comment": ""})
    assert refused.status_code == 422 and 'data-testid="action-error"' in refused.content.decode()
    assert head.post(f"/procurement/orders/{order.pk}/decide/", {"decision": "approve"}).status_code == 302
    order.refresh_from_db()
    assert order.status == "approved"
    buyer = browser("buyer1")
    no_file = buyer.post(f"/procurement/orders/{order.pk}/sign/", {"signed_on": timezone.localdate().isoformat()})
    assert no_file.status_code == 422
    signed = buyer.post(f"/procurement/orders/{order.pk}/sign/", {"signed_on": timezone.localdate().isoformat(),
                                                                  "file": f.pdf()})
    assert signed.status_code == 302
    order.refresh_from_db()
    assert order.status == "signed" and order.signed_file_id
    detail = buyer.get(f"/procurement/orders/{order.pk}/").content.decode()
    assert 'data-action="amend"' in detail and 'data-testid="order-version"' in detail
    copy = buyer.get(f"/procurement/orders/{order.pk}/signed-copy/")
    assert copy.status_code == 200 and b"".join(copy.streaming_content).startswith(b"%PDF")
    amended = buyer.post(f"/procurement/orders/{order.pk}/amend/", {"payment_days": "45", "reason": "延长账期"})
    assert amended.status_code == 302 and order.amendments.count() == 1
    assert buyer.post(f"/procurement/orders/{order.pk}/terminate/", {"reason": ""}).status_code == 422
    terminated = buyer.post(f"/procurement/orders/{order.pk}/terminate/", {"reason": "供应商违约"})
    assert terminated.status_code == 302
    assert PurchaseOrder.objects.get(pk=order.pk).status == "terminated"


def test_docx_and_create_orders(org, browser):
    sourcing = f.awarded_sourcing(org)
    assert browser("rep1").post(f"/procurement/orders/from-sourcing/{sourcing.pk}/").status_code == 404
    created = browser("buyer1").post(f"/procurement/orders/from-sourcing/{sourcing.pk}/")
    assert created.status_code == 302
    order = PurchaseOrder.objects.get(sourcing=sourcing)
    response = browser("buyer1").get(f"/procurement/orders/{order.pk}/document/")
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "采购合同" in text and "合计" in text
    assert browser("rep2").get(f"/procurement/orders/{order.pk}/document/").status_code == 404
