"""The procurement demo (opsmon/demo_purchases.py) walks two purchases to closure through the services and leaves
one purchase in each open state, so a new user finds every page of procurement with something on it."""

from collections import Counter
from importlib import import_module

import pytest
from django.apps import apps

from opsmon import demo_purchases
from opsmon.opportunities import demo as opportunities_demo
from opsmon.payments.models import PaymentRequest, Retention
from opsmon.procurement import demo as procurement_demo
from opsmon.projects import demo as projects_demo
from opsmon.purchasing.models import PurchaseOrder
from opsmon.receiving.models import Receipt
from opsmon.sourcing.models import Sourcing
from opsmon.supplier_invoices.models import SupplierInvoice
from opsmon.suppliers import demo as suppliers_demo

pytestmark = pytest.mark.django_db

SEEDS = ["suppliers.migrations.0002_seed_procurement_codes", "procurement.migrations.0002_seed_review_routes",
         "sourcing.migrations.0003_seed_review_routes", "purchasing.migrations.0003_seed_review_routes",
         "payments.migrations.0003_seed_review_routes"]


def statuses(model) -> Counter:
    return Counter(model.objects.values_list("status", flat=True))


def test_two_purchases_closed_and_one_of_each_open_state(org):
    for module in SEEDS:  # a live-server test before this one may have flushed what the migrations seeded
        import_module(f"opsmon.{module}").seed(apps, None)
    for loader in (opportunities_demo.load, projects_demo.load, suppliers_demo.load, procurement_demo.load):
        loader()
    demo_purchases.load()
    demo_purchases.load()  # idempotent
    assert statuses(Sourcing) == {"done": 8, "open": 1, "evaluating": 1, "award_review": 1}
    assert statuses(PurchaseOrder) == {"closed": 2, "completed": 1, "signed": 3, "in_review": 1, "draft": 1}
    assert statuses(Receipt) == {"accepted": 5, "inspecting": 1}
    assert statuses(SupplierInvoice) == {"verified": 4, "mismatch": 1}
    assert statuses(PaymentRequest) == {"paid": 5, "in_review": 1}
    assert statuses(Retention) == {"settled": 2, "held": 4}
    for order in PurchaseOrder.objects.filter(status="closed"):
        assert order.evaluation.grade in "ABCD" and order.retention.status == "settled"
        assert sum(p.paid_amount for p in order.payment_requests.filter(status="paid")) == order.total


def test_without_the_seeded_review_routes_it_loads_nothing_and_fails_nothing(org):
    """A live-server test flushes what migrations seeded; the whole demo must still load there."""
    from opsmon.approvals.models import Route
    for module in SEEDS:
        import_module(f"opsmon.{module}").seed(apps, None)
    for loader in (opportunities_demo.load, projects_demo.load, suppliers_demo.load, procurement_demo.load):
        loader()
    Route.objects.filter(kind="award").delete()
    demo_purchases.load()
    assert not Sourcing.objects.exists()
