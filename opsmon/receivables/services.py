"""Recording invoices and collections (finance). Each asks rules.py first, then checks every field (one 422 naming
each bad one; nothing is written), then writes the row, one timeline entry on the contract and the webhook event."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from opsmon.contracts.models import Milestone
from opsmon.core import timeline
from opsmon.core.errors import Invalid
from opsmon.core.events import publish
from opsmon.core.money import format_money
from opsmon.core.phrases import phrase
from opsmon.core.rules import refuse
from opsmon.core.workflow import clean_money, clean_past_date, clean_texts

from . import rules, selectors
from .choices import CollectionMethod, InvoiceType
from .models import Collection, Invoice

TEXTS = {"number": 40, "reference": 100}


def _choice(value, choices, field: str, errors: dict) -> str:
    value = str(value or "").strip()
    if not value:
        errors[field] = _("This field is required.")
    elif value not in choices.values:
        errors[field] = _("Not one of the choices.")
    return value


def _locked(milestone) -> Milestone:
    """The milestone row locked for the rest of the transaction: two finance users recording against it at once
    check their sums one after the other."""
    locked = Milestone.objects.select_for_update().select_related("contract").get(pk=milestone.pk)
    return locked


def contract_url(contract) -> str:
    return reverse("contracts:detail", args=[contract.pk]) + "#receivables"


@transaction.atomic
def invoice_record(*, actor, milestone: Milestone, number: str, invoice_type: str, tax_rate, amount,
                   issued_on) -> Invoice:
    """Record an invoice against a milestone (from `selectors.milestone_get`): the invoiced total stays within the
    milestone's amount."""
    contract = milestone.contract
    refuse(rules.can_record_invoice(actor, contract))
    today = timezone.localdate()
    errors: dict = {}
    texts = clean_texts({"number": number}, TEXTS, errors)
    if not texts["number"] and "number" not in errors:
        errors["number"] = _("This field is required.")
    invoice_type = _choice(invoice_type, InvoiceType, "invoice_type", errors)
    rate = clean_money(tax_rate, "tax_rate", errors, limit=Decimal("100"), zero=True)
    amount = clean_money(amount, "amount", errors)
    issued_on = clean_past_date(issued_on, "issued_on", errors, today=today)
    milestone = _locked(milestone)
    if amount is not None:
        invoiced, _collected = selectors.totals(milestone)
        planned = selectors.planned_amount(milestone)
        if invoiced + amount > planned:
            errors["amount"] = _("Invoiced would be %(total)s, more than the milestone's %(planned)s.") % {
                "total": f"{invoiced + amount:,.2f}", "planned": f"{planned:,.2f}"}
    if errors:
        raise Invalid(fields=errors)
    try:
        with transaction.atomic():
            invoice = Invoice.objects.create(contract=contract, milestone=milestone, number=texts["number"],
                                             invoice_type=invoice_type, tax_rate=rate, amount=amount,
                                             issued_on=issued_on, recorded_by=actor)
    except IntegrityError:
        raise Invalid(fields={"number": _("An invoice of this type with this number is already recorded.")}) \
            from None
    timeline.record(contract, actor=actor, action="receivable.invoice_recorded",
                    comment=f"{milestone.name} · {invoice.number} · {format_money(amount, contract.currency)}",
                    changes={"invoiced": [f"{invoiced:.2f}", f"{invoiced + amount:.2f}"]})
    publish("invoice.issued", subject=invoice, notify=[contract.owner],
            text=phrase(gettext_noop("Invoice %(number)s issued for %(contract)s %(milestone)s: %(amount)s"),
                        number=invoice.number, contract=contract.number, milestone=milestone.name,
                        amount=format_money(amount, contract.currency)),
            url=contract_url(contract), data={"invoice": {
                "id": invoice.pk, "number": invoice.number, "invoice_type": invoice_type, "tax_rate": f"{rate:.2f}",
                "amount": f"{amount:.2f}", "currency": contract.currency, "issued_on": issued_on.isoformat(),
                "contract": {"id": contract.pk, "number": contract.number},
                "milestone": {"id": milestone.pk, "position": milestone.position, "name": milestone.name}}})
    return invoice


@transaction.atomic
def collection_record(*, actor, milestone: Milestone, amount, received_on, method: str, reference: str = "",
                      prepayment: bool = False) -> Collection:
    """Record money received against a milestone: the collected total stays within what is invoiced, unless it is
    a prepayment (then within the milestone's amount)."""
    contract = milestone.contract
    refuse(rules.can_record_collection(actor, contract))
    today = timezone.localdate()
    errors: dict = {}
    texts = clean_texts({"reference": reference}, TEXTS, errors)
    amount = clean_money(amount, "amount", errors)
    received_on = clean_past_date(received_on, "received_on", errors, today=today)
    method = _choice(method, CollectionMethod, "method", errors)
    prepayment = bool(prepayment)
    milestone = _locked(milestone)
    if amount is not None:
        invoiced, collected = selectors.totals(milestone)
        planned = selectors.planned_amount(milestone)
        if collected + amount > planned:
            errors["amount"] = _("Collected would be %(total)s, more than the milestone's %(planned)s.") % {
                "total": f"{collected + amount:,.2f}", "planned": f"{planned:,.2f}"}
        elif not prepayment and collected + amount > invoiced:
            errors["amount"] = _("Collected would be %(total)s, more than the %(invoiced)s invoiced; mark it a "
                                 "prepayment if it came before the invoice.") % {
                "total": f"{collected + amount:,.2f}", "invoiced": f"{invoiced:,.2f}"}
    if errors:
        raise Invalid(fields=errors)
    collection = Collection.objects.create(contract=contract, milestone=milestone, amount=amount,
                                           received_on=received_on, method=method, reference=texts["reference"],
                                           prepayment=prepayment, recorded_by=actor)
    timeline.record(contract, actor=actor, action="receivable.collection_recorded",
                    comment=f"{milestone.name} · {format_money(amount, contract.currency)}"
                            + (f" · {_('prepayment')}" if prepayment else ""),
                    changes={"collected": [f"{collected:.2f}", f"{collected + amount:.2f}"]})
    publish("collection.received", subject=collection, notify=[contract.owner],
            text=phrase(gettext_noop("%(amount)s received for %(contract)s %(milestone)s"),
                        amount=format_money(amount, contract.currency), contract=contract.number,
                        milestone=milestone.name),
            url=contract_url(contract), data={"collection": {
                "id": collection.pk, "amount": f"{amount:.2f}", "currency": contract.currency,
                "received_on": received_on.isoformat(), "method": method, "reference": collection.reference,
                "prepayment": prepayment, "contract": {"id": contract.pk, "number": contract.number},
                "milestone": {"id": milestone.pk, "position": milestone.position, "name": milestone.name}}})
    return collection
