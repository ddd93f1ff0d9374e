"""What receivables does when contracts call (core.hooks): it guards the milestones that carry money, and adds the
money trail to the contract page."""

from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from opsmon.contracts import hooks as contract_hooks

from . import rules, selectors
from .forms import CollectionForm, InvoiceForm
from .models import Invoice


@contract_hooks.check_milestones.connect
def invoiced_milestones_stay(*, contract, milestones, amount) -> dict:
    """A milestone with invoices is neither removed nor lowered below what is invoiced (rows match by position)."""
    invoiced = dict(Invoice.objects.filter(contract=contract).order_by().values("milestone__position")
                    .annotate(s=Sum("amount")).values_list("milestone__position", "s"))
    problems = {}
    for position, total in sorted(invoiced.items()):
        if position > len(milestones):
            problems[position] = _("Milestone %(n)s has %(total)s invoiced: it cannot be removed.") % {
                "n": position, "total": f"{total:,.2f}"}
            continue
        row = milestones[position - 1]
        if row.get("amount") not in (None, ""):
            planned = Decimal(str(row["amount"]))
        else:
            planned = (Decimal(str(amount)) * Decimal(str(row.get("percentage") or 0)) / 100).quantize(
                Decimal("0.01"))
        if planned < total:
            problems[position] = _("Milestone %(n)s has %(total)s invoiced: it cannot pay less.") % {
                "n": position, "total": f"{total:,.2f}"}
    return problems


@contract_hooks.detail_sections.connect
def money_trail(*, request, contract, forms=None) -> dict | None:
    """The receivables section of a signed contract's page: per milestone planned / invoiced / collected / overdue,
    the invoices and collections, and the two forms for finance."""
    if contract.status not in rules.BILLABLE:
        return None
    actions = rules.allowed_actions(request.user, contract)
    rows = selectors.milestones_of(contract)
    invoices, collections = selectors.money_trail(contract)  # two queries, whatever the number of milestones
    for r in rows:
        r["invoices"] = invoices.get(r["milestone"].pk, [])
        r["collections"] = collections.get(r["milestone"].pk, [])
    forms = forms or {}
    return {"template": "receivables/_contract_section.html", "rows": rows, "receivable_actions": actions,
            "invoice_form": forms.get("invoice") or (InvoiceForm(contract=contract)
                                                     if "record_invoice" in actions else None),
            "collection_form": forms.get("collection") or (CollectionForm(contract=contract)
                                                           if "record_collection" in actions else None),
            "totals": {k: sum((r[k] for r in rows), Decimal("0.00"))
                       for k in ("planned", "invoiced", "collected", "outstanding")}}
