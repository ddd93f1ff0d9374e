"""The invoice pages: the list and its nav link, the new invoice (choose the supplier, then the rows of its order
lines; a refusal keeps what was typed and shows the message next to the row), the invoice's page with each
line's match result and the buttons of the rules, the actions, the order page's section, 404 outside scope."""

from io import BytesIO

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from opsmon.supplier_invoices import services, views
from opsmon.supplier_invoices.models import SupplierInvoice

from . import factories as f

pytestmark = pytest.mark.django_db


def _form(po, **over):
    data = {"supplier": po.supplier_id, "invoice_type": "vat_special", "code": "1100231130", "number": f.number(),
            "issued_on": timezone.localdate().isoformat(), "seller_tax_id": po.supplier.credit_code, "total": ""}
    for line in po.lines.all():
        data[f"line-{line.pk}-qty"] = str(line.qty)
        data[f"line-{line.pk}-amount"] = str(f.row(line)["amount"])
        data[f"line-{line.pk}-tax_rate"] = str(line.tax_rate)
    return {**data, **over}


def test_list_and_nav(browser, org):
    po = f.order(org)
    inv = f.invoice(org, po)
    page = browser("buyer1").get(reverse("supplier_invoices:list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert inv.number in html and 'data-testid="invoice-new"' in html and "/procurement/invoices/" in html
    assert inv.number not in browser("rep1").get(reverse("supplier_invoices:list")).content.decode()
    filtered = browser("finance1").get(reverse("supplier_invoices:list") + "?status=verified")
    assert inv.number not in filtered.content.decode()



def test_the_list_exports_exactly_the_filtered_visible_rows(browser, org):
    kept = f.invoice(org, f.order(org))
    po = f.order(org)
    cancelled = services.invoice_cancel(actor=org["buyer1"], invoice=f.invoice(org, po), reason="红冲")
    response = browser("buyer1").get(reverse("supplier_invoices:list"), {"status": "cancelled", "export": "xlsx"})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [cancelled.number]
    page = browser("buyer1").get(reverse("supplier_invoices:list"), {"status": "cancelled"}).content.decode()
    assert cancelled.number in page and kept.number not in page
    # a requester's filter on the supplier finds nothing: the filters only narrow what he may see
    other = browser("rep1").get(reverse("supplier_invoices:list"), {"supplier": po.supplier_id}).content.decode()
    assert cancelled.number not in other

def test_new_invoice_choose_supplier_then_lines(browser, org):
    po = f.order(org)
    client = browser("buyer1")
    chooser = client.get(reverse("supplier_invoices:new"))
    assert chooser.status_code == 200 and po.supplier.name in chooser.content.decode()
    form = client.get(reverse("supplier_invoices:new") + f"?supplier={po.supplier_id}")
    html = form.content.decode()
    assert 'data-testid="invoice-form"' in html and all(f'data-order-line="{line.pk}"' in html
                                                        for line in po.lines.all())
    one, two = po.lines.order_by("position")
    data = _form(po, **{f"line-{two.pk}-qty": "", f"line-{two.pk}-amount": ""})  # only the first line
    saved = client.post(reverse("supplier_invoices:new"), data)
    assert saved.status_code == 302
    inv = SupplierInvoice.objects.get()
    assert saved["Location"] == reverse("supplier_invoices:detail", args=[inv.pk])
    assert list(inv.lines.values_list("order_line", flat=True)) == [one.pk]


def test_refused_form_keeps_input_and_places_errors(browser, org):
    po = f.order(org)
    client = browser("buyer1")
    one = po.lines.order_by("position").first()
    data = _form(po, seller_tax_id="91110000000000000X", **{f"line-{one.pk}-qty": "0"})
    page = client.post(reverse("supplier_invoices:new"), data)
    assert page.status_code == 422
    html = page.content.decode()
    assert 'data-field-error="seller_tax_id"' in html and f'data-field-error="line-{one.pk}-qty"' in html
    assert 'value="91110000000000000X"' in html and data["number"] in html
    assert not SupplierInvoice.objects.exists()


def test_detail_actions_and_scope(browser, org):
    po = f.order(org)
    inv = f.invoice(org, po)
    url = reverse("supplier_invoices:detail", args=[inv.pk])
    page = browser("phead1").get(url).content.decode()
    assert 'data-testid="line-mismatch"' in page and 'data-action="accept_variance"' in page
    assert 'data-action="verify"' not in page and "data-confirm" in page
    assert browser("rep1").get(url).status_code == 404
    refused = browser("phead1").post(reverse("supplier_invoices:accept_variance", args=[inv.pk]), {"reason": ""})
    assert refused.status_code == 422 and 'data-field-error="reason"' in refused.content.decode()
    done = browser("phead1").post(reverse("supplier_invoices:accept_variance", args=[inv.pk]), {"reason": "补录"})
    assert done.status_code == 302
    assert 'data-action="verify"' in browser("finance1").get(url).content.decode()
    assert browser("buyer1").post(reverse("supplier_invoices:verify", args=[inv.pk])).status_code == 403
    assert browser("finance1").post(reverse("supplier_invoices:verify", args=[inv.pk])).status_code == 302
    inv.refresh_from_db()
    assert inv.status == "verified"
    cancel = browser("buyer1").post(reverse("supplier_invoices:cancel", args=[inv.pk]), {"reason": "红冲"})
    assert cancel.status_code == 302
    inv.refresh_from_db()
    assert inv.status == "cancelled"


def test_file_download(browser, org):
    po = f.order(org)
    inv = f.invoice(org, po, upload=f.pdf())
    answer = browser("finance1").get(reverse("supplier_invoices:file", args=[inv.pk]))
    assert answer.status_code == 200 and b"".join(answer.streaming_content) == f.PDF
    assert browser("rep1").get(reverse("supplier_invoices:file", args=[inv.pk])).status_code == 404


def test_order_page_section(org):
    po = f.order(org)
    inv = f.invoice(org, po)
    request = RequestFactory().get("/")
    request.user = org["buyer1"]
    html = views.order_section(request=request, order=po)
    assert inv.number in html and 'id="invoices"' in html and "?supplier=" in html
    request.user = org["ceo1"]
    html = views.order_section(request=request, order=po)
    assert inv.number in html and "?supplier=" not in html
    assert views.order_section(request=request, order=f.order(org, status="draft")) == ""
