"""The pages: the list and its nav link, the new-request form from an order (the remaining ceiling per kind; input
kept on a refusal, the message next to the field), the detail page's buttons, review and pay form, the retention
list and page (sign-off, release), the Payments section of the order's page."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.urls import reverse

from opsmon.payments import selectors, views
from opsmon.payments.models import PaymentRequest

from . import factories as f

pytestmark = pytest.mark.django_db


def test_list_page_and_nav_link(org, browser):
    po = f.delivered(org)
    record = f.draft(org, po, amount="1000")
    page = browser("finance1").get(reverse("payments:list"))
    html = page.content.decode()
    assert page.status_code == 200 and f'data-payment="{record.pk}"' in html
    assert f'href="{reverse("payments:list")}"' in html  # the nav link
    assert f'data-payment="{record.pk}"' not in browser("rep1").get(reverse("payments:list")).content.decode()
    filtered = browser("finance1").get(reverse("payments:list") + "?status=paid").content.decode()
    assert f'data-payment="{record.pk}"' not in filtered


def test_new_request_shows_the_ceiling_keeps_input_on_refusal_and_saves(org, browser):
    po = f.delivered(org)
    account = po.supplier.bank_accounts.first()
    client = browser("buyer1")
    url = reverse("payments:new") + f"?order={po.pk}"
    form = client.get(url)
    html = form.content.decode()
    assert form.status_code == 200 and 'data-kind="progress"' in html and "38,000.00" in html
    data = {"order_id": po.pk, "kind": "progress", "amount": "39000", "payee_account_id": account.pk, "note": "进度"}
    refused = client.post(url, data)
    assert refused.status_code == 422
    html = refused.content.decode()
    assert 'data-field-error="amount"' in html and 'value="39000"' in html and "进度" in html
    assert not PaymentRequest.objects.exists()
    saved = client.post(url, {**data, "amount": "38000"})
    record = PaymentRequest.objects.get()
    assert saved.status_code == 302 and saved["Location"] == reverse("payments:detail", args=[record.pk])
    assert browser("rep1").get(url).status_code == 403
    assert browser("buyer1").get(reverse("payments:new") + "?order=999999").status_code == 404


def test_detail_review_and_pay_from_the_page(org, browser):
    po = f.delivered(org)
    record = f.submitted(org, po, amount="1000")
    page = browser("phead1").get(reverse("payments:detail", args=[record.pk])).content.decode()
    assert 'data-action="approve"' in page and 'data-action="return"' in page and 'data-action="pay"' not in page
    assert browser("rep1").get(reverse("payments:detail", args=[record.pk])).status_code == 404
    done = browser("phead1").post(reverse("payments:decide", args=[record.pk]), {"decision": "approve"})
    assert done.status_code == 302
    page = browser("finance1").get(reverse("payments:detail", args=[record.pk])).content.decode()
    assert 'data-action="pay"' in page and "data-confirm" in page
    refused = browser("finance1").post(reverse("payments:pay", args=[record.pk]), {
        "paid_on": f.today().isoformat(), "amount": "1000", "method": "bank_transfer", "reference": ""})
    assert refused.status_code == 422 and 'data-field-error="reference"' in refused.content.decode()
    paid = browser("finance1").post(reverse("payments:pay", args=[record.pk]), {
        "paid_on": f.today().isoformat(), "amount": "1000", "method": "bank_transfer", "reference": "HX-1"})
    assert paid.status_code == 302 and PaymentRequest.objects.get(pk=record.pk).status == "paid"
    assert browser("buyer1").post(reverse("payments:cancel", args=[record.pk]),
                                  {"reason": "x"}).status_code == 409


def test_submit_and_cancel_buttons_of_the_requester(org, browser):
    record = f.draft(org, f.delivered(org), amount="1000")
    page = browser("buyer1").get(reverse("payments:detail", args=[record.pk])).content.decode()
    assert 'data-action="submit"' in page and 'data-action="cancel"' in page
    assert browser("buyer1").post(reverse("payments:submit", args=[record.pk])).status_code == 302
    assert PaymentRequest.objects.get(pk=record.pk).status == "in_review"


def test_retention_pages_sign_off_and_release(org, browser):
    po = f.order(org)
    f.accept(org, po, "10", accepted_on=f.today() - timedelta(days=400))
    retention = selectors.retention_of(po)
    listing = browser("buyer1").get(reverse("payments:retention_list") + "?due=true").content.decode()
    assert f'data-retention="{retention.pk}"' in listing and 'data-status="due"' in listing
    page = browser("keeper1").get(reverse("payments:retention_detail", args=[retention.pk])).content.decode()
    assert 'data-action="sign_off"' in page
    assert browser("rep1").get(reverse("payments:retention_detail", args=[retention.pk])).status_code == 404
    assert browser("keeper1").post(reverse("payments:retention_sign_off", args=[retention.pk]),
                                   {"comment": ""}).status_code == 302
    refused = browser("phead1").post(reverse("payments:retention_release", args=[retention.pk]),
                                     {"deduction": "10", "reason": ""})
    assert refused.status_code == 422 and 'data-field-error="reason"' in refused.content.decode()
    done = browser("phead1").post(reverse("payments:retention_release", args=[retention.pk]),
                                  {"deduction": "10", "reason": "清洁费"})
    assert done.status_code == 302
    retention.refresh_from_db()
    assert retention.status == "released" and str(retention.releasable) == "4990.00"


def test_the_order_page_section(org):
    po = f.delivered(org)
    f.draft(org, po, amount="1000")
    request = RequestFactory().get("/")
    request.user = org["buyer1"]
    html = views.order_section(request, po)
    assert 'data-testid="order-payments"' in html and 'data-kind="progress"' in html and "order-payment-new" in html
    request.user = org["rep1"]
    assert views.order_section(request, po) == ""
    request.user = org["finance1"]
    html = views.order_section(request, po)
    assert 'data-testid="order-payment"' in html and "order-payment-new" not in html


def test_the_section_on_the_order_page_itself(org, browser):
    po = f.delivered(org)
    record = f.draft(org, po, amount="1000")
    page = browser("buyer1").get(reverse("purchasing:order_detail", args=[po.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="order-payments"' in html
    assert reverse("payments:detail", args=[record.pk]) in html
    assert reverse("payments:new") + f"?order={po.pk}" in html
