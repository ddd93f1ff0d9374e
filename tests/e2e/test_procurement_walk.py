"""Issue 16 "done when", in the browser: the demo users take one purchase from request to closed retention.

rep1 files a purchase request on his project and submits it; whoever its review steps name approves it on its
page; buyer1 sources the approved line from three qualified suppliers (opens, records three quotations,
evaluates, awards the lowest, submits the award); the award's deciders approve; buyer1 creates the order, sets
its warranty to 0 months (so the retention falls due on acceptance), submits it; the deciders approve; buyer1
records the signing with the signed copy and a delivery for keeper1, who first accepts more than delivered (the
refusal shows next to the field, the input kept), then the delivered quantity; buyer1 records the supplier's
invoice (a wrong seller tax id refused first), finance1 verifies it; buyer1 requests the progress payment, the
deciders approve, finance1 pays; buyer1 evaluates the supplier; keeper1 signs the due retention off, phead1
releases it, buyer1 requests the retention payment, the deciders approve, finance1 pays; buyer1 closes the order.

Only the suppliers (qualified, with a bank account) and the review routes are set up beforehand, as the app's
own tests do (the live server's flush removes the seeded routes)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from opsmon.approvals import selectors as approval_selectors
from opsmon.payments.models import PaymentRequest, Retention
from opsmon.payments.tests import factories as payment_factories
from opsmon.procurement.models import PurchaseRequest
from opsmon.procurement.tests import factories as procurement_factories
from opsmon.purchasing.models import PurchaseOrder
from opsmon.purchasing.tests import factories as purchasing_factories
from opsmon.receiving.models import Receipt
from opsmon.sourcing.models import Sourcing
from opsmon.sourcing.tests import factories as sourcing_factories
from opsmon.supplier_invoices.models import SupplierInvoice
from opsmon.suppliers.tests import factories as supplier_factories

from .conftest import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NAMES = ("华东服务器科技有限公司", "江南数据设备有限公司", "北方计算机系统有限公司")
PRICES = ("14000", "14500", "15000")  # unit prices (tax incl.) quoted for 2 servers: the first is lowest


def pdf(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


@pytest.fixture
def walk_suppliers(org):
    """Three qualified suppliers with a bank account, and the review routes of every step of the walk."""
    sourcing_factories.routes()
    purchasing_factories.routes()
    payment_factories.routes()
    found = []
    for name in NAMES:
        s = supplier_factories.qualified(org, categories=("hardware",), name=name)
        payment_factories.account(org, s)
        found.append(s)
    return found


def test_a_purchase_from_request_to_closed_retention(page, login, live_server, org, walk_suppliers):
    base = live_server.url
    today = timezone.localdate()
    project = procurement_factories.project(org)
    current = {"user": None}
    ARTIFACTS.mkdir(exist_ok=True)

    def as_user(username):
        if current["user"] == username:
            return
        if current["user"] is not None:
            page.locator("form[action='/logout/'] button").click()
            page.wait_for_url(re.compile(r"/login/"))
        login(username)
        current["user"] = username

    def press(testid, *, confirm=False):
        """Click a button that posts its form and wait for the page that comes back (the in-page confirmation
        first when the action is irreversible)."""
        with page.expect_navigation():
            page.get_by_test_id(testid).click()
            if confirm:
                page.get_by_test_id("confirm-ok").click()

    def status(testid, value):
        expect(page.get_by_test_id(testid)).to_have_attribute("data-status", value)
        expect(page.get_by_test_id(testid)).not_to_be_empty()  # the label shown next to the number

    def approve_all(record, url, testid):
        """Each current review step is approved on the record's page by the first user the step names."""
        deciders = []
        while (step := approval_selectors.current_step(record)) is not None:
            decider = step.deciders.select_related("user").first().user.username
            deciders.append(decider)
            as_user(decider)
            page.goto(url)
            press("decide-approve")
            expect(page.get_by_test_id(testid)).to_be_visible()  # the record's page again, not an error
            record.refresh_from_db()
            assert len(deciders) < 8, deciders
        page.goto(url)
        return deciders

    # 1. rep1 files a purchase request on his project and submits it; the review steps approve it.
    as_user("rep1")
    page.goto(f"{base}/projects/{project.pk}/")
    page.get_by_test_id("project-request-new").click()
    page.fill("#id_title", "机房服务器")
    page.fill("#id_lines-0-item", "服务器")
    page.fill("#id_lines-0-spec", "2U 双路")
    page.select_option("#id_lines-0-unit", "set")
    page.fill("#id_lines-0-qty", "2")
    page.fill("#id_lines-0-est_unit_price", "15000")
    page.select_option("#id_lines-0-category", "hardware")
    press("request-save")
    status("request-status", "draft")
    press("request-submit")
    status("request-status", "submitted")
    request = PurchaseRequest.objects.get(project=project)
    request_url = f"{base}/procurement/requests/{request.pk}/"
    assert approve_all(request, request_url, "request-status")
    status("request-status", "approved")

    # 2. buyer1 sources the approved line from three suppliers.
    as_user("buyer1")
    page.goto(f"{base}/procurement/sourcings/")
    page.get_by_test_id("sourcing-new").click()
    page.fill("#id_title", "机房服务器询价")
    page.select_option("#id_method", "inquiry")
    page.fill("#id_deadline", (timezone.localtime() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_test_id("pool").get_by_label(re.compile(re.escape(request.number))).check()
    for name in NAMES:
        page.get_by_test_id("supplier-picker").get_by_label(re.compile(re.escape(name))).check()
    press("sourcing-save")
    status("sourcing-status", "draft")
    expect(page.get_by_test_id("invitation")).to_have_count(3)
    press("sourcing-open", confirm=True)
    status("sourcing-status", "open")
    sourcing = Sourcing.objects.get()
    sourcing_url = f"{base}/procurement/sourcings/{sourcing.pk}/"
    for supplier, price in zip(walk_suppliers, PRICES, strict=True):
        form = page.get_by_test_id("quote-form")
        form.locator("[name=supplier_id]").select_option(str(supplier.pk))
        form.locator("[name=valid_until]").fill((today + timedelta(days=30)).isoformat())
        form.locator("[name=delivery_days]").fill("10")
        row = form.get_by_test_id("quote-row")
        row.locator("input[name^=price_]").fill(price)
        row.locator("select[name^=tax_]").select_option("13")
        press("quote-save")
    expect(page.get_by_test_id("quoted")).to_have_count(3)
    press("sourcing-evaluate", confirm=True)
    status("sourcing-status", "evaluating")
    expect(page.locator("[data-testid=cell][data-lowest='1']")).to_contain_text("14000")
    award = page.get_by_test_id("award-row").locator("select[name^=quotation_]")
    lowest = next(t for t in award.locator("option").all_text_contents() if "★" in t)
    assert NAMES[0] in lowest
    award.select_option(label=lowest)
    press("award-save")
    expect(page.get_by_test_id("comparison-row")).to_contain_text(NAMES[0])
    press("award-submit")
    status("sourcing-status", "award_review")
    deciders = approve_all(sourcing, sourcing_url, "sourcing-status")
    assert "phead1" in deciders, deciders
    status("sourcing-status", "awarded")

    # 3. buyer1 creates the order, sets the warranty to 0 months, submits it; the deciders approve it.
    as_user("buyer1")
    page.goto(sourcing_url)
    press("create-orders")
    order = PurchaseOrder.objects.get(sourcing=sourcing)
    order_url = f"{base}/procurement/orders/{order.pk}/"
    page.wait_for_url(order_url)
    status("order-status", "draft")
    expect(page.get_by_test_id("order-total")).to_contain_text("28,000.00")
    page.get_by_test_id("order-edit").click()
    terms = page.get_by_test_id("order-form")
    terms.locator("[name=warranty_months]").fill("0")
    # The buyer sets the promised date (the on-time score of the evaluation reads it).
    promised = today + timedelta(days=10)
    terms.locator("[name^=promised_]").fill(promised.isoformat())
    press("order-save")
    page.wait_for_url(order_url)
    status("order-status", "draft")
    expect(page.get_by_test_id("order-line")).to_contain_text(promised.isoformat())
    order.refresh_from_db()
    assert order.warranty_months == 0
    press("order-submit")
    status("order-status", "in_review")
    approve_all(order, order_url, "order-status")
    status("order-status", "approved")

    # 4. buyer1 records the signing with the signed copy.
    as_user("buyer1")
    page.goto(order_url)
    sign = page.get_by_test_id("sign-form")
    sign.locator("[name=signed_on]").fill(today.isoformat())
    sign.locator("[name=file]").set_input_files(pdf("signed.pdf"))
    press("order-sign", confirm=True)
    status("order-status", "signed")
    expect(page.get_by_test_id("signed-copy")).to_be_visible()

    # 5. buyer1 records the delivery for keeper1; keeper1 accepts more than delivered (refused, the input
    # kept, the message next to the field), then the delivered quantity.
    line = order.lines.get()
    page.get_by_test_id("record-delivery").locator("summary").click()
    delivery = page.get_by_test_id("delivery-form")
    # Prefilled with today in ISO form, which the date input shows (core.forms.DateInput; 2026/12/04 showed empty).
    expect(delivery.locator("[name=delivered_on]")).to_have_value(today.isoformat())
    delivery.locator("[name=inspector_id]").select_option(str(org["keeper1"].pk))
    delivery.locator(f"[name=qty_{line.pk}]").fill("2")
    press("delivery-save")
    status("receipt-status", "draft")
    press("receipt-submit")
    status("receipt-status", "inspecting")
    receipt = Receipt.objects.get(order=order)
    receipt_url = f"{base}/procurement/receipts/{receipt.pk}/"

    as_user("keeper1")
    page.goto(receipt_url)
    accepted = page.get_by_test_id("accept-form").locator(f"[name=accepted_{line.pk}]")
    accepted.fill("3")
    press("receipt-accept", confirm=True)
    error = page.locator(f"[data-field-error='accepted_{line.pk}']")
    expect(error).to_be_visible()
    expect(error).not_to_be_empty()
    expect(page.get_by_test_id("accept-form").locator(f"[name=accepted_{line.pk}]")).to_have_value("3")
    status("receipt-status", "inspecting")
    page.screenshot(path=str(ARTIFACTS / "procurement-walk-refused-acceptance.png"), full_page=True)
    page.get_by_test_id("accept-form").locator(f"[name=accepted_{line.pk}]").fill("2")
    press("receipt-accept", confirm=True)
    status("receipt-status", "accepted")

    # 6. buyer1 records the supplier's invoice (a wrong seller tax id first); finance1 verifies it.
    supplier = walk_suppliers[0]
    as_user("buyer1")
    page.goto(order_url)
    page.get_by_test_id("order-invoices").locator("[data-action=create]").click()
    form = page.get_by_test_id("invoice-form")
    form.locator("[name=invoice_type]").select_option("vat_special")
    form.locator("[name=number]").fill("24110001")
    form.locator("[name=issued_on]").fill(today.isoformat())
    form.locator("[name=seller_tax_id]").fill(supplier_factories.credit_code())  # another company's
    form.locator("[name=total]").fill("28000.00")
    form.locator(f"[name=line-{line.pk}-qty]").fill("2")
    form.locator(f"[name=line-{line.pk}-amount]").fill("28000.00")
    form.locator("[name=file]").set_input_files(pdf("invoice.pdf"))
    press("invoice-save")
    expect(page.locator("[data-field-error='seller_tax_id']")).to_be_visible()
    expect(form.locator("[name=number]")).to_have_value("24110001")  # the input is kept
    expect(form.locator(f"[name=line-{line.pk}-amount]")).to_have_value("28000.00")
    form.locator("[name=seller_tax_id]").fill(supplier.credit_code)
    form.locator("[name=file]").set_input_files(pdf("invoice.pdf"))
    press("invoice-save")
    status("invoice-status", "matched")
    invoice = SupplierInvoice.objects.get()
    as_user("finance1")
    page.goto(f"{base}/procurement/invoices/{invoice.pk}/")
    press("invoice-verify", confirm=True)
    status("invoice-status", "verified")

    # 7. buyer1 requests the progress payment (the order less its 5 % retention); approved; finance1 pays.
    def payment(kind, amount, shown, *, invoices=True):
        as_user("buyer1")
        page.goto(order_url)
        page.get_by_test_id("order-payment-new").click()
        form = page.get_by_test_id("payment-form")
        form.locator("[name=kind]").select_option(kind)
        form.locator("[name=amount]").fill(amount)
        account = form.locator("[name=payee_account_id] option:not([value=''])").first.get_attribute("value")
        form.locator("[name=payee_account_id]").select_option(account)
        if invoices:
            form.locator("[name=invoice_ids]").first.check()
        press("payment-save")
        status("payment-status", "draft")
        press("payment-submit")
        status("payment-status", "in_review")
        record = PaymentRequest.objects.get(order=order, kind=kind)
        url = f"{base}/procurement/payments/{record.pk}/"
        approve_all(record, url, "payment-status")
        status("payment-status", "approved")
        as_user("finance1")
        page.goto(url)
        pay = page.get_by_test_id("pay-form")
        expect(pay.locator("[name=paid_on]")).to_have_value(today.isoformat())  # prefilled, kept on submit
        pay.locator("[name=method]").select_option("bank_transfer")
        pay.locator("[name=reference]").fill(f"HX-{kind}")
        press("payment-pay", confirm=True)
        status("payment-status", "paid")
        expect(page.get_by_test_id("payment-paid")).to_contain_text(shown)

    payment("progress", "26600.00", "26,600.00")
    as_user("buyer1")
    page.goto(order_url)
    status("order-status", "completed")

    # 8. buyer1 evaluates the supplier.
    evaluation = page.get_by_test_id("evaluation-form")
    evaluation.locator("[name=price]").fill("90")
    evaluation.locator("[name=service]").fill("95")
    press("evaluation-save")
    expect(page.get_by_test_id("evaluation-grade")).to_have_text("A")

    # 9. The retention: due on acceptance (warranty 0 months); keeper1 signs it off, phead1 releases it.
    retention = Retention.objects.get(order=order)
    as_user("keeper1")
    page.goto(f"{base}/procurement/payments/retentions/")
    page.get_by_test_id("due-only").click()
    page.get_by_test_id("retention-list").get_by_role("link", name=order.number).click()
    page.wait_for_url(re.compile(rf"/retentions/{retention.pk}/$"))
    status("retention-status", "due")
    expect(page.get_by_test_id("retention-amount")).to_contain_text("1,400.00")
    page.get_by_test_id("sign-off-form").locator("[name=comment]").fill("无遗留缺陷")
    press("retention-sign-off", confirm=True)
    status("retention-status", "due")
    as_user("phead1")
    page.goto(f"{base}/procurement/payments/retentions/{retention.pk}/")
    press("retention-release", confirm=True)
    status("retention-status", "released")

    # 10. buyer1 requests the retention payment; approved; finance1 pays: the retention is settled.
    payment("retention", "1400.00", "1,400.00", invoices=False)
    page.goto(f"{base}/procurement/payments/retentions/{retention.pk}/")
    status("retention-status", "settled")

    # 11. buyer1 closes the order.
    as_user("buyer1")
    page.goto(order_url)
    press("order-close", confirm=True)
    status("order-status", "closed")
    page.screenshot(path=str(ARTIFACTS / "procurement-walk-closed.png"), full_page=True)
    order.refresh_from_db()
    assert order.status == "closed"
    request.refresh_from_db()
    assert request.status in ("ordered", "closed"), request.status
