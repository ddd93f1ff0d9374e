"""Which records the change feed answers: one line per type, name → model, the module's visibility selector and the
field answered as `number`. A timeline entry of a model not listed here is never answered (the cursor passes it).

A module built later adds its line here (the feed stands above every sales module, so it may import their
selectors); the selector is the module's one `visible_<records>(actor)`, so the feed shows exactly what its lists
and details show.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models

from opsmon.accounts.visibility import is_active_user
from opsmon.bids.models import Bid, Bond
from opsmon.bids.selectors import bond_list, visible_bids
from opsmon.contracts.models import Contract
from opsmon.contracts.selectors import visible_contracts
from opsmon.customers.models import Customer
from opsmon.customers.selectors import customer_list
from opsmon.evaluations.models import SupplierEvaluation
from opsmon.evaluations.selectors import visible_evaluations
from opsmon.guarantees.models import GuaranteeLetter
from opsmon.guarantees.selectors import visible_letters
from opsmon.opportunities.models import Opportunity
from opsmon.opportunities.selectors import visible_opportunities
from opsmon.payments.models import PaymentRequest, Retention
from opsmon.payments.selectors import visible_payment_requests, visible_retentions
from opsmon.procurement.models import PurchaseRequest
from opsmon.procurement.selectors import visible_requests as visible_purchase_requests
from opsmon.projects.models import Project
from opsmon.projects.selectors import visible_projects
from opsmon.purchasing.models import PurchaseOrder
from opsmon.purchasing.selectors import visible_orders
from opsmon.receiving.models import Receipt
from opsmon.receiving.selectors import visible_receipts
from opsmon.resources.models import ResourceRequest
from opsmon.resources.selectors import visible_requests
from opsmon.supplier_invoices.models import SupplierInvoice
from opsmon.supplier_invoices.selectors import visible_invoices
from opsmon.suppliers.models import Supplier
from opsmon.suppliers.selectors import visible_suppliers


@dataclass(frozen=True)
class FeedType:
    name: str                                   # the item's `type`
    model: type[models.Model]
    visible: Callable[[object], models.QuerySet]  # actor → the records he may see
    number: str | None = None                   # the field answered as `number` (None: the record has no number)


def _customers(actor):
    """Company-wide master data: every active user reads every customer (customers.selectors)."""
    return customer_list(actor=actor) if is_active_user(actor) else Customer.objects.none()


def _bonds(actor):
    return bond_list(actor=actor)  # the bonds of the bids he sees


TYPES: tuple[FeedType, ...] = (
    FeedType("customer", Customer, _customers),
    FeedType("opportunity", Opportunity, visible_opportunities, "number"),
    FeedType("project", Project, visible_projects, "number"),
    FeedType("bid", Bid, visible_bids, "number"),
    FeedType("bond", Bond, _bonds),
    FeedType("contract", Contract, visible_contracts, "number"),  # amendments, invoices, collections: its entries
    FeedType("resource_request", ResourceRequest, visible_requests),
    FeedType("guarantee_letter", GuaranteeLetter, visible_letters, "number"),  # the bank's letter number
    FeedType("supplier", Supplier, visible_suppliers, "number"),  # issue 16
    FeedType("purchase_request", PurchaseRequest, visible_purchase_requests, "number"),
    FeedType("purchase_order", PurchaseOrder, visible_orders, "number"),
    FeedType("receipt", Receipt, visible_receipts, "number"),
    FeedType("supplier_evaluation", SupplierEvaluation, visible_evaluations),
    FeedType("supplier_invoice", SupplierInvoice, visible_invoices, "number"),
    FeedType("payment_request", PaymentRequest, visible_payment_requests, "number"),
    FeedType("retention", Retention, visible_retentions),
)


def by_content_type() -> dict[int, FeedType]:
    """{content type id: type} (ContentType's own cache answers, without a query once warm)."""
    return {ContentType.objects.get_for_model(t.model, for_concrete_model=True).pk: t for t in TYPES}
