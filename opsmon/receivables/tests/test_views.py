"""The receivables pages: the money trail on the contract page with finance's forms, a refused form kept as
typed, the receivables list and its filters, the dashboard panel."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from opsmon.contracts.models import Milestone
from opsmon.contracts.tests.factories import routes, signed
from opsmon.receivables.models import Collection, Invoice

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(org):
    routes(org)
    return signed(org)


def test_finance_records_on_the_contract_page(browser, org, contract):
    page = browser("finance1").get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert 'data-testid="receivables"' in page and 'data-action="record_invoice"' in page
    m = contract.milestones.get(position=1)
    today = timezone.localdate().isoformat()
    client = browser("finance1")
    answer = client.post(reverse("receivables:invoice_record", args=[contract.pk]), {
        "invoice-milestone": m.pk, "invoice-number": "FP-1", "invoice-invoice_type": "vat_special",
        "invoice-tax_rate": "13", "invoice-amount": "300000.00", "invoice-issued_on": today})
    assert answer.status_code == 302 and answer["Location"].endswith("#receivables")
    answer = client.post(reverse("receivables:collection_record", args=[contract.pk]), {
        "collection-milestone": m.pk, "collection-amount": "300000.01", "collection-received_on": today,
        "collection-method": "bank_transfer", "collection-reference": "REF-9"})
    assert answer.status_code == 422
    html = answer.content.decode()
    assert 'data-field-error="amount"' in html and 'value="300000.01"' in html and "REF-9" in html
    assert not Collection.objects.exists()
    client.post(reverse("receivables:collection_record", args=[contract.pk]), {
        "collection-milestone": m.pk, "collection-amount": "300000.00", "collection-received_on": today,
        "collection-method": "bank_transfer"})
    page = browser("rep1").get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "FP-1" in page and 'data-action="record_invoice"' not in page  # the owner reads, finance records
    assert Invoice.objects.count() == 1 and Collection.objects.count() == 1


def test_someone_else_is_refused_on_the_page(browser, org, contract):
    m = contract.milestones.get(position=1)
    answer = browser("rep1").post(reverse("receivables:invoice_record", args=[contract.pk]), {
        "invoice-milestone": m.pk, "invoice-number": "FP-1", "invoice-invoice_type": "vat_special",
        "invoice-tax_rate": "13", "invoice-amount": "1.00", "invoice-issued_on": timezone.localdate().isoformat()})
    assert answer.status_code == 403 and not Invoice.objects.exists()
    assert browser("rep2").post(reverse("receivables:invoice_record", args=[contract.pk]), {}).status_code == 404


def test_the_list_and_its_filters(browser, org, contract):
    Milestone.objects.filter(contract=contract, position=2).update(due_on=timezone.localdate() - timedelta(days=40))
    other = signed(org, owner="rep2", title="乙方合同")
    url = reverse("receivables:list")
    page = browser("finance1").get(url).content.decode()
    assert contract.number in page and other.number in page
    page = browser("finance1").get(url, {"overdue": "on"}).content.decode()
    assert contract.number in page and other.number not in page and "31-90" in page
    page = browser("finance1").get(url, {"bucket": "0-30"}).content.decode()
    assert contract.number not in page
    page = browser("rep2").get(url).content.decode()
    assert other.number in page and contract.number not in page


def test_the_dashboard_panel(browser, org, contract):
    Milestone.objects.filter(contract=contract, position=2).update(due_on=timezone.localdate() - timedelta(days=200))
    dashboard = browser("finance1").get(reverse("insights:dashboard")).content.decode()
    assert reverse("insights:receivables_ageing") in dashboard
    panel = browser("finance1").get(reverse("insights:receivables_ageing")).content.decode()
    assert 'data-testid="bucket-180+"' in panel and "¥700,000.00" in panel
    assert "700,000.00" not in browser("rep2").get(reverse("insights:receivables_ageing")).content.decode()
